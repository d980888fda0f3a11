@testable import DSP
import Foundation
import TestHelpers
import Testing

func testSignal(_ n: Int, seed: UInt64 = 1) -> [Float] {
    var state = seed
    return (0..<n).map { i in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let noise = Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
        return 0.5 * sin(Float(i) * 0.031) + 0.2 * noise
    }
}

@Suite struct STFTTests {
    @Test(arguments: [STFT.Padding.reflect, .zeros])
    func inverseReconstructsWithin1e5(_ padding: STFT.Padding) throws {
        let stft = try STFT(padding: padding)
        for n in [22050, 1000, 4097] {
            let x = testSignal(n)
            let y = stft.inverse(stft.forward(x), length: n)
            #expect(y.count == n)
            #expect(Tolerance.maxAbsDiff(x, y) < 1e-5, "length \(n): \(Tolerance.maxAbsDiff(x, y))")
        }
    }

    @Test func frameCountFollowsCentredFraming() throws {
        let stft = try STFT()
        #expect(stft.frameCount(samples: 22050) == 87)
        #expect(stft.forward(testSignal(22050)).frames == 87)
        #expect(stft.forward(testSignal(10)).frames == 1)
        #expect(stft.forward([]).frames == 1)
    }

    @Test func toneLandsInItsBin() throws {
        let stft = try STFT()
        let f = 21.5 * 22050 / 1024  // bin 21.5 → peak in 21 or 22
        let x = (0..<8192).map { Float(sin(2 * Double.pi * f * Double($0) / 22050)) }
        let mag = stft.forward(x).magnitude()
        let frame = Array(mag[(10 * 513)..<(11 * 513)])
        let peak = frame.indices.max { frame[$0] < frame[$1] }!
        #expect(peak == 21 || peak == 22)
    }

    @Test func rejectsBadParameters() {
        #expect(throws: DSPError.self) { try STFT(nFFT: 1023) }
        #expect(throws: DSPError.self) { try STFT(hop: 0) }
        #expect(throws: DSPError.self) { try STFT(nFFT: 512, winLength: 1024) }
    }
}

@Suite struct GriffinLimTests {
    @Test func spectralConvergenceImprovesWithIterations() throws {
        let analyzer = try MelAnalyzer()
        let x = testSignal(22050)
        let magnitude = analyzer.stft.forward(x).magnitude()
        let frames = analyzer.stft.frameCount(samples: x.count)
        let gl = GriffinLim(iterations: 40)
        let (y, convergence) = gl.reconstruct(magnitude: magnitude, frames: frames, stft: analyzer.stft, length: x.count)
        #expect(y.count == x.count)
        #expect(convergence.count == 40)
        #expect(convergence[39] < convergence[0] * 0.5, "\(convergence.first!) → \(convergence.last!)")
        #expect(convergence[39] <= convergence[9] && convergence[9] <= convergence[1])
    }

    @Test func melToWaveformKeepsTheSpectralEnvelope() throws {
        let analyzer = try MelAnalyzer()
        let x = (0..<22050).map { Float(0.3 * sin(2 * Double.pi * 880 * Double($0) / 22050)) }
        let mel = analyzer.normalized(x)
        let y = GriffinLim(iterations: 32).waveform(fromNormalizedMel: mel, analyzer: analyzer)
        #expect(abs(y.count - x.count) < 256)
        let back = analyzer.normalized(Array(y.prefix(x.count)))
        // Interior frames: the resynthesised mel sits close to the original.
        var err: Float = 0
        var n = 0
        for b in 0..<80 { for t in 4..<(min(mel.frames, back.frames) - 4) { err += abs(mel[b, t] - back[b, t]); n += 1 } }
        #expect(err / Float(n) < 0.03, "mean mel error \(err / Float(n))")
        // Reproducible from its seed.
        let first = GriffinLim(iterations: 4, seed: 9).waveform(fromNormalizedMel: mel, analyzer: analyzer)
        let second = GriffinLim(iterations: 4, seed: 9).waveform(fromNormalizedMel: mel, analyzer: analyzer)
        #expect(first == second, "same seed, max difference \(Tolerance.maxAbsDiff(first, second))")
    }
}

/// A long take's mel is computed a block of frames at a time (bounded memory): the blocks
/// read exactly the padded signal and give the whole-signal mel.
@Suite struct BlockedAnalysisTests {
    @Test(arguments: [STFT.Padding.reflect, .zeros])
    func segmentsAreSlicesOfThePaddedSignal(_ padding: STFT.Padding) throws {
        let stft = try STFT(nFFT: 64, hop: 16, padding: padding)
        for n in [1, 2, 5, 40, 300] {
            let x = testSignal(n)
            let padded = stft.pad(x), frames = stft.frameCount(samples: n)
            for range in [0..<frames, 0..<1, (frames - 1)..<frames, (frames / 3)..<(frames / 2)] where !range.isEmpty {
                let expected = Array(padded[(range.lowerBound * 16)..<((range.upperBound - 1) * 16 + 64)])
                #expect(stft.segment(x, frames: range) == expected, "n \(n), frames \(range)")
            }
        }
    }

    @Test func blockedMelMatchesTheWholeSignal() throws {
        let analyzer = try MelAnalyzer()
        let x = testSignal(256 * 2600 + 77)                     // 2.5 blocks and a ragged end
        let whole = analyzer.project(magnitude: analyzer.stft.forward(x).magnitude(), frames: analyzer.stft.frameCount(samples: x.count))
        let blocked = analyzer.magnitudes(x)
        #expect(blocked.frames == whole.frames && blocked.bands == whole.bands)
        #expect(Tolerance.maxAbsDiff(blocked.values, whole.values) <= 1e-5 * (whole.values.max() ?? 1))
    }
}
