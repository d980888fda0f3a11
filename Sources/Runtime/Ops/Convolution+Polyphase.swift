/// Transposed 1-D convolution in polyphase form: output sample q·s + r only ever sees the taps
/// k ≡ r + padding (mod s), each reading the input shifted by a whole number of samples. So each
/// of the s phases is an ordinary stride-1 convolution — one sgemm per tap into a per-phase
/// buffer — and one pass interleaves the phases into the output. The im2col form
/// (`convTranspose1d(_:weight:…)`) wrote K/s times the output into a column buffer and scattered
/// it back with a bounds check per sample; this writes each output sample once.
extension Conv {
    /// PyTorch's transposed-conv weight [Cin, Cout, K] regrouped per tap as [K, Cout, Cin].
    public static func transposedTaps(_ weight: Tensor) -> Tensor {
        let (cin, cout, k) = (weight.dim(0), weight.dim(1), weight.dim(2))
        return weight.read { w in
            Tensor(overwriting: [k, cout, cin]) { buf in
                for i in 0..<cin { for o in 0..<cout { for j in 0..<k { buf[(j * cout + o) * cin + i] = w[(i * cout + o) * k + j] } } }
            }
        }
    }

    /// x[1, Cin, T] → [1, Cout, (T−1)·s − 2p + K + outputPadding], weights from `transposedTaps`
    /// (groups 1, dilation 1). `inputSlope` applies a leaky ReLU to the input on the way in.
    public static func convTranspose1d(_ x: Tensor, taps: Tensor, bias: Tensor?, stride s: Int, padding p: Int,
                                       outputPadding: Int = 0, inputSlope: Float? = nil) -> Tensor {
        let (cin, t) = (x.dim(1), x.dim(2))
        let (k, cout) = (taps.dim(0), taps.dim(1))
        precondition(x.dim(0) == 1 && taps.dim(2) == cin, "conv transpose: input \(x.shape), tap weights \(taps.shape)")
        let tout = (t - 1) * s - 2 * p + k + outputPadding
        let q = (tout + s - 1) / s                              // samples per phase (the last phases may use one less)
        // Input with `margin` zero columns each side, so every tap reads a full q-long window.
        let margin = (k + p) / s + 2, tp = t + 2 * margin
        let padded = UnsafeMutablePointer<Float>.allocate(capacity: cin * tp)
        defer { padded.deallocate() }
        padded.initialize(repeating: 0, count: cin * tp)
        x.read { xp in
            for c in 0..<cin {
                let src = xp.baseAddress! + c * t, dst = padded + c * tp + margin
                if let slope = inputSlope {
                    for i in 0..<t { let v = src[i]; dst[i] = max(v, 0) + slope * min(v, 0) }
                } else {
                    dst.update(from: src, count: t)
                }
            }
        }
        // The phases are computed and interleaved a chunk of phase samples at a time, so the
        // phase buffer stays in cache: the late stages (64 → 32 channels, 10⁵ samples) ran
        // their sgemms and the interleave at a third of the speed on whole-length phases.
        let chunk = min(q, max(256, 32768 / cout))
        let phases = UnsafeMutablePointer<Float>.allocate(capacity: s * cout * chunk)   // [s, Cout, chunk]
        defer { phases.deallocate() }
        let biasValues = bias?.values
        return Tensor(overwriting: [1, cout, tout]) { out in
            taps.read { tw in
                for j0 in stride(from: 0, to: q, by: chunk) {
                    let n = min(chunk, q - j0)
                    for r in 0..<s {
                        let c = phases + r * cout * n
                        var first = true
                        for kk in stride(from: ((r + p) % s + s) % s, to: k, by: s) {
                            let shift = (r + p - kk) / s            // phase sample j reads input j + shift
                            precondition(margin + shift >= 0 && margin + shift + q <= tp, "conv transpose: tap \(kk) outside the margin")
                            BLAS.gemm(m: cout, n: n, k: cin, a: tw.baseAddress! + kk * cout * cin, lda: cin,
                                      b: padded + margin + shift + j0, ldb: tp, beta: first ? 0 : 1, c: c, ldc: n)
                            first = false
                        }
                        if first { c.initialize(repeating: 0, count: cout * n) }
                    }
                    for c in 0..<cout {
                        let dst = out.baseAddress! + c * tout, b = biasValues?[c] ?? 0
                        for r in 0..<s {                             // out[c, j·s + r] = phase_r[c, j]
                            let src = phases + (r * cout + c) * n
                            var j = 0, o = j0 * s + r
                            while j < n && o < tout { dst[o] = src[j] + b; j += 1; o += s }
                        }
                    }
                }
            }
        }
    }
}
