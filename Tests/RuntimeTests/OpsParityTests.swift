import Runtime
import TestHelpers
import Testing

/// Every op against PyTorch (Tests/Fixtures/runtime/ops.safetensors, made by
/// Training/golden/make_runtime_golden.py). Tolerances are per op.
@Suite struct OpsParityTests {
    let g: SafeTensorsFile
    init() throws { g = try Fixtures.golden("runtime/ops.safetensors") }
    func t(_ name: String) throws -> Tensor { try g.tensor(name) }

    /// Up to `Linear.fewRows` rows take the matrix–vector kernel, more take sgemm: the golden
    /// 7-row case covers the one, the same rows twice over (14) the other.
    @Test func linearMatchesOnBothPaths() throws {
        let x = try t("linear.x"), w = try t("linear.w"), b = try t("linear.b")
        #expect(x.dim(0) <= Linear.fewRows && 2 * x.dim(0) > Linear.fewRows)
        #expect(g.mismatch("linear.y", Linear.forward(x, weight: w, bias: b), atol: 1e-4, rtol: 1e-5) == nil)
        #expect(g.mismatch("linear_row.y", Linear.forward(try t("linear_row.x"), weight: try t("linear_row.w"), bias: try t("linear_row.b")), atol: 1e-4, rtol: 1e-5) == nil)
        let twice = Tensor(shape: [2 * x.dim(0), x.dim(1)], x.values + x.values)
        let y = try t("linear.y").values
        #expect(Tolerance.mismatch("linear, sgemm path", got: Linear.forward(twice, weight: w, bias: b).values, expected: y + y, atol: 1e-4, rtol: 1e-5) == nil)
        #expect(g.mismatch("matmul.y", Linear.matmul(try t("matmul.a"), try t("matmul.b")), atol: 1e-5, rtol: 1e-5) == nil)
        let bT = Reduce.transposeLast2(try t("matmul.b"))
        #expect(g.mismatch("matmul.y", Linear.matmul(try t("matmul.a"), bT, transposeB: true), atol: 1e-5, rtol: 1e-5) == nil)
    }

    /// Batched decoding relies on this: a row's output does not depend on the rows computed
    /// with it (4-row groups, single rows, odd counts, widths that are not a multiple of 8).
    @Test func aRowsProductIsTheSameWhateverTheBatch() {
        var rng = SeededRNG(seed: 9)
        for (rows, cols) in [(40, 48), (33, 100), (7, 5)] {
            let w = Tensor(shape: [rows, cols], (0..<(rows * cols)).map { _ in rng.normal() })
            let b = Tensor(shape: [rows], (0..<rows).map { _ in rng.normal() })
            let x = (0..<Linear.fewRows).map { _ in (0..<cols).map { _ in rng.normal() } }
            let alone = x.map { Linear.forward(Tensor(shape: [1, cols], $0), weight: w, bias: b).values }
            for batch in 2...Linear.fewRows {
                let y = Linear.forward(Tensor(shape: [batch, cols], Array(x.prefix(batch).joined())), weight: w, bias: b).values
                #expect((0..<batch).allSatisfy { Array(y[($0 * rows)..<(($0 + 1) * rows)]) == alone[$0] }, "\(rows)×\(cols), batch \(batch)")
            }
        }
    }

