import DSP
import Foundation
import Runtime

/// FRIEREN as a workstation generator: seeded noise in the shared mel VAE's latent space is
/// carried to a latent by the rectified flow the estimator predicts from the window's visual
/// features (classifier-free guided, both passes in one batch), the VAE decodes the mel and
/// the shared renderer makes the waveform. Audio already fixed in the window (left of a
/// continuation, both sides of an inpainted span) is encoded and held on its exact path
/// (`FlowSampler.holding`), so the new latent frames are generated knowing both edges.
///
/// Bundle `Weights/frieren/` (kind "frieren"): the VAE under `vae.` (a shared component: other
/// latent generators name it by weights hash), one estimator per trained variant (`estimator.`
/// the 25-step model, `estimator_reflow.`, `estimator_onestep.`), the vocoders named from
/// SpecVQGAN's bundle.
public final class FrierenGenerator: Generator, Reconstructing, @unchecked Sendable {
    public static let kind = "frieren"
    public static let variant: Parameter = "variant"
    public static let tolerance: Parameter = "tolerance"

    /// The estimators a bundle can carry, in the order the Model choice lists them.
    public enum Variant: String, CaseIterable, Sendable {
        case base, reflow, onestep
        var prefix: String { self == .base ? "estimator." : "estimator_\(rawValue)." }
        var label: String { ["base": "25-step", "reflow": "reflow", "onestep": "1-step"][rawValue]! }
        var help: String {
            ["base": "25-step: the flow as trained", "reflow": "reflow: straightened for few steps",
             "onestep": "1-step: distilled (one Euler step, whatever Steps and Solver say)"][rawValue]!
        }
    }

    public let name: String
    public let weightsHash: String
    public let windowSamples: Int
    public let featureDim: Int
    public let vae: MelVAE
    public let estimators: [Variant: FrierenEstimator]
    public let melRenderer: MelRenderer
    let analyzer: MelAnalyzer
    let variants: [Variant]

    public var parameters: [ParameterSpec] {
        [.choice(Self.variant, "Model", options: variants.map { .init($0.rawValue, $0.label) }, default: variants[0].rawValue,
                 help: variants.map(\.help).joined(separator: "; ")),
         .choice(.solver, "Solver", options: [.init("euler", "Euler"), .init("dopri5", "Dopri5")], default: "euler",
                 help: "Euler: fixed steps; Dopri5: adaptive steps to the tolerance"),
         .number(.steps, "Steps", range: 1...100, step: 1, default: 25, integer: true, help: "Euler steps from noise to sound"),
         .choice(Self.tolerance, "Tolerance", options: ["1e-2", "1e-3", "1e-4"].map { .init($0) }, default: "1e-3",
                 help: "Dopri5's relative and absolute error per step"),
         .number(.cfgScale, "CFG scale", range: 1...10, step: 0.25, default: 4.5,
                 help: "guidance toward the picture (1: none); reflow and 1-step were trained at 4.5")]
        + melRenderer.parameters()
    }

    struct Configs: Decodable {
        var vae: MelVAE.Config
        var estimator: FrierenEstimator.Config
        var variants: [String]
        var vocoder: MelGANVocoder.Config
        var vocoderDraft: MelGANVocoder.Config?
        var windowFrames: Int
        enum CodingKeys: String, CodingKey {
            case vae, estimator, variants, vocoder, vocoderDraft = "vocoder_draft", windowFrames = "window_frames"
        }
    }

