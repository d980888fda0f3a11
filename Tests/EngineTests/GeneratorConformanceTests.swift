import Engine
import Foundation
import Generators
import Runtime
import TestGenerator
import TestHelpers
import Testing

/// What every registered generator must do, whatever its model (issue 22 item 7): run here on
/// the test-tone generator and the tiny SpecVQGAN fixture bundle; a new generator adds one
/// line to `generators`.
@Suite struct GeneratorConformanceTests {
    /// Each generator under test, and the parameters documented as not changing its output in
    /// this setting (with the reason).
    static let generators: [(name: String, make: @Sendable () throws -> Generator, inert: [Parameter: String])] = [
        ("test-tone", { TestToneGenerator(windowSamples: 16384) }, [:]),
        ("test-tone-frames", { TestToneGenerator(windowSamples: 16384, frames: .frames(width: 16, height: 12, rate: 10)) }, [:]),
        // The tiny fixture's random MelGAN through the default envelope match saturates to a
        // constant +1 (its output is a faint ripple on DC, boosted 20× and soft-clipped), which
        // would hide everything upstream; the vocoder alone and Griffin-Lim show the sampler
        // and codec; the shipped bundle runs with its default renderer.
        ("specvqgan-tiny-raw", { try SpecVQGANGenerator(bundle: ModelBundle(path: Fixtures.path("models/specvqgan-tiny"), kind: SpecVQGANGenerator.kind), renderer: .melganRaw) }, [:]),
        ("specvqgan-shipped", { try SpecVQGANGenerator(bundle: ModelBundle(named: "specvqgan", kind: SpecVQGANGenerator.kind)) },
         [.candidates: "ranked only where the trained onset head sees hits, and it sees none in these synthetic features (on clips: SpecVQGANCandidatesTests, Reports/specvqgan.md)"]),
        ("visual-echoes-tiny", { try VisualEchoesGenerator(bundle: ModelBundle(path: Fixtures.path("models/visual-echoes-tiny"), kind: VisualEchoesGenerator.kind), renderer: .melganRaw) }, [:]),
        ("frieren-tiny", { try FrierenGenerator(bundle: ModelBundle(path: Fixtures.path("models/frieren-tiny"), kind: FrierenGenerator.kind), renderer: .melganRaw) },
         [FrierenGenerator.tolerance: "read by the Dopri5 solver only, and the default solver is Euler"]),
        ("specvqgan-tiny-griffin-lim", { try SpecVQGANGenerator(bundle: ModelBundle(path: Fixtures.path("models/specvqgan-tiny"), kind: SpecVQGANGenerator.kind), renderer: .griffinLim) }, [:]),
    ]

    static var names: [String] { generators.map(\.name) }
    static func make(_ name: String) throws -> (Generator, [Parameter: String]) {
        let entry = generators.first { $0.name == name }!
        return (try entry.make(), entry.inert)
    }

    /// Features with a few jumps (visual hits), seeded.
    static func features(frames: Int, dim: Int, seed: UInt64 = 5) -> Tensor {
        var rng = SeededRNG(seed: seed)
        var level: Float = 0
        return Tensor(shape: [frames, dim], (0..<(frames * dim)).map { i in
            if i % dim == 0, (i / dim) % 9 == 4 { level = rng.normal() * 3 }
            return level + 0.3 * rng.normal()
        })
    }

    static func window(_ g: Generator, seed: UInt64 = 1, parameters: ParameterValues? = nil) -> GenerationWindow {
        var w = GenerationWindow(features: features(frames: g.windowSamples / 1024, dim: g.featureDim),
                                 context: [Float](repeating: 0, count: g.windowSamples), known: [Bool](repeating: false, count: g.windowSamples),
                                 parameters: parameters ?? g.defaults, seed: seed)
        w.inputs = inputs(g)
        return w
    }

    /// Each further front end's input for one window, seeded (a generator's own inputs are
    /// checked against the engine in FrontEndTests).
    static func inputs(_ g: Generator, samples: Int? = nil) -> [FrontEnd: Tensor] {
        var rng = SeededRNG(seed: 11)
        return g.frontEnds.filter { $0 != .sharedFeatures }.reduce(into: [:]) { out, frontEnd in
            let rows = frontEnd.rows(start: 0, samples: samples ?? g.windowSamples).count
            guard case .frames(let w, let h, _) = frontEnd else { return }
            out[frontEnd] = Tensor(shape: [rows, 3, h, w], (0..<(rows * 3 * h * w)).map { _ in Float(rng.next() % 256) / 255 })
        }
    }

    @Test(arguments: names) func reproducibleFromTheSeedAndTheRightLength(_ name: String) throws {
        let (g, _) = try Self.make(name)
        let a = try g.generate(Self.window(g)) { _ in true }
        let b = try g.generate(Self.window(g)) { _ in true }
        let reproduced = a == b
        #expect(a.count == g.windowSamples && reproduced)
        #expect(a.allSatisfy { $0.isFinite })
        let other = try g.generate(Self.window(g, seed: 2)) { _ in true }
        let differs = other != a
        #expect(differs, "another seed gives another take")
        var short = Self.window(g)
        short.needed = g.windowSamples / 3
        let shortOut = try g.generate(short) { _ in true }
        #expect(shortOut.count == g.windowSamples, "a window that needs less still returns a whole window")
    }

