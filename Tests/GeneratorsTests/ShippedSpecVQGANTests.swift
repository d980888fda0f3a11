import Foundation
@testable import Generators
import Runtime
import TestHelpers
import Testing

/// The shipped bundle (Weights/specvqgan, float16) against PyTorch on the same rounded weights
/// (Tests/Fixtures/models/specvqgan_golden.safetensors, written by Training/export_specvqgan.py):
/// codec tokens and reconstruction of a validation clip, sampler logits and greedy tokens from
/// its visual features, the visual onset head's probabilities, and the vocoder's waveform. For
/// both bundles: FoleyWorld 1's in Weights/ and the one whose sampler and onset head were
/// retrained on FoleyWorld 2's encoder in Weights/foleyworld2/.
@Suite struct ShippedSpecVQGANTests {
    /// (bundle folder prefix under Weights/, golden folder under Tests/Fixtures/)
    static let sets = [("", "models/"), ("foleyworld2/", "models/foleyworld2/")]

    static func load(_ set: String = "", _ goldens: String = "models/") throws -> (SpecVQGANGenerator, SafeTensorsFile) {
        let bundle = try ModelBundle(path: Fixtures.repositoryRoot + "/Weights/\(set)specvqgan", kind: SpecVQGANGenerator.kind)
        return (try SpecVQGANGenerator(bundle: bundle), try Fixtures.golden("\(goldens)specvqgan_golden.safetensors"))
    }

    @Test(arguments: sets) func codecTokensAndReconstructionMatchPyTorch(set: String, goldens: String) throws {
        let (g, golden) = try Self.load(set, goldens)
        let tokens = g.codec.tokens(mel: try golden.tensor("mel"))
        let expected = try golden.ints("tokens")
        // A nearest-codeword tie may flip under float rounding; more than a few is a real mismatch.
        let differing = zip(tokens, expected).filter { $0 != $1 }.count
        #expect(tokens.count == expected.count && differing <= 2, "\(differing) of \(expected.count) tokens differ")
        #expect(golden.mismatch("decoded", g.codec.decode(tokens: expected), atol: 2e-3, rtol: 1e-2) == nil)
    }

    @Test(arguments: sets) func samplerLogitsAndGreedyTokensMatchPyTorch(set: String, goldens: String) throws {
        let (g, golden) = try Self.load(set, goldens)
        let features = try golden.tensor("features")
        let logits = g.sampler.logits(features: features, tokens: Array(try golden.ints("tokens").prefix(10)))
        #expect(golden.mismatch("logits", logits, atol: 2e-3, rtol: 1e-2) == nil)
        let greedy = g.sampler.generate(features: features, prime: [], count: 40, temperature: 0, topX: nil, seed: 0)
        #expect(greedy == (try golden.ints("greedy")))
        // A sampler trained for guidance also ships its guided greedy tokens (scale 3).
        if g.guidable {
            let guided = g.sampler.generate(features: features, prime: [], count: 40, temperature: 0, topX: nil, seed: 0, cfgScale: 3)
            #expect(guided == (try golden.ints("guided")))
        }
    }

    @Test(arguments: sets) func visualOnsetProbabilitiesMatchPyTorch(set: String, goldens: String) throws {
        let (g, golden) = try Self.load(set, goldens)
        let onsets = try #require(g.onsets, "the shipped bundle ranks candidates with its onset head")
        let p = onsets.probabilities(try golden.tensor("onset_features"))
        #expect(Tolerance.mismatch("onset probabilities", got: p, expected: try golden.tensor("onset_probabilities").values, atol: 1e-3, rtol: 1e-2) == nil)
        #expect(!onsets.hits(try golden.tensor("onset_features")).isEmpty, "a window of a clip with sharp events has hits")
    }

    /// The golden's first 64 decoded frames, what both vocoders were run on.
    static func vocoderInput(_ golden: SafeTensorsFile) throws -> Tensor {
        let decoded = try golden.tensor("decoded")
        return Tensor(overwriting: [80, 64]) { out in
            decoded.read { d in for b in 0..<80 { for f in 0..<64 { out[b * 64 + f] = d[b * decoded.dim(1) + f] } } }
        }
    }

    @Test(arguments: sets) func vocoderWaveformMatchesPyTorch(set: String, goldens: String) throws {
        let (g, golden) = try Self.load(set, goldens)
        let wave = g.vocoder(mel: try Self.vocoderInput(golden))
        #expect(Tolerance.mismatch("waveform", got: wave, expected: try golden.tensor("waveform").values, atol: 1e-3, rtol: 1e-2) == nil)
    }

    @Test(arguments: sets) func draftVocoderWaveformMatchesPyTorch(set: String, goldens: String) throws {
        let (g, golden) = try Self.load(set, goldens)
        let draft = try #require(g.draftVocoder, "the shipped bundle has a draft vocoder")
        #expect(draft.config.ngf < g.vocoder.config.ngf && draft.config.hop == g.vocoder.config.hop)
        let wave = draft(mel: try Self.vocoderInput(golden))
        #expect(Tolerance.mismatch("draft waveform", got: wave, expected: try golden.tensor("draft_waveform").values, atol: 1e-3, rtol: 1e-2) == nil)
    }

    /// Draft changes only the rendering: a draft take is the full take's decoded mel through the
    /// smaller vocoder, so turning Draft off with the same seed gives the auditioned take at
    /// full quality.
    @Test func aDraftTakeSharesTheFullTakesTokens() throws {
        let (g, _) = try Self.load()
        let draft = try #require(g.draftVocoder)
        #expect(g.spec(.draft)?.defaultValue == .flag(false))
        var rng = SeededRNG(seed: 9)
        let frames = g.windowSamples / 1024
        var w = GenerationWindow(features: Tensor(shape: [frames, g.featureDim], (0..<(frames * g.featureDim)).map { _ in rng.normal() }),
                                 context: [Float](repeating: 0, count: g.windowSamples), known: [Bool](repeating: false, count: g.windowSamples),
                                 parameters: [.topX: 64, .temperature: 1, .candidates: 1], seed: 3)
        w.needed = 8192                                                       // two token columns keep it quick
        let mel = try #require(g.bestMel(w) { _ in true })
        w.parameters[.draft] = 1
        let drafted = try g.generate(w) { _ in true }
        w.parameters[.draft] = 0
        let full = try g.generate(w) { _ in true }
        #expect(Array(drafted.prefix(8192)) == Array(g.render(mel: mel, seed: w.seed, draft: true).prefix(8192)))
        #expect(Array(full.prefix(8192)) == Array(g.render(mel: mel, seed: w.seed).prefix(8192)))
        #expect(g.render(mel: mel, seed: w.seed, draft: true) != g.render(mel: mel, seed: w.seed)
                && draft(mel: mel).count == g.vocoder(mel: mel).count)
        #expect(drafted != full)
    }
}
