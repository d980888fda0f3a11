import DSP
import Foundation
import Runtime

/// Visual Echoes as a workstation generator: the window's pictures (one frame per audio token
/// column) become image-tokenizer codes; the audio already fixed in the window (to the left of
/// a continuation, on both sides of an inpainted span) is encoded by SpecVQGAN's codec and kept
/// unmasked; the masked transformer unmasks the rest (`unmask`); the codec decodes the tokens
/// and the shared renderer makes the waveform.
///
/// Bundle `Weights/visual-echoes/` (kind "visual-echoes"): the image tokenizer under
/// `tokenizer.` and the transformer under `transformer.`; the codec and vocoders named from
/// SpecVQGAN's bundle by weights hash (`"codec": {"bundle": "specvqgan", "weights_hash": …}`),
/// so both generators share one token space and one renderer.
public final class VisualEchoesGenerator: Generator, @unchecked Sendable {
    public static let kind = "visual-echoes"
    /// Mel frames per token column, and so per picture (a column is 16 mel frames, 0.186 s).
    static let columnFrames = 16

    public let name: String
    public let weightsHash: String
    public let windowSamples: Int
    public let featureDim: Int
    public let codec: SpecVQGANCodec
    public let tokenizer: SpecVQGANCodec
    public let transformer: VisualEchoesTransformer
    public let melRenderer: MelRenderer
    let analyzer: MelAnalyzer
    let columns: Int
    /// The pictures the tokenizer reads: 64×64, one per token column (5.38 fps).
    public let pictures: FrontEnd

    public var frontEnds: [FrontEnd] { [.sharedFeatures, pictures] }

    /// Paper defaults (N 30, T 9, s 3) except T, which Table 2 of the paper runs at 4.5.
    public var parameters: [ParameterSpec] {
        [.number(.steps, "Steps", range: 1...64, step: 1, default: 30, integer: true, help: "unmasking iterations (cosine schedule)"),
         .number(.temperature, "Temperature", range: 0...20, step: 0.5, default: 4.5, help: "randomness of which tokens are kept each step (annealed to 0)"),
         .number(.cfgScale, "CFG scale", range: 1...6, step: 0.25, default: 3, help: "guidance toward the picture (1: none; 2 passes a step)")]
        + melRenderer.parameters()
    }

    struct Configs: Decodable {
        var codec: SpecVQGANCodec.Config
        var vocoder: MelGANVocoder.Config
        var vocoderDraft: MelGANVocoder.Config?
        var tokenizer: SpecVQGANCodec.Config
        var transformer: VisualEchoesTransformer.Config
        var windowFrames: Int
        enum CodingKeys: String, CodingKey {
            case codec, vocoder, vocoderDraft = "vocoder_draft", tokenizer, transformer, windowFrames = "window_frames"
        }
    }

    public init(bundle: ModelBundle, renderer: MelRenderer.Kind = .melgan) throws {
        let file = bundle.configPath
        let parts = try BundleComponents(bundle, keys: ["codec", "vocoder", "vocoder_draft"])
        let c = try parts.decode(Configs.self, path: file)
        if let problem = ConfigCheck.first(c.codec.problem.map { "codec: \($0)" }, c.tokenizer.problem.map { "tokenizer: \($0)" },
                                           c.transformer.problem.map { "transformer: \($0)" }, c.vocoder.problem.map { "vocoder: \($0)" },
                                           c.vocoderDraft?.problem.map { "vocoder_draft: \($0)" }) {
            throw GeneratorError.badConfig(path: file, reason: problem)
        }
        guard c.windowFrames % Self.columnFrames == 0, (16...1 << 14).contains(c.windowFrames) else {
            throw GeneratorError.badConfig(path: file, reason: "got [window_frames \(c.windowFrames)], expected [a multiple of 16, 16…16384]")
        }
        guard c.tokenizer.channels == 3, c.tokenizer.resolution == 64 else {
            throw GeneratorError.badConfig(path: file, reason: "tokenizer: got [\(c.tokenizer.channels) channels at \(c.tokenizer.resolution) px], expected [3 channels at 64 px]")
        }
        let columns = c.windowFrames / Self.columnFrames
        let grid = (64 / c.tokenizer.downsampling) * (64 / c.tokenizer.downsampling)
        let t = c.transformer
        guard t.audioLength == columns * c.codec.rows, t.audioVocab == c.codec.nEmbed, t.visualVocab == c.tokenizer.nEmbed,
              t.visualLength == columns * grid else {
            throw GeneratorError.badConfig(path: file, reason: "transformer: got [audio \(t.audioLength) of \(t.audioVocab) codes, visual \(t.visualLength) of \(t.visualVocab)], expected [audio \(columns * c.codec.rows) of \(c.codec.nEmbed) (the codec's, \(columns) columns), visual \(columns * grid) of \(c.tokenizer.nEmbed) (\(columns) pictures × \(grid) codes)]")
        }
        var table = WeightTable()
        if parts.isLocal("codec") { table.add(SpecVQGANCodec.table(c.codec), prefix: "codec.") }
        if parts.isLocal("vocoder") { table.add(MelGANVocoder.table(c.vocoder), prefix: "vocoder.") }
        if let d = c.vocoderDraft, parts.isLocal("vocoder_draft") { table.add(MelGANVocoder.table(d), prefix: "vocoder_draft.") }
        table.add(SpecVQGANCodec.table(c.tokenizer), prefix: "tokenizer.")
        table.add(VisualEchoesTransformer.table(c.transformer), prefix: "transformer.")
        let w = try bundle.bind(table)
        codec = SpecVQGANCodec(weights: try parts.weights("codec", SpecVQGANCodec.table(c.codec), own: w), config: c.codec)
        let vocoder = MelGANVocoder(weights: try parts.weights("vocoder", MelGANVocoder.table(c.vocoder), own: w), config: c.vocoder)
        let draft = try c.vocoderDraft.map { MelGANVocoder(weights: try parts.weights("vocoder_draft", MelGANVocoder.table($0), own: w), config: $0) }
        tokenizer = SpecVQGANCodec(weights: w.scoped("tokenizer."), config: c.tokenizer)
        transformer = VisualEchoesTransformer(config: c.transformer, weights: w.scoped("transformer."))
        analyzer = try MelAnalyzer()
        melRenderer = MelRenderer(kind: renderer, vocoder: vocoder, draftVocoder: draft, analyzer: analyzer)
        name = (bundle.path as NSString).lastPathComponent
        weightsHash = bundle.weightsHash
        windowSamples = c.windowFrames * 256
        featureDim = 128
        self.columns = columns
        pictures = .frames(width: 64, height: 64, rate: 22050.0 / Double(Self.columnFrames * 256))
    }