    public init(bundle: ModelBundle, renderer: MelRenderer.Kind = .melgan) throws {
        let file = bundle.configPath
        let parts = try BundleComponents(bundle, keys: ["vae", "vocoder", "vocoder_draft"])
        let c = try parts.decode(Configs.self, path: file)
        if let problem = ConfigCheck.first(c.vae.problem.map { "vae: \($0)" }, c.estimator.problem.map { "estimator: \($0)" },
                                           c.vocoder.problem.map { "vocoder: \($0)" }, c.vocoderDraft?.problem.map { "vocoder_draft: \($0)" }) {
            throw GeneratorError.badConfig(path: file, reason: problem)
        }
        let variants = c.variants.compactMap(Variant.init(rawValue:))
        guard !variants.isEmpty, variants.count == c.variants.count, Set(variants).count == variants.count else {
            throw GeneratorError.badConfig(path: file, reason: "variants: got \(c.variants), expected [distinct names of base, reflow, onestep]")
        }
        guard c.windowFrames % 4 == 0, (16...1 << 14).contains(c.windowFrames), c.estimator.length * 2 == c.windowFrames,
              c.estimator.z == c.vae.z, c.vae.mels == 80, c.estimator.cond == 128 else {
            throw GeneratorError.badConfig(path: file, reason: "got [window_frames \(c.windowFrames), estimator length \(c.estimator.length) of \(c.estimator.z) channels, \(c.estimator.cond) features, vae \(c.vae.mels) → \(c.vae.z)], expected [window a multiple of 4 in 16…16384 frames, length = window / 2, the VAE's latent channels, 128 features (the visual encoder's), 80 mel bands]")
        }
        var table = WeightTable()
        if parts.isLocal("vae") { table.add(MelVAE.table(c.vae), prefix: "vae.") }
        if parts.isLocal("vocoder") { table.add(MelGANVocoder.table(c.vocoder), prefix: "vocoder.") }
        if let d = c.vocoderDraft, parts.isLocal("vocoder_draft") { table.add(MelGANVocoder.table(d), prefix: "vocoder_draft.") }
        for v in variants { table.add(FrierenEstimator.table(c.estimator), prefix: v.prefix) }
        let w = try bundle.bind(table)
        vae = MelVAE(weights: try parts.weights("vae", MelVAE.table(c.vae), own: w), config: c.vae)
        estimators = Dictionary(uniqueKeysWithValues: variants.map { ($0, FrierenEstimator(config: c.estimator, weights: w.scoped($0.prefix))) })
        let vocoder = MelGANVocoder(weights: try parts.weights("vocoder", MelGANVocoder.table(c.vocoder), own: w), config: c.vocoder)
        let draft = try c.vocoderDraft.map { MelGANVocoder(weights: try parts.weights("vocoder_draft", MelGANVocoder.table($0), own: w), config: $0) }
        analyzer = try MelAnalyzer()
        melRenderer = MelRenderer(kind: renderer, vocoder: vocoder, draftVocoder: draft, analyzer: analyzer)
        self.variants = variants
        name = (bundle.path as NSString).lastPathComponent
        weightsHash = bundle.weightsHash
        windowSamples = c.windowFrames * 256
        featureDim = 128
    }

    /// The settings a window is sampled with, read once.
    public struct Settings: Sendable, Equatable {
        public var variant: Variant, solver: FlowSolver, guidance: Float
        public init(variant: Variant, solver: FlowSolver, guidance: Float) { (self.variant, self.solver, self.guidance) = (variant, solver, guidance) }
    }

    public func settings(_ window: GenerationWindow) -> Settings {
        let variant = text(Self.variant, in: window).flatMap(Variant.init(rawValue:)).flatMap { estimators[$0] == nil ? nil : $0 } ?? variants[0]
        let tol = Float(text(Self.tolerance, in: window) ?? "1e-3") ?? 1e-3
        let solver: FlowSolver = variant == .onestep ? .euler(steps: 1)
            : text(.solver, in: window) == "dopri5" ? .dopri5(rtol: tol, atol: tol) : .euler(steps: Int(number(.steps, in: window) ?? 25))
        return Settings(variant: variant, solver: solver, guidance: Float(number(.cfgScale, in: window) ?? 4.5))
    }

