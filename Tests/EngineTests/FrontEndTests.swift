import Engine
import Foundation
import Generators
import Media
import Runtime
import TestGenerator
import TestHelpers
import Testing

/// Per-generator front ends: the engine computes what a generator declares, hands each window
/// its rows, and caches every input per (clip, front end, weights hash) in the project, so a
/// reopened project does not decode its clips again.
@Suite(.serialized) final class FrontEndTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-frontends") }
    deinit { dir.remove() }

    static let pictures = FrontEnd.frames(width: 16, height: 12, rate: 10)

    func engine(_ store: ProjectStore) throws -> Engine {
        let encoder = try VisualEncoder(bundle: ModelBundle(named: "visual-encoder", kind: "visual-encoder"))
        let tone = TestToneGenerator(windowSamples: 32768, frames: Self.pictures)
        return Engine(store: store, catalog: GeneratorCatalog(generators: [tone], visualEncoder: encoder), player: Player(deviceName: "null"))
    }

    func generate(_ e: Engine) -> Project.Take? {
        e.waitIdle(); e.waitIdle()
        e.send(.generate)
        e.waitIdle(); e.waitIdle()
        return e.snapshot().takes.last
    }

    func cached(_ folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder + "/cache/frontends")?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".safetensors") }.sorted()
    }

    @Test func rowsCoverAWindowAtEachRate() {
        #expect(FrontEnd.sharedFeatures.rows(start: 0, samples: 32768) == 0..<32)
        #expect(FrontEnd.sharedFeatures.rows(start: 28672, samples: 32768) == 28..<60)
        #expect(Self.pictures.rows(start: 22050, samples: 32768) == 10..<25)
        let t = Tensor(shape: [3, 2], [1, 2, 3, 4, 5, 6])
        #expect(FrontEnd.slice(t, rows: 1..<5).values == [3, 4, 5, 6, 5, 6, 5, 6], "past the end the last row repeats")
        #expect(FrontEnd.frames(width: 4, height: 4, rate: 10).problem != nil && Self.pictures.problem == nil)
    }

    @Test func inputsAreComputedOnceCachedInTheProjectAndReadBackOnReopen() throws {
        let store = try ProjectStore.create(folder: dir.file("P"), clips: [try EngineTests.clip()])
        let e = try engine(store)
        let first = try #require(generate(e))
        #expect(e.frontEndCounts.computed == 2 && e.frontEndCounts.loaded == 0, "\(e.frontEndCounts)")
        let id = store.project.clips[0].id
        #expect(cached(store.folder) == ["\(id)/frames-16x12-10-00fps-none.safetensors", "\(id)/visual-encoder-\(try encoderHash()).safetensors"])
        _ = try #require(generate(e))
        #expect(e.frontEndCounts.computed == 2, "the second take reads them from memory")
        e.shutdown()

        let again = try engine(try ProjectStore.open(folder: store.folder))
        defer { again.shutdown() }
        again.send(.adjust(.seed, steps: -2))                                       // back to seed 1
        let reopened = try #require(generate(again))
        #expect(again.frontEndCounts.computed == 0 && again.frontEndCounts.loaded == 2, "\(again.frontEndCounts)")
        let a = try WAVAudio.read(path: store.resolve(first.file)).samples, b = try WAVAudio.read(path: store.resolve(reopened.file)).samples
        #expect(a == b, "inputs from the cache give the take the computed ones gave")
    }

    func encoderHash() throws -> String { String(try ModelBundle(named: "visual-encoder", kind: "visual-encoder").weightsHash.prefix(16)) }

    @Test func aReplacedClipOrADamagedCacheFileIsRecomputed() throws {
        let clip = dir.file("walk.mp4")
        try FileManager.default.copyItem(atPath: try EngineTests.clip(), toPath: clip)
        let store = try ProjectStore.create(folder: dir.file("Q"), clips: [clip])
        do { let e = try engine(store); _ = generate(e); e.shutdown() }
        // Damage one cache file, and touch the clip for the other's sake.
        let files = cached(store.folder)
        try #require(files.count == 2)
        try Data("not a tensor".utf8).write(to: URL(fileURLWithPath: store.folder + "/cache/frontends/" + files[0]))
        let e = try engine(try ProjectStore.open(folder: store.folder))
        _ = generate(e)
        #expect(e.frontEndCounts.computed == 1 && e.frontEndCounts.loaded == 1, "\(e.frontEndCounts)")
        #expect(e.snapshot().message?.isError != true, "a bad cache file costs time, not an error")
        e.shutdown()
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: clip)
        let f = try engine(try ProjectStore.open(folder: store.folder))
        defer { f.shutdown() }
        _ = generate(f)
        #expect(f.frontEndCounts.computed == 2, "a clip file changed since: both recomputed (\(f.frontEndCounts))")
    }

    @Test func aReadOnlyProjectReadsTheCacheButNeverWritesIt() throws {
        let clip = try EngineTests.clip()
        let store = try ProjectStore.create(folder: dir.file("R"), clips: [clip])
        let ro = try ProjectStore.open(folder: store.folder, readOnly: "test")
        let e = try engine(ro)
        _ = generate(e)   // refused: read-only projects make no takes
        e.shutdown()
        #expect(cached(store.folder).isEmpty)
        // The cache itself: a read-only one refuses to write, and reads what a writer left.
        let id = store.project.clips[0].id
        let source = try FrontEndCache.Source(path: clip, limit: 3)
        let input = Tensor(shape: [2, 3, 12, 16], (0..<(2 * 3 * 12 * 16)).map { Float($0 % 7) / 7 })
        let readOnly = FrontEndCache(projectFolder: store.folder, writable: false)
        #expect(readOnly.store(input, clip: id, frontEnd: Self.pictures, weightsHash: "none", source: source) == nil)
        #expect(cached(store.folder).isEmpty, "a read-only cache writes nothing")
        let writer = FrontEndCache(projectFolder: store.folder, writable: true)
        #expect(writer.store(input, clip: id, frontEnd: Self.pictures, weightsHash: "none", source: source) == nil)
        #expect(readOnly.load(clip: id, frontEnd: Self.pictures, weightsHash: "none", source: source, row: [3, 12, 16])?.values == input.values)
        #expect(readOnly.load(clip: id, frontEnd: Self.pictures, weightsHash: "none", source: source, row: [3, 16, 12]) == nil, "another shape is not this input")
        #expect(readOnly.load(clip: id, frontEnd: Self.pictures, weightsHash: "other", source: source, row: [3, 12, 16]) == nil, "nor other weights")
    }
}
