import Foundation

/// Table lookups and positional encodings.
public enum Embedding {
    /// Rows of `table[N, D]` for each index: result [indices.count, D].
    public static func lookup(_ table: Tensor, _ indices: [Int]) -> Tensor {
        let d = table.dim(1), n = table.dim(0)
        return Tensor(shape: [indices.count, d]) { out in
            table.read { t in
                for (r, ix) in indices.enumerated() {
                    precondition(ix >= 0 && ix < n, "embedding: index \(ix) outside table of \(n) rows")
                    (out.baseAddress! + r * d).update(from: t.baseAddress! + ix * d, count: d)
                }
            }
        }
    }

    /// Sinusoidal timestep embedding (the diffusion convention): first half cos, second half
    /// sin, frequencies exp(−ln(maxPeriod) · i / half). Result [timesteps.count, dim].
    public static func timestep(_ timesteps: [Float], dim: Int, maxPeriod: Float = 10000) -> Tensor {
        let half = dim / 2
        return Tensor(shape: [timesteps.count, dim]) { out in
            for (r, t) in timesteps.enumerated() {
                for i in 0..<half {
                    let freq = Foundation.exp(-Foundation.log(Double(maxPeriod)) * Double(i) / Double(half))
                    let arg = Double(t) * freq
                    out[r * dim + i] = Float(Foundation.cos(arg))
                    out[r * dim + half + i] = Float(Foundation.sin(arg))
                }
            }
        }
    }
}

/// Reductions and shape helpers.
public enum Reduce {
    /// Sum over axis, removing it.
    public static func sum(_ x: Tensor, axis: Int) -> Tensor { reduce(x, axis: axis, initial: 0, +, finish: { v, _ in v }) }
    public static func mean(_ x: Tensor, axis: Int) -> Tensor { reduce(x, axis: axis, initial: 0, +, finish: { v, n in v / Float(n) }) }
    public static func max(_ x: Tensor, axis: Int) -> Tensor { reduce(x, axis: axis, initial: -.infinity, { Swift.max($0, $1) }, finish: { v, _ in v }) }

    static func reduce(_ x: Tensor, axis: Int, initial: Float, _ op: (Float, Float) -> Float, finish: (Float, Int) -> Float) -> Tensor {
        let a = axis < 0 ? x.rank + axis : axis
        let outer = x.shape[..<a].reduce(1, *), n = x.shape[a], inner = x.shape[(a + 1)...].reduce(1, *)
        var shape = x.shape
        shape.remove(at: a)
        return Tensor(shape: shape) { out in
            x.read { p in
                for o in 0..<outer { for i in 0..<inner {
                    var acc = initial
                    for k in 0..<n { acc = op(acc, p[(o * n + k) * inner + i]) }
                    out[o * inner + i] = finish(acc, n)
                } }
            }
        }
    }

    /// Swaps the last two dimensions.
    public static func transposeLast2(_ x: Tensor) -> Tensor {
        let r = x.dim(-2), c = x.dim(-1)
        var shape = x.shape
        shape.swapAt(shape.count - 1, shape.count - 2)
        return Tensor(shape: shape) { out in
            x.read { p in
                for b in 0..<(x.count / (r * c)) {
                    let s = p.baseAddress! + b * r * c, d = out.baseAddress! + b * r * c
                    for i in 0..<r { for j in 0..<c { d[j * r + i] = s[i * c + j] } }
                }
            }
        }
    }
}
