import Foundation
import Generators
import Runtime
import TestHelpers
import Testing

/// The shipped FRIEREN bundle: it loads with SpecVQGAN's vocoders (by weights hash), every
/// variant it lists generates a window reproducibly, and its VAE round-trips a mel. Quality
/// is in its card and Reports/frieren.md.
@Suite struct ShippedFrierenTests {
    static func generator() throws -> FrierenGenerator {
        try FrierenGenerator(bundle: ModelBundle(named: "frieren", kind: FrierenGenerator.kind))
    }

    @Test func everyVariantGeneratesAWindowReproducibly() throws {
        let g = try Self.generator()
        let spec = try SpecVQGANGenerator(bundle: ModelBundle(named: "specvqgan", kind: SpecVQGANGenerator.kind))
        #expect(g.windowSamples == spec.windowSamples && g.melRenderer.vocoder.config == spec.melRenderer.vocoder.config)
        var rng = SeededRNG(seed: 4)
        let features = Tensor(shape: [g.windowSamples / 1024, 128], rng.normals(g.windowSamples / 1024 * 128))
        for variant in g.estimators.keys {
            let w = GenerationWindow(features: features, context: [Float](repeating: 0, count: g.windowSamples),
                                     known: [Bool](repeating: false, count: g.windowSamples),
                                     parameters: g.defaults.merging([.steps: 3, FrierenGenerator.variant: .text(variant.rawValue)]) { $1 }, seed: 3)
            let a = try g.generate(w) { _ in true }, b = try g.generate(w) { _ in true }
            let same = a == b
            #expect(a.count == g.windowSamples && same && a.allSatisfy { $0.isFinite } && a.contains { $0 != 0 }, "\(variant)")
        }
    }

    @Test func theVAERoundTripsAMelCloselyEnough() throws {
        let g = try Self.generator()
        let frames = g.windowSamples / 256
        let mel = Tensor(shape: [80, frames]) { m in
            for b in 0..<80 { for f in 0..<frames { m[b * frames + f] = 0.15 + 0.5 * Float(80 - b) / 80 * (f % 40 < 6 ? 1 : 0.4) } }
        }
        let back = g.vae.decode(latent: g.vae.encode(mel: mel))
        let l1 = zip(back.values, mel.values).reduce(0) { $0 + abs($1.0 - $1.1) } / Float(mel.count)
        #expect(back.shape == mel.shape && l1 < 0.1, "L1 \(l1)")
    }
}
