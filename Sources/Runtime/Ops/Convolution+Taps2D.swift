/// Stride-1 2-D convolution without im2col: each kernel tap is one sgemm whose right-hand
/// matrix is the zero-padded input shifted by the tap's offset. Output rows are computed over
/// the padded width (the columns past Wout are wrap-around junk and are dropped), in bands of
/// rows; each band copies its padded input rows into a small buffer, so the taps' reads and the
/// accumulator stay in cache. sgemm packs its right-hand side anyway: im2col made a second copy,
/// 9× the input, before that.
extension Conv {
    /// x[1, Cin, H, W] ⊛ w[Cout, Cin, KH, KW] + b, stride 1, dilation 1, zero padding (ph, pw).
    public static func conv2dTaps(_ x: Tensor, weight: Tensor, bias: Tensor?, padding: (Int, Int)) -> Tensor {
        let (cin, h, w) = (x.dim(1), x.dim(2), x.dim(3))
        let (cout, kh, kw) = (weight.dim(0), weight.dim(2), weight.dim(3))
        precondition(x.dim(0) == 1 && weight.dim(1) == cin, "conv taps: input \(x.shape), weight \(weight.shape)")
        let wp = w + 2 * padding.1
        let ho = h + 2 * padding.0 - kh + 1, wo = wp - kw + 1
        precondition(ho > 0 && wo > 0, "conv taps: input \(x.shape) too small for kernel \(weight.shape)")
        let taps = weight.read { wt in                                   // [KH·KW, Cout, Cin]
            Tensor(overwriting: [kh * kw, cout, cin]) { t in
                for o in 0..<cout { for i in 0..<cin { for k in 0..<(kh * kw) { t[(k * cout + o) * cin + i] = wt[(o * cin + i) * kh * kw + k] } } }
            }
        }
        // About 1024 output columns per band: the codec's 32-channel maps ran fastest there.
        let band = max(1, min(ho, 1024 / wp))
        let bandPlane = (band + kh - 1) * wp
        // The band's padded input rows [Cin, band + KH − 1, Wp], plus KW slack for the last tap.
        let input = UnsafeMutablePointer<Float>.allocate(capacity: cin * bandPlane + kw)
        let acc = UnsafeMutablePointer<Float>.allocate(capacity: cout * band * wp)   // [Cout, rows · Wp]
        defer { input.deallocate(); acc.deallocate() }
        input.initialize(repeating: 0, count: cin * bandPlane + kw)
        let biasValues = bias?.values
        return Tensor(overwriting: [1, cout, ho, wo]) { out in
            x.read { xp in taps.read { tp in
                for oy in stride(from: 0, to: ho, by: band) {
                    let rows = min(band, ho - oy), n = rows * wp
                    for c in 0..<cin { for r in 0..<(rows + kh - 1) {          // padded row oy + r = input row oy + r − ph
                        let y = oy + r - padding.0, dst = input + c * bandPlane + r * wp
                        if y >= 0 && y < h { (dst + padding.1).update(from: xp.baseAddress! + (c * h + y) * w, count: w) }
                        else { dst.update(repeating: 0, count: wp) }
                    } }
                    for i in 0..<kh { for j in 0..<kw {
                        // acc[Cout, n] (+)= W_ij[Cout, Cin] · band[Cin, i·Wp + j ..< + n]
                        BLAS.gemm(m: cout, n: n, k: cin, a: tp.baseAddress! + (i * kw + j) * cout * cin, lda: cin,
                                  b: input + i * wp + j, ldb: bandPlane, beta: i == 0 && j == 0 ? 0 : 1, c: acc, ldc: n)
                    } }
                    for c in 0..<cout {
                        let b = biasValues?[c] ?? 0
                        for r in 0..<rows {
                            let src = acc + c * n + r * wp, dst = out.baseAddress! + (c * ho + oy + r) * wo
                            for xx in 0..<wo { dst[xx] = src[xx] + b }
                        }
                    }
                }
            } }
        }
    }
}