    @Test func convolutions() throws {
        #expect(g.mismatch("conv1d_a.y", Conv.conv1d(try t("conv1d_a.x"), weight: try t("conv1d_a.w"), bias: try t("conv1d_a.b"),
                                                     ConvParams(stride: 2, padding: 3)), atol: 1e-4, rtol: 1e-5) == nil)
        #expect(g.mismatch("conv1d_b.y", Conv.conv1d(try t("conv1d_b.x"), weight: try t("conv1d_b.w"), bias: try t("conv1d_b.b"),
                                                     ConvParams(padding: 2, dilation: 2, groups: 4)), atol: 1e-4, rtol: 1e-5) == nil)
        #expect(g.mismatch("conv2d_a.y", Conv.conv2d(try t("conv2d_a.x"), weight: try t("conv2d_a.w"), bias: try t("conv2d_a.b"),
                                                     stride: (2, 1), padding: (1, 2), dilation: (1, 2), groups: 2), atol: 1e-4, rtol: 1e-5) == nil)
        #expect(g.mismatch("conv2d_1x1.y", Conv.conv2d(try t("conv2d_1x1.x"), weight: try t("conv2d_1x1.w"), bias: try t("conv2d_1x1.b")), atol: 1e-5, rtol: 1e-5) == nil)
        #expect(g.mismatch("convt1d.y", Conv.convTranspose1d(try t("convt1d.x"), weight: try t("convt1d.w"), bias: try t("convt1d.b"),
                                                            ConvParams(stride: 4, padding: 2, groups: 2), outputPadding: 1), atol: 1e-4, rtol: 1e-5) == nil)
        #expect(g.mismatch("convt1d_dil.y", Conv.convTranspose1d(try t("convt1d_dil.x"), weight: try t("convt1d_dil.w"), bias: try t("convt1d_dil.b"),
                                                                ConvParams(padding: 1, dilation: 2)), atol: 1e-5, rtol: 1e-5) == nil)
        #expect(g.mismatch("upsample1d.y", Conv.upsampleNearest1d(try t("upsample1d.x"), scale: 3), atol: 0) == nil)
        #expect(g.mismatch("upsample2d.y", Conv.upsampleNearest2d(try t("upsample2d.x"), scale: (2, 3)), atol: 0) == nil)
        #expect(g.mismatch("maxpool2d.y", Pool.max2d(try t("maxpool2d.x"), kernel: 2), atol: 0) == nil)
    }

    /// The polyphase transposed convolution (the vocoder's) against the im2col one, which the
    /// golden above ties to PyTorch: MelGAN's ×8 and ×2 stages, an odd stride with output
    /// padding, a kernel shorter than the stride, and the fused leaky ReLU on the input; the
    /// wide cases run in several chunks of phase samples (256 at 128 channels).
    @Test(arguments: [(8, 16, 4, 0, 23, 5), (2, 4, 1, 0, 23, 5), (3, 6, 2, 1, 23, 5), (4, 3, 0, 0, 23, 5), (5, 10, 3, 1, 23, 5),
                      (2, 4, 1, 0, 700, 128), (3, 6, 2, 1, 300, 128)])
    func polyphaseTransposedConvMatchesIm2col(_ c: (stride: Int, kernel: Int, padding: Int, outputPadding: Int, length: Int, channels: Int)) {
        var rng = SeededRNG(seed: UInt64(c.stride * 100 + c.kernel))
        func random(_ shape: [Int]) -> Tensor { Tensor(shape: shape, (0..<shape.reduce(1, *)).map { _ in rng.normal() }) }
        let x = random([1, 6, c.length]), w = random([6, c.channels, c.kernel]), b = random([c.channels])
        let reference = Conv.convTranspose1d(Activation.leakyRelu(x, slope: 0.2), weight: w, bias: b,
                                             ConvParams(stride: c.stride, padding: c.padding), outputPadding: c.outputPadding)
        let polyphase = Conv.convTranspose1d(x, taps: Conv.transposedTaps(w), bias: b, stride: c.stride, padding: c.padding,
                                             outputPadding: c.outputPadding, inputSlope: 0.2)
        #expect(polyphase.shape == reference.shape)
        #expect(zip(polyphase.values, reference.values).allSatisfy { abs($0 - $1) <= 1e-4 })
    }

    /// Stride-1 convolutions take the per-tap path (`conv2dTaps`); against a direct sum over the
    /// kernel, with padding on either axis or none, kernels that are not square, and a map tall
    /// enough to run in several bands of rows (about 1024 columns each).
    @Test(arguments: [(3, 7, 9, 3, 3, 1, 1), (2, 60, 50, 3, 3, 1, 1), (4, 5, 11, 1, 3, 0, 1), (2, 9, 8, 3, 3, 0, 0), (3, 6, 7, 2, 3, 1, 0)])
    func tapConvolutionMatchesTheDirectSum(_ c: (cin: Int, h: Int, w: Int, kh: Int, kw: Int, ph: Int, pw: Int)) {
        var rng = SeededRNG(seed: UInt64(c.h * 100 + c.w))
        func random(_ shape: [Int]) -> [Float] { (0..<shape.reduce(1, *)).map { _ in rng.normal() } }
        let cout = 5
        let x = random([c.cin, c.h, c.w]), w = random([cout, c.cin, c.kh, c.kw]), b = random([cout])
        let ho = c.h + 2 * c.ph - c.kh + 1, wo = c.w + 2 * c.pw - c.kw + 1
        var expected = [Float](repeating: 0, count: cout * ho * wo)
        for o in 0..<cout { for y in 0..<ho { for xx in 0..<wo {
            var s = Double(b[o])
            for i in 0..<c.cin { for ky in 0..<c.kh { for kx in 0..<c.kw {
                let sy = y + ky - c.ph, sx = xx + kx - c.pw
                guard sy >= 0 && sy < c.h && sx >= 0 && sx < c.w else { continue }
                s += Double(w[((o * c.cin + i) * c.kh + ky) * c.kw + kx]) * Double(x[(i * c.h + sy) * c.w + sx])
            } } }
            expected[(o * ho + y) * wo + xx] = Float(s)
        } } }
        let got = Conv.conv2d(Tensor(shape: [1, c.cin, c.h, c.w], x), weight: Tensor(shape: [cout, c.cin, c.kh, c.kw], w),
                              bias: Tensor(shape: [cout], b), padding: (c.ph, c.pw))
        #expect(got.shape == [1, cout, ho, wo])
        #expect(Tolerance.mismatch("taps", got: got.values, expected: expected, atol: 1e-4, rtol: 1e-4) == nil)
    }

    /// The codec decoder's upsampling convolution in phase form against upsampling then
    /// convolving (both tied to PyTorch by the goldens above), on odd and tiny maps where the
    /// padding reaches every edge.
    @Test(arguments: [(5, 24), (1, 1), (3, 7)])
    func nearest2xConvMatchesUpsampleThenConv(_ size: (h: Int, w: Int)) {
        var rng = SeededRNG(seed: UInt64(size.h * 100 + size.w))
        func random(_ shape: [Int]) -> Tensor { Tensor(shape: shape, (0..<shape.reduce(1, *)).map { _ in rng.normal() }) }
        let x = random([1, 6, size.h, size.w]), w = random([5, 6, 3, 3]), b = random([5])
        let reference = Conv.conv2d(Conv.upsampleNearest2d(x, scale: (2, 2)), weight: w, bias: b, padding: (1, 1))
        let phased = Conv.nearest2xConv3x3(x, phases: Conv.nearest2xPhases(w), bias: b)
        #expect(phased.shape == reference.shape)
        #expect(zip(phased.values, reference.values).allSatisfy { abs($0 - $1) <= 1e-4 })
    }

    @Test func normalisations() throws {
        #expect(g.mismatch("layernorm.y", Norm.layer(try t("layernorm.x"), weight: try t("layernorm.w"), bias: try t("layernorm.b")), atol: 1e-5, rtol: 1e-5) == nil)
        #expect(g.mismatch("groupnorm.y", Norm.group(try t("groupnorm.x"), groups: 4, weight: try t("groupnorm.w"), bias: try t("groupnorm.b"), eps: 1e-6), atol: 1e-5, rtol: 1e-5) == nil)
        #expect(g.mismatch("batchnorm.y", Norm.batch(try t("batchnorm.x"), mean: try t("batchnorm.mean"), variance: try t("batchnorm.var"),
                                                     weight: try t("batchnorm.w"), bias: try t("batchnorm.b")), atol: 1e-5, rtol: 1e-5) == nil)
    }

    @Test func embeddingsAndTimesteps() throws {
        let idx = try g.ints("embedding.idx")
        #expect(g.mismatch("embedding.y", Embedding.lookup(try t("embedding.table"), idx), atol: 0) == nil)
        #expect(g.mismatch("timestep.y", Embedding.timestep(try t("timestep.t").values, dim: 64), atol: 1e-5, rtol: 1e-5) == nil)
    }

    @Test func activations() throws {
        let x = try t("act.x")
        #expect(g.mismatch("act.gelu", Activation.gelu(x), atol: 1e-6, rtol: 1e-5) == nil)
        #expect(g.mismatch("act.gelu_tanh", Activation.geluTanh(x), atol: 1e-6, rtol: 1e-5) == nil)
        #expect(g.mismatch("act.silu", Activation.silu(x), atol: 1e-6, rtol: 1e-5) == nil)
        #expect(g.mismatch("act.relu", Activation.relu(x), atol: 0) == nil)
        #expect(g.mismatch("act.leaky", Activation.leakyRelu(x, slope: 0.2), atol: 1e-7, rtol: 1e-6) == nil)
        #expect(g.mismatch("act.tanh", Activation.tanh(x), atol: 1e-6, rtol: 1e-5) == nil)
        #expect(g.mismatch("act.sigmoid", Activation.sigmoid(x), atol: 1e-6, rtol: 1e-5) == nil)
        #expect(g.mismatch("softmax.y", Softmax.forward(try t("softmax.x")), atol: 1e-6, rtol: 1e-5) == nil)
        #expect(g.mismatch("softmax.logy", Softmax.log(try t("softmax.x")), atol: 1e-5, rtol: 1e-5) == nil)
    }

    @Test func reductions() throws {
        let x = try t("reduce.x")
        #expect(g.mismatch("reduce.sum1", Reduce.sum(x, axis: 1), atol: 1e-5) == nil)
        #expect(g.mismatch("reduce.mean2", Reduce.mean(x, axis: 2), atol: 1e-6) == nil)
        #expect(g.mismatch("reduce.max0", Reduce.max(x, axis: 0), atol: 0) == nil)
    }

    /// nn.MultiheadAttention (in_proj [3D, D] rows q, k, v) with full, causal and key-padding masks.
    @Test func multiHeadAttention() throws {
        let attention = SelfAttention(qkv: LinearLayer(weight: try t("mha.in_w"), bias: try t("mha.in_b")),
                                      out: LinearLayer(weight: try t("mha.out_w"), bias: try t("mha.out_b")), heads: 4)
        let x = try t("mha.x")                               // [2, 9, 32]
        let pad = try t("mha.pad").values.map { $0 > 0.5 }
        for (name, mask) in [("y_full", { (_: Int) in AttentionMask.none }), ("y_causal", { _ in .causal }),
                             ("y_pad", { b in .keyPadding(Array(pad[(b * 9)..<(b * 9 + 9)])) })] {
            var rows: [Float] = []
            for b in 0..<2 {
                let xb = Tensor(shape: [9, 32], Array(x.values[(b * 288)..<((b + 1) * 288)]))
                rows += attention(xb, mask: mask(b)).values
            }
            #expect(g.mismatch("mha.\(name)", Tensor(shape: [2, 9, 32], rows), atol: 1e-5, rtol: 1e-4) == nil)
        }
    }

    @Test func topKAndArgmaxMatchTorch() throws {
        let logits = try t("sampling.logits").values
        let argmax = try g.ints("sampling.argmax")
        let top5 = try t("sampling.top5").values
        for r in 0..<3 {
            let row = Array(logits[(r * 50)..<((r + 1) * 50)])
            #expect(Sampler.argmax(row) == argmax[r])
            #expect(Sampler.topK(row, 5) == Array(top5[(r * 50)..<((r + 1) * 50)]))
        }
    }
}
