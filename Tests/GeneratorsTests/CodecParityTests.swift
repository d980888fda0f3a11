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
