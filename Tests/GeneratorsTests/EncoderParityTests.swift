import Foundation
import Generators
import Runtime
import TestHelpers
import Testing

/// The shipped encoder bundles against PyTorch outputs on fixed inputs (written by
/// Training/export_models.py at export time), for both sets: FoleyWorld 1's in Weights/ (what
/// the generators were trained on) and the FoleyWorld 2 yardstick in Weights/foleyworld2/.
@Suite struct EncoderParityTests {
    /// (bundle folder prefix under Weights/, golden folder under Tests/Fixtures/)
    static let sets = [("", "models/"), ("foleyworld2/", "models/foleyworld2/")]

    @Test(arguments: sets) func visualEncoderMatchesPyTorch(set: String, goldens: String) throws {
        let g = try Fixtures.golden(goldens + "encoders_golden.safetensors")
        let encoder = try VisualEncoder(bundle: try ModelBundle(named: set + "visual-encoder", kind: "visual-encoder"))
        let frames = try g.tensor("frames")                                   // [1, 12, 3, 64, 64]
        let features = encoder(frames.reshaped([12, 3, 64, 64]))
        #expect(features.shape == [12, encoder.dim])
        #expect(g.mismatch("features", features, atol: 2e-4, rtol: 1e-3) == nil)
    }

    @Test(arguments: sets) func audioEncoderAndSyncJudgeMatchPyTorch(set: String, goldens: String) throws {
        let g = try Fixtures.golden(goldens + "encoders_golden.safetensors")
        let sync = try AVSync(bundle: try ModelBundle(named: set + "av-sync", kind: "av-sync"))
        let audio = sync.encode(mel: try g.tensor("mel").reshaped([80, 48]))
        #expect(g.mismatch("audio_features", audio, atol: 2e-4, rtol: 1e-3) == nil)
        let video = try g.tensor("features").reshaped([12, sync.dim])
        let logit = sync.syncLogit(video: video, audio: audio)
        #expect(abs(logit - (try g.tensor("sync_logit"))[flat: 0]) < 1e-3)
    }

    @Test(arguments: sets) func evalClassifierMatchesPyTorch(set: String, goldens: String) throws {
        let g = try Fixtures.golden(goldens + "classifier_golden.safetensors")
        let classifier = try EvalClassifier(bundle: try ModelBundle(named: set + "eval-classifier", kind: "eval-classifier"))
        let out = classifier(mel: try g.tensor("mel").reshaped([80, 100]))
        #expect(Tolerance.mismatch("class_logits", got: out.classLogits, expected: try g.tensor("class_logits").values, atol: 2e-4, rtol: 1e-3) == nil)
        #expect(Tolerance.mismatch("material_logits", got: out.materialLogits, expected: try g.tensor("material_logits").values, atol: 2e-4, rtol: 1e-3) == nil)
        #expect(Tolerance.mismatch("features", got: out.features, expected: try g.tensor("features").values, atol: 2e-4, rtol: 1e-3) == nil)
        #expect(abs(out.classProbabilities.reduce(0, +) - 1) < 1e-5)
    }

    @Test func bundleErrorsNameTheProblem() throws {
        #expect(throws: GeneratorError.missingBundle(path: "/no/such/bundle")) { try ModelBundle(path: "/no/such/bundle", kind: "x") }
        let error = #expect(throws: GeneratorError.self) { try ModelBundle(named: "visual-encoder", kind: "eval-classifier") }
        #expect("\(error!)".contains("got [model kind visual-encoder], expected [eval-classifier]"))
        // A bundle whose weights do not fit the architecture its config declares.
        let dir = try TempDirectory("foley-bundle")
        defer { dir.remove() }
        try FileManager.default.copyItem(atPath: ModelBundle.directory() + "/visual-encoder", toPath: dir.path + "/ve")
        let config = try String(contentsOfFile: dir.path + "/ve/config.json", encoding: .utf8)
        try config.replacingOccurrences(of: "\"width\": 32", with: "\"width\": 16").write(toFile: dir.path + "/ve/config.json", atomically: true, encoding: .utf8)
        // Refused naming the config (whose sizes are as likely wrong as the weights) and the tensor.
        let mismatch = #expect(throws: GeneratorError.self) { try VisualEncoder(bundle: try ModelBundle(path: dir.path + "/ve", kind: "visual-encoder")) }
        #expect("\(mismatch!)".contains(dir.path + "/ve/config.json") && "\(mismatch!)".contains("has shape [32, 3, 3, 3], expected [16, 3, 3, 3]"))
    }
}
