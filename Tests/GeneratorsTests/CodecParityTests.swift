import Foundation
@testable import Generators
import Runtime
import TestHelpers
import Testing

/// The Swift spectrogram codec against PyTorch on a tiny randomly initialised model in the
/// official layout (Training/golden/make_codec_golden.py): latent, tokens, decoder stages, mel.
@Suite struct CodecParityTests {
    static func load() throws -> (SpecVQGANCodec, SafeTensorsFile) {
        let g = try Fixtures.golden("models/codec_golden.safetensors")
        let config = try JSONDecoder().decode(SpecVQGANCodec.Config.self, from: Data(g.metadata["config"]!.utf8))
        let weights = try BoundWeights(file: g, table: SpecVQGANCodec.table(config), ignoring: "io.")
        return (SpecVQGANCodec(weights: weights, config: config), g)
    }

    @Test func encoderLatentAndTokensMatchPyTorch() throws {
        let (codec, g) = try Self.load()
        let mel = try g.tensor("io.mel")                                      // [80, 64]
        #expect(g.mismatch("io.latent", codec.encode(mel: mel), atol: 1e-4, rtol: 1e-3) == nil)
        #expect(codec.tokens(mel: mel) == (try g.ints("io.tokens")))
    }

    @Test func decoderMatchesPyTorchPerStageAndEndToEnd() throws {
        let (codec, g) = try Self.load()
        let tokens = try g.ints("io.tokens")
        #expect(g.mismatch("io.decoder_mid", codec.decoderMid(tokens: tokens), atol: 1e-4, rtol: 1e-3) == nil)
        let mel = codec.decode(tokens: tokens)
        #expect(mel.shape == [80, 64])
        #expect(g.mismatch("io.decoded", mel, atol: 1e-4, rtol: 1e-3) == nil)
    }

    @Test func aCheckpointOfAnotherShapeIsRefusedByName() throws {
        let g = try Fixtures.golden("models/codec_golden.safetensors")
        var config = try JSONDecoder().decode(SpecVQGANCodec.Config.self, from: Data(g.metadata["config"]!.utf8))
        config.nEmbed = 1024
        let error = #expect(throws: RuntimeError.self) { try BoundWeights(file: g, table: SpecVQGANCodec.table(config), ignoring: "io.") }
        #expect("\(error!)".contains("quantize.embedding.weight") && "\(error!)".contains("expected [1024, 8]"))
    }
}

/// The sampler (GPTFeats) against PyTorch on a tiny random model: logits of features + tokens,
/// and greedy continuation after the features and two primed tokens (KV-cached in Swift,
/// recomputed from scratch in PyTorch).
@Suite struct SamplerParityTests {
    static func load() throws -> (SpecVQGANSampler, SafeTensorsFile) {
        let g = try Fixtures.golden("models/sampler_golden.safetensors")
        let c = try JSONSerialization.jsonObject(with: Data(g.metadata["config"]!.utf8)) as! [String: Int]
        let config = TransformerConfig(vocabSize: c["vocab_size"]!, blockSize: c["block_size"]!, layers: c["n_layer"]!,
                                       heads: c["n_head"]!, width: c["n_embd"]!)
        let table = SpecVQGANSampler.table(config, featureDim: c["feat_dim"]!)
        let sampler = SpecVQGANSampler(config: config, featureDim: c["feat_dim"]!,
                                       weights: try BoundWeights(file: g, table: table, ignoring: "io."))
        return (sampler, g)
    }

    @Test func logitsMatchPyTorch() throws {
        let (sampler, g) = try Self.load()
        let logits = sampler.logits(features: try g.tensor("io.features"), tokens: try g.ints("io.tokens"))
        #expect(g.mismatch("io.logits", logits, atol: 1e-4, rtol: 1e-3) == nil)
    }

    @Test func greedyTokensMatchPyTorchAndSamplingIsReproducible() throws {
        let (sampler, g) = try Self.load()
        let features = try g.tensor("io.features"), prime = Array(try g.ints("io.tokens").prefix(2))
        let greedy = sampler.generate(features: features, prime: prime, count: 8, temperature: 0, topX: nil, seed: 1)
        #expect(greedy == (try g.ints("io.greedy")))
        let a = sampler.generate(features: features, prime: prime, count: 8, temperature: 1, topX: 4, seed: 7)
        let b = sampler.generate(features: features, prime: prime, count: 8, temperature: 1, topX: 4, seed: 7)
        #expect(a == b)
        #expect(sampler.generate(features: features, prime: prime, count: 8, temperature: 1, topX: 4, seed: 7) { _ in false } == nil)
    }

