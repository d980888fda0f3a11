import Foundation
import Media
import TestHelpers
import Testing

/// The real binary in tmux, driven by keys, playing into ALSA's file plugin: open, generate,
/// play, select, inpaint, compare, export; then the stems and the played samples are checked.
@Suite(.serialized) final class WorkstationEndToEndTests {
    let foley = BuiltProducts.path("foley")
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-e2e") }
    deinit { dir.remove() }

    func project() throws -> String {
        let clip = Fixtures.repositoryRoot + "/Projects/demo/clips/test-00013.mp4"
        let folder = dir.file("Session")
        let r = try Subprocess.run(foley, ["new", folder, clip])
        #expect(r.status == 0, "\(r.stderr)")
        return folder
    }

    @Test func generatePlayInpaintCompareExport() throws {
        let folder = try project()
        let weights = try TestBundles.weightsWithTestTone(in: dir.path)
        let played = dir.file("played.raw")
        let session = try Tmux("\(foley) open \(folder)", environment: [
            "FOLEY_TEST_GENERATOR": "1", "FOLEY_WEIGHTS": weights,
            "FOLEY_ALSA_DEVICE": "file:FILE=\(played),FORMAT=raw", "TERM": "tmux-256color",
        ])
        try session.wait(for: "Generator: test-tone")
        #expect(try session.screen().contains("audio: file:FILE="))

        // Generate: the take lands in slot A.
        try session.send("g")
        var screen = try session.wait(for: "ready in slot A")
        #expect(screen.contains("Takes 1 · track FX"))
        #expect(screen.contains("steps=8 temperature=1 tone=sine seed=1"), "\(screen)")

        // Play from the start: the file device takes the samples at once (it is not paced).
        try session.send("Space")
        try session.wait(for: "■ STOP  0:06.20")

        // In at 1 s, out at 3 s, inpaint.
        try session.send("Home", "S-Right", "I", "S-Right", "S-Right", "O")
        screen = try session.wait(for: "[1.00–3.00 s]")
        try session.send("i")
        screen = try session.wait(for: "Takes 2 · track FX")
        #expect(screen.contains("inpaint 1.00–3.00 s"))
        #expect(screen.contains("B holds the previous take"))

        // A/B: B is the first take, A the inpainted one.
        try session.send("b")
        try session.wait(for: "Take 1 · test-tone · 44.1 kHz · slot B")
        try session.send("a")
        try session.wait(for: "Take 2 · test-tone · 44.1 kHz · slot A")

        // Help opens and closes; export writes the chosen (A) take.
        try session.send("?")
        try session.wait(for: "Keys — any key closes")
        try session.send("Escape")
        try session.send("e")
        screen = try session.wait(for: "exported 1 file(s)")
        try session.send("q")
        try session.wait(for: "[exited 0 ]")

        // The project on disk: two takes, the second an inpaint of 1–3 s.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/project.json"))) as! [String: Any]
        let takes = json["takes"] as! [[String: Any]]
        #expect(takes.count == 2)
        #expect(takes.allSatisfy { $0["sampleRate"] as? Int == 44100 }, "takes written through the full-band renderer")
        let first = try WAVAudio.read(path: folder + "/" + (takes[0]["file"] as! String))
        let second = try WAVAudio.read(path: folder + "/" + (takes[1]["file"] as! String))
        #expect(first.sampleRate == 44100 && second.sampleRate == 44100)
        for i in first.samples.indices where i < 44100 || i >= 132300 {
            if first.samples[i] != second.samples[i] { Issue.record("inpaint changed sample \(i) outside 1–3 s"); break }
        }

        // What reached ALSA is the first take, sample for sample (mono float, 44 100 Hz).
        let bytes = try Data(contentsOf: URL(fileURLWithPath: played))
        let samples = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(samples.count >= first.samples.count)
        #expect(Array(samples.prefix(first.samples.count)) == first.samples)

        // The stem: BWF 48 kHz 24-bit, the clip's length, bext filled in.
        let stems = try FileManager.default.contentsOfDirectory(atPath: folder + "/stems")
        #expect(stems == ["Session_test-00013_FXSTEM_v01.wav"])
        let probe = try FFprobe.json(folder + "/stems/" + stems[0])
        let stream = (probe["streams"] as! [[String: Any]])[0]
        #expect(stream["sample_rate"] as? String == "48000")
        #expect(stream["codec_name"] as? String == "pcm_s24le")
        let format = probe["format"] as! [String: Any]
        #expect(abs(Double(format["duration"] as! String)! - 6.2) < 0.02)
        let tags = format["tags"] as? [String: String] ?? [:]
        #expect(tags["comment"]?.contains("test-tone") == true)
        #expect(tags["comment"]?.contains("span=1.00-3.00") == true)
        #expect(tags["encoded_by"] == "Foley")
        #expect(tags["date"]?.count == 10)
        #expect(tags["time_reference"] != nil)
    }

