import Foundation
import Generators
import Runtime
import TestHelpers
import Testing

/// Visual Echoes against PyTorch (Training/golden/make_visual_echoes_golden.py) on the tiny
/// fixture bundle, at three levels: the image tokenizer, the transformer's logits, and the
/// unmasking loop's ids step by step with the shared RNG.
@Suite struct VisualEchoesParityTests {
    static let golden = try! SafeTensorsFile(path: Fixtures.path("models/visual_echoes_golden.safetensors"))
    static func generator() throws -> VisualEchoesGenerator {
        try VisualEchoesGenerator(bundle: ModelBundle(path: Fixtures.path("models/visual-echoes-tiny"), kind: VisualEchoesGenerator.kind),
                                  renderer: .melganRaw)
    }

    /// The Python port of SeededRNG (foleytrain/visual_echoes.py) draws these for seed 1.
    @Test func theTrainingSidesRNGPortDrawsTheSameNumbers() {
        var rng = SeededRNG(seed: 1)
        #expect([rng.next(), rng.next(), rng.next()] == [12966619160104079557, 9600361134598540522, 10590380919521690900])
    }

    @Test func imageTokenizerCodesAndDecodedImage() throws {
        let g = try Self.generator()
        let image = try Self.golden.tensor("image")
        #expect(g.tokenizer.imageTokens(image) == (try Self.golden.ints("image_tokens")))
        let decoded = g.tokenizer.decodeImage(tokens: try Self.golden.ints("image_tokens"), rows: 4)
        #expect(Self.golden.mismatch("image_decoded", decoded, atol: 1e-4, rtol: 1e-4) == nil)
    }

    @Test func transformerLogitsForAHalfMaskedSequence() throws {
        let g = try Self.generator()
        let a = try Self.golden.ints("audio"), v = try Self.golden.ints("visual")
        #expect(Self.golden.mismatch("audio_logits", g.transformer.audioLogits(audio: a, visual: v), atol: 1e-4, rtol: 1e-4) == nil)
        #expect(Self.golden.mismatch("visual_logits", g.transformer.visualLogits(audio: a, visual: v), atol: 1e-4, rtol: 1e-4) == nil)
    }

    @Test(arguments: [("plain", Float(1)), ("guided", Float(3))])
    func unmaskingStepsChooseTheSameTokens(_ name: String, _ guidance: Float) throws {
        let g = try Self.generator()
        let audio = try Self.golden.ints("unmask_audio"), visual = try Self.golden.ints("unmask_visual")
        let known = try Self.golden.ints("unmask_known").map { $0 == 1 }
        var trace: [[Int]] = []
        let out = g.transformer.unmask(audio: audio, known: known, visual: visual, steps: 6, temperature: 4.5, guidance: guidance, seed: 7,
                                       trace: { trace.append($0) })
        for k in 0..<3 { #expect(trace[k] == (try Self.golden.ints("unmask_\(name)_step\(k)")), "step \(k)") }
        #expect(out == (try Self.golden.ints("unmask_\(name)_final")))
        #expect(zip(out ?? [], zip(audio, known)).allSatisfy { o, ak in !ak.1 || o == ak.0 }, "known tokens never change")
        #expect(out?.allSatisfy { $0 < g.transformer.config.audioVocab } == true, "no mask id is left")
    }

    @Test func aBundleThatDisagreesWithItsCodecIsRefusedNamingBoth() throws {
        let dir = try TempDirectory("ve-bad")
        defer { dir.remove() }
        let models = Fixtures.path("models")
        for name in ["specvqgan-tiny", "visual-echoes-tiny"] { try FileManager.default.copyItem(atPath: "\(models)/\(name)", toPath: dir.file(name)) }
        let configPath = dir.file("visual-echoes-tiny/config.json")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as! [String: Any]
        var t = config["transformer"] as! [String: Any]
        t["audio_vocab"] = 64
        config["transformer"] = t
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let error = #expect(throws: GeneratorError.self) {
            try VisualEchoesGenerator(bundle: ModelBundle(path: dir.file("visual-echoes-tiny"), kind: VisualEchoesGenerator.kind))
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("expected [audio 20 of 32 (the codec's"), "\(String(describing: error))")
    }
}
