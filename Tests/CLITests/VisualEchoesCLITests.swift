import Foundation
import Media
import TestHelpers
import Testing

/// Visual Echoes through `foley generate` on the tiny fixture: registered by its kind, its
/// parameters set generically, takes reproducible from the seed, its inputs (pictures) listed.
@Suite struct VisualEchoesCLITests {
    let foley = BuiltProducts.path("foley")

    @Test func generatesReproduciblyAndListsItsPicturesFrontEnd() throws {
        let dir = try TempDirectory("ve-cli")
        defer { dir.remove() }
        let weights = try TestBundles.weightsWithTinyVisualEchoes(in: dir.path)
        let list = try Subprocess.run(foley, ["generators", "--weights", weights])
        #expect(list.status == 0, "\(list.stdout)\(list.stderr)")
        #expect(list.stdout.contains("visual-echoes-tiny") && list.stdout.contains("input: frames-64x64-5.38fps") && list.stdout.contains("--set steps="),
                "\(list.stdout)")
        let clip = Fixtures.repositoryRoot + "/Projects/demo/clips/test-00013.mp4"
        func take(_ name: String, _ args: [String]) throws -> [Float] {
            let r = try Subprocess.run(foley, ["generate", "--weights", weights, "--generator", "visual-echoes-tiny", "--vocoder", "melgan-raw",
                                               "--set", "steps=4", clip, "-o", dir.file(name)] + args)
            #expect(r.status == 0, "\(r.stderr)")
            return try WAVAudio.read(path: dir.file(name)).samples
        }
        let a = try take("a.wav", ["--seed", "3"]), b = try take("b.wav", ["--seed", "3"]), c = try take("c.wav", ["--seed", "4"])
        #expect(a == b && a != c)
        #expect(abs(Double(a.count) / 22050 - 6.2) < 0.01)
        let unguided = try take("d.wav", ["--seed", "3", "--cfg-scale", "1"])
        #expect(unguided != a, "guidance changes the take")
        let prompt = try Subprocess.run(foley, ["generate", "--weights", weights, "--generator", "visual-echoes-tiny", "--prompt", "x", clip, "-o", dir.file("p.wav")])
        #expect(prompt.status != 0 && prompt.stderr.contains("does not use prompt"))
    }
}

/// The audio-to-image direction: `foley imagine` writes the picture the model imagines.
@Suite struct ImagineCLITests {
    let foley = BuiltProducts.path("foley")

    @Test func writesA64x64PictureForASoundAndRefusesAMomentPastItsEnd() throws {
        let dir = try TempDirectory("ve-imagine")
        defer { dir.remove() }
        let weights = try TestBundles.weightsWithTinyVisualEchoes(in: dir.path)
        let sound = Fixtures.repositoryRoot + "/Projects/demo/clips/test-00013.mp4"
        let r = try Subprocess.run(foley, ["imagine", "--audio", sound, "--at", "2", "--weights", weights, "--generator", "visual-echoes-tiny",
                                           "-o", dir.file("f.png")])
        #expect(r.status == 0, "\(r.stderr)")
        let probe = try FFprobe.json(dir.file("f.png"))
        let stream = (probe["streams"] as? [[String: Any]])?.first ?? [:]
        #expect(stream["width"] as? Int == 64 && stream["height"] as? Int == 64 && stream["codec_name"] as? String == "png")
        let again = try Subprocess.run(foley, ["imagine", "--audio", sound, "--at", "2", "--weights", weights, "--generator", "visual-echoes-tiny",
                                               "-o", dir.file("g.png")])
        let f = try Data(contentsOf: URL(fileURLWithPath: dir.file("f.png"))), g = try Data(contentsOf: URL(fileURLWithPath: dir.file("g.png")))
        #expect(again.status == 0 && f == g, "the same seed imagines the same picture")
        let late = try Subprocess.run(foley, ["imagine", "--audio", sound, "--at", "99", "--weights", weights, "--generator", "visual-echoes-tiny",
                                              "-o", dir.file("h.png")])
        #expect(late.status != 0 && late.stderr.contains("expected [0…6.2"), "\(late.stderr)")
    }
}
