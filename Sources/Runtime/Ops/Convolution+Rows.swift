/// Convolutions along a sequence kept as rows ([T, C], one time step per row), the layout a
/// transformer works in: an unfold of the K neighbouring rows and one gemm, for several
/// sequences stacked in one matrix (a batch of two for classifier-free guidance costs one
/// product, not two).
extension Conv {
    /// w[Cout, Cin, K] as one [Cout, K·Cin] matrix whose column k·Cin + c is tap k of input c.
    public static func rowTaps(_ w: Tensor) -> Tensor {
        let o = w.dim(0), i = w.dim(1), k = w.dim(2)
        return Tensor(overwriting: [o, k * i]) { out in
            w.read { src in
                for a in 0..<o { for b in 0..<i { for t in 0..<k { out[a * k * i + t * i + b] = src[(a * i + b) * k + t] } } }
            }
        }
    }

    /// Same-padded convolution along rows: x[S·T, Cin] (S sequences of T rows, zero past each
    /// sequence's ends) with `rowTaps` weights [Cout, K·Cin] → [S·T, Cout].
    public static func rows(_ x: Tensor, sequences s: Int, taps: Tensor, bias: Tensor?) -> Tensor {
        let cin = x.dim(1), k = taps.dim(1) / cin, n = x.dim(0), t = n / s, half = k / 2
        precondition(taps.dim(1) == k * cin && n == s * t, "row conv: \(x.shape) in \(s) sequences for taps \(taps.shape)")
        if k == 1 { return Linear.forward(x, weight: taps, bias: bias) }
        let unfolded = Tensor(shape: [n, k * cin]) { u in                       // zero-filled: padding
            x.read { src in
                for q in 0..<s { for r in 0..<t { for j in 0..<k {
                    let from = r + j - half
                    guard from >= 0, from < t else { continue }
                    (u.baseAddress! + (q * t + r) * k * cin + j * cin).update(from: src.baseAddress! + (q * t + from) * cin, count: cin)
                } } }
            }
        }
        return Linear.forward(unfolded, weight: taps, bias: bias)               // [S·T, Cout]
    }
}
