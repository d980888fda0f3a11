import CKernels

/// Which keys a query may attend to.
public enum AttentionMask: Sendable, Equatable {
    case none
    /// Query i (at absolute position keyCount − queryCount + i) sees keys up to its own position.
    case causal
    /// `true` marks a padded key that no query may see.
    case keyPadding([Bool])
}

/// Multi-head scaled dot-product attention on row-major [T, heads·headDim] matrices. Each
/// head is two sgemm calls on strided views (no copies): scores = q_h·k_hᵀ, out_h = softmax·v_h.
public enum Attention {
    public static func scaledDotProduct(q: Tensor, k: Tensor, v: Tensor, heads: Int, mask: AttentionMask = .none) -> Tensor {
        let tq = q.dim(-2), tk = k.dim(-2), d = q.dim(-1)
        precondition(k.dim(-1) == d && v.dim(-1) == d && v.dim(-2) == tk, "attention: q \(q.shape), k \(k.shape), v \(v.shape)")
        let batch = q.count / (tq * d)
        return Tensor(shape: q.shape) { out in
            q.read { qp in k.read { kp in v.read { vp in
                for b in 0..<batch {
                    run(q: qp.baseAddress! + b * tq * d, ldq: d, k: kp.baseAddress! + b * tk * d, ldk: d,
                        v: vp.baseAddress! + b * tk * d, ldv: d, out: out.baseAddress! + b * tq * d, ldo: d,
                        queries: tq, keys: tk, heads: heads, headDim: d / heads, mask: mask)
                }
            } } }
        }
    }

    /// Queries per block in causal attention (and the rows a score scratch must hold).
    public static let causalBlock = 64

    /// The kernel behind every attention layer; leading dimensions let q, k and v be views
    /// into a fused qkv projection or a KV cache. `scratch`, when given, holds at least
    /// min(queries, block) × keys floats (the KV cache owns one, so decoding allocates nothing
    /// per step); otherwise one block's scores are allocated for this call.
    public static func run(q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, ldk: Int,
                           v: UnsafePointer<Float>, ldv: Int, out: UnsafeMutablePointer<Float>, ldo: Int,
                           queries tq: Int, keys tk: Int, heads: Int, headDim dh: Int, mask: AttentionMask,
                           scratch: UnsafeMutablePointer<Float>? = nil) {
        let scale = 1 / Float(dh).squareRoot()
        if tq == 1, mask == .causal || mask == .none {           // a decoding step: every key is visible
            let owned = scratch == nil ? UnsafeMutablePointer<Float>.allocate(capacity: tk) : nil
            defer { owned?.deallocate() }
            foley_attend_one(q, k, ldk, v, ldv, tk, heads, dh, scale, scratch ?? owned!, out)
            return
        }
        let offset = tk - tq
        // Causal attention works in blocks of queries: a block needs only the keys up to its
        // last query, so about half of the products and exponentials are never computed.
        let block = mask == .causal ? min(causalBlock, tq) : tq
        let owned = scratch == nil ? UnsafeMutablePointer<Float>.allocate(capacity: block * tk) : nil
        defer { owned?.deallocate() }
        let scores = scratch ?? owned!
        for h in 0..<heads {
            for r0 in stride(from: 0, to: tq, by: block) {
                let rows = min(block, tq - r0)
                let visible = mask == .causal ? min(tk, offset + r0 + rows) : tk
                // scores[rows, visible] = scale · q_h[rows, dh] · k_h[visible, dh]ᵀ
                BLAS.gemm(transB: true, m: rows, n: visible, k: dh, alpha: scale, a: q + r0 * ldq + h * dh, lda: ldq,
                          b: k + h * dh, ldb: ldk, c: scores, ldc: visible)
                for i in 0..<rows {
                    let row = scores + i * visible
                    switch mask {
                    case .none:
                        Softmax.rowSoftmax(UnsafeMutableBufferPointer(start: row, count: visible))
                    case .causal:
                        let seen = min(visible, offset + r0 + i + 1)
                        Softmax.rowSoftmax(UnsafeMutableBufferPointer(start: row, count: seen))
                        if seen < visible { (row + seen).update(repeating: 0, count: visible - seen) }
                    case .keyPadding(let padded):
                        for j in 0..<visible where padded[j] { row[j] = -.infinity }
                        Softmax.rowSoftmax(UnsafeMutableBufferPointer(start: row, count: visible))
                    }
                }
                // out_h[rows, dh] = scores[rows, visible] · v_h[visible, dh]
                BLAS.gemm(m: rows, n: dh, k: visible, a: scores, lda: visible, b: v + h * dh, ldb: ldv,
                          c: out + r0 * ldo + h * dh, ldc: ldo)
            }
        }
    }
}

/// Keys and values of the positions decoded so far, for one attention layer. Allocated once
/// for the whole window; each step appends a row.
public final class KVCache {
    public let capacity: Int
    public let width: Int
    public private(set) var count = 0
    let keys: UnsafeMutablePointer<Float>
    let values: UnsafeMutablePointer<Float>
    /// Attention scores for one causal block of queries against every cached key.
    let scores: UnsafeMutablePointer<Float>

    public init(capacity: Int, width: Int) {
        self.capacity = capacity
        self.width = width
        keys = .allocate(capacity: capacity * width)
        values = .allocate(capacity: capacity * width)
        scores = .allocate(capacity: Attention.causalBlock * capacity)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
        scores.deallocate()
    }

    public func reset() { count = 0 }

    /// A cache holding the same positions, to go on from a shared prefix (candidates that
    /// share the features and the prime are prefilled once and then copied).
    public func copy() -> KVCache {
        let c = KVCache(capacity: capacity, width: width)
        c.keys.update(from: keys, count: count * width)
        c.values.update(from: values, count: count * width)
        c.count = count
        return c
    }

    /// Appends `rows` keys and values read with leading dimension `ld`.
    func append(keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>, rows: Int, ld: Int) {
        precondition(count + rows <= capacity, "KV cache full: \(count) + \(rows) rows, capacity \(capacity)")
        for r in 0..<rows {
            (keys + (count + r) * width).update(from: k + r * ld, count: width)
            (values + (count + r) * width).update(from: v + r * ld, count: width)
        }
        count += rows
    }
}
