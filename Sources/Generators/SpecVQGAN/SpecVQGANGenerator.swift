import DSP
import Foundation
import Runtime

/// SpecVQGAN as a workstation generator: the window's mel to the left of what is unknown is
/// encoded into codec tokens and primes the sampler (continuation, window chaining and
/// inpainting alike); the sampler continues column by column from the visual features; the
/// codec decodes the tokens and the vocoder renders the waveform.
///
/// Bundle `Weights/specvqgan/` (kind "specvqgan"): one weights.safetensors with the three
/// models under `codec.`, `sampler.` and `vocoder.` (and, in bundles trained here, the visual
/// onset head under `onsets.`, and a smaller MelGAN under `vocoder_draft.` for the Draft
/// parameter), and config.json holding their configs.
public final class SpecVQGANGenerator: Generator, Reconstructing, @unchecked Sendable {
    public static let kind = "specvqgan"

    /// What turns the decoded mel into a waveform (the shared MelRenderer's kinds).
    public typealias Renderer = MelRenderer.Kind

    public let name: String
    public let weightsHash: String
    public let windowSamples: Int
    public let featureDim: Int
    public let codec: SpecVQGANCodec
    public let sampler: SpecVQGANSampler
    /// Decoded mel → waveform: the shared renderer with this bundle's vocoders (its own or,
    /// by reference, another bundle's).
    public let melRenderer: MelRenderer
    public var vocoder: MelGANVocoder { melRenderer.vocoder }
    /// A smaller vocoder (about a third of the multiply-adds) that the Draft parameter renders
    /// with; it hears the same decoded mel, so a draft and a full take share their tokens.
    public var draftVocoder: MelGANVocoder? { melRenderer.draftVocoder }
    public var renderer: Renderer { melRenderer.kind }
    let analyzer: MelAnalyzer

    /// Whether the sampler was trained with some windows blind, so classifier-free guidance
    /// (the CFG slider) applies; official checkpoints were not.
    public let guidable: Bool
    /// The visual onset head, when the bundle ships one: the Candidates parameter then samples
    /// several takes of a window where the picture has hits and keeps the best-synced one.
    public let onsets: VisualOnsets?

    public var parameters: [ParameterSpec] {
        [ParameterSpec.number(.topX, "Top-X", range: 1...Double(codec.config.nEmbed), step: 1, default: min(64, Double(codec.config.nEmbed)), integer: true,
                              help: "sample from the X most likely codes (1: always the likeliest)"),
         .number(.temperature, "Temperature", range: 0...2, step: 0.05, default: 1, help: "sharpness of the code distribution (0: greedy)")]
        + (guidable ? [.number(.cfgScale, "CFG scale", range: 1...6, step: 0.25, default: Self.defaultGuidance,
                               help: "classifier-free guidance toward the picture (1: none)")] : [])
        + (onsets != nil ? [.number(.candidates, "Candidates", range: 1...8, step: 1, default: Double(Self.defaultCandidates), integer: true,
                                    help: "takes sampled per window with hits, the best-synced kept")] : [])
        + melRenderer.parameters(vocoderHelp: "mel to waveform: the trained vocoder (envelope matched), alone, or Griffin-Lim",
                                 draftHelp: "the smaller vocoder, for fast auditioning; F renders the take again in full")
    }

    /// The CFG scale a guidable bundle starts at (Reports/specvqgan.md compares scales).
    static let defaultGuidance = 2.0
    /// Candidates per window a bundle with an onset head starts at (Reports/specvqgan.md).
    static let defaultCandidates = 4

    struct Configs: Decodable {
        var codec: SpecVQGANCodec.Config
        var sampler: SamplerConfig
        var vocoder: MelGANVocoder.Config
        var onsets: VisualOnsets.Config?
        var vocoderDraft: MelGANVocoder.Config?
        /// Mel frames per window (a multiple of 16).
        var windowFrames: Int
        enum CodingKeys: String, CodingKey { case codec, sampler, vocoder, onsets, vocoderDraft = "vocoder_draft", windowFrames = "window_frames" }
    }

    struct SamplerConfig: Decodable {
        var vocabSize, blockSize, layers, heads, width, featDim: Int
        /// The share of training windows that had no picture (zero features); absent or 0: no guidance.
        var uncond: Double?
        enum CodingKeys: String, CodingKey {
            case vocabSize = "vocab_size", blockSize = "block_size", layers = "n_layer", heads = "n_head", width = "n_embd", featDim = "feat_dim"
            case uncond
        }
        var transformer: TransformerConfig { TransformerConfig(vocabSize: vocabSize, blockSize: blockSize, layers: layers, heads: heads, width: width) }
    }

