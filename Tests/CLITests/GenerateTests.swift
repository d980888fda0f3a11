import Foundation
import Media
import TestHelpers
import Testing

/// `foley generate` end to end on a real clip with the tiny random SpecVQGAN bundle: whole
/// clip length, bit-exact reproduction from the seed, the sliders' options reaching the
/// sampler, and plain errors for options the generator does not read.
@Suite struct GenerateTests {
    let foley = BuiltProducts.path("foley")

    func clip() throws -> String {
        // 2.3 s: not a whole number of 64-frame windows, so the last window is cut.
        try MediaFixtures.clip("gen-clip.mp4", ["-f", "lavfi", "-i", "testsrc=s=160x120:r=25:d=2.3", "-c:v", "libx264", "-pix_fmt", "yuv420p"])
    }

    func generate(_ weights: String, _ args: [String]) throws -> ProcessResult {
        try Subprocess.run(foley, ["generate", "--weights", weights, "--generator", "specvqgan"] + args)
    }

    @Test func wholeClipReproducesFromItsSeed() throws {
        let dir = try TempDirectory("generate")
        defer { dir.remove() }
        let weights = try TestBundles.weightsWithTinySpecVQGAN(in: dir.path)
        let clip = try clip()
        var takes: [String: [Float]] = [:]
        for (name, args) in [("a", ["--seed", "5", "--top-x", "8"]), ("b", ["--seed", "5", "--top-x", "8"]),
                             ("c", ["--seed", "6", "--top-x", "8"]), ("d", ["--seed", "5", "--top-x", "8", "--temperature", "0"]),
                             ("e", ["--seed", "6", "--top-x", "8", "--temperature", "0"]), ("f", ["--seed", "5", "--vocoder", "griffin-lim"]),
                             ("g", ["--seed", "5", "--top-x", "8", "--candidates", "3"]), ("h", ["--seed", "5", "--top-x", "8", "--candidates", "3"])] {
            // The raw vocoder: the tiny bundle's random weights decode to mels that the default
            // envelope match saturates into one full-scale signal whatever the seed.
            let renderer = args.contains("--vocoder") ? [] : ["--vocoder", "melgan-raw"]
            let r = try generate(weights, args + renderer + [clip, "-o", dir.file("\(name).wav")])
            #expect(r.status == 0, "\(r.stderr)")
            let wav = try WAVAudio.read(path: dir.file("\(name).wav"))
            #expect(wav.sampleRate == 22050)
            takes[name] = wav.samples
        }
        #expect(takes["a"]!.count == Int((try MediaInfo.probe(path: clip).duration * 22050).rounded()) && takes["a"]!.count > 2 * 16384)
        #expect(takes["a"] == takes["b"], "same seed and settings must give the same samples")
        #expect(takes["a"] != takes["c"], "another seed must give another take")
        // Temperature 0 is greedy: the seed no longer matters.
        #expect(takes["d"] == takes["e"])
        #expect(takes["f"]!.count == takes["a"]!.count && takes["f"] != takes["a"])
        #expect(takes["a"]!.allSatisfy { $0.isFinite })
        // Ranked candidates reproduce too: every candidate's seed follows from the take's.
        #expect(takes["g"] == takes["h"] && takes["g"]!.count == takes["a"]!.count)
    }

    @Test func severalClipsGoToAFolderNamedByClip() throws {
        let dir = try TempDirectory("generate-many")
        defer { dir.remove() }
        let weights = try TestBundles.weightsWithTinySpecVQGAN(in: dir.path)
        let one = try clip()
        let two = dir.file("second.mp4")
        try FileManager.default.copyItem(atPath: one, toPath: two)
        let r = try generate(weights, ["--temperature", "0", one, two, "-o", dir.file("out")])
        #expect(r.status == 0, "\(r.stderr)")
        let a = try WAVAudio.read(path: dir.file("out/gen-clip.wav")), b = try WAVAudio.read(path: dir.file("out/second.wav"))
        #expect(a.samples == b.samples)
    }

