import Foundation
import Generators
import Runtime
import TestHelpers
import Testing

/// FRIEREN against PyTorch (Training/golden/make_frieren_golden.py) on the tiny fixture bundle,
/// at three levels: the shared mel VAE, the estimator's vector field, and the sampler (Euler
/// trajectory, Dopri5 with the same accepted and rejected steps, an inpainting with both edges
/// held, a whole window's decoded mel from its seed).
@Suite struct FrierenParityTests {
    static let golden = try! SafeTensorsFile(path: Fixtures.path("models/frieren_golden.safetensors"))
    static func generator() throws -> FrierenGenerator {
        try FrierenGenerator(bundle: ModelBundle(path: Fixtures.path("models/frieren-tiny"), kind: FrierenGenerator.kind), renderer: .melganRaw)
    }

    /// A window as the golden file's sampler saw it: its features, seed 11, nothing known.
    static func window(_ g: FrierenGenerator) throws -> GenerationWindow {
        GenerationWindow(features: try golden.tensor("features"), context: [Float](repeating: 0, count: g.windowSamples),
                         known: [Bool](repeating: false, count: g.windowSamples), parameters: [:], seed: 11)
    }

    @Test func theRNGPortDrawsTheSameNormals() {
        var rng = SeededRNG(seed: 11)
        let x = rng.normals(3)
        #expect(Tolerance.mismatch("normals", got: x, expected: [1.4780065, -1.5730287, -0.7735726], atol: 1e-6) == nil, "\(x)")
    }

    @Test func vaeLatentAndReconstruction() throws {
        let g = try Self.generator()
        let latent = g.vae.encode(mel: try Self.golden.tensor("mel"))
        #expect(Self.golden.mismatch("vae_latent", latent, atol: 1e-4, rtol: 1e-4) == nil)
        #expect(Self.golden.mismatch("vae_decoded", g.vae.decode(latent: try Self.golden.tensor("vae_latent")), atol: 1e-4, rtol: 1e-4) == nil)
    }

    @Test func vectorFieldForFixedPointTimeAndCondition() throws {
        let g = try Self.generator()
        let e = g.estimators[.base]!, x = try Self.golden.tensor("field_x").values
        let regulated = e.regulate(try Self.golden.tensor("features"))
        let v = e.velocity([x, x], t: 0.37, conditions: [e.condition(regulated), e.condition(nil)])   // one batch of two
        #expect(Self.golden.mismatch("field_cond", Tensor(shape: [4, 32], v[0]), atol: 1e-4, rtol: 1e-4) == nil)
        #expect(Self.golden.mismatch("field_blind", Tensor(shape: [4, 32], v[1]), atol: 1e-4, rtol: 1e-4) == nil)
        let alone = e.velocity([x], t: 0.37, conditions: [e.condition(regulated)])[0]
        #expect(Tolerance.maxAbsDiff(alone, v[0]) < 1e-5, "a batch of two gives each row what it gives alone")
        let one = g.estimators[.onestep]!.velocity([x], t: 0.37, conditions: [g.estimators[.onestep]!.condition(regulated)])[0]
        #expect(Self.golden.mismatch("field_onestep", Tensor(shape: [4, 32], one), atol: 1e-4, rtol: 1e-4) == nil)
    }

