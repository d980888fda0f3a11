import DSP
import Foundation
import Media

/// The reference rows every generator is judged against: ground truth (the ceiling), ground
/// truth through Griffin-Lim (what the mel alone allows), and retrieval (a random training clip
/// of the same visual class: right kind of sound, wrong timing — the floor).
public enum ReferenceTakes {
    public enum Kind: String, CaseIterable, Sendable { case groundTruth = "ground-truth", griffinLim = "griffin-lim", retrieval }

    public static func write(_ kind: Kind, split: String, train: String?, out: String, seed: UInt64 = 0) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let clips = try ClipAnnotation.split(split)
        let pool = kind == .retrieval ? try ClipAnnotation.split(train ?? "") : []
        let analyzer = try MelAnalyzer()
        for clip in clips {
            let n = Int((clip.duration * Double(AudioGeometry.sampleRate)).rounded())
            var samples: [Float]
            switch kind {
            case .groundTruth:
                samples = try Evaluator.groundTruth(split: split, clip: clip)
            case .griffinLim:
                let gt = try Evaluator.groundTruth(split: split, clip: clip)
                samples = GriffinLim(iterations: 32, seed: seed).waveform(fromNormalizedMel: analyzer.normalized(gt), analyzer: analyzer)
            case .retrieval:
                let same = pool.filter { $0.class == clip.class }
                guard !same.isEmpty else { throw EvaluationError.noClips("\(train ?? ""): no training clip of class \(clip.class)") }
                var h = seed &+ 0x9E37_79B9_7F4A_7C15
                for b in clip.id.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
                let pick = same[Int(h % UInt64(same.count))]
                samples = try Evaluator.audio("\(train!)/\(pick.id).wav", duration: clip.duration)
            }
            if samples.count < n { samples += [Float](repeating: 0, count: n - samples.count) }
            try WAVAudio(sampleRate: AudioGeometry.sampleRate, format: .float32, samples: Array(samples.prefix(n)))
                .write(to: "\(out)/\(clip.id).wav")
        }
    }
}
