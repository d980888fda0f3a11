@testable import Engine
import Foundation
@testable import Generators
import Media
import Runtime
import TestGenerator
import TestHelpers
import Testing

/// Issue 25's items that live in the engine: read-only opening beside a writer, export on its
/// worker, caches bounded by bytes, and visual features streamed in chunks.
@Suite(.serialized) final class HardeningTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-hardening") }
    deinit { dir.remove() }

    func project() throws -> ProjectStore {
        try ProjectStore.create(folder: dir.file("P-\(UUID().uuidString.prefix(4))"), clips: [try EngineTests.clip()])
    }

    func take(_ store: ProjectStore) throws {
        try store.addTake(clip: store.project.clips[0].id, samples: [Float](repeating: 0.1, count: 22050), sampleRate: 22050,
                          generator: "g", weightsHash: "0", parameters: [:], seed: 1)
    }

    /// The second process is told who has the project and can still look: nothing is written,
    /// not even the writer's temporaries are cleaned, and takes and stems are refused up front.
    @Test func aSecondProcessOpensReadOnlyAndWritesNothing() throws {
        let writer = try project()
        try take(writer)
        let (_, lock) = try ProjectStore.openForWriting(folder: writer.folder)
        defer { lock.release() }
        #expect { try ProjectStore.openForWriting(folder: writer.folder) } throws: { "\($0)".contains("--read-only") }
        let temporary = writer.folder + "/takes/.x.wav.tmp-123"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: temporary))
        let before = try MediaFixtures.bytes(writer.projectFile)

        #expect(FileManager.default.fileExists(atPath: writer.folder + "/" + ProjectLock.fileName), "\(lock.path)")
        let reader = try ProjectStore.openReadOnly(folder: writer.folder)
        #expect(reader.readOnlyReason?.contains("pid \(getpid())") == true, "\(reader.readOnlyReason ?? "nil")")
        #expect(FileManager.default.fileExists(atPath: temporary), "the writer's temporary is not the reader's to clean")
        try reader.update { $0.chosen = ["x/FX": "y"] }
        #expect(reader.unsavedReason == nil && reader.project.chosen?["x/FX"] == "y")
        #expect(throws: ProjectError.self) { try self.take(reader) }
        #expect { try StemExporter.export(reader) } throws: { "\($0)".contains("read-only") }
        #expect(try MediaFixtures.bytes(writer.projectFile) == before)
        let stems = (try? FileManager.default.contentsOfDirectory(atPath: writer.folder + "/stems")) ?? []
        #expect(stems.isEmpty)

        let encoder = try VisualEncoder(bundle: ModelBundle(named: "visual-encoder", kind: "visual-encoder"))
        let engine = Engine(store: reader, catalog: GeneratorCatalog(generators: [TestToneGenerator(windowSamples: 32768)], visualEncoder: encoder),
                            player: Player(deviceName: "null"))
        defer { engine.shutdown() }
        engine.waitIdle()
        #expect(engine.snapshot().readOnly != nil)
        engine.send(.generate)
        engine.waitIdle()
        let s = engine.snapshot()
        #expect(s.takes.count == 1 && s.message?.isError == true && s.message?.text.contains("read-only") == true)
        #expect(reader.project.takes.count == 1)
    }

    /// Export runs on its worker and says what it wrote; stopping between stems keeps only
    /// complete files.
    @Test func exportRunsOnItsWorkerAndStopsBetweenStems() throws {
        let store = try project()
        try take(store)
        #expect { try StemExporter.export(store, progress: { _ in false }) } throws: { error in
            (error as? StemExporter.ExportCancelled)?.written.isEmpty == true
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.folder + "/stems").isEmpty)
        var fractions: [Double] = []
        _ = try StemExporter.export(store, progress: { fractions.append($0); return true })
        #expect(fractions == [0])

        let encoder = try VisualEncoder(bundle: ModelBundle(named: "visual-encoder", kind: "visual-encoder"))
        let engine = Engine(store: store, catalog: GeneratorCatalog(generators: [TestToneGenerator(windowSamples: 32768)], visualEncoder: encoder),
                            player: Player(deviceName: "null"))
        defer { engine.shutdown() }
        engine.send(.export(StemExporter.Format()))
        engine.send(.export(StemExporter.Format()))
        engine.waitIdle(); engine.waitIdle()
        let stems = try FileManager.default.contentsOfDirectory(atPath: store.folder + "/stems").sorted()
        #expect(stems.count == 3 && stems.last?.hasSuffix("_v03.wav") == true, "a second export queues, never supersedes: \(stems)")
        #expect(engine.snapshot().message?.text.contains("exported 1 file(s)") == true)
    }

    @Test func cachesKeepTheNewestEntryAndStayWithinTheirBudget() {
        let cache = LRUCache<String, [Float]>(capacity: 8, budget: 100) { $0.count }
        cache["a"] = [Float](repeating: 0, count: 60)
        cache["b"] = [Float](repeating: 0, count: 30)
        _ = cache["a"]                                      // touched: now the newest
        cache["c"] = [Float](repeating: 0, count: 30)      // 120 > 100: the oldest (b) goes
        #expect(cache["a"] != nil && cache["b"] == nil && cache["c"] != nil)
        cache["huge"] = [Float](repeating: 0, count: 500)  // over budget alone: kept, the rest go
        #expect(cache["huge"] != nil && cache["a"] == nil && cache["c"] == nil)
    }

    /// Features streamed in chunks equal the whole clip through the encoder at once, and the
    /// frames come in order, in chunks of the size asked for.
    @Test func featuresStreamedInChunksMatchTheWholeClip() throws {
        let clip = try EngineTests.clip()
        let encoder = try VisualEncoder(bundle: ModelBundle(named: "visual-encoder", kind: "visual-encoder"))
        let reader = try VideoReader(path: clip)
        let all = try reader.frames(rate: VideoReader.featureRate, shape: .square(VisualEncoder.frameSize))
        var chunks: [[RGBImage]] = []
        try reader.forEachChunk(rate: VideoReader.featureRate, shape: .square(VisualEncoder.frameSize), chunk: 7) { chunks.append($0); return true }
        #expect(chunks.dropLast().allSatisfy { $0.count == 7 } && chunks.flatMap { $0 }.map(\.pixels) == all.map(\.pixels))
        var seen = 0
        try reader.forEachChunk(rate: VideoReader.featureRate, shape: .square(VisualEncoder.frameSize), chunk: 7) { seen += $0.count; return false }
        #expect(seen == 7, "returning false stops after the first chunk")

        let whole = encoder(try VisualEncoder.tensor(frames: all.map(\.pixels)))
        let streamed = try ClipMedia.features(path: clip, encoder: encoder, chunk: 7)
        #expect(streamed.shape == whole.shape)
        #expect(Tolerance.maxAbsDiff(streamed.values, whole.values) < 1e-4)
        #expect(throws: GenerationCancelled.self) { try ClipMedia.features(path: clip, encoder: encoder, chunk: 7, progress: { _ in false }) }
    }

    /// The temporal half in blocks with a halo is the whole-clip convolution, block edges included.
    @Test func theTemporalHalfInBlocksEqualsTheWholeClip() throws {
        let encoder = try VisualEncoder(bundle: ModelBundle(named: "visual-encoder", kind: "visual-encoder"))
        var rng = SeededRNG(seed: 4)
        let t = VisualEncoder.temporalBlock * 2 + 77
        let f = Tensor(shape: [t, encoder.dim], (0..<(t * encoder.dim)).map { _ in rng.normal() })
        let blocked = encoder.temporal(f), whole = encoder.temporalBlock(f, from: 0, to: t, keep: 0..<t)
        #expect(blocked.shape == whole.shape)
        #expect(Tolerance.maxAbsDiff(blocked.values, whole.values) < 1e-5)
    }

    /// The proxy's frame count is bounded whatever the clip's length.
    @Test func theProxyRateBoundsItsFrames() {
        #expect(ClipMedia.previewRate(duration: 10) == VideoReader.featureRate)
        for minutes in [5.0, 60, 600] {
            #expect(Int(ClipMedia.previewRate(duration: minutes * 60) * minutes * 60) <= ClipMedia.maxPreviewFrames)
        }
    }
}