    /// A truncated clip is worked on for its decodable part with one warning wording in `info`,
    /// `new` and `generate` (and the project records the decodable duration, so the UI agrees).
    @Test func aTruncatedClipIsUsedForItsDecodablePartWithAWarning() throws {
        let dir = try TempDirectory("generate-truncated")
        defer { dir.remove() }
        let weights = try TestBundles.weightsWithTinySpecVQGAN(in: dir.path)
        let long = try MediaFixtures.clip("gen-long.mp4", ["-f", "lavfi", "-i", "testsrc=s=160x120:r=25:d=6", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                                                            "-movflags", "+faststart"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: long))
        let cut = dir.file("cut.mp4")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
        let info = try Subprocess.run(foley, ["info", cut])
        #expect(info.status == 0 && info.stderr.contains("is truncated: its video decodes to") && info.stdout.contains("TRUNCATED"), "\(info.stderr)")
        let new = try Subprocess.run(foley, ["new", dir.file("P"), cut])
        #expect(new.status == 0 && new.stderr.contains("is truncated"), "\(new.stderr)")
        let project = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("P/project.json")))) as! [String: Any]
        let duration = try #require(((project["clips"] as? [[String: Any]])?.first?["duration"] as? Double))
        #expect(duration > 0.5 && duration < 5.5, "recorded \(duration) s")
        let gen = try generate(weights, [cut, "-o", dir.file("x.wav")])
        #expect(gen.status == 0 && gen.stderr.contains("is truncated"), "\(gen.stderr)")
        let take = try WAVAudio.read(path: dir.file("x.wav"))
        #expect(abs(Double(take.frameCount) / 22050 - duration) < 0.01)
        let whole = try Subprocess.run(foley, ["info", long])
        #expect(!whole.stderr.contains("truncated") && !whole.stdout.contains("TRUNCATED"))
    }

    /// `-o` is checked before any work, and only a regular file (or nothing) is ever replaced.
    @Test func outputTargetsThatAreNotRegularFilesAreRefusedUpFront() throws {
        let dir = try TempDirectory("generate-target")
        defer { dir.remove() }
        let weights = try TestBundles.weightsWithTinySpecVQGAN(in: dir.path)
        let clip = try clip()
        let noFolder = try generate(weights, [clip, "-o", dir.file("missing/take.wav")])
        #expect(noFolder.status != 0 && noFolder.stderr.contains("the folder \(dir.file("missing")) does not exist"), "\(noFolder.stderr)")
        #expect(mkfifo(dir.file("fifo"), 0o644) == 0)
        let fifo = try generate(weights, [clip, "-o", dir.file("fifo")])
        #expect(fifo.status != 0 && fifo.stderr.contains("not a regular file"), "\(fifo.stderr)")
        let victim = dir.file("victim.txt")
        try Data("keep".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.wav"), withDestinationPath: victim)
        let link = try generate(weights, [clip, "-o", dir.file("link.wav")])
        #expect(link.status != 0 && link.stderr.contains("not a regular file"), "\(link.stderr)")
        let type = try FileManager.default.attributesOfItem(atPath: dir.file("fifo"))[.type] as? FileAttributeType
        #expect(type != .typeRegular && type != nil)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.file("link.wav")) == victim)
    }

    @Test func optionsTheGeneratorDoesNotReadAreErrors() throws {
        let dir = try TempDirectory("generate-bad")
        defer { dir.remove() }
        let weights = try TestBundles.weightsWithTinySpecVQGAN(in: dir.path)
        let clip = try clip()
        let cfg = try generate(weights, ["--cfg-scale", "3", clip, "-o", dir.file("x.wav")])
        #expect(cfg.status != 0 && cfg.stderr.contains("--cfg-scale: specvqgan does not use cfg_scale"), "\(cfg.stderr)")
        let range = try generate(weights, ["--top-x", "999", clip, "-o", dir.file("x.wav")])
        #expect(range.status != 0 && range.stderr.contains("top_x: got [999], expected [1…32"), "\(range.stderr)")
        let candidates = try generate(weights, ["--candidates", "9", clip, "-o", dir.file("x.wav")])
        #expect(candidates.status != 0 && candidates.stderr.contains("candidates: got [9], expected [1…8"), "\(candidates.stderr)")
        // The tiny bundle ships no draft vocoder: --draft says so instead of rendering at full size.
        let draft = try generate(weights, ["--draft", clip, "-o", dir.file("x.wav")])
        #expect(draft.status != 0 && draft.stderr.contains("does not use draft"))
        let prompt = try generate(weights, ["--prompt", "door slam", clip, "-o", dir.file("x.wav")])
        #expect(prompt.status != 0 && prompt.stderr.contains("--prompt: specvqgan does not use prompt"), "\(prompt.stderr)")
        let vocoder = try generate(weights, ["--vocoder", "wavenet", clip, "-o", dir.file("x.wav")])
        #expect(vocoder.status != 0 && vocoder.stderr.contains("vocoder: got [wavenet], expected [one of melgan, melgan-raw, griffin-lim]"), "\(vocoder.stderr)")
        let missing = try Subprocess.run(foley, ["generate", "--weights", weights, "--generator", "nope", clip, "-o", dir.file("x.wav")])
        #expect(missing.status != 0 && missing.stderr.contains("no generator 'nope'") && missing.stderr.contains("installed: specvqgan"))
        let broken = try Subprocess.run(foley, ["generate", "--weights", weights, dir.file("none.mp4"), "-o", dir.file("x.wav")])
        #expect(broken.status == 1 && broken.stderr.contains("none.mp4"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("x.wav")))
    }

    @Test func reconstructPassesTheClipsOwnAudioThroughTheCodecAndVocoder() throws {
        let dir = try TempDirectory("generate-floor")
        defer { dir.remove() }
        let weights = try TestBundles.weightsWithTinySpecVQGAN(in: dir.path)
        let withAudio = try MediaFixtures.clip("gen-clip-audio.mp4", ["-f", "lavfi", "-i", "testsrc=s=160x120:r=25:d=1.5", "-f", "lavfi",
                                                                      "-i", "sine=frequency=330:d=1.5", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"])
        let r = try generate(weights, ["--reconstruct", withAudio, "-o", dir.file("floor.wav")])
        #expect(r.status == 0, "\(r.stderr)")
        let floor = try WAVAudio.read(path: dir.file("floor.wav"))
        #expect(floor.samples.count == Int((try MediaInfo.probe(path: withAudio).duration * 22050).rounded()))
        let silent = try generate(weights, ["--reconstruct", try clip(), "-o", dir.file("none.wav")])
        #expect(silent.status != 0 && silent.stderr.contains("has no audio stream"))
    }
}

/// `foley generators` lists what is installed and how to set it; `--set` sets any parameter.
@Suite struct GeneratorListTests {
    let foley = BuiltProducts.path("foley")

    @Test func theShippedGeneratorIsListedWithItsParameters() throws {
        let r = try Subprocess.run(foley, ["generators"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("specvqgan  weights ") && r.stdout.contains("--set top_x=") && r.stdout.contains("Top-X: 1…"))
        #expect(r.stdout.contains("shared visual encoder: 128-d"))
    }

    @Test func anUnreadableBundleIsListedWithItsReason() throws {
        let dir = try TempDirectory("foley-generators")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.file("broken"), withIntermediateDirectories: true)
        try "{ not json".write(toFile: dir.file("broken/config.json"), atomically: true, encoding: .utf8)
        let r = try Subprocess.run(foley, ["generators", "--weights", dir.path])
        #expect(r.status == 1 && r.stdout.contains("NOT LOADED: broken:"), "\(r.stdout)")
    }

    @Test func setRefusesUnknownNamesAndBadValues() throws {
        let clip = Fixtures.repositoryRoot + "/Projects/demo/clips/test-00013.mp4"
        for (setting, expected) in [("loudness=3", "expected [one of"), ("top_x=abc", "top_x: got [abc], expected [1…"), ("top_x", "expected [name=value]"),
                                    ("top_x=999999", "top_x: got [999999]"), ("vocoder=rk4", "expected [one of melgan"), ("draft=maybe", "expected [on or off]")] {
            let r = try Subprocess.run(foley, ["generate", clip, "-o", "/tmp/never-\(UUID().uuidString).wav", "--set", setting])
            #expect(r.status != 0 && r.stderr.contains(expected), "\(setting): \(r.stderr)")
        }
        let twice = try Subprocess.run(foley, ["generate", clip, "-o", "/tmp/never.wav", "--top-x", "8", "--set", "top_x=9"])
        #expect(twice.status != 0 && twice.stderr.contains("given twice"))
    }

    /// Any generator's parameters, generically: a choice, a switch, a prompt and a negative
    /// prompt on the test-tone generator change its take; the same settings reproduce it.
    @Test func promptsChoicesAndSwitchesReachTheGenerator() throws {
        let dir = try TempDirectory("generate-prompt")
        defer { dir.remove() }
        let weights = try TestBundles.weightsWithTestTone(in: dir.path)
        let clip = Fixtures.repositoryRoot + "/Projects/demo/clips/test-00013.mp4"
        var env = ProcessInfo.processInfo.environment
        env["FOLEY_TEST_GENERATOR"] = "1"
        func take(_ name: String, _ args: [String]) throws -> [Float] {
            let r = try Subprocess.run(foley, ["generate", "--weights", weights, "--generator", "test-tone", clip, "-o", dir.file(name)] + args, environment: env)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            return try WAVAudio.read(path: dir.file(name)).samples
        }
        let plain = try take("plain.wav", [])
        let prompted = try take("prompt.wav", ["--prompt", "rain on a tin roof — 雨"])
        let again = try take("again.wav", ["--set", "prompt=rain on a tin roof — 雨"])
        let negative = try take("negative.wav", ["--negative-prompt", "music"])
        let square = try take("square.wav", ["--set", "tone=square", "--set", "draft=on"])
        #expect(prompted != plain && negative != plain && square != plain)
        #expect(again == prompted, "--prompt and --set prompt= are the same parameter")
    }
}