    public init(bundle: ModelBundle, renderer: Renderer = .melgan) throws {
        let file = bundle.configPath
        // The codec and vocoders may be another bundle's (ComponentSource): their sections are
        // read from where they live, then the whole config is checked as one.
        let parts = try BundleComponents(bundle, keys: ["codec", "vocoder", "vocoder_draft"])
        let c = try parts.decode(Configs.self, path: file)
        // Every size first: the weight table and the models are built from them.
        if let problem = ConfigCheck.first(c.codec.problem.map { "codec: \($0)" }, c.sampler.transformer.problem.map { "sampler: \($0)" },
                                           c.vocoder.problem.map { "vocoder: \($0)" }, c.vocoderDraft?.problem.map { "vocoder_draft: \($0)" },
                                           c.onsets?.problem.map { "onsets: \($0)" }) {
            throw GeneratorError.badConfig(path: file, reason: problem)
        }
        guard (1...1 << 16).contains(c.sampler.featDim) else {
            throw GeneratorError.badConfig(path: file, reason: "sampler: got [feat_dim \(c.sampler.featDim)], expected [1…65536]")
        }
        guard c.windowFrames % 16 == 0, c.windowFrames > 0, c.windowFrames <= 1 << 16 else {
            throw GeneratorError.badConfig(path: file, reason: "got [window_frames \(c.windowFrames)], expected [a positive multiple of 16, at most 65536]")
        }
        let tokens = c.windowFrames / 16 * c.codec.rows
        guard c.sampler.blockSize >= c.windowFrames / 4 + tokens, c.sampler.vocabSize == c.codec.nEmbed else {
            throw GeneratorError.badConfig(path: file, reason: "got [sampler block \(c.sampler.blockSize), vocabulary \(c.sampler.vocabSize)], expected [≥ \(c.windowFrames / 4 + tokens) for \(c.windowFrames)-frame windows, \(c.codec.nEmbed) codes]")
        }
        var table = WeightTable()
        // Components carried here are bound with the rest; referenced ones from their bundle.
        if parts.isLocal("codec") { table.add(SpecVQGANCodec.table(c.codec), prefix: "codec.") }
        table.add(SpecVQGANSampler.table(c.sampler.transformer, featureDim: c.sampler.featDim), prefix: "sampler.")
        guard c.vocoder.hop == 256 else {
            throw GeneratorError.badConfig(path: file, reason: "got [vocoder ratios \(c.vocoder.ratios) × bands \(c.vocoder.bands): hop \(c.vocoder.hop)], expected [hop 256, the mel's]")
        }
        if parts.isLocal("vocoder") { table.add(MelGANVocoder.table(c.vocoder), prefix: "vocoder.") }
        if let d = c.vocoderDraft {
            guard d.mels == c.vocoder.mels, d.hop == c.vocoder.hop else {
                throw GeneratorError.badConfig(path: file, reason: "got [vocoder_draft mels \(d.mels), hop \(d.hop)], expected [\(c.vocoder.mels), \(c.vocoder.hop), the vocoder's]")
            }
            if parts.isLocal("vocoder_draft") { table.add(MelGANVocoder.table(d), prefix: "vocoder_draft.") }
        }
        if let o = c.onsets {
            guard o.featDim == c.sampler.featDim else {
                throw GeneratorError.badConfig(path: file, reason: "got [onsets feat_dim \(o.featDim)], expected [\(c.sampler.featDim), the sampler's]")
            }
            table.add(VisualOnsets.table(o), prefix: "onsets.")
        }
        let w = try bundle.bind(table)
        codec = SpecVQGANCodec(weights: try parts.weights("codec", SpecVQGANCodec.table(c.codec), own: w), config: c.codec)
        sampler = SpecVQGANSampler(config: c.sampler.transformer, featureDim: c.sampler.featDim, weights: w.scoped("sampler."))
        let vocoder = MelGANVocoder(weights: try parts.weights("vocoder", MelGANVocoder.table(c.vocoder), own: w), config: c.vocoder)
        let draft = try c.vocoderDraft.map { MelGANVocoder(weights: try parts.weights("vocoder_draft", MelGANVocoder.table($0), own: w), config: $0) }
        onsets = c.onsets.map { VisualOnsets(weights: w.scoped("onsets."), config: $0) }
        analyzer = try MelAnalyzer()
        melRenderer = MelRenderer(kind: renderer, vocoder: vocoder, draftVocoder: draft, analyzer: analyzer)
        name = (bundle.path as NSString).lastPathComponent
        weightsHash = bundle.weightsHash
        windowSamples = c.windowFrames * 256
        featureDim = c.sampler.featDim
        guidable = (c.sampler.uncond ?? 0) > 0
    }

