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
