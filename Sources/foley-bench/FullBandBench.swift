import Foundation
import Generators
import Runtime
import TestHelpers

/// The shared full-band renderer as shipped, one core: cost per second of audio against
/// today's renderer (SpecVQGAN's MelGAN at 22.05 kHz, the same mel), and Swift vs PyTorch on
/// the same weights.
enum FullBandBench {
    static func run() throws {
        BLAS.configure()
        guard let path = Bench.bundle("fullband-vocoder", section: "fullband") else { return }
        let v = try FullBandVocoder(bundle: ModelBundle(path: path, kind: FullBandVocoder.kind))
        let frames = 384, seconds = Double(frames * 256) / 22050
        print("== fullband: a \(frames)-frame mel (\(Bench.fmt(seconds, 2)) s) → 44.1 kHz, dim \(v.config.dim), \(v.config.layers) blocks, one thread")
        var rng = SeededRNG(seed: 5)
        let mel = Tensor(shape: [80, frames], (0..<(80 * frames)).map { _ in 0.2 + 0.6 * rng.uniform() })
        let full = Bench.time(runs: 3) { _ = v(mel: mel) }
        let head = Bench.time(runs: 3) { _ = v.spectrum(mel: mel) }
        print("  full-band vocoder: \(Bench.fmt(full.median / seconds * 1000, 1)) ms per second of audio "
              + "(network \(Bench.fmt(head.median / seconds * 1000, 1)), inverse STFT \(Bench.fmt((full.median - head.median) / seconds * 1000, 1))); target ≤ 33")
        // The stage takes get (FullBandRenderer): the working take's mel, the vocoder, the band split.
        let renderer = FullBandRenderer(vocoder: v)
        let working = (0..<(frames * 256)).map { Float(0.3 * sin(Double($0) * 0.05) * sin(Double($0) * 0.0007)) }
        let stage = try Bench.time(runs: 3) { _ = try renderer.render(working: working) }
        print("  the full-band stage a take gets (its mel, the vocoder, the 9 kHz band split): \(Bench.fmt(stage.median / seconds * 1000, 1)) ms per second of audio")
        if let sv = Bench.bundle("specvqgan", section: "fullband (today's renderer)") {
            let g = try SpecVQGANGenerator(bundle: ModelBundle(path: sv, kind: SpecVQGANGenerator.kind))
            let melgan = Bench.time(runs: 3) { _ = g.vocoder(mel: mel) }
            print("  today's MelGAN (22.05 kHz): \(Bench.fmt(melgan.median / seconds * 1000, 1)) ms per second → the full-band vocoder costs \(Bench.fmt(full.median / melgan.median, 2))× it; "
                  + "takes now get MelGAN + the stage: \(Bench.fmt((melgan.median + stage.median) / melgan.median, 2))× MelGAN alone")
        }
        guard let torch = try Bench.pytorch("bench_fullband.py", bundle: path, keys: ["vocoder_s"]) else { return }
        print("  Swift \(Bench.fmt(full.median * 1000, 1)) ms, PyTorch \(Bench.fmt(torch[0] * 1000, 1)) ms → Swift \(Bench.fmt(torch[0] / full.median, 2))x")
    }
}
