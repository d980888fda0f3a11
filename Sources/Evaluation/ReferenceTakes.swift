import DSP
import Foundation
import Media

/// The reference rows every generator is judged against: ground truth (the ceiling), ground
/// truth through Griffin-Lim (what the mel alone allows), and retrieval (a random training clip
/// of the same visual class: right kind of sound, wrong timing — the floor), ground truth
/// band-limited to our mel's 125–7600 Hz (what a perfect renderer of that mel could give at
/// best), and shuffled ground truth (another test clip's real sound: what "unrelated" scores).
public enum ReferenceTakes {
    public enum Kind: String, CaseIterable, Sendable {
        case groundTruth = "ground-truth", griffinLim = "griffin-lim", retrieval, bandLimited = "band-limited", shuffled
    }

    /// Zeroes every STFT bin outside [fMin, fMax] (1024-point frames, hop 256) and resynthesises.
    static func bandLimit(_ x: [Float], fMin: Double = AudioGeometry.fMin, fMax: Double = AudioGeometry.fMax) throws -> [Float] {
        let stft = try STFT()
        var spec = stft.forward(x)
        let binHz = Double(AudioGeometry.sampleRate) / Double(stft.nFFT)
        for t in 0..<spec.frames {
            for k in 0..<spec.bins where Double(k) * binHz < fMin || Double(k) * binHz > fMax {
                spec.re[t * spec.bins + k] = 0; spec.im[t * spec.bins + k] = 0
            }
        }
        return stft.inverse(spec, length: x.count)
    }

    public static func write(_ kind: Kind, split: String, train: String?, out: String, seed: UInt64 = 0) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let clips = try ClipAnnotation.split(split)
        let pool = kind == .retrieval ? try ClipAnnotation.split(train ?? "") : []
        let analyzer = try MelAnalyzer()
        // The rows of real audio keep the corpus's full band where it has one (44.1 kHz); the
        // rows made from our mel are 22.05 kHz by construction.
        func real(_ folder: String, _ c: ClipAnnotation, _ duration: Double) throws -> (samples: [Float], rate: Int) {
            let file = Evaluator.truthFile(split: folder, clip: c, fullBand: true)
            let rate = file.hasSuffix(".44k.wav") ? 44100 : AudioGeometry.sampleRate
            return (try Evaluator.audio(file, duration: duration, rate: rate), rate)
        }
        for clip in clips {
            var (samples, rate): ([Float], Int) = ([], AudioGeometry.sampleRate)
            switch kind {
            case .groundTruth:
                (samples, rate) = try real(split, clip, clip.duration)
            case .griffinLim:
                let gt = try Evaluator.groundTruth(split: split, clip: clip)
                samples = GriffinLim(iterations: 32, seed: seed).waveform(fromNormalizedMel: analyzer.normalized(gt), analyzer: analyzer)
            case .bandLimited:
                samples = try bandLimit(try Evaluator.groundTruth(split: split, clip: clip))
            case .shuffled:
                let next = clips[(clips.firstIndex { $0.id == clip.id }! + 1) % clips.count]
                (samples, rate) = try real(split, next, clip.duration)
            case .retrieval:
                let same = pool.filter { $0.class == clip.class }
                guard !same.isEmpty else { throw EvaluationError.noClips("\(train ?? ""): no training clip of class \(clip.class)") }
                var h = seed &+ 0x9E37_79B9_7F4A_7C15
                for b in clip.id.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
                (samples, rate) = try real(train!, same[Int(h % UInt64(same.count))], clip.duration)
            }
            let n = Int((clip.duration * Double(rate)).rounded())
            if samples.count < n { samples += [Float](repeating: 0, count: n - samples.count) }
            try WAVAudio(sampleRate: rate, format: .float32, samples: Array(samples.prefix(n)))
                .write(to: "\(out)/\(clip.id).wav")
        }
    }
}