    @Test func eulerTrajectoryStepByStep() throws {
        let g = try Self.generator()
        let settings = FrierenGenerator.Settings(variant: .base, solver: .euler(steps: 4), guidance: 4.5)
        let out = try g.sample(try Self.window(g), settings, progress: { _ in true })
        #expect(Self.golden.mismatch("euler_final", try #require(out), atol: 1e-4, rtol: 1e-4) == nil)
        // The trajectory through the sampler itself: the state each step evaluates the field at,
        // then the end state.
        var states: [Float] = []
        let field = try Self.field(g)
        let end = try #require(FlowSampler.solve(x0: try Self.x0(), solver: .euler(steps: 4), field: { x, t in
            if t > 0 { states += x }
            return field(x, t)
        }))
        states += end
        #expect(Self.golden.mismatch("euler_trajectory", Tensor(shape: [4, 4, 32], states), atol: 1e-4, rtol: 1e-4) == nil)
    }

    static func x0() throws -> [Float] {
        var rng = SeededRNG(seed: 11)
        return rng.normals(4 * 32)
    }

    /// The generator's guided field for the golden features, through the public estimator API.
    static func field(_ g: FrierenGenerator) throws -> FlowSampler.Field {
        try g.estimators[.base]!.guidedField(features: golden.tensor("features"), guidance: 4.5)
    }

    @Test(arguments: [("dopri5", Float(1e-3), 0.05), ("dopri5_tight", Float(3e-4), 0.3)])
    func dopri5TakesTheSameSteps(_ name: String, _ tol: Float, _ first: Double) throws {
        let g = try Self.generator()
        var attempts: [Float] = []
        var last = FlowProgress(t: 0, steps: 0, evaluations: 0)
        let settings = FrierenGenerator.Settings(variant: .base, solver: .dopri5(rtol: tol, atol: tol, first: first), guidance: 4.5)
        let out = try g.sample(try Self.window(g), settings, trace: { attempts += [Float($0), Float($1), $2 ? 1 : 0] },
                               progress: { last = $0; return true })
        let expected = try Self.golden.tensor("\(name)_attempts")
        #expect(attempts.count == expected.count, "attempts: got \(attempts.count / 3), expected \(expected.count / 3)")
        // Accept/reject decisions exactly; times to 0.01 and step sizes to 6%: the error estimate
        // is a difference of near-equal stage sums, so 1e-6 in the field moves the next step by
        // a fraction of a percent, and the last step (1 − t) carries every earlier one's drift.
        let flags = stride(from: 2, to: attempts.count, by: 3).map { attempts[$0] }
        #expect(flags == stride(from: 2, to: expected.count, by: 3).map { expected.values[$0] }, "the same steps accepted and rejected")
        let times = stride(from: 0, to: attempts.count, by: 3).map { attempts[$0] }, steps = stride(from: 1, to: attempts.count, by: 3).map { attempts[$0] }
        #expect(Tolerance.mismatch("\(name) times", got: times, expected: stride(from: 0, to: expected.count, by: 3).map { expected.values[$0] }, atol: 1e-2) == nil)
        #expect(Tolerance.mismatch("\(name) steps", got: steps, expected: stride(from: 1, to: expected.count, by: 3).map { expected.values[$0] }, atol: 1e-4, rtol: 6e-2) == nil)
        let counts = try Self.golden.ints("\(name)_counts")
        #expect([last.steps, last.evaluations] == counts)
        #expect(last.t == 1)
        // Two solves whose step sizes differ by percent agree to the solver's own error, not to
        // float rounding (the Euler trajectory above is the tight check of each evaluation).
        let finalMismatch = Self.golden.mismatch("\(name)_final", try #require(out), atol: 5e-2, rtol: 2e-2)
        #expect(finalMismatch == nil, "\(finalMismatch ?? "")")
    }

    @Test func inpaintingHoldsBothEdgesOnTheirPath() throws {
        let g = try Self.generator()
        let x0 = try Self.x0(), target = try Self.golden.tensor("vae_latent").values
        let knownFrames = try Self.golden.ints("inpaint_known").map { $0 == 1 }
        let known = (0..<(4 * 32)).map { knownFrames[$0 % 32] }
        let field = FlowSampler.holding(try Self.field(g), x0: x0, target: target, known: known)
        let out = try #require(FlowSampler.solve(x0: x0, solver: .euler(steps: 4), field: field))
        #expect(Self.golden.mismatch("inpaint_final", Tensor(shape: [4, 32], out), atol: 1e-4, rtol: 1e-4) == nil)
        for i in known.indices where known[i] { #expect(abs(out[i] - target[i]) < 1e-5, "known element \(i) ends on its latent") }
    }

    @Test func aWindowsDecodedMelFromItsSeed() throws {
        let g = try Self.generator()
        let latent = try #require(try g.sample(try Self.window(g), .init(variant: .base, solver: .euler(steps: 4), guidance: 4.5), progress: { _ in true }))
        #expect(Self.golden.mismatch("window_mel", g.vae.decode(latent: latent), atol: 2e-4, rtol: 1e-4) == nil)
    }
}
