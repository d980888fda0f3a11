import Engine
import Foundation
import Generators
import Media
import TestGenerator
import TestHelpers
import Testing

/// Takes at 44.1 kHz through the engine: written by the full-band renderer (the tiny fixture
/// vocoder), recorded with their rate, played, inpainted and exported at it; a 22.05 kHz take
/// from before plays, compares, inpaints and exports beside them.
@Suite(.serialized) final class FullBandEngineTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-fullband-engine") }
    deinit { dir.remove() }

    func makeEngine(fullBand: Bool = true) throws -> (Engine, ProjectStore) {
        let store = try ProjectStore.create(folder: dir.file("P-\(UUID().uuidString.prefix(4))"), clips: [try EngineTests.clip()])
        let encoder = try VisualEncoder(bundle: ModelBundle(named: "visual-encoder", kind: "visual-encoder"))
        let renderer = try FullBandRenderer(bundle: ModelBundle(path: Fixtures.path("models/fullband-tiny"), kind: FullBandVocoder.kind))
        let catalog = GeneratorCatalog(generators: [TestToneGenerator(windowSamples: 32768)], visualEncoder: encoder,
                                       fullBand: fullBand ? renderer : nil)
        return (Engine(store: store, catalog: catalog, player: Player(deviceName: "null")), store)
    }

    func settle(_ e: Engine) { e.waitIdle(); e.waitIdle() }

    @Test func aTakeIsWrittenAndRecordedAt44100AndItsInpaintKeepsTheRestBitForBit() throws {
        let (e, store) = try makeEngine()
        defer { e.shutdown() }
        e.send(.generate)
        settle(e)
        let take = try #require(e.snapshot().takes.first)
        #expect(take.sampleRate == 44100 && take.rate == 44100)
        let fixture = try ModelBundle(path: Fixtures.path("models/fullband-tiny"), kind: FullBandVocoder.kind).weightsHash
        #expect(take.fullBandWeights == fixture, "the renderer's weights are recorded beside the generator's")
        let wav = try WAVAudio.read(path: store.resolve(take.file))
        #expect(wav.sampleRate == 44100 && abs(Double(wav.samples.count) / 44100 - 3) < 0.01)
        #expect(e.snapshot().mel != nil, "the mel view reads a 44.1 kHz take at the working rate")
        #expect(try ProjectStore.open(folder: store.folder).project.takes.first?.sampleRate == 44100)

        e.send(.seek(1.0)); e.send(.markIn); e.send(.seek(2.0)); e.send(.markOut)
        e.send(.adjust(.temperature, steps: 10))
        e.send(.inpaint)
        settle(e)
        let fixed = try #require(e.snapshot().takes.last)
        #expect(fixed.id != take.id && fixed.span == 1.0...2.0 && fixed.rate == 44100 && fixed.fullBandWeights == fixture)
        let a = wav.samples, b = try WAVAudio.read(path: store.resolve(fixed.file)).samples
        #expect(a.count == b.count)
        for i in a.indices where i < 44100 || i >= 88200 { if a[i] != b[i] { Issue.record("sample \(i) outside the span changed"); break } }
        #expect((44100 + 882..<88200 - 882).contains { a[$0] != b[$0] })
        // No click at the edges: the step across each edge is no bigger than the take's own steps.
        let steps = (1..<a.count).map { abs(b[$0] - b[$0 - 1]) }
        let typical = (1..<a.count).map { abs(a[$0] - a[$0 - 1]) }.max()!
        #expect(steps[44099] <= 1.5 * typical + 1e-3 && steps[88199] <= 1.5 * typical + 1e-3)
    }

    @Test func aWorkingRateTakeFromBeforePlaysComparesInpaintsAndExportsBesideAFullBandOne() throws {
        let (e, store) = try makeEngine()
        defer { e.shutdown() }
        settle(e)
        let clip = store.project.clips[0].id
        let old = (0..<(22050 * 3)).map { Float(0.3 * sin(2 * Double.pi * 440 * Double($0) / 22050)) }
        let legacy = try store.addTake(clip: clip, samples: old, sampleRate: 22050, generator: "test-tone", weightsHash: "0",
                                       parameters: [:], seed: 1)
        #expect(legacy.sampleRate == 22050)
        e.send(.previousClip)                  // the clip again: the engine reads its takes, the legacy one in A
        e.send(.generate)
        settle(e)
        var s = e.snapshot()
        #expect(s.takes.count == 2 && s.slotA != legacy.id && s.slotB == legacy.id)
        // A/B at the same position across the two rates.
        e.send(.seek(1.5))
        e.send(.compare(.b))
        settle(e)
        s = e.snapshot()
        #expect(s.heard == legacy.id && abs(s.cursor - 1.5) < 0.05 && s.mel != nil)
        // Inpainting a 22.05 kHz take stays at its rate.
        e.send(.seek(1.0)); e.send(.markIn); e.send(.seek(2.0)); e.send(.markOut)
        e.send(.inpaint)
        settle(e)
        let fixed = try #require(e.snapshot().takes.last)
        #expect(fixed.rate == 22050 && fixed.span == 1.0...2.0 && fixed.fullBandWeights == nil)
        let b = try WAVAudio.read(path: store.resolve(fixed.file))
        #expect(b.sampleRate == 22050 && b.samples.count == old.count)
        for i in old.indices where i < 22050 || i >= 44100 { if old[i] != b.samples[i] { Issue.record("sample \(i) changed"); break } }
        // Both rates export at 48 kHz / 24-bit, as long as the clip.
        for id in [legacy.id, s.slotA!] {
            try store.update { $0.chosen = [Project.chosenKey(clip: clip, track: "FX"): id] }
            let path = try #require(StemExporter.export(store).written.first)
            let stem = try WAVAudio.read(path: path)
            #expect(stem.sampleRate == 48000 && abs(Double(stem.frameCount) / 48000 - 3) < 0.01)
            let comment = (try FFprobe.json(path)["format"] as? [String: Any])?["tags"] as? [String: String]
            #expect(comment?["comment"]?.contains("fullband=") == (id != legacy.id), "\(comment ?? [:])")
        }
    }

    @Test func withoutTheRendererTakesStayAtTheWorkingRate() throws {
        let (e, store) = try makeEngine(fullBand: false)
        defer { e.shutdown() }
        e.send(.generate)
        settle(e)
        let take = try #require(e.snapshot().takes.first)
        let wav = try WAVAudio.read(path: store.resolve(take.file))
        #expect(take.rate == 22050 && wav.sampleRate == 22050 && take.fullBandWeights == nil)
    }

    @Test func aTakeRecordWithoutARateReadsAs22050() throws {
        let json = #"{"id":"c-1","clip":"c","generator":"g","weightsHash":"0","parameters":{},"seed":1,"file":"takes/c-1.wav","created":0}"#
        let take = try JSONDecoder().decode(Project.Take.self, from: Data(json.utf8))
        #expect(take.sampleRate == nil && take.rate == 22050)
    }
}
