import CKernels

/// LayerNorm, GroupNorm and inference BatchNorm.
public enum Norm {
    /// Over the last dimension; `weight`/`bias` of that size.
    public static func layer(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        let n = x.dim(-1)
        precondition(weight.map { $0.count == n } ?? true && bias.map { $0.count == n } ?? true, "layer norm: affine size differs from \(n)")
        var y = x
        y.update { buf in
            Tensor.read(weight) { w in Tensor.read(bias) { b in
                foley_layernorm_rows(buf.baseAddress, buf.count / n, n, w, b, eps)
            } }
        }
        return y
    }

    /// x[B, C, *] with C split into `groups`; per-channel weight and bias.
    public static func group(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        let b = x.dim(0), c = x.dim(1)
        precondition(c % groups == 0, "group norm: \(c) channels do not split into \(groups) groups")
        let inner = x.count / (b * c)
        let span = c / groups * inner
        var y = x
        y.update { buf in
            for g in 0..<(b * groups) {
                let p = buf.baseAddress! + g * span
                var mean: Double = 0
                for i in 0..<span { mean += Double(p[i]) }
                mean /= Double(span)
                var variance: Double = 0
                for i in 0..<span { let d = Double(p[i]) - mean; variance += d * d }
                let inv = Float(1 / (variance / Double(span) + Double(eps)).squareRoot())
                let m = Float(mean)
                for i in 0..<span { p[i] = (p[i] - m) * inv }
            }
            for bi in 0..<b {
                affine(UnsafeMutableBufferPointer(rebasing: buf[(bi * c * inner)..<((bi + 1) * c * inner)]), weight, bias, channels: c, inner: inner)
            }
        }
        return y
    }

    /// Inference batch norm: (x − running_mean) / sqrt(running_var + eps) · weight + bias, x[B, C, *].
    public static func batch(_ x: Tensor, mean: Tensor, variance: Tensor, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        let b = x.dim(0), c = x.dim(1)
        let inner = x.count / (b * c)
        var y = x
        y.update { buf in
            mean.read { mu in variance.read { v in
                for bi in 0..<b { for ch in 0..<c {
                    let p = buf.baseAddress! + (bi * c + ch) * inner
                    let s = 1 / (v[ch] + eps).squareRoot()
                    let w = weight.map { $0[flat: ch] } ?? 1, o = bias.map { $0[flat: ch] } ?? 0
                    for i in 0..<inner { p[i] = (p[i] - mu[ch]) * s * w + o }
                } }
            } }
        }
        return y
    }

    /// Applies per-channel scale and shift where channel c covers `inner` consecutive values.
    private static func affine(_ buf: UnsafeMutableBufferPointer<Float>, _ weight: Tensor?, _ bias: Tensor?, channels: Int, inner: Int) {
        guard weight != nil || bias != nil else { return }
        let w = weight?.values, b = bias?.values
        let block = channels * inner
        for base in stride(from: 0, to: buf.count, by: block) {
            for ch in 0..<channels {
                let p = buf.baseAddress! + base + ch * inner
                let s = w?[ch] ?? 1, o = b?[ch] ?? 0
                for i in 0..<inner { p[i] = p[i] * s + o }
            }
        }
    }
}
