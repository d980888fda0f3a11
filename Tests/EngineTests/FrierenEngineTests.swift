import Engine
import Foundation
import Generators
import Media
import Runtime
import TestHelpers
import Testing

/// FRIEREN in the engine on the tiny fixture: whole clips window by window, inpainting with
/// both edges held (audio outside the span bit-identical), Dopri5 through the settings, and
/// the solver's steps reported as the job's detail.
@Suite(.serialized) final class FrierenEngineTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-frieren-engine") }
    deinit { dir.remove() }

    static func generator() throws -> FrierenGenerator {
        try FrierenGenerator(bundle: ModelBundle(path: Fixtures.path("models/frieren-tiny"), kind: FrierenGenerator.kind), renderer: .melganRaw)
    }

    func settle(_ e: Engine) { e.waitIdle(); e.waitIdle() }

    @Test func generatesAndInpaintsWithDopri5KeepingBothSides() throws {
        let store = try ProjectStore.create(folder: dir.file("P"), clips: [try EngineTests.clip()])
        let encoder = try VisualEncoder(bundle: ModelBundle(named: "visual-encoder", kind: "visual-encoder"))
        let e = Engine(store: store, catalog: GeneratorCatalog(generators: [try Self.generator()], visualEncoder: encoder), player: Player(deviceName: "null"))
        defer { e.shutdown() }
        settle(e)
        e.send(.set(.steps, .number(5)))
        e.send(.generate)
        settle(e)
        let first = try #require(e.snapshot().takes.last)
        #expect(first.parameters["steps"] == 5 && first.parameters["solver"] == "euler" && first.parameters["cfg_scale"] == 4.5)
        e.send(.set(.solver, .text("dopri5")))
        e.send(.seek(1.0)); e.send(.markIn); e.send(.seek(2.0)); e.send(.markOut)
        e.send(.inpaint)
        settle(e)
        let second = try #require(e.snapshot().takes.last)
        #expect(second.span == 1.0...2.0 && second.parameters["solver"] == "dopri5")
        let a = try WAVAudio.read(path: store.resolve(first.file)).samples, b = try WAVAudio.read(path: store.resolve(second.file)).samples
        let outside = a.indices.filter { $0 < 22050 || $0 >= 44100 }
        #expect(outside.allSatisfy { a[$0] == b[$0] }, "inpainting kept the audio on both sides")
        #expect((22050..<44100).contains { a[$0] != b[$0] })
    }

    @Test func theSolversStepsAreReportedPerWindow() throws {
        let g = try Self.generator()
        let chain = WindowChain(window: g.windowSamples)
        let samples = 2 * g.windowSamples
        let lines = Lines()
        var rng = SeededRNG(seed: 3)
        let features = Tensor(shape: [samples / 1024 + 1, 128], rng.normals((samples / 1024 + 1) * 128))
        _ = try chain.render(generator: g, features: features, audio: [Float](repeating: 0, count: samples),
                             known: [Bool](repeating: false, count: samples), parameters: g.defaults.merging([.steps: 3]) { $1 }, seed: 1,
                             status: { lines.append($0) })
        #expect(lines.all.contains("window 1/\(chain.starts(covering: 0..<samples).count), Euler step 3/3"), "\(lines.all)")
        _ = try chain.render(generator: g, features: features, audio: [Float](repeating: 0, count: samples),
                             known: [Bool](repeating: false, count: samples), parameters: g.defaults.merging([.solver: "dopri5"]) { $1 }, seed: 1,
                             status: { lines.append($0) })
        #expect(lines.all.contains { $0.contains("Dopri5 step") && $0.hasSuffix("t 1.00") }, "Dopri5 says its steps and time: \(lines.all.suffix(3))")
    }
}

/// Status lines collected from the compute side.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
