import DSP
import Foundation
import Testing

/// The crossover that joins a working-rate take to the full-band renderer's output: flat where
/// both carry the same sound, the working take's image above 11 kHz gone, the upper band passed
/// through untouched.
@Suite struct BandSplitTests {
    static func tones(_ freqs: [Double], rate: Double, count: Int) -> [Float] {
        (0..<count).map { i in Float(freqs.reduce(0) { $0 + 0.2 * sin(2 * Double.pi * $1 * Double(i) / rate + $1 / 1000) }) }
    }

    /// Amplitude of `f` in x (44.1 kHz) by correlation over its middle.
    static func level(_ x: [Float], _ f: Double) -> Double {
        let a = x.count / 4, b = 3 * x.count / 4
        var c = 0.0, s = 0.0
        for i in a..<b { let p = 2 * Double.pi * f * Double(i) / 44100; c += Double(x[i]) * cos(p); s += Double(x[i]) * sin(p) }
        return 2 * (c * c + s * s).squareRoot() / Double(b - a)
    }

    @Test func theSameSoundOnBothSidesComesOutUnchangedAcrossTheCrossover() {
        let freqs = [440.0, 3000, 8700, 9000, 9300, 10400]      // below, inside and above the 8.5–9.5 kHz transition
        let high = Self.tones(freqs, rate: 44100, count: 44100)
        let low = stride(from: 0, to: high.count, by: 2).map { high[$0] }   // no content above 11 kHz: decimation is exact
        let y = BandSplit().join(low: low, high: high)
        #expect(y.count == high.count)
        let edge = BandSplit().taps.count
        let err = (edge..<(y.count - edge)).map { abs(y[$0] - high[$0]) }.max()!
        #expect(err < 2e-3, "low + high halves sum flat: max error \(err)")
    }

    @Test func theWorkingTakeBelowAndTheFullBandAboveWithNoImage() {
        let low = Self.tones([3000], rate: 22050, count: 22050)
        let high = Self.tones([15000], rate: 44100, count: 44100)
        let y = BandSplit().join(low: low, high: high)
        #expect(abs(Self.level(y, 3000) - 0.2) < 0.002, "the working take's 3 kHz at its level")
        #expect(abs(Self.level(y, 15000) - 0.2) < 0.002, "the full-band side's 15 kHz untouched")
        // Zero-stuffing mirrors 3 kHz to 19.05 kHz: the interpolation filter must remove it.
        #expect(20 * log10(Self.level(y, 19050) / 0.2) < -70)
        // And each side's other band is gone: the full-band side's 3 kHz would double it.
        let onlyHigh = BandSplit().join(low: [Float](repeating: 0, count: 22050), high: Self.tones([3000], rate: 44100, count: 44100))
        #expect(20 * log10(max(Self.level(onlyHigh, 3000), 1e-12) / 0.2) < -70)
    }

    @Test func aShortOrEmptyTakeAndAShortFullBandSide() {
        #expect(BandSplit().join(low: [], high: []).isEmpty)
        let y = BandSplit().join(low: [Float](repeating: 0.1, count: 10), high: [0.5])
        #expect(y.count == 20 && y.allSatisfy(\.isFinite))
    }
}