    public func generate(_ window: GenerationWindow, progress: (Double) -> Bool) throws -> [Float] {
        guard window.features.dim(-1) == featureDim else {
            throw GeneratorError.invalidInput("\(name): got [\(window.features.dim(-1))-d visual features], expected [\(featureDim)-d]: the bundle was trained with another visual encoder")
        }
        guard let mel = bestMel(window, progress: { progress(0.9 * $0) }) else { throw GenerationCancelled() }   // [80, frames]
        guard progress(0.95) else { throw GenerationCancelled() }
        let kind = text(.vocoder, in: window).flatMap(Renderer.init(rawValue:))
        var audio = render(mel: mel, seed: window.seed, draft: isOn(.draft, in: window), kind: kind)
        // Griffin-Lim's centred frames end one hop short of the vocoder's output.
        if audio.count < window.samples { audio += [Float](repeating: 0, count: window.samples - audio.count) }
        return Array(audio.prefix(window.samples))
    }

    /// The clip's mel through the codec (mel → tokens → mel): what the renderer gets on the
    /// floor any generated take starts from (`reconstruct` renders it).
    public func reconstructedMel(_ audio: [Float]) -> Tensor {
        let frames = (audio.count / 256 + 15) / 16 * 16
        return codec.decode(tokens: codec.tokens(mel: Self.frames(analyzer.normalized(audio), count: frames)))
    }

    /// [80, frames] normalised mel → waveform at 22 050 Hz through the shared renderer.
    func render(mel: Tensor, seed: UInt64, draft: Bool = false, kind: Renderer? = nil) -> [Float] {
        melRenderer(mel: mel, seed: seed, draft: draft, kind: kind)
    }

    /// The window's tokens, column-major: the known audio at the window's start (whole token
    /// columns) encoded as the prime, then the sampler's continuation. nil when cancelled.
    func tokens(_ window: GenerationWindow, progress: (Double) -> Bool) -> [Int]? {
        tokens(window, seeds: [window.seed], progress: progress)?[0]
    }

    /// One token sequence per seed (the candidates of a window), sampled side by side after
    /// the shared prime; each is what `tokens` gives for a window with that seed.
    func tokens(_ window: GenerationWindow, seeds: [UInt64], progress: (Double) -> Bool) -> [[Int]]? {
        // Only the token columns that cover the samples the chain will use.
        let columns = min(window.samples / (16 * 256), (window.needed + 16 * 256 - 1) / (16 * 256)), rows = codec.config.rows
        let knownSamples = window.known.firstIndex(of: false) ?? window.samples
        let primeColumns = min(columns - 1, knownSamples / (16 * 256))
        var prime: [Int] = []
        if primeColumns > 0 {
            let mel = analyzer.normalized(Array(window.context[0..<(primeColumns * 16 * 256)]))
            prime = codec.tokens(mel: Self.frames(mel, count: primeColumns * 16))
        }
        guard let tails = sampler.generate(features: window.features, prime: prime, count: columns * rows - prime.count,
                                           temperature: Float(number(.temperature, in: window) ?? 1),
                                           topX: number(.topX, in: window).map { Int($0) }, seeds: seeds,
                                           cfgScale: guidable ? Float(number(.cfgScale, in: window) ?? Self.defaultGuidance) : 1,
                                           progress: progress) else { return nil }
        return tails.map { prime + $0 }
    }

    /// The first `count` frames of a mel as a [80, count] tensor (the analyzer adds one frame).
    static func frames(_ mel: MelSpectrogram, count: Int) -> Tensor {
        Tensor(overwriting: [mel.bands, count]) { out in
            for b in 0..<mel.bands { for f in 0..<count { out[b * count + f] = mel.values[b * mel.frames + min(f, mel.frames - 1)] } }
        }
    }
}
