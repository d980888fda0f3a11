import Engine
import Foundation
@testable import Generators
import Runtime
import TestHelpers
import Testing

/// SpecVQGAN as a workstation generator, on a consistent tiny bundle with random weights
/// (Training/golden/make_codec_golden.py): loading, window chaining through the engine's
/// protocol, priming on the known audio, reproducibility from the seed.
@Suite struct SpecVQGANGeneratorTests {
    static let bundle = Fixtures.path("models/specvqgan-tiny")

    /// The raw vocoder: random weights decode to mels pinned at the normalisation's ends, and
    /// matching the envelope to those saturates every take to the same full-scale signal.
    static func generator() throws -> SpecVQGANGenerator {
        try SpecVQGANGenerator(bundle: ModelBundle(path: bundle, kind: SpecVQGANGenerator.kind), renderer: .melganRaw)
    }

    static func window(_ g: SpecVQGANGenerator, seed: UInt64, knownPrefix: Int = 0, context: [Float]? = nil) -> GenerationWindow {
        let frames = g.windowSamples / 1024
        var rng = SeededRNG(seed: 3)
        let features = Tensor(shape: [frames, g.featureDim], (0..<(frames * g.featureDim)).map { _ in rng.normal() })
        return GenerationWindow(features: features, context: context ?? [Float](repeating: 0, count: g.windowSamples),
                                known: (0..<g.windowSamples).map { $0 < knownPrefix }, parameters: [.topX: 8, .temperature: 1], seed: seed)
    }

    @Test func loadsTheBundleAndDeclaresItsSliders() throws {
        let g = try Self.generator()
        #expect(g.windowSamples == 64 * 256 && g.featureDim == 128)
        #expect(g.parameters.map(\.parameter) == [.topX, .temperature, .candidates, .vocoder, .seed])
        #expect(g.spec(.vocoder)?.defaultValue == "melgan-raw", "the renderer the bundle was loaded with is the choice's default")
        #expect(g.spec(.topX)?.range == 1...32)
        #expect(g.weightsHash.count == 16)
    }

    @Test func aWindowIsAudioReproducibleFromItsSeed() throws {
        let g = try Self.generator()
        let a = try g.generate(Self.window(g, seed: 1)) { _ in true }
        #expect(a.count == g.windowSamples && a.allSatisfy { $0.isFinite && abs($0) <= 1 })
        #expect(try g.generate(Self.window(g, seed: 1)) { _ in true } == a)
        #expect(try g.generate(Self.window(g, seed: 2)) { _ in true } != a)
        #expect(throws: GenerationCancelled.self) { try g.generate(Self.window(g, seed: 1)) { _ in false } }
    }

    @Test func knownAudioPrimesTheSamplerWithItsTokens() throws {
        let g = try Self.generator()
        var rng = SeededRNG(seed: 11)
        let context = (0..<g.windowSamples).map { _ in 0.3 * rng.normal() }
        // Two token columns (8192 samples) known: the window's tokens start with their codes.
        let window = Self.window(g, seed: 4, knownPrefix: 8192, context: context)
        let mel = g.analyzer.normalized(Array(context.prefix(8192)))
        let prime = g.codec.tokens(mel: SpecVQGANGenerator.frames(mel, count: 32))
        let tokens = try #require(g.tokens(window) { _ in true })
        #expect(prime.count == 10 && Array(tokens.prefix(10)) == prime)
        #expect(tokens.count == 4 * 5)
        #expect(try g.generate(window) { _ in true } != g.generate(Self.window(g, seed: 4)) { _ in true })
    }

    @Test func clipsLongerThanAWindowChainThroughTheEngine() throws {
        let g = try Self.generator()
        var rng = SeededRNG(seed: 5)
        let total = 40_000, frames = (total + 1023) / 1024
        let features = Tensor(shape: [frames, g.featureDim], (0..<(frames * g.featureDim)).map { _ in rng.normal() })
        let chain = WindowChain(window: g.windowSamples)
        func run(_ seed: UInt64) throws -> [Float] {
            try chain.render(generator: g, features: features, audio: [Float](repeating: 0, count: total),
                             known: [Bool](repeating: false, count: total), parameters: [.topX: 8, .temperature: 1], seed: seed)
        }
        let out = try run(3)
        #expect(out.count == total && out.allSatisfy { $0.isFinite && abs($0) <= 1 })
        #expect(try run(3) == out)
        // Inpainting a span keeps everything outside it, whatever the generator does inside.
        let fixed = try chain.inpaint(generator: g, features: features, original: out, span: 20_000..<30_000,
                                      parameters: [.topX: 8, .temperature: 1], seed: 8)
        #expect((0..<total).allSatisfy { (20_000..<30_000).contains($0) || fixed[$0] == out[$0] })
    }

    @Test func aBadBundleConfigIsNamed() throws {
        let dir = try TempDirectory("foley-specvqgan")
        defer { dir.remove() }
        try FileManager.default.copyItem(atPath: Self.bundle, toPath: dir.file("b"))
        let config = try String(contentsOfFile: dir.file("b/config.json"), encoding: .utf8)
        try config.replacingOccurrences(of: "\"window_frames\": 64", with: "\"window_frames\": 60")
            .write(toFile: dir.file("b/config.json"), atomically: true, encoding: .utf8)
        let error = #expect(throws: GeneratorError.self) { try SpecVQGANGenerator(bundle: ModelBundle(path: dir.file("b"), kind: "specvqgan")) }
        #expect("\(error!)".contains("got [window_frames 60], expected [a positive multiple of 16, at most 65536]"))
    }
}
