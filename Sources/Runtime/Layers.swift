/// Building blocks shared by the models: each holds its bound weights and has a forward pass.

/// A dense layer with weight [out, in] and optional bias.
public struct LinearLayer: Sendable {
    public let weight: Tensor
    public let bias: Tensor?
    public init(weight: Tensor, bias: Tensor?) { self.weight = weight; self.bias = bias }
    public func callAsFunction(_ x: Tensor) -> Tensor { Linear.forward(x, weight: weight, bias: bias) }
}

public struct LayerNormLayer: Sendable {
    public let weight: Tensor
    public let bias: Tensor
    public var eps: Float = 1e-5
    public init(weight: Tensor, bias: Tensor, eps: Float = 1e-5) { self.weight = weight; self.bias = bias; self.eps = eps }
    public func callAsFunction(_ x: Tensor) -> Tensor { Norm.layer(x, weight: weight, bias: bias, eps: eps) }
}

/// Multi-head self-attention with q, k and v fused into one projection (weights [3·D, D], rows
/// q then k then v), so a step costs one gemm or gemv instead of three.
public struct SelfAttention: Sendable {
    public let qkv: LinearLayer
    public let out: LinearLayer
    public let heads: Int
    public var width: Int { out.weight.dim(0) }

    public init(qkv: LinearLayer, out: LinearLayer, heads: Int) {
        precondition(qkv.weight.dim(0) == 3 * out.weight.dim(0), "fused qkv weight \(qkv.weight.shape) for width \(out.weight.dim(0))")
        self.qkv = qkv
        self.out = out
        self.heads = heads
    }

    /// x[T, D] → [T, D]. With a cache, the new keys/values are appended and the queries
    /// attend to everything cached so far (positions continue from `cache.count`).
    public func callAsFunction(_ x: Tensor, mask: AttentionMask, cache: KVCache? = nil) -> Tensor {
        let d = width, t = x.dim(0)
        let fused = qkv(x)                                     // [T, 3D]
        let attended = Tensor(shape: [t, d]) { o in
            fused.read { f in
                let q = f.baseAddress!, k = q + d, v = q + 2 * d
                if let cache {
                    cache.append(keys: k, values: v, rows: t, ld: 3 * d)
                    // A non-causal query block spans all new tokens; the cache's scratch covers causal blocks.
                    let scratch = mask == .causal || t <= Attention.causalBlock ? cache.scores : nil
                    Attention.run(q: q, ldq: 3 * d, k: cache.keys, ldk: d, v: cache.values, ldv: d, out: o.baseAddress!, ldo: d,
                                  queries: t, keys: cache.count, heads: heads, headDim: d / heads, mask: mask, scratch: scratch)
                } else {
                    Attention.run(q: q, ldq: 3 * d, k: k, ldk: 3 * d, v: v, ldv: 3 * d, out: o.baseAddress!, ldo: d,
                                  queries: t, keys: t, heads: heads, headDim: d / heads, mask: mask)
                }
            }
        }
        return out(attended)                                   // [T, D]
    }

    /// One decoding step for several streams: row b of x[B, D] is the next position of the
    /// stream whose cache is streams[b]; each row attends only to its own stream's cache.
    public func callAsFunction(_ x: Tensor, streams: [KVCache]) -> Tensor {
        let d = width, b = x.dim(0)
        precondition(streams.count == b, "attention: \(b) rows for \(streams.count) streams")
        let fused = qkv(x)                                     // [B, 3D]
        let attended = Tensor(shape: [b, d]) { o in
            fused.read { f in
                for (row, cache) in streams.enumerated() {
                    let q = f.baseAddress! + row * 3 * d
                    cache.append(keys: q + d, values: q + 2 * d, rows: 1, ld: 3 * d)
                    Attention.run(q: q, ldq: 3 * d, k: cache.keys, ldk: d, v: cache.values, ldv: d, out: o.baseAddress! + row * d, ldo: d,
                                  queries: 1, keys: cache.count, heads: heads, headDim: d / heads, mask: .causal, scratch: cache.scores)
                }
            }
        }
        return out(attended)                                   // [B, D]
    }

    /// Bidirectional attention over `sequences` stacked sequences x[S·T, D]: one gemm for q, k, v
    /// and one for the output over all rows, attention within each sequence (a guided pass and
    /// its blind twin cost one product each, not two).
    public func callAsFunction(_ x: Tensor, sequences s: Int) -> Tensor {
        let d = width, n = x.dim(0), t = n / s
        precondition(s > 0 && n == s * t, "attention: \(n) rows in \(s) sequences")
        let fused = qkv(x)                                     // [S·T, 3D]
        let attended = Tensor(shape: [n, d]) { o in
            fused.read { f in
                for q in 0..<s {
                    let base = f.baseAddress! + q * t * 3 * d
                    Attention.run(q: base, ldq: 3 * d, k: base + d, ldk: 3 * d, v: base + 2 * d, ldv: 3 * d, out: o.baseAddress! + q * t * d, ldo: d,
                                  queries: t, keys: t, heads: heads, headDim: d / heads, mask: .none)
                }
            }
        }
        return out(attended)                                   // [S·T, D]
    }
}

/// Concatenates tensors along the first dimension (fusing separate q/k/v weights at load).
public func concatenateRows(_ parts: [Tensor]) -> Tensor {
    let tail = Array(parts[0].shape.dropFirst())
    precondition(parts.allSatisfy { Array($0.shape.dropFirst()) == tail }, "concatenate: trailing shapes differ")
    let rows = parts.reduce(0) { $0 + $1.dim(0) }
    return Tensor(shape: [rows] + tail) { out in
        var offset = 0
        for p in parts { p.read { src in (out.baseAddress! + offset).update(from: src.baseAddress!, count: src.count); offset += src.count } }
    }
}

/// Rows `range` of a [R, …] tensor (a copy).
public func sliceRows(_ x: Tensor, _ range: Range<Int>) -> Tensor {
    let row = x.count / max(1, x.dim(0))
    return Tensor(shape: [range.count] + Array(x.shape.dropFirst())) { out in
        x.read { src in (out.baseAddress!).update(from: src.baseAddress! + range.lowerBound * row, count: range.count * row) }
    }
}
