import DSP
import Foundation
import Generators
import IndependentOnsets
import Media
import Runtime

/// Scores generated audio against a corpus split. Headline: the external sound-effects
/// embedding at 44.1 kHz (FD_sfx, KL_sfx over its category heads), class accuracy of our probe
/// on that embedding, onsets by the independent complex-domain detector (±50 ms), and the sync
/// judge. Secondary: the mel classifier's FD/KL/IS/accuracy and the spectral-flux onsets that
/// SpecVQGAN's ranking also uses. Each metric gets a bootstrap 95% interval over clips.
public final class Evaluator {
    let sfx: SFXEmbedding
    let probe: SFXClassProbe?
    let classifier: EvalClassifier
    let visual: VisualEncoder
    let sync: AVSync
    let analyzer: MelAnalyzer
    let onsets = ComplexDomainOnsets()
    let cache: FeatureCache?
    /// The evaluation networks' weights, as one key (saved per-clip scores are reused only under it).
    public let identity: String
    public var bootstrap = Bootstrap()
    public static let window = 16
    /// Bump when what a clip's scores or cached truth features mean changes (saved ones are then recomputed).
    public static let version = 2

    public init(weights: String = ModelBundle.directory(), sfxModel: String = SFXEmbedding.defaultPath(),
                cacheRoot: String? = FeatureCache.defaultRoot()) throws {
        let sfx = try SFXEmbedding(path: sfxModel)
        self.sfx = sfx
        let probePath = weights + "/eval-sfx-probe"
        let probeBundle = FileManager.default.fileExists(atPath: probePath) ? try ModelBundle(path: probePath, kind: "sfx-probe") : nil
        probe = try probeBundle.map { try SFXClassProbe(bundle: $0) }
        let classifierBundle = try ModelBundle(path: weights + "/eval-classifier", kind: "eval-classifier")
        let visualBundle = try ModelBundle(path: weights + "/visual-encoder", kind: "visual-encoder")
        classifier = try EvalClassifier(bundle: classifierBundle)
        visual = try VisualEncoder(bundle: visualBundle)
        let syncBundle = try ModelBundle(path: weights + "/av-sync", kind: "av-sync")
        sync = try AVSync(bundle: syncBundle)
        analyzer = try MelAnalyzer()
        let probeHash = probeBundle?.weightsHash ?? "none"
        // What the saved per-clip scores depend on: every network's weights and config, the
        // measuring code's version and the onset threshold.
        let configs = [sfx.configHash, classifierBundle.configHash, visualBundle.configHash, syncBundle.configHash].joined(separator: "")
        identity = ["v\(Self.version)", sfx.weightsHash, probeHash, classifierBundle.weightsHash, visualBundle.weightsHash, syncBundle.weightsHash,
                    configs, "delta\(onsets.picker.delta)"].joined(separator: "-")
        cache = cacheRoot.map { FeatureCache(root: $0, weightsKey: ["v\(Self.version)", sfx.weightsHash, classifierBundle.weightsHash,
                                                                     visualBundle.weightsHash, configs].joined(separator: "-")) }
    }

    func mel(_ samples: [Float]) -> Tensor {
        let m = analyzer.normalized(samples)
        return Tensor(shape: [m.bands, m.frames], m.values)
    }

    /// Audio of a file at `rate` (22.05 kHz unless told), trimmed or zero-padded to `duration`.
    static func audio(_ path: String, duration: Double, rate: Int = AudioGeometry.sampleRate) throws -> [Float] {
        guard let a = try AudioReader.read(path: path, sampleRate: rate) else {
            throw MediaError.invalidArgument("\(path): has no audio stream")
        }
        let n = Int((duration * Double(rate)).rounded())
        return a.samples.count >= n ? Array(a.samples.prefix(n)) : a.samples + [Float](repeating: 0, count: n - a.samples.count)
    }

    /// A clip's ground-truth file: its WAV, else the mp4's own audio track (as in Projects/demo);
    /// with `fullBand`, the corpus's 44.1 kHz copy of the same mix (`<id>.44k.wav`) where it exists.
    static func truthFile(split: String, clip: ClipAnnotation, fullBand: Bool = false) -> String {
        let full = "\(split)/\(clip.id).44k.wav", wav = "\(split)/\(clip.id).wav"
        if fullBand, FileManager.default.fileExists(atPath: full) { return full }
        return FileManager.default.fileExists(atPath: wav) ? wav : "\(split)/\(clip.id).mp4"
    }

    /// The truth at `rate`: above the working rate it is read from the full-band copy where
    /// there is one, so the external metrics hear the band above 11 kHz the clip really has.
    static func groundTruth(split: String, clip: ClipAnnotation, rate: Int = AudioGeometry.sampleRate) throws -> [Float] {
        try audio(truthFile(split: split, clip: clip, fullBand: rate > AudioGeometry.sampleRate), duration: clip.duration, rate: rate)
    }

    /// Visual features of a clip [T, D] at 21.53 fps.
    public func videoFeatures(_ mp4: String) throws -> Tensor {
        let frames = try VideoReader(path: mp4).frames(rate: VideoReader.featureRate, shape: .modelInput(VisualEncoder.frameSize, centreCrop: visual.framing == .centreCrop))
        return visual(try VisualEncoder.tensor(frames: frames.map(\.pixels)))
    }

