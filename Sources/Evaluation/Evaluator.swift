import DSP
import Foundation
import Generators
import Media
import Runtime

/// What `foley eval` reports for one folder of generated audio on one split.
public struct EvalReport: Codable, Sendable {
    public var label: String
    public var split: String
    public var clips: Int
    public var fd: Double
    public var meanKL: Double
    public var inceptionScore: Double
    public var classAccuracy: Double
    /// Class accuracy over each true class's clips (absent in reports written before it existed).
    public var classAccuracyByClass: [String: Double]?
    public var onsetRecall: Double?
    public var onsetPrecision: Double?
    public var alignmentAccuracy: Double
    public var missing: [String]
}

/// Scores generated audio against a corpus split with the shipped evaluation models:
/// the classifier (FD on its penultimate features against the split's ground truth, paired
/// KL, IS, class accuracy), onset alignment (±50 ms) and the sync judge (share of 16-frame
/// windows it judges in sync with the video).
public final class Evaluator {
    let classifier: EvalClassifier
    let visual: VisualEncoder
    let sync: AVSync
    let analyzer: MelAnalyzer
    public static let window = 16

    public init(weights: String = ModelBundle.directory()) throws {
        classifier = try EvalClassifier(bundle: try ModelBundle(path: weights + "/eval-classifier", kind: "eval-classifier"))
        visual = try VisualEncoder(bundle: try ModelBundle(path: weights + "/visual-encoder", kind: "visual-encoder"))
        sync = try AVSync(bundle: try ModelBundle(path: weights + "/av-sync", kind: "av-sync"))
        analyzer = try MelAnalyzer()
    }

    func mel(_ samples: [Float]) -> Tensor {
        let m = analyzer.normalized(samples)
        return Tensor(shape: [m.bands, m.frames], m.values)
    }

    /// Audio of a file at 22.05 kHz, trimmed or zero-padded to `duration`.
    static func audio(_ path: String, duration: Double) throws -> [Float] {
        guard let a = try AudioReader.read(path: path, sampleRate: AudioGeometry.sampleRate) else {
            throw MediaError.invalidArgument("\(path): has no audio stream")
        }
        let n = Int((duration * Double(AudioGeometry.sampleRate)).rounded())
        return a.samples.count >= n ? Array(a.samples.prefix(n)) : a.samples + [Float](repeating: 0, count: n - a.samples.count)
    }

    /// A clip's ground-truth sound: its WAV, or the mp4's own audio track when there is no WAV
    /// beside it (as in Projects/demo).
    static func groundTruth(split: String, clip: ClipAnnotation) throws -> [Float] {
        let wav = "\(split)/\(clip.id).wav"
        return try audio(FileManager.default.fileExists(atPath: wav) ? wav : "\(split)/\(clip.id).mp4", duration: clip.duration)
    }

    /// Visual features of a clip [T, D] at 21.53 fps.
    public func videoFeatures(_ mp4: String) throws -> Tensor {
        let frames = try VideoReader(path: mp4).frames(rate: VideoReader.featureRate, shape: .square(VisualEncoder.frameSize))
        return visual(try VisualEncoder.tensor(frames: frames.map(\.pixels)))
    }

    /// Share of windows the sync judge scores as in sync.
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

    public func evaluate(generated: String, split: String, label: String, progress: ((Int, Int) -> Void)? = nil) throws -> EvalReport {
        let clips = try ClipAnnotation.split(split)
        guard !clips.isEmpty else { throw EvaluationError.noClips("\(split): no annotated clips") }
        var genFeatures: [[Float]] = [], gtFeatures: [[Float]] = [], genProbs: [[Float]] = []
        var kl = 0.0, correct = 0, recalls: [Double] = [], precisions: [Double] = [], synced = 0, windows = 0
        var missing: [String] = [], perClass: [String: (correct: Int, clips: Int)] = [:]
        for (i, clip) in clips.enumerated() {
            progress?(i, clips.count)
            let path = "\(generated)/\(clip.id).wav"
            guard FileManager.default.fileExists(atPath: path) else { missing.append(clip.id); continue }
            let genMel = mel(try Self.audio(path, duration: clip.duration))
            let gtMel = mel(try Self.groundTruth(split: split, clip: clip))
            let gen = classifier(mel: genMel), gt = classifier(mel: gtMel)
            genFeatures.append(gen.features); gtFeatures.append(gt.features)
            let p = gen.classProbabilities
            genProbs.append(p)
            kl += Statistics.kl(gt.classProbabilities, p)
            let right = classifier.classes[Sampler.argmax(gen.classLogits)] == clip.class
            if right { correct += 1 }
            perClass[clip.class, default: (0, 0)].correct += right ? 1 : 0
            perClass[clip.class, default: (0, 0)].clips += 1
            let detected = Onsets.detect(MelSpectrogram(bands: genMel.dim(0), frames: genMel.dim(1), values: genMel.values))
            // Recall over sharp events; precision against every annotated event (a door opening or
            // a fire catching is a fair place for an onset), on clips that have sharp events.
            if let r = Onsets.match(detected: detected, reference: clip.sharpOnsets).recall { recalls.append(r) }
            if !clip.sharpOnsets.isEmpty, let pr = Onsets.match(detected: detected, reference: clip.events.map(\.onset)).precision {
                precisions.append(pr)
            }
            let (ok, total) = syncedShare(video: try videoFeatures("\(split)/\(clip.id).mp4"), mel: genMel)
            synced += ok; windows += total
        }
        let n = genFeatures.count
        guard n >= 2 else { throw EvaluationError.noClips("\(generated): fewer than 2 generated clips match \(split)") }
        func mean(_ x: [Double]) -> Double? { x.isEmpty ? nil : x.reduce(0, +) / Double(x.count) }
        return EvalReport(label: label, split: split, clips: n, fd: try Statistics.frechetDistance(genFeatures, gtFeatures),
                          meanKL: kl / Double(n), inceptionScore: Statistics.inceptionScore(genProbs),
                          classAccuracy: Double(correct) / Double(n),
                          classAccuracyByClass: perClass.mapValues { Double($0.correct) / Double($0.clips) }, onsetRecall: mean(recalls), onsetPrecision: mean(precisions),
                          alignmentAccuracy: windows == 0 ? 0 : Double(synced) / Double(windows), missing: missing)
    }
}
