import Foundation
@testable import Generators
import Runtime
import TestHelpers
import Testing

/// The full-band vocoder against PyTorch (Training/golden/make_fullband_golden.py) on the tiny
/// fixture bundle: the ops (depthwise convolution, inverse STFT), one ConvNeXt block, and the
/// head's spectrum and the 44.1 kHz waveform of a mel.
@Suite struct FullBandVocoderParityTests {
    static let golden = try! SafeTensorsFile(path: Fixtures.path("models/fullband_golden.safetensors"))
    static func vocoder() throws -> FullBandVocoder {
        try FullBandVocoder(bundle: ModelBundle(path: Fixtures.path("models/fullband-tiny"), kind: FullBandVocoder.kind))
    }

    @Test func depthwiseConvolutionAndBlock() throws {
        let v = try Self.vocoder(), x = try Self.golden.tensor("block_in"), b = v.blocks[0]
        #expect(Self.golden.mismatch("depthwise", FullBandVocoder.depthwise(x, taps: b.depthwise, bias: b.depthwiseBias), atol: 1e-5, rtol: 1e-5) == nil)
        #expect(Self.golden.mismatch("block_out", b(x), atol: 1e-5, rtol: 1e-5) == nil)
    }

    @Test func inverseSTFTOfAGivenSpectrum() throws {
        let v = try Self.vocoder(), s = try Self.golden.tensor("istft_in")
        let y = v.synthesise(spectrum: s)
        #expect(y.count == 6 * 512)
        #expect(Self.golden.mismatch("istft_out", Tensor(shape: [y.count], y), atol: 1e-5, rtol: 1e-4) == nil)
    }

    @Test func spectrumAndWaveformEndToEnd() throws {
        let v = try Self.vocoder(), mel = try Self.golden.tensor("mel")
        #expect(Self.golden.mismatch("spectrum", v.spectrum(mel: mel), atol: 1e-4, rtol: 1e-4) == nil)
        let y = v(mel: mel)
        #expect(y.count == mel.dim(1) * 512, "hop 512 at 44.1 kHz: two samples per working-rate sample")
        #expect(Self.golden.mismatch("waveform", Tensor(shape: [y.count], y), atol: 1e-4, rtol: 1e-3) == nil)
    }

    @Test func aBundleWhoseSizesDisagreeWithItsWeightsIsRefusedWithBothFiles() throws {
        let tmp = try TempDirectory("foley-fullband"), dir = tmp.path
        defer { tmp.remove() }
        let src = Fixtures.path("models/fullband-tiny")
        try FileManager.default.copyItem(atPath: src + "/weights.safetensors", toPath: dir + "/weights.safetensors")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: src + "/config.json"))) as! [String: Any]
        config["inter"] = 32
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: dir + "/config.json"))
        #expect {
            try FullBandVocoder(bundle: ModelBundle(path: dir, kind: FullBandVocoder.kind))
        } throws: { "\($0)".contains("config.json") && "\($0)".contains("weights.safetensors") }
        config["inter"] = 24; config["n_fft"] = 2047
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: dir + "/config.json"))
        #expect {
            try FullBandVocoder(bundle: ModelBundle(path: dir, kind: FullBandVocoder.kind))
        } throws: { "\($0)".contains("n_fft 2047") }
    }
}

/// A long mel goes through the network in chunks; the waveform must not show where.
@Suite struct FullBandChunkingTests {
    @Test func aChunkedMelRendersAsInOnePass() throws {
        let v = try FullBandVocoderParityTests.vocoder()
        var rng = SeededRNG(seed: 3)
        let frames = 90
        let mel = Tensor(shape: [v.config.mels, frames], (0..<(v.config.mels * frames)).map { _ in rng.uniform() })
        let whole = v(mel: mel, chunk: 4096), chunked = v(mel: mel, chunk: 16)
        #expect(whole.count == frames * 512 && chunked.count == whole.count)
        let err = zip(whole, chunked).map { abs($0 - $1) }.max()!
        #expect(err < 1e-4, "max difference \(err)")
    }

    @Test func theRendererDoublesTheRateAndKeepsTheWorkingTakeBelowTheCrossover() throws {
        let r = FullBandRenderer(vocoder: try FullBandVocoderParityTests.vocoder())
        let working = (0..<22050).map { Float(0.3 * sin(2 * Double.pi * 1000 * Double($0) / 22050)) }
        let split = try r.render(working: working), alone = try r.render(working: working, mode: .vocoder)
        #expect(split.count == 44100 && alone.count == 44100 && r.rate == 44100)
        // At 1 kHz the split output is the working take at its level, whatever the (untrained) vocoder says there.
        func level(_ x: [Float]) -> Double {
            var c = 0.0, s = 0.0
            for i in 11025..<33075 { let p = 2 * Double.pi * 1000 * Double(i) / 44100; c += Double(x[i]) * cos(p); s += Double(x[i]) * sin(p) }
            return 2 * (c * c + s * s).squareRoot() / 22050
        }
        #expect(abs(level(split) - 0.3) < 0.005, "1 kHz at \(level(split)), the working take's 0.3; the vocoder alone gives \(level(alone))")
        #expect(try r.render(working: []).isEmpty)
    }
}
