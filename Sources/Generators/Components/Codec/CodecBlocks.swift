import Runtime

/// The codec's building blocks, one type each, named as in the official checkpoint.

/// GroupNorm as the codec uses it: 32 groups (8 for narrow layers), eps 1e-6.
struct GroupNorm2D {
    let weight: Tensor, bias: Tensor, groups: Int
    init(_ w: BoundWeights, _ name: String) {
        weight = w[name + ".weight"]; bias = w[name + ".bias"]
        groups = weight.dim(0) % 32 == 0 ? 32 : 8
    }
    static func table(_ t: inout WeightTable, _ name: String, _ c: Int) { t.add(name + ".weight", [c]); t.add(name + ".bias", [c]) }
    func callAsFunction(_ x: Tensor, silu: Bool = false) -> Tensor {
        Norm.group(x, groups: groups, weight: weight, bias: bias, eps: 1e-6, silu: silu)
    }
}

struct Conv3x3 {
    let weight: Tensor, bias: Tensor
    init(_ w: BoundWeights, _ name: String) { weight = w[name + ".weight"]; bias = w[name + ".bias"] }
    static func table(_ t: inout WeightTable, _ name: String, cin: Int, cout: Int) {
        t.add(name + ".weight", [cout, cin, 3, 3]); t.add(name + ".bias", [cout])
    }
    func callAsFunction(_ x: Tensor) -> Tensor { Conv.conv2d(x, weight: weight, bias: bias, padding: (1, 1)) }
}

/// The decoder's upsampling: nearest 2× then a 3×3 convolution (the official `upsample.conv`),
/// run in phase form (`Conv.nearest2xConv3x3`) so the upsampled map is never built.
struct UpsampleConv3x3 {
    let phases: Tensor, bias: Tensor
    init(_ w: BoundWeights, _ name: String) { phases = Conv.nearest2xPhases(w[name + ".weight"]); bias = w[name + ".bias"] }
    /// [1, Cin, H, W] → [1, Cout, 2H, 2W].
    func callAsFunction(_ x: Tensor) -> Tensor { Conv.nearest2xConv3x3(x, phases: phases, bias: bias) }
}

struct Conv1x1 {
    let weight: Tensor, bias: Tensor
    init(_ w: BoundWeights, _ name: String) { weight = w[name + ".weight"]; bias = w[name + ".bias"] }
    static func table(_ t: inout WeightTable, _ name: String, cin: Int, cout: Int) {
        t.add(name + ".weight", [cout, cin, 1, 1]); t.add(name + ".bias", [cout])
    }
    func callAsFunction(_ x: Tensor) -> Tensor { Conv.conv2d(x, weight: weight, bias: bias) }
}

struct ResnetBlock2D {
    let norm1: GroupNorm2D, conv1: Conv3x3, norm2: GroupNorm2D, conv2: Conv3x3, shortcut: Conv1x1?
    init(_ w: BoundWeights, _ name: String, cin: Int, cout: Int) {
        norm1 = GroupNorm2D(w, name + ".norm1"); conv1 = Conv3x3(w, name + ".conv1")
        norm2 = GroupNorm2D(w, name + ".norm2"); conv2 = Conv3x3(w, name + ".conv2")
        shortcut = cin != cout ? Conv1x1(w, name + ".nin_shortcut") : nil
    }
    static func table(_ t: inout WeightTable, _ name: String, cin: Int, cout: Int) {
        GroupNorm2D.table(&t, name + ".norm1", cin); Conv3x3.table(&t, name + ".conv1", cin: cin, cout: cout)
        GroupNorm2D.table(&t, name + ".norm2", cout); Conv3x3.table(&t, name + ".conv2", cin: cout, cout: cout)
        if cin != cout { Conv1x1.table(&t, name + ".nin_shortcut", cin: cin, cout: cout) }
    }
    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = conv2(norm2(conv1(norm1(x, silu: true)), silu: true))       // [1, Cout, H, W]
        Elementwise.addInPlace(&h, shortcut.map { $0(x) } ?? x)
        return h
    }
}

/// Single-head self-attention over every cell of the feature map.
struct AttnBlock2D {
    let norm: GroupNorm2D, q: Conv1x1, k: Conv1x1, v: Conv1x1, proj: Conv1x1
    init(_ w: BoundWeights, _ name: String) {
        norm = GroupNorm2D(w, name + ".norm")
        q = Conv1x1(w, name + ".q"); k = Conv1x1(w, name + ".k"); v = Conv1x1(w, name + ".v"); proj = Conv1x1(w, name + ".proj_out")
    }
    static func table(_ t: inout WeightTable, _ name: String, _ c: Int) {
        GroupNorm2D.table(&t, name + ".norm", c)
        for p in ["q", "k", "v", "proj_out"] { Conv1x1.table(&t, "\(name).\(p)", cin: c, cout: c) }
    }
    func callAsFunction(_ x: Tensor) -> Tensor {
        let c = x.dim(1), n = x.dim(2) * x.dim(3)
        let h = norm(x)
        let query = Elementwise.scale(q(h).reshaped([c, n]), 1 / Float(c).squareRoot())
        let keys = k(h).reshaped([c, n]), values = v(h).reshaped([c, n])
        var att = Linear.matmul(Reduce.transposeLast2(query), keys)          // [N, N]: query i · key j
        att = Softmax.forward(att)
        let y = Linear.matmul(values, att, transposeB: true)                     // [C, N]
        return Elementwise.add(x, proj(y.reshaped(x.shape)))
    }
}

/// One resolution of the codec: residual blocks (with attention at the lowest scale) and the
/// resampling to the next: a strided Conv3x3 in the encoder, an UpsampleConv3x3 in the decoder.
struct CodecLevel<Resample: Sendable>: Sendable {
    let blocks: [ResnetBlock2D]
    let attns: [AttnBlock2D]
    let resample: Resample?

    func blocks(_ x: Tensor) -> Tensor {
        var h = x
        for (j, block) in blocks.enumerated() {
            h = block(h)
            if !attns.isEmpty { h = attns[j](h) }
        }
        return h
    }
}

struct CodecMid {
    let block1: ResnetBlock2D, attn: AttnBlock2D, block2: ResnetBlock2D
    init(_ w: BoundWeights, _ name: String, _ c: Int) {
        block1 = ResnetBlock2D(w, name + ".block_1", cin: c, cout: c)
        attn = AttnBlock2D(w, name + ".attn_1")
        block2 = ResnetBlock2D(w, name + ".block_2", cin: c, cout: c)
    }
    static func table(_ t: inout WeightTable, _ name: String, _ c: Int) {
        ResnetBlock2D.table(&t, name + ".block_1", cin: c, cout: c)
        AttnBlock2D.table(&t, name + ".attn_1", c)
        ResnetBlock2D.table(&t, name + ".block_2", cin: c, cout: c)
    }
    func callAsFunction(_ x: Tensor) -> Tensor { block2(attn(block1(x))) }
}
