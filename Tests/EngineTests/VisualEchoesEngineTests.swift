import Engine
import Foundation
import Generators
import Media
import TestHelpers
import Testing

/// Visual Echoes in the engine on the tiny fixture: its pictures front end computed and handed
/// to each window, generation and inpainting (audio outside the span bit-identical), and the
/// picture imagined from the heard take at the playhead.
@Suite(.serialized) final class VisualEchoesEngineTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-ve-engine") }
    deinit { dir.remove() }

    func engine() throws -> (Engine, ProjectStore) {
        let store = try ProjectStore.create(folder: dir.file("P"), clips: [try EngineTests.clip()])
        let encoder = try VisualEncoder(bundle: ModelBundle(named: "visual-encoder", kind: "visual-encoder"))
        let ve = try VisualEchoesGenerator(bundle: ModelBundle(path: Fixtures.path("models/visual-echoes-tiny"), kind: VisualEchoesGenerator.kind),
                                           renderer: .melganRaw)
        return (Engine(store: store, catalog: GeneratorCatalog(generators: [ve], visualEncoder: encoder), player: Player(deviceName: "null")), store)
    }

    func settle(_ e: Engine) { e.waitIdle(); e.waitIdle() }

    @Test func generatesInpaintsAndImaginesThePictureOfATakesSound() throws {
        let (e, store) = try engine()
        defer { e.shutdown() }
        settle(e)
        e.send(.imagine)
        settle(e)
        #expect(e.snapshot().message?.text.contains("no take to imagine") == true)
        e.send(.set(.steps, .number(6)))
        e.send(.generate)
        settle(e)
        let first = try #require(e.snapshot().takes.last)
        #expect(first.parameters["steps"] == 6 && first.parameters["cfg_scale"] == 3)
        e.send(.seek(1.0)); e.send(.markIn); e.send(.seek(2.0)); e.send(.markOut)
        e.send(.inpaint)
        settle(e)
        let second = try #require(e.snapshot().takes.last)
        #expect(second.span == 1.0...2.0)
        let a = try WAVAudio.read(path: store.resolve(first.file)).samples, b = try WAVAudio.read(path: store.resolve(second.file)).samples
        let outside = a.indices.filter { $0 < 22050 || $0 >= 44100 }
        #expect(outside.allSatisfy { a[$0] == b[$0] }, "inpainting kept the audio on both sides")
        #expect((22050..<44100).contains { a[$0] != b[$0] })

        e.send(.seek(1.5))
        e.send(.imagine)
        settle(e)
        let s = e.snapshot()
        #expect(s.imagined?.image.width == 64 && s.imagined?.take == second.id, "\(String(describing: s.message))")
        e.send(.scrub(seconds: 1))
        settle(e)
        #expect(e.snapshot().imagined == nil, "moving the playhead brings the clip's picture back")
    }
}