    public func generate(_ window: GenerationWindow, progress: (Double) -> Bool) throws -> [Float] {
        guard let frames = window.inputs[pictures] else {
            throw GeneratorError.invalidInput("\(name): got no \(pictures.key) input, expected the window's pictures")
        }
        let visual = try visualTokens(frames)                                                       // [columns · grid]
        let (audio, known) = contextTokens(window)                                                  // [columns · 5]
        guard progress(0.05) else { throw GenerationCancelled() }
        guard let ids = transformer.unmask(audio: audio, known: known, visual: visual, steps: Int(number(.steps, in: window) ?? 30),
                                           temperature: Float(number(.temperature, in: window) ?? 4.5),
                                           guidance: Float(number(.cfgScale, in: window) ?? 3), seed: window.seed,
                                           progress: { progress(0.05 + 0.85 * $0) }) else { throw GenerationCancelled() }
        let mel = codec.decode(tokens: ids)                                                          // [80, frames]
        guard progress(0.95) else { throw GenerationCancelled() }
        let kind = text(.vocoder, in: window).flatMap(MelRenderer.Kind.init(rawValue:))
        var out = melRenderer(mel: mel, seed: window.seed, draft: isOn(.draft, in: window), kind: kind)
        if out.count < window.samples { out += [Float](repeating: 0, count: window.samples - out.count) }
        return Array(out.prefix(window.samples))
    }

    /// The tokenizer's codes of the window's first `columns` pictures, picture after picture.
    func visualTokens(_ frames: Tensor) throws -> [Int] {
        guard frames.shape.count == 4, frames.dim(1) == 3, frames.dim(2) == 64, frames.dim(3) == 64, frames.dim(0) > 0 else {
            throw GeneratorError.invalidInput("\(name): got [pictures \(frames.shape)], expected [[n, 3, 64, 64]]")
        }
        let n = 3 * 64 * 64
        return (0..<columns).flatMap { k in
            let row = min(k, frames.dim(0) - 1)
            let picture = Tensor(shape: [3, 64, 64], frames.read { Array($0[(row * n)..<((row + 1) * n)]) })
            return tokenizer.imageTokens(picture)
        }
    }

    /// The codec's tokens of the window's audio, and which are known: a column whose 4096
    /// samples are all fixed is kept; any other is masked (the chain writes only the unknown
    /// samples, so a kept sample is never changed).
    func contextTokens(_ window: GenerationWindow) -> ([Int], [Bool]) {
        let rows = codec.config.rows, span = Self.columnFrames * 256
        let knownColumns = (0..<columns).map { c in
            let range = (c * span)..<min(window.samples, (c + 1) * span)
            return !range.isEmpty && range.allSatisfy { window.known[$0] }
        }
        guard knownColumns.contains(true) else {
            return ([Int](repeating: 0, count: columns * rows), [Bool](repeating: false, count: columns * rows))
        }
        let mel = analyzer.normalized(window.context)
        let tokens = codec.tokens(mel: SpecVQGANGenerator.frames(mel, count: columns * Self.columnFrames))
        return (tokens, (0..<(columns * rows)).map { knownColumns[$0 / rows] })
    }

    /// The picture the model imagines for a sound (the paper's audio-to-image direction): the
    /// window of `audio` (a take at 22 050 Hz) centred on `seconds` is tokenized, every picture
    /// token unmasked from it (Table 3 of the paper: N 15, T 9), and the picture of the column
    /// at `seconds` decoded. [3, 64, 64] in 0…1.
    public func imagine(audio: [Float], at seconds: Double, steps: Int = 15, temperature: Float = 9, seed: UInt64 = 1) -> Tensor {
        let span = Self.columnFrames * 256
        let column = max(0, Int(seconds * 22050) / span)
        let first = max(0, min(column - columns / 2, audio.count / span - columns + 1))
        let start = first * span
        var window = [Float](repeating: 0, count: windowSamples)
        for i in 0..<windowSamples where start + i < audio.count { window[i] = audio[start + i] }
        let mel = analyzer.normalized(window)
        let tokens = codec.tokens(mel: SpecVQGANGenerator.frames(mel, count: columns * Self.columnFrames))
        let pictures = transformer.imagine(audio: tokens, steps: steps, temperature: temperature, seed: seed)
        let grid = pictures.count / columns, k = min(columns - 1, column - first)
        return tokenizer.decodeImage(tokens: Array(pictures[(k * grid)..<((k + 1) * grid)]), rows: Int(Double(grid).squareRoot()))
    }
}
