import Runtime

/// The 1-D mel VAE's building blocks (Training/foleytrain/mel_vae.py names), on [1, C, T] maps.

/// GroupNorm with the VAE's group count (min(groups, C)), eps 1e-6.
struct GroupNorm1D {
    let weight: Tensor, bias: Tensor, groups: Int
    init(_ w: BoundWeights, _ name: String, groups: Int) {
        weight = w[name + ".weight"]; bias = w[name + ".bias"]
        self.groups = min(groups, weight.dim(0))
    }
    static func table(_ t: inout WeightTable, _ name: String, _ c: Int) { t.add(name + ".weight", [c]); t.add(name + ".bias", [c]) }
    func callAsFunction(_ x: Tensor, silu: Bool = false) -> Tensor {
        Norm.group(x, groups: groups, weight: weight, bias: bias, eps: 1e-6, silu: silu)
    }
}

/// A same-padded 1-D convolution, kernel 1 or 3, stride 1 or 2; stride-1 kernels held tap-major.
struct Conv1D {
    let weight: Tensor, bias: Tensor, kernel: Int, stride: Int
    init(_ w: BoundWeights, _ name: String, stride: Int = 1) {
        let raw = w[name + ".weight"]
        kernel = raw.dim(2)
        self.stride = stride
        weight = stride == 1 && kernel > 1 ? Conv.tapMajor(raw) : raw
        bias = w[name + ".bias"]
    }
    static func table(_ t: inout WeightTable, _ name: String, cin: Int, cout: Int, kernel: Int = 3) {
        t.add(name + ".weight", [cout, cin, kernel]); t.add(name + ".bias", [cout])
    }
    /// [1, Cin, T] → [1, Cout, T / stride].
    func callAsFunction(_ x: Tensor) -> Tensor {
        if stride == 1 && kernel > 1 { return Conv.conv1d(x, taps: weight, bias: bias, padding: kernel / 2) }
        return Conv.conv1d(x, weight: weight, bias: bias, ConvParams(stride: stride, padding: kernel / 2))
    }
}

struct ResBlock1D {
    let norm1: GroupNorm1D, conv1: Conv1D, norm2: GroupNorm1D, conv2: Conv1D, skip: Conv1D?
    init(_ w: BoundWeights, _ name: String, cin: Int, cout: Int, groups: Int) {
        norm1 = GroupNorm1D(w, name + ".norm1", groups: groups); conv1 = Conv1D(w, name + ".conv1")
        norm2 = GroupNorm1D(w, name + ".norm2", groups: groups); conv2 = Conv1D(w, name + ".conv2")
        skip = cin != cout ? Conv1D(w, name + ".skip") : nil
    }
    static func table(_ t: inout WeightTable, _ name: String, cin: Int, cout: Int) {
        GroupNorm1D.table(&t, name + ".norm1", cin); Conv1D.table(&t, name + ".conv1", cin: cin, cout: cout)
        GroupNorm1D.table(&t, name + ".norm2", cout); Conv1D.table(&t, name + ".conv2", cin: cout, cout: cout)
        if cin != cout { Conv1D.table(&t, name + ".skip", cin: cin, cout: cout, kernel: 1) }
    }
    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = conv2(norm2(conv1(norm1(x, silu: true)), silu: true))       // [1, Cout, T]
        Elementwise.addInPlace(&h, skip.map { $0(x) } ?? x)
        return h
    }
}

/// One-head self-attention along time (1×1 convs q, k, v, proj).
struct Attn1D {
    let norm: GroupNorm1D, q: Conv1D, k: Conv1D, v: Conv1D, proj: Conv1D
    init(_ w: BoundWeights, _ name: String, groups: Int) {
        norm = GroupNorm1D(w, name + ".norm", groups: groups)
        q = Conv1D(w, name + ".q"); k = Conv1D(w, name + ".k"); v = Conv1D(w, name + ".v"); proj = Conv1D(w, name + ".proj")
    }
    static func table(_ t: inout WeightTable, _ name: String, _ c: Int) {
        GroupNorm1D.table(&t, name + ".norm", c)
        for p in ["q", "k", "v", "proj"] { Conv1D.table(&t, "\(name).\(p)", cin: c, cout: c, kernel: 1) }
    }
    func callAsFunction(_ x: Tensor) -> Tensor {
        let c = x.dim(1), n = x.dim(2)
        let h = norm(x)
        let query = Elementwise.scale(q(h).reshaped([c, n]), 1 / Float(c).squareRoot())
        let keys = k(h).reshaped([c, n]), values = v(h).reshaped([c, n])
        let att = Softmax.forward(Linear.matmul(Reduce.transposeLast2(query), keys))   // [T, T]: query i · key j
        let y = Linear.matmul(values, att, transposeB: true)                             // [C, T]
        return Elementwise.add(x, proj(y.reshaped(x.shape)))
    }
}
