/// Convolutions as sgemm, PyTorch semantics and weight layouts: per kernel tap where the stride
/// is 1 (`conv1d(_:taps:…)`, `conv2dTaps`), by im2col otherwise.
public struct ConvParams: Sendable, Equatable {
    public var stride: Int = 1
    public var padding: Int = 0
    public var dilation: Int = 1
    public var groups: Int = 1
    public init(stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
        self.stride = stride; self.padding = padding; self.dilation = dilation; self.groups = groups
    }
}

public enum Conv {
    static func outputLength(_ n: Int, kernel: Int, _ p: ConvParams) -> Int {
        (n + 2 * p.padding - p.dilation * (kernel - 1) - 1) / p.stride + 1
    }

    /// x[B, Cin, T] ⊛ w[Cout, Cin/groups, K] + b → [B, Cout, Tout].
    public static func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor?, _ p: ConvParams = .init()) -> Tensor {
        guard p.stride == 1, p.groups == 1, weight.dim(2) > 1 else {
            let out = conv2d(x.reshaped([x.dim(0), x.dim(1), 1, x.dim(2)]),
                             weight: weight.reshaped([weight.dim(0), weight.dim(1), 1, weight.dim(2)]), bias: bias,
                             stride: (1, p.stride), padding: (0, p.padding), dilation: (1, p.dilation), groups: p.groups)
            return out.reshaped([out.dim(0), out.dim(1), out.dim(3)])
        }
        return conv1d(x, taps: tapMajor(weight), bias: bias, padding: p.padding, dilation: p.dilation)
    }

    /// w[Cout, Cin, K] regrouped per tap as [K, Cout, Cin], so each tap is a plain row-major
    /// matrix for `conv1d(_:taps:…)`. Models whose convolutions run often keep this form.
    public static func tapMajor(_ weight: Tensor) -> Tensor {
        let (cout, cin, k) = (weight.dim(0), weight.dim(1), weight.dim(2))
        return weight.read { w in
            Tensor(overwriting: [k, cout, cin]) { buf in
                for o in 0..<cout { for i in 0..<cin { for j in 0..<k { buf[(j * cout + o) * cin + i] = w[(o * cin + i) * k + j] } } }
            }
        }
    }

    /// acc[B, Cout, T] += w[Cout, Cin, 1] ⊛ x[B, Cin, T] + b: a 1×1 convolution summed into an
    /// existing tensor by sgemm's beta, with no intermediate (residual shortcuts).
    public static func pointwise(_ x: Tensor, weight: Tensor, bias: Tensor?, addingTo acc: inout Tensor) {
        let (b, cin, t, cout) = (x.dim(0), x.dim(1), x.dim(2), weight.dim(0))
        precondition(weight.dim(1) == cin && weight.dim(2) == 1 && acc.shape == [b, cout, t],
                     "pointwise: x \(x.shape), weight \(weight.shape), accumulator \(acc.shape)")
        acc.update { out in
            x.read { xp in weight.read { wp in
                for bi in 0..<b {
                    BLAS.gemm(m: cout, n: t, k: cin, a: wp.baseAddress!, lda: cin, b: xp.baseAddress! + bi * cin * t, ldb: t,
                              beta: 1, c: out.baseAddress! + bi * cout * t, ldc: t)
                }
            } }
            if let bias { addChannelBias(out, bias, batch: b, channels: cout, inner: t) }
        }
    }

    /// Stride-1 1-D convolution without im2col, weights in `tapMajor` form [K, Cout, Cin]: one
    /// sgemm per kernel tap on the (padded) input shifted by tap · dilation, accumulated in
    /// place. The vocoder's hot path.
    public static func conv1d(_ x: Tensor, taps: Tensor, bias: Tensor?, padding: Int = 0, dilation: Int = 1) -> Tensor {
        let (b, cin, t) = (x.dim(0), x.dim(1), x.dim(2))
        let (k, cout) = (taps.dim(0), taps.dim(1))
        precondition(taps.dim(2) == cin, "conv: input has \(cin) channels, tap weights \(taps.shape) expect \(taps.dim(2))")
        let tp = t + 2 * padding, tout = tp - dilation * (k - 1)
        precondition(tout > 0, "conv: input \(x.shape) too small for \(k) taps at dilation \(dilation)")
        return Tensor(overwriting: [b, cout, tout]) { out in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: padding > 0 ? cin * tp : 1)
            defer { scratch.deallocate() }
            if padding > 0 { scratch.initialize(repeating: 0, count: cin * tp) }
            x.read { xp in taps.read { tw in
                for bi in 0..<b {
                    var src = xp.baseAddress! + bi * cin * t
                    if padding > 0 {
                        for c in 0..<cin { (scratch + c * tp + padding).update(from: src + c * t, count: t) }
                        src = UnsafePointer(scratch)
                    }
                    for j in 0..<k {                      // out[Cout, Tout] (+)= W_j[Cout, Cin] · x[Cin, j·d ..< j·d + Tout]
                        BLAS.gemm(m: cout, n: tout, k: cin, a: tw.baseAddress! + j * cout * cin, lda: cin,
                                  b: src + j * dilation, ldb: tp, beta: j == 0 ? 0 : 1, c: out.baseAddress! + bi * cout * tout, ldc: tout)
                    }
                }
            } }
            if let bias { addChannelBias(out, bias, batch: b, channels: cout, inner: tout) }
        }
    }

    /// x[B, Cin, H, W] ⊛ w[Cout, Cin/groups, KH, KW] + b → [B, Cout, Hout, Wout].
    public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: (Int, Int) = (1, 1),
                              padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1) -> Tensor {
        let (b, cin, h, w) = (x.dim(0), x.dim(1), x.dim(2), x.dim(3))
        let (cout, cinG, kh, kw) = (weight.dim(0), weight.dim(1), weight.dim(2), weight.dim(3))
        precondition(cin == cinG * groups && cout % groups == 0,
                     "conv: input has \(cin) channels, weight \(weight.shape) with \(groups) groups expects \(cinG * groups)")
        let ho = outputLength(h, kernel: kh, .init(stride: stride.0, padding: padding.0, dilation: dilation.0))
        let wo = outputLength(w, kernel: kw, .init(stride: stride.1, padding: padding.1, dilation: dilation.1))
        precondition(ho > 0 && wo > 0, "conv: input \(x.shape) too small for kernel \(weight.shape)")
        // Stride-1 kernels larger than 1×1 (the codec's 3×3 convolutions): one sgemm per tap on
        // the padded input instead of im2col, 1.2–1.9× faster at the codec's sizes.
        if b == 1 && groups == 1 && stride == (1, 1) && dilation == (1, 1) && kh * kw > 1 {
            return conv2dTaps(x, weight: weight, bias: bias, padding: padding)
        }
        let coutG = cout / groups, rowsK = cinG * kh * kw, cols = ho * wo
        // 1×1 stride-1 unpadded convolutions need no im2col: the input already is the matrix.
        let direct = kh == 1 && kw == 1 && stride == (1, 1) && padding == (0, 0)
        // im2col (strided, dilated or grouped kernels: the encoder's downsampling) in bands of
        // output rows, about 2048 columns, so the column buffer stays in cache instead of being
        // rowsK × Hout·Wout floats; 32-channel sgemms ran about 15% faster on 2048 than on 4096.
        let band = max(1, min(ho, 2048 / max(1, wo)))
        // im2col writes every element of the buffer and sgemm every element of the output.
        var colBuffer = [Float](unsafeUninitializedCapacity: direct ? 0 : rowsK * band * wo) { _, n in n = direct ? 0 : rowsK * band * wo }
        return Tensor(overwriting: [b, cout, ho, wo]) { out in
            x.read { xp in weight.read { wp in colBuffer.withUnsafeMutableBufferPointer { col in
                for bi in 0..<b { for g in 0..<groups {
                    let src = xp.baseAddress! + (bi * cin + g * cinG) * h * w
                    let a = wp.baseAddress! + g * coutG * rowsK, c = out.baseAddress! + (bi * cout + g * coutG) * cols
                    if direct {                           // out[coutG, cols] = W_g[coutG, cin] · x[cin, cols]
                        BLAS.gemm(m: coutG, n: cols, k: rowsK, a: a, lda: rowsK, b: src, ldb: cols, c: c, ldc: cols)
                        continue
                    }
                    for oy in Swift.stride(from: 0, to: ho, by: band) {
                        let rows = oy..<min(ho, oy + band), n = rows.count * wo
                        im2col(src, channels: cinG, h: h, w: w, kh: kh, kw: kw, rows: rows, wo: wo,
                               stride: stride, padding: padding, dilation: dilation, into: col.baseAddress!)
                        // out[coutG, band] = W_g[coutG, rowsK] · col[rowsK, band]
                        BLAS.gemm(m: coutG, n: n, k: rowsK, a: a, lda: rowsK, b: col.baseAddress!, ldb: n, c: c + oy * wo, ldc: cols)
                    }
                } }
            } } }
            if let bias { addChannelBias(out, bias, batch: b, channels: cout, inner: cols) }
        }
    }

    /// The im2col rows for output rows `rows`: [C·KH·KW, rows.count · Wout].
    static func im2col(_ src: UnsafePointer<Float>, channels: Int, h: Int, w: Int, kh: Int, kw: Int, rows: Range<Int>, wo: Int,
                       stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int), into col: UnsafeMutablePointer<Float>) {
        var row = 0
        for c in 0..<channels { for i in 0..<kh { for j in 0..<kw {
            let dst = col + row * rows.count * wo
            for oy in rows {
                let y = oy * stride.0 - padding.0 + i * dilation.0
                let line = dst + (oy - rows.lowerBound) * wo
                guard y >= 0 && y < h else { line.update(repeating: 0, count: wo); continue }
                let s = src + (c * h + y) * w
                if stride.1 == 1 {
                    // Stride 1: the in-bounds part of the line is one contiguous copy.
                    let shift = j * dilation.1 - padding.1
                    let lo = min(wo, max(0, -shift)), hi = max(lo, min(wo, w - shift))
                    if lo > 0 { line.update(repeating: 0, count: lo) }
                    if hi > lo { (line + lo).update(from: s + lo + shift, count: hi - lo) }
                    if hi < wo { (line + hi).update(repeating: 0, count: wo - hi) }
                    continue
                }
                for ox in 0..<wo {
                    let xx = ox * stride.1 - padding.1 + j * dilation.1
                    line[ox] = xx >= 0 && xx < w ? s[xx] : 0
                }
            }
            row += 1
        } } }
    }

    static func addChannelBias(_ out: UnsafeMutableBufferPointer<Float>, _ bias: Tensor, batch: Int, channels: Int, inner: Int) {
        bias.read { bp in
            for bi in 0..<batch { for c in 0..<channels {
                let p = out.baseAddress! + (bi * channels + c) * inner
                let v = bp[c]
                for i in 0..<inner { p[i] += v }
            } }
        }
    }

    /// Transposed 1-D convolution (vocoder upsampling): x[B, Cin, T], w[Cin, Cout/groups, K]
    /// (PyTorch's layout) → [B, Cout, (T−1)·stride − 2·padding + dilation·(K−1) + outputPadding + 1].
    public static func convTranspose1d(_ x: Tensor, weight: Tensor, bias: Tensor?, _ p: ConvParams = .init(), outputPadding: Int = 0) -> Tensor {
        let (b, cin, t) = (x.dim(0), x.dim(1), x.dim(2))
        let (coutG, k) = (weight.dim(1), weight.dim(2))
        let groups = p.groups, cinG = cin / groups, cout = coutG * groups
        precondition(weight.dim(0) == cin, "conv transpose: input has \(cin) channels, weight \(weight.shape) expects \(weight.dim(0))")
        let tout = (t - 1) * p.stride - 2 * p.padding + p.dilation * (k - 1) + outputPadding + 1
        var cols = [Float](repeating: 0, count: coutG * k * t)
        return Tensor(shape: [b, cout, tout]) { out in
            x.read { xp in weight.read { wp in cols.withUnsafeMutableBufferPointer { col in
                for bi in 0..<b { for g in 0..<groups {
                    // col[coutG·K, T] = W_gᵀ[coutG·K, cinG] · x_g[cinG, T]
                    BLAS.gemm(transA: true, m: coutG * k, n: t, k: cinG, a: wp.baseAddress! + g * cinG * coutG * k, lda: coutG * k,
                              b: xp.baseAddress! + (bi * cin + g * cinG) * t, ldb: t, c: col.baseAddress!, ldc: t)
                    for co in 0..<coutG {
                        let dst = out.baseAddress! + (bi * cout + g * coutG + co) * tout
                        for kk in 0..<k {
                            let src = col.baseAddress! + (co * k + kk) * t
                            let shift = kk * p.dilation - p.padding
                            for ti in 0..<t {
                                let o = ti * p.stride + shift
                                if o >= 0 && o < tout { dst[o] += src[ti] }
                            }
                        }
                    }
                } }
            } } }
            if let bias { addChannelBias(out, bias, batch: b, channels: cout, inner: tout) }
        }
    }

    /// Nearest-neighbour upsampling of the last dimension: [B, C, T] → [B, C, T·scale].
    public static func upsampleNearest1d(_ x: Tensor, scale: Int) -> Tensor {
        let t = x.dim(-1), rows = x.count / t
        var shape = x.shape
        shape[shape.count - 1] = t * scale
        return Tensor(shape: shape) { out in
            x.read { p in
                for r in 0..<rows { for i in 0..<(t * scale) { out[r * t * scale + i] = p[r * t + i / scale] } }
            }
        }
    }

    /// Nearest-neighbour upsampling of the last two dimensions: [B, C, H, W] → [B, C, H·sh, W·sw].
    public static func upsampleNearest2d(_ x: Tensor, scale: (Int, Int)) -> Tensor {
        let h = x.dim(-2), w = x.dim(-1), planes = x.count / (h * w)
        let ho = h * scale.0, wo = w * scale.1
        var shape = x.shape
        shape[shape.count - 2] = ho
        shape[shape.count - 1] = wo
        return Tensor(shape: shape) { out in
            x.read { p in
                for pl in 0..<planes { for y in 0..<ho { for xx in 0..<wo {
                    out[(pl * ho + y) * wo + xx] = p[(pl * h + y / scale.0) * w + xx / scale.1]
                } } }
            }
        }
    }
}
