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

    /// x[B, C, *] with C split into `groups`; per-channel weight and bias; `silu` applies SiLU in
    /// the same pass (GroupNorm → SiLU is how the codec uses it: one sweep over the map, not two).
    public static func group(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5, silu: Bool = false) -> Tensor {
        let b = x.dim(0), c = x.dim(1)
        precondition(c % groups == 0, "group norm: \(c) channels do not split into \(groups) groups")
        precondition(weight.map { $0.count == c } ?? true && bias.map { $0.count == c } ?? true, "group norm: affine size differs from \(c)")
        let inner = x.count / (b * c)
        var y = x
        y.update { buf in
            Tensor.read(weight) { w in Tensor.read(bias) { bb in
                for bi in 0..<b {
                    foley_groupnorm(buf.baseAddress! + bi * c * inner, groups, c / groups, inner, w, bb, eps, silu ? 1 : 0)
                }
            } }
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
}
