import Runtime
import TestHelpers
import Testing

/// Whole models against PyTorch: per layer and end to end.
@Suite struct TransformerParityTests {
    let g: SafeTensorsFile
    let model: CausalTransformer
    let tokens: [Int]

    init() throws {
        g = try Fixtures.golden("runtime/transformer.safetensors")
        let m = g.metadata
        let config = TransformerConfig(vocabSize: Int(m["vocab_size"]!)!, blockSize: Int(m["block_size"]!)!,
                                       layers: Int(m["layers"]!)!, heads: Int(m["heads"]!)!, width: Int(m["width"]!)!)
        model = CausalTransformer(config: config, weights: try BoundWeights(file: g, table: config.weightTable, ignoring: "test."))
        tokens = try g.ints("test.tokens")
    }

    @Test func everyLayerAndTheLogitsMatch() throws {
        var layers: [Int: Tensor] = [:]
        let logits = model.head(model.hidden(model.embed(tokens)) { layers[$0] = $1 })
        for i in 0..<model.config.layers {
            #expect(g.mismatch("test.layer\(i)", layers[i]!, atol: 1e-4, rtol: 1e-4) == nil)
        }
        #expect(g.mismatch("test.logits", logits, atol: 1e-4, rtol: 1e-4) == nil)
    }

    @Test func cachedStepsReproduceTheFullForward() throws {
        let full = model.logits(tokens).values
        let caches = model.makeCaches()
        let v = model.config.vocabSize
        for (i, tok) in tokens.enumerated() {
            let step = model.step([tok], caches: caches)
            #expect(Tolerance.mismatch("step \(i)", got: step, expected: Array(full[(i * v)..<((i + 1) * v)]), atol: 1e-4, rtol: 1e-4) == nil)
        }
    }

    /// Streams stepped side by side (sampling candidates) get bit-for-bit the logits each gets
    /// stepped alone, though their histories differ.
    @Test func streamsSteppedTogetherMatchStepsAlone() throws {
        let histories = [Array(tokens.prefix(3)), Array(tokens.prefix(5)), [4, 4, 1], [2], [7, 3]]
        let alone = histories.map { _ in model.makeCaches() }, together = histories.map { _ in model.makeCaches() }
        for (h, prefix) in histories.enumerated() where prefix.count > 1 {
            _ = model.step(Array(prefix.dropLast()), caches: alone[h])
            _ = model.step(Array(prefix.dropLast()), caches: together[h])
        }
        for round in 0..<3 {
            let next = histories.map { ($0.last! + round) % model.config.vocabSize }
            let batched = model.step(next, streams: together)
            for h in histories.indices {
                #expect(model.step([next[h]], caches: alone[h]) == batched[h], "stream \(h), round \(round)")
            }
        }
    }

    @Test func greedyDecodingGivesPyTorchsTokens() throws {
        let greedy = model.generate(prefix: Array(tokens.prefix(5)), count: 20, temperature: 0, topK: nil, seed: 0)
        #expect(greedy == (try g.ints("test.greedy")))
    }

    @Test func samplingIsReproducibleFromItsSeed() {
        let a = model.generate(prefix: [1, 2, 3], count: 16, temperature: 1, topK: 8, seed: 42)
        let b = model.generate(prefix: [1, 2, 3], count: 16, temperature: 1, topK: 8, seed: 42)
        let c = model.generate(prefix: [1, 2, 3], count: 16, temperature: 1, topK: 8, seed: 43)
        #expect(a == b)
        #expect(a != c)
    }
}

@Suite struct ConvStackParityTests {
    @Test func everyStageMatches() throws {
        let g = try Fixtures.golden("runtime/convstack.safetensors")
        func w(_ n: String) throws -> Tensor { try g.tensor(n) }
        var h = Activation.leakyRelu(Conv.conv1d(try w("test.mel"), weight: try w("pre.weight"), bias: try w("pre.bias"), ConvParams(padding: 3)), slope: 0.2)
        #expect(g.mismatch("test.pre", h, atol: 1e-5, rtol: 1e-5) == nil)
        h = Conv.convTranspose1d(h, weight: try w("up.weight"), bias: try w("up.bias"), ConvParams(stride: 4, padding: 2))
        #expect(g.mismatch("test.up", h, atol: 1e-5, rtol: 1e-5) == nil)
        h = Elementwise.add(h, Conv.conv1d(Activation.leakyRelu(h, slope: 0.2), weight: try w("res.weight"), bias: try w("res.bias"), ConvParams(padding: 3, dilation: 3)))
        #expect(g.mismatch("test.res", h, atol: 1e-5, rtol: 1e-5) == nil)
        h = Activation.silu(Norm.group(h, groups: 4, weight: try w("norm.weight"), bias: try w("norm.bias")))
        #expect(g.mismatch("test.norm", h, atol: 1e-5, rtol: 1e-5) == nil)
        let wave = Activation.tanh(Conv.conv1d(h, weight: try w("post.weight"), bias: try w("post.bias"), ConvParams(padding: 3)))
        #expect(g.mismatch("test.wave", wave, atol: 1e-5, rtol: 1e-5) == nil)
        var i = Conv.conv2d(try w("test.image"), weight: try w("c2a.weight"), bias: try w("c2a.bias"), stride: (2, 2), padding: (1, 1))
        i = Activation.relu(Norm.batch(i, mean: try w("bn.running_mean"), variance: try w("bn.running_var"), weight: try w("bn.weight"), bias: try w("bn.bias")))
        #expect(g.mismatch("test.c2a", i, atol: 1e-5, rtol: 1e-5) == nil)
        i = Conv.conv2d(Conv.upsampleNearest2d(i, scale: (2, 2)), weight: try w("c2b.weight"), bias: try w("c2b.bias"), padding: (1, 1))
        #expect(g.mismatch("test.c2b", i, atol: 1e-5, rtol: 1e-5) == nil)
    }
}
