import Foundation
import Runtime

/// FRIEREN's vector-field estimator (Training/foleytrain/frieren.py): the latent x and the
/// length-regulated visual features each pass a shallow conv stack to half the width and are
/// concatenated channel by channel (latent frame j sees the picture at its own instant), a
/// timestep token is prepended, learned positions added, and feed-forward transformer blocks
/// (bidirectional attention + conv FFN) run at full resolution; LayerNorm and a 1×1 conv give
/// the velocity. Everything runs on rows ([sequence, width]); a batch stacks sequences.
public struct FrierenEstimator: Sendable {
    public struct Config: Sendable, Equatable, Codable {
        public var z = 20, cond = 128, length = 192, width = 192, layers = 4, heads = 4, ffn = 576, kernel = 3

        public var problem: String? {
            if let p = ConfigCheck.first(ConfigCheck.range("z", z, 1...512), ConfigCheck.range("cond", cond, 1...4096),
                                         ConfigCheck.range("length", length, 1...8192), ConfigCheck.range("width", width, 2...4096),
                                         ConfigCheck.range("layers", layers, 1...64), ConfigCheck.range("heads", heads, 1...64),
                                         ConfigCheck.range("ffn", ffn, 1...65536), ConfigCheck.range("kernel", kernel, 1...15)) { return p }
            guard width % 2 == 0, width % heads == 0, kernel % 2 == 1 else {
                return "got [width \(width), heads \(heads), kernel \(kernel)], expected [an even width divisible by heads, an odd kernel]"
            }
            return nil
        }
    }

    /// One feed-forward transformer block: x + attn(ln1 x), then x + ffn(ln2 x), the FFN a
    /// kernel-k conv along the sequence, GELU, a 1×1 conv.
    struct Block: Sendable {
        let ln1: LayerNormLayer, attention: SelfAttention, ln2: LayerNormLayer
        let ffnIn: (Tensor, Tensor), ffnOut: (Tensor, Tensor)

        static func table(_ t: inout WeightTable, _ p: String, _ c: Config) {
            for n in ["ln1", "ln2"] { t.add(p + n + ".weight", [c.width]); t.add(p + n + ".bias", [c.width]) }
            for n in ["key", "query", "value", "proj"] { t.add(p + "attn.\(n).weight", [c.width, c.width]); t.add(p + "attn.\(n).bias", [c.width]) }
            t.add(p + "ffn.0.weight", [c.ffn, c.width, c.kernel]); t.add(p + "ffn.0.bias", [c.ffn])
            t.add(p + "ffn.2.weight", [c.width, c.ffn, 1]); t.add(p + "ffn.2.bias", [c.width])
        }

        init(_ w: BoundWeights, _ p: String, heads: Int) {
            ln1 = LayerNormLayer(weight: w[p + "ln1.weight"], bias: w[p + "ln1.bias"])
            ln2 = LayerNormLayer(weight: w[p + "ln2.weight"], bias: w[p + "ln2.bias"])
            let qkv = LinearLayer(weight: concatenateRows([w[p + "attn.query.weight"], w[p + "attn.key.weight"], w[p + "attn.value.weight"]]),
                                  bias: concatenateRows([w[p + "attn.query.bias"], w[p + "attn.key.bias"], w[p + "attn.value.bias"]]))
            attention = SelfAttention(qkv: qkv, out: LinearLayer(weight: w[p + "attn.proj.weight"], bias: w[p + "attn.proj.bias"]), heads: heads)
            ffnIn = (Conv.rowTaps(w[p + "ffn.0.weight"]), w[p + "ffn.0.bias"])
            ffnOut = (Conv.rowTaps(w[p + "ffn.2.weight"]), w[p + "ffn.2.bias"])
        }

        /// x[S·T, D], S sequences of T rows → [S·T, D].
        func callAsFunction(_ x: Tensor, sequences s: Int) -> Tensor {
            var h = x
            Elementwise.addInPlace(&h, attention(ln1(x), sequences: s))                              // [S·T, D]
            let f = Activation.gelu(Conv.rows(ln2(h), sequences: s, taps: ffnIn.0, bias: ffnIn.1))      // [S·T, F]
            Elementwise.addInPlace(&h, Conv.rows(f, sequences: s, taps: ffnOut.0, bias: ffnOut.1))      // [S·T, D]
            return h
        }
    }

    public let config: Config
    let xIn: [(Tensor, Tensor)], cIn: [(Tensor, Tensor)]
    let tMLP: (LinearLayer, LinearLayer)
    let positions: Tensor
    let blocks: [Block]
    let norm: LayerNormLayer
    let out: (Tensor, Tensor)

    public static func table(_ c: Config) -> WeightTable {
        var t = WeightTable()
        let half = c.width / 2
        for (p, cin) in [("x_in", c.z), ("c_in", c.cond)] {
            t.add(p + ".0.weight", [half, cin, 3]); t.add(p + ".0.bias", [half])
            t.add(p + ".2.weight", [half, half, 3]); t.add(p + ".2.bias", [half])
        }
        for i in [0, 2] { t.add("t_mlp.\(i).weight", [c.width, c.width]); t.add("t_mlp.\(i).bias", [c.width]) }
        t.add("pos", [c.length + 1, c.width])
        for i in 0..<c.layers { Block.table(&t, "blocks.\(i).", c) }
        t.add("norm.weight", [c.width]); t.add("norm.bias", [c.width])
        t.add("out.weight", [c.z, c.width, 1]); t.add("out.bias", [c.z])
        return t
    }

