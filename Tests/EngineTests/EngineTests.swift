import Engine
import Foundation
import Generators
import Media
import TestGenerator
import TestHelpers
import Testing

/// The engine end to end without a terminal: the test-tone generator, the shipped visual
/// encoder, a real project folder and ALSA's null device.
@Suite(.serialized) final class EngineTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-engine") }
    deinit { dir.remove() }

    static func clip() throws -> String {
        try MediaFixtures.clip("engine-clip.mp4", ["-f", "lavfi", "-i", "testsrc=s=160x120:r=25:d=3", "-c:v", "libx264", "-pix_fmt", "yuv420p"])
    }

    func makeEngine(device: String = "null", clips: [String]? = nil, tracks: [String]? = nil) throws -> (Engine, ProjectStore) {
        let store = try ProjectStore.create(folder: dir.file("P-\(UUID().uuidString.prefix(4))"), clips: clips ?? [try Self.clip()], tracks: tracks)
        let encoder = try VisualEncoder(bundle: ModelBundle(named: "visual-encoder", kind: "visual-encoder"))
        let catalog = GeneratorCatalog(generators: [TestToneGenerator(windowSamples: 32768)], visualEncoder: encoder)
        return (Engine(store: store, catalog: catalog, player: Player(deviceName: device)), store)
    }

    func settle(_ e: Engine) { e.waitIdle(); e.waitIdle() }

    @Test func generateThenRegenerateFillsSlotsAAndBAndReproducesFromTheSeed() throws {
        let (e, store) = try makeEngine()
        defer { e.shutdown() }
        settle(e)
        e.send(.generate)
        settle(e)
        var s = e.snapshot()
        #expect(s.takes.count == 1)
        let first = try #require(s.takes.first)
        #expect(s.slotA == first.id && s.heard == first.id && s.mel != nil)
        #expect(first.seed == 1 && first.generator == "test-tone" && first.parameters == Self.toneDefaults)
        let audio = try WAVAudio.read(path: store.resolve(first.file))
        #expect(abs(Double(audio.samples.count) / 22050 - 3) < 0.01)

        e.send(.generate)                      // seed advanced to 2
        settle(e)
        s = e.snapshot()
        #expect(s.takes.count == 2 && s.slotA == s.takes[1].id && s.slotB == first.id && s.takes[1].seed == 2)
        e.send(.compare(.b))
        settle(e)
        #expect(e.snapshot().heard == first.id && e.snapshot().side == .b)

        // Seed back to 1: the same take, bit for bit.
        e.send(.adjust(.seed, steps: -2))
        e.send(.generate)
        settle(e)
        let again = try #require(e.snapshot().takes.last)
        #expect(again.seed == 1)
        #expect(try WAVAudio.read(path: store.resolve(again.file)).samples == audio.samples)

        // Everything was autosaved: a fresh open sees the takes, the chosen take and the sliders.
        let reopened = try ProjectStore.open(folder: store.folder)
        #expect(reopened.project.takes.count == 3)
        #expect(reopened.project.chosen?[Project.chosenKey(clip: first.clip, track: "FX")] == again.id)
        #expect(reopened.project.settings?["test-tone"]?["seed"] == 2)
    }

    /// Every parameter the test-tone generator declares, as a take records it (all kinds).
    static let toneDefaults: [String: ParameterValue] = ["steps": 8, "temperature": 1, "tone": "sine", "prompt": "", "negative_prompt": "", "draft": false]

    @Test func aDraftTakeRendersAgainAtFullQualityWithItsOwnSeed() throws {
        let (e, store) = try makeEngine()
        defer { e.shutdown() }
        settle(e)
        e.send(.adjust(.draft, steps: 1))
        e.send(.generate)                      // seed 1, Draft on; the slider moves on to 2
        settle(e)
        let draft = try #require(e.snapshot().takes.last)
        #expect(draft.parameters["draft"] == true && draft.seed == 1)
        e.send(.renderFullQuality)
        settle(e)
        var s = e.snapshot()
        let full = try #require(s.takes.last)
        #expect(s.takes.count == 2 && full.seed == 1 && full.parameters == Self.toneDefaults)
        #expect(s.slotA == full.id && s.slotB == draft.id && s.values[.seed] == 2, "the seed slider stays where g left it")
        // The same as generating seed 1 with Draft off from the sliders.
        e.send(.adjust(.draft, steps: -1))
        e.send(.adjust(.seed, steps: -1))
        e.send(.generate)
        settle(e)
        let direct = try #require(e.snapshot().takes.last)
        let fullAudio = try WAVAudio.read(path: store.resolve(full.file)).samples
        #expect(try WAVAudio.read(path: store.resolve(direct.file)).samples == fullAudio)
        #expect(try WAVAudio.read(path: store.resolve(draft.file)).samples != fullAudio)
        // A full-quality take has nothing to render again.
        e.send(.renderFullQuality)
        settle(e)
        s = e.snapshot()
        #expect(s.takes.count == 3 && s.message?.text.contains("already at full quality") == true)
    }

    @Test func inpaintingReplacesOnlyTheSelectedSpan() throws {
        let (e, store) = try makeEngine()
        defer { e.shutdown() }
        e.send(.generate)
        settle(e)
        let source = try #require(e.snapshot().takes.first)
        e.send(.seek(1.0)); e.send(.markIn); e.send(.seek(2.0)); e.send(.markOut)
        e.send(.adjust(.temperature, steps: 10))
        e.send(.inpaint)
        settle(e)
        let s = e.snapshot()
        #expect(s.selection == 1.0...2.0)
        let fixed = try #require(s.takes.last)
        #expect(fixed.span == 1.0...2.0 && fixed.id != source.id && s.heard == fixed.id)
        let a = try WAVAudio.read(path: store.resolve(source.file)).samples
        let b = try WAVAudio.read(path: store.resolve(fixed.file)).samples
        #expect(a.count == b.count)
        for i in a.indices where i < 22050 || i >= 44100 { if a[i] != b[i] { Issue.record("sample \(i) outside the span changed"); break } }
        #expect((22050 + 441..<44100 - 441).contains { a[$0] != b[$0] })
        #expect(try ProjectStore.open(folder: store.folder).project.selections.values.first == Project.Selection(start: 1, end: 2))
    }

    @Test func inpaintingWithoutASelectionSaysWhatToDo() throws {
        let (e, _) = try makeEngine()
        defer { e.shutdown() }
        e.send(.inpaint)
        settle(e)
        #expect(e.snapshot().message?.isError == true)
        #expect(e.snapshot().message?.text.contains("I and O") == true)
    }

    @Test func aClipDeletedFromUnderAnOpenProjectIsReportedAndNothingElseBreaks() throws {
        let copy = dir.file("doomed.mp4")
        try FileManager.default.copyItem(atPath: try Self.clip(), toPath: copy)
        let (e, store) = try makeEngine(clips: [copy])
        defer { e.shutdown() }
        e.send(.generate)
        settle(e)
        try FileManager.default.removeItem(atPath: copy)
        e.features(forget: "doomed")
        e.send(.generate)
        settle(e)
        let s = e.snapshot()
        #expect(s.message?.isError == true)
        #expect(s.message?.text.contains(copy) == true)
        #expect(s.clips.first?.missing == true)
        // The existing take still plays, selections still save.
        e.send(.togglePlay)
        e.send(.markIn)
        settle(e)
        #expect(s.takes.count == 1)
        #expect(try ProjectStore.open(folder: store.folder).missingClips == ["doomed"])
    }

    @Test func withoutAnAudioDeviceThePlayheadStillRuns() throws {
        let (e, _) = try makeEngine(device: "no-such-device-\(getpid())")
        defer { e.shutdown() }
        e.send(.generate)
        settle(e)
        guard case .unavailable(let reason) = e.snapshot().device else { Issue.record("device should be unavailable"); return }
        #expect(reason.contains("no-such-device"))
        e.send(.togglePlay)
        settle(e)
        usleep(300_000)
        let s = e.snapshot()
        #expect(s.playing && s.cursor > 0.1)
    }

    @Test func withNoGeneratorInstalledTheEngineSaysSo() throws {
        let store = try ProjectStore.create(folder: dir.file("Empty"), clips: [try Self.clip()])
        let catalog = GeneratorCatalog.load(directory: dir.file("no-weights"), factories: [:])
        let e = Engine(store: store, catalog: catalog, player: Player(deviceName: "null"))
        defer { e.shutdown() }
        e.send(.generate)
        settle(e)
        let s = e.snapshot()
        #expect(s.generators.isEmpty)
        #expect(s.generatorUnavailable?.contains("no generator installed") == true)
        #expect(s.message?.isError == true && s.takes.isEmpty)
    }

    @Test func eachTrackHasItsOwnTakesAndStem() throws {
        let (e, store) = try makeEngine(tracks: ["FX", "BG"])
        defer { e.shutdown() }
        e.send(.generate)
        settle(e)
        e.send(.nextTrack)
        settle(e)
        #expect(e.snapshot().track == "BG" && e.snapshot().takes.isEmpty)
        e.send(.generate)
        e.send(.generate)
        settle(e)
        #expect(e.snapshot().takes.count == 1, "the second request superseded the first")
        #expect(store.project.takes.map { store.project.track(of: $0) } == ["FX", "BG"])
        e.send(.export(StemExporter.Format()))
        settle(e)
        let stems = try FileManager.default.contentsOfDirectory(atPath: store.folder + "/stems").sorted()
        #expect(stems.count == 2 && stems[0].contains("_BGSTEM_v01") && stems[1].contains("_FXSTEM_v01"))
        #expect(throws: ProjectError.unknownTrack("DX")) {
            try store.addTake(clip: store.project.clips[0].id, samples: [0], sampleRate: 22050, generator: "g", weightsHash: "0",
                              parameters: [:], seed: 1, track: "DX")
        }
    }

    @Test func aBrokenGeneratorBundleIsNamedWithItsProblem() throws {
        let weights = try TestBundles.weightsWithTestTone(in: dir.path)
        let file = weights + "/test-tone/weights.safetensors"
        let bytes = try MediaFixtures.bytes(file)
        try Data(bytes.prefix(bytes.count - 3)).write(to: URL(fileURLWithPath: file))
        let catalog = GeneratorCatalog.load(directory: weights, factories: [TestToneGenerator.kind: { try TestToneGenerator(bundle: $0) }])
        #expect(catalog.generators.isEmpty)
        let reason = try #require(catalog.unavailableReason)
        #expect(reason.contains("test-tone") && reason.contains("weights.safetensors") && reason.contains("truncated"))
    }
}