    /// A prompt typed into the test generator's line editor reaches the take, the take list,
    /// the project file and the stem, and is there again after reopening.
    @Test func aTypedPromptIsRecordedWithTheTakeAndSurvivesReopening() throws {
        let folder = try project()
        let weights = try TestBundles.weightsWithTestTone(in: dir.path)
        let env = ["FOLEY_TEST_GENERATOR": "1", "FOLEY_WEIGHTS": weights, "FOLEY_ALSA_DEVICE": "null", "TERM": "tmux-256color"]
        let prompt = "door slam — ドア"
        do {
            let session = try Tmux("\(foley) open \(folder)", environment: env)
            try session.wait(for: "Generator: test-tone")
            try session.send("Down", "Down", "Down", "Enter")                    // Steps → Temperature → Tone → Prompt
            try session.wait(for: "Prompt · test-tone")
            try session.type(prompt + " q")                                     // q is text here, not quit
            try session.send("BSpace", "BSpace", "Enter")
            try session.wait(for: "\"\(prompt)\"")
            try session.send("g")
            let screen = try session.wait(for: "ready in slot A")
            #expect(screen.contains("test-tone  prompt=\"\(prompt)\" steps=8"), "\(screen)")
            try session.send("e")
            try session.wait(for: "exported 1 file(s)")
            try session.send("q")
            try session.wait(for: "[exited 0 ]")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/project.json"))) as! [String: Any]
        let take = (json["takes"] as! [[String: Any]])[0]
        #expect((take["parameters"] as? [String: Any])?["prompt"] as? String == prompt)
        #expect(json["schema"] as? Int == 2)
        let probe = try FFprobe.json(folder + "/stems/Session_test-00013_FXSTEM_v01.wav")
        let tags = (probe["format"] as! [String: Any])["tags"] as? [String: String] ?? [:]
        #expect(tags["comment"]?.contains("prompt=\"\(prompt)\"") == true, "\(tags)")

        let again = try Tmux("\(foley) open \(folder)", environment: env)
        let screen = try again.wait(for: "prompt=\"\(prompt)\"")
        #expect(screen.contains("\"\(prompt)\""), "the panel shows the prompt the project kept")
        try again.send("q")
        try again.wait(for: "[exited 0 ]")
    }

    /// The workstation in tmux on `folder` with no generator installed.
    func openWithoutGenerators(_ folder: String, device: String, term: String, width: Int = 120, height: Int = 40) throws -> Tmux {
        try Tmux("\(foley) open \(folder)", environment: ["FOLEY_ALSA_DEVICE": device, "TERM": term, "FOLEY_WEIGHTS": dir.file("none")],
                 width: width, height: height)
    }

    @Test func aTerminalTooSmallIsSaidAndQuitStillWorks() throws {
        let folder = try project()
        let session = try openWithoutGenerators(folder, device: "null", term: "tmux-256color", width: 60, height: 20)
        try session.wait(for: "Terminal too small: 60×20")
        // Growing the window brings the workstation back; shrinking it again says so again.
        try session.resize(width: 100, height: 30)
        try session.wait(for: "Generator: none installed")
        try session.resize(width: 79, height: 30)
        try session.wait(for: "Terminal too small: 79×30")
        try session.send("q")
        try session.wait(for: "[exited 0 ]")
    }

    /// The workstation holds the project's lock: `foley export` (or a second `foley open`) on
    /// the same project is refused with the holder's pid until the workstation quits.
    @Test func aSecondWriterIsRefusedWhileTheWorkstationIsOpen() throws {
        let folder = try project()
        let session = try openWithoutGenerators(folder, device: "null", term: "tmux-256color")
        try session.wait(for: "Generator: none installed")
        let export = try Subprocess.run(foley, ["export", folder])
        #expect(export.status == 1 && export.stderr.contains("open in another Foley (pid") && export.stderr.contains("--read-only"), "\(export.stderr)")
        // The second workstation can look read-only: it says so, writes nothing, and quits 0.
        let before = try MediaFixtures.bytes(folder + "/project.json")
        let reader = try Tmux("\(foley) open --read-only \(folder)", environment: ["FOLEY_ALSA_DEVICE": "null", "TERM": "tmux-256color",
                                                                              "FOLEY_WEIGHTS": dir.file("none")], width: 120, height: 40)
        try reader.wait(for: "READ-ONLY")
        try reader.send("e")
        try reader.wait(for: "opened read-only")
        try reader.send("q")
        try reader.wait(for: "nothing was written")
        try reader.wait(for: "[exited 0 ]")
        #expect(try MediaFixtures.bytes(folder + "/project.json") == before)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder + "/stems")) ?? []).isEmpty)
        try session.send("q")
        try session.wait(for: "[exited 0 ]")
        let after = try Subprocess.run(foley, ["export", folder])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/.foley.lock"))
    }

    /// TERM=dumb cannot address the cursor: a clear error and exit 1, not a blank screen.
    @Test func aDumbTerminalIsRefusedWithAReason() throws {
        let folder = try project()
        let session = try openWithoutGenerators(folder, device: "null", term: "dumb")
        try session.wait(for: "cannot start the terminal UI for TERM=dumb")
        try session.wait(for: "[exited 1 ]")
    }

    @Test func theDemoSaysPlainlyWhenNoGeneratorIsInstalled() throws {
        let folder = try project()
        let session = try openWithoutGenerators(folder, device: "no-such-device", term: "tmux-256color")
        try session.wait(for: "Generator: none installed")
        try session.wait(for: "NO AUDIO DEVICE")
        try session.send("g")
        try session.wait(for: "no generator installed in")
        try session.send("q")
        try session.wait(for: "[exited 0 ]")
    }
}

@Suite struct OpenErrorsTests {
    let foley = BuiltProducts.path("foley")

    @Test func aDamagedProjectIsReportedAndLeftUntouched() throws {
        let dir = try TempDirectory("foley-open")
        defer { dir.remove() }
        let folder = dir.file("P")
        #expect(try Subprocess.run(foley, ["new", folder, Fixtures.repositoryRoot + "/Projects/demo/clips/test-00071.mp4"]).status == 0)
        let damaged = Array(try MediaFixtures.bytes(folder + "/project.json").prefix(120))
        dir.write("P/project.json", damaged)
        let r = try Subprocess.run(foley, ["open", folder])
        #expect(r.status == 1)
        #expect(r.stderr.contains("project.json: project file is damaged and was left untouched"))
        #expect(try MediaFixtures.bytes(folder + "/project.json") == damaged)
    }

    @Test func anUnknownThemeNamesTheOnesThereAre() throws {
        let r = try Subprocess.run(foley, ["open", Fixtures.repositoryRoot + "/Projects/demo", "--theme", "neon"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("theme 'neon' not found") && r.stderr.contains("dark, high-contrast"))
    }

    @Test func withoutATerminalItSaysSo() throws {
        let r = try Subprocess.run(foley, ["open", Fixtures.repositoryRoot + "/Projects/demo"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("not a terminal"))
    }
}