    /// Windows the sync judge scores as in sync, of all windows.
    func syncedShare(video v: Tensor, mel: Tensor) -> (Int, Int) {
        let a = sync.encode(mel: mel)
        let t = min(v.dim(0), a.dim(0)), d = sync.dim, w = Self.window
        let vs = v.values, av = a.values
        var ok = 0, total = 0
        for s in stride(from: 0, through: t - w, by: w) {
            let vw = Tensor(shape: [w, d], Array(vs[(s * d)..<((s + w) * d)]))
            let aw = Tensor(shape: [w, d], Array(av[(s * d)..<((s + w) * d)]))
            if sync.syncLogit(video: vw, audio: aw) > 0 { ok += 1 }
            total += 1
        }
        return (ok, total)
    }

    func truth(split: String, clip: ClipAnnotation) throws -> TruthFeatures {
        let file = Self.truthFile(split: split, clip: clip), mp4 = "\(split)/\(clip.id).mp4"
        let full = Self.truthFile(split: split, clip: clip, fullBand: true)
        let files = [file, mp4, "\(split)/\(clip.id).json"] + (full == file ? [] : [full])
        if let hit = cache?.load(clip: clip, files: files) { return hit }
        let gt = classifier(mel: mel(try Self.groundTruth(split: split, clip: clip)))
        let v = try videoFeatures(mp4)
        let t = TruthFeatures(sfx: sfx(samples44k: try Self.groundTruth(split: split, clip: clip, rate: SFXMel.sampleRate)),
                              melFeatures: gt.features, melProbabilities: gt.classProbabilities, video: v.values, videoShape: v.shape)
        cache?.store(t, clip: clip, files: files)
        return t
    }

    /// Every measurement on one clip's generated audio.
    func score(_ path: String, split: String, clip: ClipAnnotation) throws -> ClipScores {
        let truth = try truth(split: split, clip: clip)
        let genMel = mel(try Self.audio(path, duration: clip.duration))
        let gen = classifier(mel: genMel)
        let wide = try Self.audio(path, duration: clip.duration, rate: SFXMel.sampleRate)
        let genSFX = sfx(samples44k: wide)
        let sfxKL = zip(truth.sfx.posteriors, genSFX.posteriors).reduce(0.0) { $0 + Statistics.kl($1.0, $1.1) } / Double(genSFX.posteriors.count)
        let flux = Onsets.detect(MelSpectrogram(bands: genMel.dim(0), frames: genMel.dim(1), values: genMel.values))
        let sharp = clip.sharpOnsets, all = clip.events.map(\.onset)
        let found = onsets.detect(wide)
        let onSharp = EventMatch(detected: found, reference: sharp), onAll = EventMatch(detected: found, reference: all)
        let (ok, total) = syncedShare(video: Tensor(shape: truth.videoShape, truth.video), mel: genMel)
        return ClipScores(
            id: clip.id, class: clip.class,
            sfxGenerated: genSFX.embedding, sfxTruth: truth.sfx.embedding, sfxKL: sfxKL,
            probeClass: probe?.classify(blocks: genSFX.blocks),
            melGenerated: gen.features, melTruth: truth.melFeatures, melKL: Statistics.kl(truth.melProbabilities, gen.classProbabilities),
            melProbabilities: gen.classProbabilities, melClass: classifier.classes[Sampler.argmax(gen.classLogits)],
            // Recall over sharp events; precision against every annotated event (a door opening or
            // a fire catching is a fair place for an onset), on clips that have sharp events.
            fluxRecall: Onsets.match(detected: flux, reference: sharp).recall,
            fluxPrecision: sharp.isEmpty ? nil : Onsets.match(detected: flux, reference: all).precision,
            sharpEvents: onSharp.references, sharpFound: onSharp.matched, detections: onAll.detections, detectionsOnEvents: onAll.matched,
            syncedWindows: ok, windows: total)
    }

    /// Per-clip scores of a folder of generated WAVs (named by clip id) and the clips it lacks.
    public func scores(generated: String, split: String, progress: ((Int, Int) -> Void)? = nil) throws -> (scores: [ClipScores], missing: [String]) {
        let clips = try ClipAnnotation.split(split)
        guard !clips.isEmpty else { throw EvaluationError.noClips("\(split): no annotated clips") }
        var out: [ClipScores] = [], missing: [String] = []
        for (i, clip) in clips.enumerated() {
            progress?(i, clips.count)
            let path = "\(generated)/\(clip.id).wav"
            guard FileManager.default.fileExists(atPath: path) else { missing.append(clip.id); continue }
            out.append(try score(path, split: split, clip: clip))
        }
        guard out.count >= 2 else { throw EvaluationError.noClips("\(generated): fewer than 2 generated clips match \(split)") }
        return (out, missing)
    }

    public func evaluate(generated: String, split: String, label: String, progress: ((Int, Int) -> Void)? = nil) throws -> EvalReport {
        let (s, missing) = try scores(generated: generated, split: split, progress: progress)
        return try EvalReport(label: label, split: split, scores: s, missing: missing, bootstrap: bootstrap)
    }
}
