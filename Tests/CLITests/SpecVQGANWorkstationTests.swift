import Foundation
import Media
import TestHelpers
import Testing

/// The shipped SpecVQGAN bundle in the real workstation (tmux): the Top-X, temperature and CFG
/// sliders reach the sampler, and a take made in the UI is reproduced bit for bit by
/// `foley generate` from the parameters and seed recorded in the project.
@Suite(.serialized) final class SpecVQGANWorkstationTests {
    let foley = BuiltProducts.path("foley")
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-specvqgan-ui") }
    deinit { dir.remove() }

    @Test func slidersDriveTheSamplerAndTakesReproduceFromTheirSeed() throws {
        let clip = Fixtures.repositoryRoot + "/Projects/demo/clips/test-00013.mp4"
        let folder = dir.file("Session")
        let made = try Subprocess.run(foley, ["new", folder, clip])
        try #require(made.status == 0, "\(made.stderr)")
        let session = try Tmux("\(foley) open \(folder)", environment: [
            "FOLEY_WEIGHTS": Fixtures.repositoryRoot + "/Weights", "FOLEY_ALSA_DEVICE": "null", "TERM": "tmux-256color",
        ])
        try session.wait(for: "Generator: frieren")                   // the first bundle by name; G moves to the next
        try session.send("G")
        try session.wait(for: "Generator: specvqgan")
        try session.send("g")
        try session.wait(for: "ready in slot A", timeout: 240)
        // Top-X (the first row, focused) ten steps down, temperature two steps down, then CFG
        // (guided: a second, blind stream) two steps up.
        try session.send("[", "Down", "-", "-", "Down", "+", "+", "g")
        try session.wait(for: "Takes 2 ", timeout: 240)
        try session.send("q")
        try session.wait(for: "[exited 0 ]")

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/project.json"))) as! [String: Any]
        let takes = json["takes"] as! [[String: Any]]
        try #require(takes.count == 2)
        let p0 = (takes[0]["parameters"] as! [String: Any]).compactMapValues { $0 as? Double }
        let p1 = (takes[1]["parameters"] as! [String: Any]).compactMapValues { $0 as? Double }
        #expect((takes[1]["parameters"] as! [String: Any])["vocoder"] as? String == "melgan", "the choice is recorded by its key")
        #expect(p0["top_x"] == 64 && p0["temperature"] == 1 && p0["cfg_scale"] == 2 && takes[0]["seed"] as? Int == 1)
        #expect(p1["top_x"] == 54 && abs((p1["temperature"] ?? 0) - 0.9) < 1e-9 && p1["cfg_scale"] == 2.5 && takes[1]["seed"] as? Int == 2, "\(p1)")
        #expect(p1["steps"] == nil, "parameters SpecVQGAN does not read are not recorded")

        let take = try WAVAudio.read(path: folder + "/" + (takes[1]["file"] as! String))
        let energy = take.samples.reduce(0) { $0 + $1 * $1 } / Float(take.samples.count)
        #expect(energy > 1e-6, "the take is silent")
        let again = dir.file("again.wav")
        let r = try Subprocess.run(foley, ["generate", "--weights", Fixtures.repositoryRoot + "/Weights", "--top-x", "54",
                                           "--temperature", "0.9", "--cfg-scale", "2.5", "--seed", "2", "--full-band", clip, "-o", again])
        try #require(r.status == 0, "\(r.stderr)")
        // The workstation writes takes through the shipped full-band renderer: --full-band is the same path.
        #expect(take.sampleRate == 44100 && takes[1]["sampleRate"] as? Int == 44100)
        let reproduced = try WAVAudio.read(path: again)
        #expect(reproduced.sampleRate == 44100 && reproduced.samples == take.samples)
    }
}