    @Test(arguments: names) func progressIsMonotoneAndCancellationStops(_ name: String) throws {
        let (g, _) = try Self.make(name)
        var seen: [Double] = []
        _ = try g.generate(Self.window(g)) { seen.append($0); return true }
        #expect(!seen.isEmpty && zip(seen, seen.dropFirst()).allSatisfy { $0 <= $1 } && seen.allSatisfy { (0...1).contains($0) }, "\(seen)")
        var calls = 0
        #expect(throws: GenerationCancelled.self) { _ = try g.generate(Self.window(g)) { _ in calls += 1; return calls < 2 } }
    }

    @Test(arguments: names) func inpaintingLeavesEverythingOutsideTheSpanBitIdentical(_ name: String) throws {
        let (g, _) = try Self.make(name)
        let chain = WindowChain(window: g.windowSamples)
        let total = g.windowSamples * 2 + 3000
        let features = Self.features(frames: total / 1024 + 1, dim: g.featureDim)
        let parameters = Self.window(g).parameters
        let inputs = Self.inputs(g, samples: total)
        let original = try chain.render(generator: g, features: features, inputs: inputs, audio: [Float](repeating: 0, count: total),
                                        known: [Bool](repeating: false, count: total), parameters: parameters, seed: 3)
        #expect(original.count == total)
        let span = (g.windowSamples / 2)..<(g.windowSamples + 5000)
        let inpainted = try chain.inpaint(generator: g, features: features, inputs: inputs, original: original, span: span, parameters: parameters, seed: 4)
        #expect(inpainted.count == total)
        let outside = (0..<total).filter { !span.contains($0) }
        let untouched = outside.allSatisfy { inpainted[$0] == original[$0] }, regenerated = span.contains { inpainted[$0] != original[$0] }
        #expect(untouched)
        #expect(regenerated, "the span was regenerated")
    }

    /// Values other than the default to try for a parameter: a number's range ends, the
    /// other state of a switch, every other option of a choice, a prompt for text.
    static func alternatives(_ spec: ParameterSpec) -> [ParameterValue] {
        let values: [ParameterValue]
        switch spec.kind {
        case .number(let range, _, _): values = [.number(range.lowerBound), .number(range.upperBound)]
        case .toggle: values = [.flag(!spec.defaultValue.isOn)]
        case .choice(let options): values = options.map { .text($0.key) }
        case .text: values = [.text("a heavy door slams in a stone hall")]
        }
        return values.map(spec.normalized).filter { $0 != spec.defaultValue }
    }

    /// Every declared parameter changes the take when moved away from its default (either end
    /// of a range, the other switch state, any other option, a prompt), or is listed above with
    /// the reason it does not here.
    @Test(arguments: names) func everyDeclaredParameterChangesTheOutputOrIsDocumented(_ name: String) throws {
        let (g, inert) = try Self.make(name)
        let base = try g.generate(Self.window(g)) { _ in true }
        for spec in g.parameters where spec.parameter != .seed {
            // Candidates 4 → 8 may keep the same best take; 4 → 1 does not rank: any one counts.
            var same = true
            for value in Self.alternatives(spec) where same {
                var p = Self.window(g).parameters
                p[spec.parameter] = value
                same = try g.generate(Self.window(g, parameters: p)) { _ in true } == base   // (not the arrays: a failure would print them)
            }
            if let reason = inert[spec.parameter] {
                #expect(same, "\(spec.parameter.rawValue) is documented as inert (\(reason)) but changed the output")
            } else {
                #expect(!same, "\(spec.parameter.rawValue) (\(spec.summary)) did not change \(name)'s output")
            }
        }
    }

    /// Whatever a project file holds for a parameter (wrong kind, NaN, huge, unknown option,
    /// control characters), the generator gets a valid value and does not trap.
    @Test(arguments: names) func hostileStoredValuesAreNormalised(_ name: String) throws {
        let (g, _) = try Self.make(name)
        let hostile: [ParameterValue] = [.number(.nan), .number(-1e300), .number(1e300), .flag(true), .text("\u{1b}[2J\0"), .text(String(repeating: "x", count: 100_000))]
        for spec in g.parameters where spec.parameter != .seed {
            for v in hostile {
                let n = spec.normalized(v)
                #expect(spec.normalized(n) == n, "\(spec.parameter): normalising is idempotent")
                if let r = spec.range { #expect(n.number.map(r.contains) == true) }
                if case .choice(let options) = spec.kind { #expect(options.contains { $0.key == n.text }) }
                if case .text(let maxLength) = spec.kind { #expect((n.text?.count ?? 0) <= maxLength && !(n.text ?? "").contains("\u{1b}")) }
            }
        }
        var p = Self.window(g).parameters
        for spec in g.parameters where spec.parameter != .seed { p[spec.parameter] = hostile[spec.isText ? 5 : 0] }
        let out = try g.generate(Self.window(g, parameters: p)) { _ in true }
        #expect(out.count == g.windowSamples && out.allSatisfy { $0.isFinite })
    }
}
