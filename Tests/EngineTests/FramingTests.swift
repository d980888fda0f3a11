import Engine
import Foundation
import Generators
import Media
import Runtime
import TestGenerator
import TestHelpers
import Testing

/// The visual encoder's bundle names how frames are cut from the picture; features are computed
/// from frames cut that way (a 16:9 clip's edges are outside a centre-crop encoder's view and
/// inside a whole-frame one's), and a framing Foley does not know is refused with the file.
@Suite final class FramingTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-framing") }
    deinit { dir.remove() }

    /// The shipped encoder's weights under a config with `framing` (nil: the key left out).
    func encoder(framing: Any?) throws -> String {
        let shipped = Fixtures.repositoryRoot + "/Weights/visual-encoder", folder = dir.file("enc-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: shipped + "/weights.safetensors", toPath: folder + "/weights.safetensors")
        var config = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: shipped + "/config.json"))) as? [String: Any])
        config["framing"] = framing
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: folder + "/config.json"))
        return folder
    }

    static func wideClip() throws -> String {
        // Left third red, the rest grey: only a whole-frame view sees the red.
        try MediaFixtures.clip("framing-wide-2.mp4", ["-f", "lavfi", "-i", "color=c=gray:s=192x108:r=25:d=1", "-vf",
                                                    "drawbox=x=0:y=0:w=32:h=108:color=red:t=fill", "-c:v", "libx264", "-pix_fmt", "yuv420p"])
    }

    @Test func bundlesWithoutAFramingAreCentreCropAndAnUnknownOneIsRefused() throws {
        #expect(try VisualEncoder(bundle: ModelBundle(path: try encoder(framing: nil), kind: "visual-encoder")).framing == .centreCrop)
        #expect(try VisualEncoder(bundle: ModelBundle(path: try encoder(framing: "whole-frame"), kind: "visual-encoder")).framing == .wholeFrame)
        for bad: Any in ["letterbox", 3] {
            let folder = try encoder(framing: bad)
            do {
                _ = try VisualEncoder(bundle: ModelBundle(path: folder, kind: "visual-encoder"))
                Issue.record("framing \(bad) was accepted")
            } catch {
                let text = "\(error)"
                #expect(text.contains(folder + "/config.json") && text.contains("framing") && text.contains("expected [one of centre-crop, whole-frame]"), "\(text)")
            }
        }
    }

    @Test func featuresAreComputedFromFramesCutAsTheBundleSays() throws {
        let clip = try Self.wideClip()
        let crop = try VisualEncoder(bundle: ModelBundle(path: try encoder(framing: "centre-crop"), kind: "visual-encoder"))
        let whole = try VisualEncoder(bundle: ModelBundle(path: try encoder(framing: "whole-frame"), kind: "visual-encoder"))
        let frames = try VideoReader(path: clip).frames(rate: VideoReader.featureRate, shape: .exact(width: 64, height: 64))
        #expect(frames[0].pixels[0] > 150 && frames[0].pixels[1] < 100, "the whole frame keeps the red left edge")
        let cropped = try VideoReader(path: clip).frames(rate: VideoReader.featureRate, shape: .square(64))
        #expect(cropped[0].pixels[0] < 150, "the centre square does not")
        let expected = whole(try VisualEncoder.tensor(frames: frames.map(\.pixels)))
        let got = try ClipMedia.features(path: clip, encoder: whole)
        #expect(got.shape == expected.shape && zip(got.values, expected.values).allSatisfy { abs($0 - $1) < 1e-5 })
        let viaCrop = try ClipMedia.features(path: clip, encoder: crop)
        #expect(zip(viaCrop.values, got.values).contains { abs($0 - $1) > 1e-3 }, "the same weights framed otherwise see another picture")
    }

    /// A generator pinned to the visual encoder it was trained on is kept out beside another one.
    @Test func aGeneratorBesideAnotherVisualEncoderThanItsOwnIsRefusedWithBothHashes() throws {
        let weights = try TestBundles.weightsWithTestTone(in: dir.path, fullBand: false)
        let shipped = try ModelBundle(path: weights + "/visual-encoder", kind: "visual-encoder").weightsHash
        let factories: [String: GeneratorCatalog.Factory] = [TestToneGenerator.kind: { try TestToneGenerator(bundle: $0) }]
        func catalog(pin: String) throws -> GeneratorCatalog {
            try "{\"kind\": \"test-tone\", \"window\": 32768, \"work_ms\": 0, \"visual_encoder\": \(pin)}"
                .write(toFile: weights + "/test-tone/config.json", atomically: true, encoding: .utf8)
            return GeneratorCatalog.load(directory: weights, factories: factories)
        }
        #expect(try catalog(pin: "{\"weights_hash\": \"\(shipped)\"}").generators.count == 1)
        let other = try catalog(pin: "{\"weights_hash\": \"0123456789abcdef\"}")
        #expect(other.generators.isEmpty)
        let problem = try #require(other.problems.first { $0.hasPrefix("test-tone") })
        #expect(problem.contains("got [visual encoder weights \(shipped)]") && problem.contains("expected [weights 0123456789abcdef"), "\(problem)")
        let damaged = try catalog(pin: "\"cdd7\"")
        #expect(damaged.generators.isEmpty && damaged.problems.contains { $0.contains("config.json") && $0.contains("visual_encoder") })
    }
}
