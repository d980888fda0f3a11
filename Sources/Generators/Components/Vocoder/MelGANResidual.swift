import Runtime

/// One MelGAN residual block, shortcut(x) + conv1×1(lrelu(conv3_d(reflectpad_d(lrelu(x))))),
/// computed tile by tile along time so every intermediate stays in the core's cache. The
/// vocoder's late stages have few channels (32–64) and up to 10⁵ samples: done layer by layer,
/// each op streamed tensors through memory and sgemm with K = 32 ran at a fifth of its peak.
/// Per tile: the dilated kernel-3 taps become one K = 3C product (im2col of the tile, the leaky
/// ReLU and reflection fused into the copy), and the 1×1 conv and shortcut one K = 2C product
/// over [h; x].
struct MelGANResidual: Sendable {
    let dilation: Int
    let conv: Tensor        // [C, 3C]: column j·C + ci holds w[co, ci, j]
    let convBias: Tensor    // [C]
    let mix: Tensor         // [C, 2C]: [pointwise | shortcut]
    let mixBias: Tensor     // [C]: their biases summed
    let slope: Float = 0.2

    /// Weights in PyTorch's layouts: conv [C, C, 3], pointwise and shortcut [C, C, 1].
    init(dilation: Int, conv: (Tensor, Tensor), pointwise: (Tensor, Tensor), shortcut: (Tensor, Tensor)) {
        let c = conv.0.dim(0)
        precondition(conv.0.shape == [c, c, 3] && pointwise.0.shape == [c, c, 1] && shortcut.0.shape == [c, c, 1],
                     "residual block: got conv \(conv.0.shape), pointwise \(pointwise.0.shape), shortcut \(shortcut.0.shape), expected [C, C, 3], [C, C, 1], [C, C, 1]")
        self.dilation = dilation
        self.conv = conv.0.read { w in
            Tensor(overwriting: [c, 3 * c]) { o in
                for co in 0..<c { for ci in 0..<c { for j in 0..<3 { o[co * 3 * c + j * c + ci] = w[(co * c + ci) * 3 + j] } } }
            }
        }
        convBias = conv.1
        let pw = pointwise.0.values, sc = shortcut.0.values
        mix = Tensor(overwriting: [c, 2 * c]) { o in
            for co in 0..<c { for ci in 0..<c { o[co * 2 * c + ci] = pw[co * c + ci]; o[co * 2 * c + c + ci] = sc[co * c + ci] } }
        }
        mixBias = Tensor(shape: [c], zip(pointwise.1.values, shortcut.1.values).map { $0 + $1 })
    }

    /// x[1, C, T] → [1, C, T].
    func callAsFunction(_ x: Tensor) -> Tensor {
        let (c, t) = (x.dim(1), x.dim(2)), d = dilation
        precondition(d < t, "residual block: \(t) samples are too few to reflect-pad by \(d)")
        let tile = min(t, max(128, 32768 / c))
        let col = UnsafeMutablePointer<Float>.allocate(capacity: 3 * c * tile)       // [3C, n]
        let stacked = UnsafeMutablePointer<Float>.allocate(capacity: 2 * c * tile)   // [2C, n]: h over x
        defer { col.deallocate(); stacked.deallocate() }
        let cb = convBias.values, mb = mixBias.values, slope = slope
        return Tensor(overwriting: [1, c, t]) { out in
            x.read { xp in conv.read { w3 in mix.read { wm in
                let src = xp.baseAddress!
                for t0 in stride(from: 0, to: t, by: tile) {
                    let n = min(tile, t - t0)
                    for j in 0..<3 {                      // col[j·C + ci, i] = lrelu(x[ci, reflect(t0 + i + (j − 1)·d)])
                        let offset = t0 + (j - 1) * d
                        let lo = max(0, -offset), hi = min(n, t - offset)       // i with the source inside 0..<T
                        for ci in 0..<c {
                            let s = src + ci * t, row = col + (j * c + ci) * n
                            for i in 0..<lo { let v = s[-(offset + i)]; row[i] = max(v, 0) + slope * min(v, 0) }
                            for i in lo..<hi { let v = s[offset + i]; row[i] = max(v, 0) + slope * min(v, 0) }
                            for i in max(lo, hi)..<n { let v = s[2 * (t - 1) - (offset + i)]; row[i] = max(v, 0) + slope * min(v, 0) }
                        }
                    }
                    // h[C, n] = W3[C, 3C] · col, then bias and leaky ReLU, into the top of `stacked`.
                    BLAS.gemm(m: c, n: n, k: 3 * c, a: w3.baseAddress!, lda: 3 * c, b: col, ldb: n, c: stacked, ldc: n)
                    for co in 0..<c {
                        let row = stacked + co * n, b = cb[co]
                        for i in 0..<n { let v = row[i] + b; row[i] = max(v, 0) + slope * min(v, 0) }
                        (stacked + (c + co) * n).update(from: src + co * t + t0, count: n)
                    }
                    // out[:, t0 ..< t0 + n] = [Wpw | Wsc] · [h; x] + (bpw + bsc)
                    let dst = out.baseAddress! + t0
                    BLAS.gemm(m: c, n: n, k: 2 * c, a: wm.baseAddress!, lda: 2 * c, b: stacked, ldb: n, c: dst, ldc: t)
                    for co in 0..<c {
                        let row = dst + co * t, b = mb[co]
                        for i in 0..<n { row[i] += b }
                    }
                }
            } } }
        }
    }
}
