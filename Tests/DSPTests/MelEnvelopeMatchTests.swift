import DSP
import Foundation
import TestHelpers
import Testing

@Suite struct MelEnvelopeMatchTests {
    /// Mean |a − b| over two normalised mels' common frames.
    static func meanDifference(_ a: MelSpectrogram, _ b: MelSpectrogram) -> Float {
        let frames = min(a.frames, b.frames)
        var sum: Float = 0
        for m in 0..<a.bands { for t in 0..<frames { sum += abs(a.values[m * a.frames + t] - b.values[m * b.frames + t]) } }
        return sum / Float(a.bands * frames)
    }

    /// The signal with its upper half of the spectrum cut by 20 dB and its lower half lifted
    /// by 6 dB: a vocoder's envelope error, phase and fine structure intact.
    static func recoloured(_ x: [Float], stft: STFT) -> [Float] {
        var spec = stft.forward(x)
        for t in 0..<spec.frames {
            for k in 0..<spec.bins {
                let g: Float = k > spec.bins / 4 ? 0.1 : 2
                spec.re[t * spec.bins + k] *= g
                spec.im[t * spec.bins + k] *= g
            }
        }
        return stft.inverse(spec, length: x.count)
    }

    @Test func matchingRestoresTheTargetEnvelope() throws {
        let analyzer = try MelAnalyzer()
        let x = testSignal(22050).map { $0 * 0.5 }
        let target = analyzer.normalized(x)
        let wrong = Self.recoloured(x, stft: analyzer.stft)
        let fixed = MelEnvelopeMatch(analyzer: analyzer).apply(wrong, toNormalizedMel: target)
        #expect(fixed.count == wrong.count)
        let before = Self.meanDifference(analyzer.normalized(wrong), target)
        let after = Self.meanDifference(analyzer.normalized(fixed), target)
        #expect(before > 0.05, "the recolouring moved the mel by \(before)")
        #expect(after < before / 5, "mel difference \(before) → \(after)")
    }

    @Test func aMatchingWaveformIsLeftAlmostAlone() throws {
        let analyzer = try MelAnalyzer()
        let x = testSignal(8192).map { $0 * 0.5 }
        let y = MelEnvelopeMatch(analyzer: analyzer).apply(x, toNormalizedMel: analyzer.normalized(x))
        #expect(Tolerance.maxAbsDiff(x, y) < 1e-3, "\(Tolerance.maxAbsDiff(x, y))")
    }

    @Test func silenceInTheTargetIsNotLiftedAndPeaksStayInsideFullScale() throws {
        let analyzer = try MelAnalyzer()
        let quiet = testSignal(8192).map { $0 * 1e-6 }
        let floor = MelSpectrogram(bands: 80, frames: 33, values: [Float](repeating: 0, count: 80 * 33))
        let y = MelEnvelopeMatch(analyzer: analyzer).apply(quiet, toNormalizedMel: floor)
        #expect(y.map(abs).max()! <= quiet.map(abs).max()! * 1.01)
        // A target 12 dB louder than a near-full-scale signal: the boost is bent under ±1.
        let loud = testSignal(8192).map { $0 * 1.2 }
        let louder = analyzer.normalized(loud.map { $0 * 4 })
        let z = MelEnvelopeMatch(analyzer: analyzer).apply(loud, toNormalizedMel: louder)
        #expect(z.allSatisfy { abs($0) <= 1 })
        #expect(z.map(abs).max()! > 0.9)
    }
}
