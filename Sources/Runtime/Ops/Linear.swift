import CKernels

/// Dense layers and matrix products.
public enum Linear {
    /// y[..., out] = x[..., in] · Wᵀ + b, with W stored out × in (PyTorch's layout).
    /// Up to `fewRows` rows (a decoding step, one per stream) use `foley_matvec_batch`, which
    /// reads each weight row once for four rows of x (sgemv does one row per pass over the
    /// weights, sgemm with M ≤ 8 ran slower still) and gives a row the same result whatever
    /// rows it is computed with, so batched candidates decode exactly as they would alone.
    public static func forward(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let outF = weight.dim(0), inF = weight.dim(1)
        precondition(x.dim(-1) == inF, "linear: input has \(x.dim(-1)) features, weight expects \(inF)")
        let rows = x.count / inF
        var shape = x.shape
        shape[shape.count - 1] = outF
        return Tensor(overwriting: shape) { y in
            if rows <= fewRows {
                x.read { xp in weight.read { wp in Tensor.read(bias) { b in
                    foley_matvec_batch(wp.baseAddress!, outF, inF, xp.baseAddress!, rows, b, y.baseAddress!)
                } } }
                return
            }
            // The bias is written first and accumulated into by BLAS (beta = 1): one pass
            // over the output instead of a zero fill plus a bias pass.
            let beta: Float = bias == nil ? 0 : 1
            if let bias {
                bias.read { b in for r in 0..<rows { (y.baseAddress! + r * outF).update(from: b.baseAddress!, count: outF) } }
            }
            x.read { xp in weight.read { wp in
                BLAS.gemm(transB: true, m: rows, n: outF, k: inF, a: xp.baseAddress!, lda: inF,
                          b: wp.baseAddress!, ldb: inF, beta: beta, c: y.baseAddress!, ldc: outF)
            } }
        }
    }

    /// Rows up to which `forward` takes the matrix–vector kernel instead of sgemm.
    public static let fewRows = 8

    /// Batched matrix product: a[..., M, K] · b[..., K, N] (or bᵀ when `transposeB`, b[..., N, K]).
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeB: Bool = false) -> Tensor {
        let m = a.dim(-2), k = a.dim(-1)
        let n = transposeB ? b.dim(-2) : b.dim(-1)
        precondition((transposeB ? b.dim(-1) : b.dim(-2)) == k, "matmul: inner dimensions \(a.shape) × \(b.shape) differ")
        let batch = a.count / (m * k)
        precondition(b.count / (k * n) == batch, "matmul: batch sizes of \(a.shape) and \(b.shape) differ")
        var shape = Array(a.shape.dropLast(2))
        shape += [m, n]
        return Tensor(overwriting: shape) { c in
            a.read { ap in b.read { bp in
                for i in 0..<batch {
                    BLAS.gemm(transB: transposeB, m: m, n: n, k: k, a: ap.baseAddress! + i * m * k, lda: k,
                              b: bp.baseAddress! + i * k * n, ldb: transposeB ? k : n,
                              c: c.baseAddress! + i * m * n, ldc: n)
                }
            } }
        }
    }
}