    public init(config c: Config, weights w: BoundWeights) {
        config = c
        func stack(_ p: String) -> [(Tensor, Tensor)] { [0, 2].map { (Conv.rowTaps(w["\(p).\($0).weight"]), w["\(p).\($0).bias"]) } }
        xIn = stack("x_in"); cIn = stack("c_in")
        tMLP = (LinearLayer(weight: w["t_mlp.0.weight"], bias: w["t_mlp.0.bias"]), LinearLayer(weight: w["t_mlp.2.weight"], bias: w["t_mlp.2.bias"]))
        positions = w["pos"]
        blocks = (0..<c.layers).map { Block(w, "blocks.\($0).", heads: c.heads) }
        norm = LayerNormLayer(weight: w["norm.weight"], bias: w["norm.bias"])
        out = (Conv.rowTaps(w["out.weight"]), w["out.bias"])
    }

    static func shallow(_ x: Tensor, sequences s: Int, _ layers: [(Tensor, Tensor)]) -> Tensor {
        let h = Activation.silu(Conv.rows(x, sequences: s, taps: layers[0].0, bias: layers[0].1))
        return Conv.rows(h, sequences: s, taps: layers[1].0, bias: layers[1].1)
    }

    /// The condition branch for length-regulated features [L, Dv] (nil: the blind condition,
    /// zeros) → [L, D/2]. It does not depend on x or t, so a sampler computes it once.
    public func condition(_ features: Tensor?) -> Tensor {
        let c = features ?? Tensor(shape: [config.length, config.cond])
        return Self.shallow(c, sequences: 1, cIn)
    }

    /// Length regulation: visual features [T, Dv] (one row per 1024 samples) repeated to the
    /// latent rate (one per 512), the last row repeated past the end → [L, Dv].
    public func regulate(_ features: Tensor) -> Tensor {
        let l = config.length, dv = config.cond, t = features.dim(0)
        return Tensor(overwriting: [l, dv]) { out in                                       // row j from feature j / 2
            features.read { src in for j in 0..<l { (out.baseAddress! + j * dv).update(from: src.baseAddress! + min(j / 2, t - 1) * dv, count: dv) } }
        }
    }

    /// The sampler's field for a window's features: s·v(x, t | c) + (1 − s)·v(x, t | ∅), the
    /// conditional and blind passes in one batch (the plain conditional field when s = 1).
    public func guidedField(features: Tensor, guidance s: Float) -> FlowSampler.Field {
        let conditions = [condition(regulate(features)), condition(nil)]
        return { x, t in
            if s == 1 { return velocity([x], t: t, conditions: [conditions[0]])[0] }
            let v = velocity([x, x], t: t, conditions: conditions)
            return zip(v[0], v[1]).map { s * $0 + (1 - s) * $1 }
        }
    }

    /// Velocities for latents `xs` (each [z, L] row-major) at time t under `conditions` (each
    /// from `condition`), all in one batch → one [z, L] per latent.
    public func velocity(_ xs: [[Float]], t: Double, conditions: [Tensor]) -> [[Float]] {
        let c = config, s = xs.count, l = c.length, d = c.width, half = d / 2
        let rows = Tensor(overwriting: [s * l, c.z]) { r in                         // [S·L, z]: channel-first → rows
            for (q, x) in xs.enumerated() { for ch in 0..<c.z { for j in 0..<l { r[(q * l + j) * c.z + ch] = x[ch * l + j] } } }
        }
        let xh = Self.shallow(rows, sequences: s, xIn)                               // [S·L, D/2]
        let token = tMLP.1(Activation.silu(tMLP.0(Embedding.timestep([Float(t) * 1000], dim: d))))   // [1, D]
        var h = Tensor(overwriting: [s * (l + 1), d]) { hb in                        // [S·(L+1), D]: token, then x ‖ c
            xh.read { xp in token.read { tp in positions.read { pp in
                for q in 0..<s {
                    conditions[q].read { cp in
                        let base = q * (l + 1) * d
                        for i in 0..<d { hb[base + i] = tp[i] + pp[i] }
                        for j in 0..<l {
                            let row = base + (j + 1) * d, pos = (j + 1) * d
                            for i in 0..<half { hb[row + i] = xp[(q * l + j) * half + i] + pp[pos + i] }
                            for i in 0..<half { hb[row + half + i] = cp[j * half + i] + pp[pos + half + i] }
                        }
                    }
                }
            } } }
        }
        for block in blocks { h = block(h, sequences: s) }
        h = norm(h)
        let frames = Tensor(overwriting: [s * l, d]) { f in                           // the token rows dropped
            h.read { hp in for q in 0..<s { (f.baseAddress! + q * l * d).update(from: hp.baseAddress! + (q * (l + 1) + 1) * d, count: l * d) } }
        }
        let v = Conv.rows(frames, sequences: s, taps: out.0, bias: out.1)           // [S·L, z]
        return v.read { vp in (0..<s).map { q in
            var o = [Float](repeating: 0, count: c.z * l)
            for j in 0..<l { for ch in 0..<c.z { o[ch * l + j] = vp[(q * l + j) * c.z + ch] } }
            return o
        } }
    }
}