    /// Classifier-free guidance: PyTorch recomputes u + 3·(c − u) from scratch (u with zero
    /// features); Swift keeps two KV-cached streams.
    @Test func guidedGreedyTokensMatchPyTorch() throws {
        let (sampler, g) = try Self.load()
        let features = try g.tensor("io.features"), prime = Array(try g.ints("io.tokens").prefix(2))
        let guided = sampler.generate(features: features, prime: prime, count: 8, temperature: 0, topX: nil, seed: 1, cfgScale: 3)
        #expect(guided == (try g.ints("io.guided")))
        #expect(guided != (try g.ints("io.greedy")))
    }

    /// Candidates sampled side by side are exactly the takes their seeds give one at a time,
    /// guided (a blind stream per candidate, all in one batch) or not.
    @Test func candidatesSampledTogetherAreTheTakesTheirSeedsGiveAlone() throws {
        let (sampler, g) = try Self.load()
        let features = try g.tensor("io.features"), prime = Array(try g.ints("io.tokens").prefix(2))
        let seeds: [UInt64] = [7, 8, 9, 10, 11]
        for scale: Float in [1, 3] {
            let together = try #require(sampler.generate(features: features, prime: prime, count: 8, temperature: 1, topX: 4, seeds: seeds, cfgScale: scale))
            let alone = seeds.map { sampler.generate(features: features, prime: prime, count: 8, temperature: 1, topX: 4, seed: $0, cfgScale: scale) }
            #expect(together.map { Optional($0) } == alone, "CFG \(scale)")
            #expect(Set(together).count > 1)
        }
    }
}

/// The MelGAN vocoder against PyTorch on a tiny random model (weight norm folded as at export).
@Suite struct VocoderParityTests {
    @Test func waveformMatchesPyTorch() throws {
        let g = try Fixtures.golden("models/vocoder_golden.safetensors")
        let config = try JSONDecoder().decode(MelGANVocoder.Config.self, from: Data(g.metadata["config"]!.utf8))
        let vocoder = MelGANVocoder(weights: try BoundWeights(file: g, table: MelGANVocoder.table(config), ignoring: "io."), config: config)
        let wave = vocoder(mel: try g.tensor("io.mel"))
        #expect(wave.count == 6 * config.hop)
        #expect(Tolerance.mismatch("io.waveform", got: wave, expected: try g.tensor("io.waveform").values, atol: 1e-5, rtol: 1e-3) == nil)
    }

    /// The multi-band variant: four sub-bands at a quarter of the rate, joined by the bundle's
    /// PQMF synthesis kernel.
    @Test func multiBandWaveformMatchesPyTorch() throws {
        let g = try Fixtures.golden("models/vocoder_multiband_golden.safetensors")
        let config = try JSONDecoder().decode(MelGANVocoder.Config.self, from: Data(g.metadata["config"]!.utf8))
        #expect(config.bands == 4 && config.hop == 256)
        let vocoder = MelGANVocoder(weights: try BoundWeights(file: g, table: MelGANVocoder.table(config), ignoring: "io."), config: config)
        let wave = vocoder(mel: try g.tensor("io.mel"))
        #expect(wave.count == 6 * 256)
        #expect(Tolerance.mismatch("io.waveform", got: wave, expected: try g.tensor("io.waveform").values, atol: 1e-5, rtol: 1e-3) == nil)
    }

    /// Bundles written before the multi-band variant have no `bands` key: they stay full band.
    @Test func configsWithoutBandsAreFullBand() throws {
        let json = #"{"mels": 80, "ngf": 32, "n_residual_layers": 3, "ratios": [8, 8, 2, 2]}"#
        let config = try JSONDecoder().decode(MelGANVocoder.Config.self, from: Data(json.utf8))
        #expect(config.bands == 1 && config.hop == 256)
        #expect(MelGANVocoder.table(config).order.allSatisfy { !$0.hasPrefix("pqmf.") })
    }
}
