import DSP
import Foundation
import Runtime
import TestHelpers
import Testing

/// Swift's filterbank and mel against librosa (Tests/Fixtures/dsp, made by `make golden`).
@Suite struct MelParityTests {
    let golden: SafeTensorsFile
    let signal: [Float]
    init() throws {
        golden = try Fixtures.golden("dsp/mel_golden.safetensors")
        signal = try golden.tensor("signal").values
    }

    @Test func filterbankMatchesLibrosa() throws {
        let expected = try golden.tensor("filterbank", shape: [80, 513]).values
        let got = MelFilterbank.slaney()
        #expect(Tolerance.mismatch("filterbank", got: got, expected: expected, atol: 1e-6, rtol: 1e-5) == nil)
    }

    @Test func stftMagnitudeMatchesLibrosa() throws {
        let stft = try STFT()
        let spec = stft.forward(signal)
        let expected = try golden.tensor("stft_magnitude")   // (513, frames)
        #expect(expected.shape == [513, spec.frames])
        // Ours is frame-major: transpose to compare.
        let mag = spec.magnitude()
        var got = [Float](repeating: 0, count: mag.count)
        for t in 0..<spec.frames { for k in 0..<513 { got[k * spec.frames + t] = mag[t * 513 + k] } }
        #expect(Tolerance.mismatch("stft_magnitude", got: got, expected: expected.values, atol: 2e-4, rtol: 1e-4) == nil)
    }

    @Test func normalizedMelMatchesLibrosaWithin1e4() throws {
        let analyzer = try MelAnalyzer()
        let mel = analyzer.normalized(signal)
        let expected = try golden.tensor("mel_normalized")
        #expect(expected.shape == [mel.bands, mel.frames])
        #expect(Tolerance.mismatch("mel_normalized", got: mel.values, expected: expected.values, atol: 1e-4) == nil)
        let magnitude = analyzer.magnitudes(signal)
        #expect(Tolerance.mismatch("mel_magnitude", got: magnitude.values, expected: try golden.tensor("mel_magnitude").values,
                                   atol: 1e-4, rtol: 1e-4) == nil)
    }

    @Test func normalisationChainInvertsExactlyInsideItsRange() {
        for db in stride(from: -79.0, through: 19.0, by: 0.5) {
            let m = Float(pow(10, db / 20))
            let back = MelNormalization.denormalize(MelNormalization.normalize(m))
            #expect(abs(back - m) <= m * 2e-5, "magnitude \(m)")
        }
        #expect(MelNormalization.normalize(0) == 0)
        #expect(MelNormalization.normalize(1000) == 1)
    }
}

@Suite struct MelScaleTests {
    @Test func slaneyScaleRoundTrips() {
        for f in [0.0, 125, 500, 999.9, 1000, 1000.1, 4000, 7600, 11025] {
            #expect(abs(MelFilterbank.melToHz(MelFilterbank.hzToMel(f)) - f) < 1e-9 * max(1, f))
        }
        #expect(abs(MelFilterbank.hzToMel(1000) - 15) < 1e-12)
    }
}
