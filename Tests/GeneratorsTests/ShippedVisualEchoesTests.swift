import Foundation
import Generators
import Runtime
import TestHelpers
import Testing

/// The shipped Visual Echoes bundle: it loads with SpecVQGAN's codec and vocoders (by weights
/// hash), and a window generates reproducibly. Quality is in its card and Reports/.
@Suite struct ShippedVisualEchoesTests {
    @Test func loadsWithSpecVQGANsComponentsAndGeneratesAWindow() throws {
        let g = try VisualEchoesGenerator(bundle: ModelBundle(named: "visual-echoes", kind: VisualEchoesGenerator.kind))
        let spec = try SpecVQGANGenerator(bundle: ModelBundle(named: "specvqgan", kind: SpecVQGANGenerator.kind))
        #expect(g.windowSamples == spec.windowSamples && g.codec.config == spec.codec.config)
        var rng = SeededRNG(seed: 4)
        let rows = g.pictures.rows(start: 0, samples: g.windowSamples).count
        var w = GenerationWindow(features: Tensor(shape: [g.windowSamples / 1024, 128]), context: [Float](repeating: 0, count: g.windowSamples),
                                 known: [Bool](repeating: false, count: g.windowSamples),
                                 parameters: g.defaults.merging([.steps: 2, .cfgScale: 1]) { $1 }, seed: 3)
        w.inputs = [g.pictures: Tensor(shape: [rows, 3, 64, 64], (0..<(rows * 3 * 4096)).map { _ in rng.uniform() })]
        let a = try g.generate(w) { _ in true }, b = try g.generate(w) { _ in true }
        let same = a == b
        #expect(a.count == g.windowSamples && same && a.allSatisfy { $0.isFinite } && a.contains { $0 != 0 })
    }
}