    public func generate(_ window: GenerationWindow, progress: (Double) -> Bool) throws -> [Float] {
        let s = settings(window)
        let latent = try sample(window, s) { p in
            window.status?(Self.describe(p, s.solver))
            return progress(0.05 + 0.85 * p.t)
        }
        guard let latent else { throw GenerationCancelled() }
        let mel = vae.decode(latent: latent)                                                  // [80, 2L]
        guard progress(0.95) else { throw GenerationCancelled() }
        let kind = text(.vocoder, in: window).flatMap(MelRenderer.Kind.init(rawValue:))
        var out = melRenderer(mel: mel, seed: window.seed, draft: isOn(.draft, in: window), kind: kind)
        if out.count < window.samples { out += [Float](repeating: 0, count: window.samples - out.count) }
        return Array(out.prefix(window.samples))
    }

    /// The clip's mel through the VAE (mel → latent → mel), window by window: what the renderer
    /// gets on the floor every FRIEREN take starts from (`reconstruct` renders it).
    public func reconstructedMel(_ audio: [Float]) -> Tensor {
        let mel = analyzer.normalized(audio), chunk = windowSamples / 256
        let frames = (audio.count / 256 + chunk) / chunk * chunk
        let whole = SpecVQGANGenerator.frames(mel, count: frames)                                // [80, frames]
        let decoded = (0..<(frames / chunk)).map { k in
            let part = Tensor(shape: [80, chunk]) { out in whole.read { w in for b in 0..<80 { for f in 0..<chunk { out[b * chunk + f] = w[b * frames + k * chunk + f] } } } }
            return vae.decode(latent: vae.encode(mel: part))                                     // [80, chunk]
        }
        return Tensor(shape: [80, frames]) { out in
            for (k, d) in decoded.enumerated() { d.read { p in for b in 0..<80 { for f in 0..<chunk { out[b * frames + k * chunk + f] = p[b * chunk + f] } } } }
        }
    }

    /// "Euler step 5/25", "Dopri5 step 7, t 0.62" (its step count is not known ahead).
    static func describe(_ p: FlowProgress, _ solver: FlowSolver) -> String {
        if case .euler(let n) = solver { return "Euler step \(p.steps)/\(n)" }
        return "Dopri5 step \(p.steps), t " + String(format: "%.2f", p.t)
    }

    /// The window's latent [z, L]: features length-regulated, known frames held, the flow solved.
    public func sample(_ window: GenerationWindow, _ s: Settings, trace: ((Double, Double, Bool) -> Void)? = nil,
                progress: (FlowProgress) -> Bool) throws -> Tensor? {
        let e = estimators[s.variant]!, z = e.config.z, l = e.config.length
        let f = window.features
        guard f.rank == 2, f.dim(1) == featureDim, f.dim(0) > 0 else {
            throw GeneratorError.invalidInput("\(name): got [features \(f.shape)], expected [[T, \(featureDim)]]")
        }
        var rng = SeededRNG(seed: window.seed)
        let x0 = rng.normals(z * l)                                                          // [z, L] row-major
        var field = e.guidedField(features: f, guidance: s.guidance)
        if let (target, known) = knownLatent(window, frames: l) {
            field = FlowSampler.holding(field, x0: x0, target: target, known: known)
        }
        return FlowSampler.solve(x0: x0, solver: s.solver, field: field, trace: trace, progress: progress)
            .map { Tensor(shape: [z, l], $0) }
    }

    /// The encoded window audio and which latent elements are known: latent frame j (512
    /// samples) is kept when all its samples are fixed. Nil when none is.
    func knownLatent(_ window: GenerationWindow, frames l: Int) -> ([Float], [Bool])? {
        let span = 512
        let knownFrames = (0..<l).map { j in
            let range = (j * span)..<min(window.samples, (j + 1) * span)
            return !range.isEmpty && range.allSatisfy { window.known[$0] }
        }
        guard knownFrames.contains(true) else { return nil }
        let mel = SpecVQGANGenerator.frames(analyzer.normalized(window.context), count: 2 * l)  // [80, 2L]
        let target = vae.encode(mel: mel).values                                               // [z, L]
        let z = target.count / l
        return (target, (0..<(z * l)).map { knownFrames[$0 % l] })
    }
}
