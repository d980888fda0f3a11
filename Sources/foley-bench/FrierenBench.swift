import Foundation
import Generators
import Runtime
import TestHelpers

/// FRIEREN as shipped, one core: generation time per window as a fraction of the audio's
/// duration for 25-step Euler, Dopri5 and the 1-step model (sampler, VAE decoder and vocoder
/// stated separately), and Swift vs PyTorch on the same weights for the estimator's guided
/// forward and the 25-step sampler.
enum FrierenBench {
    static func run() throws {
        guard let path = Bench.bundle("frieren", section: "frieren") else { return }
        let g = try FrierenGenerator(bundle: ModelBundle(path: path, kind: FrierenGenerator.kind))
        let e = g.estimators[.base]!, seconds = Double(g.windowSamples) / 22050
        print("== frieren: one \(Bench.fmt(seconds, 2)) s window, \(e.config.length) latent frames × \(e.config.z) channels, width \(e.config.width), one thread")
        var rng = SeededRNG(seed: 2)
        let window = GenerationWindow(features: Tensor(shape: [g.windowSamples / 1024, 128], rng.normals(g.windowSamples / 1024 * 128)),
                                      context: [Float](repeating: 0, count: g.windowSamples),
                                      known: [Bool](repeating: false, count: g.windowSamples), parameters: g.defaults, seed: 1)
        let x = rng.normals(e.config.z * e.config.length)
        let regulated = Tensor(shape: [e.config.length, 128], rng.normals(e.config.length * 128))
        let conditions = [e.condition(regulated), e.condition(nil)]
        let forward = Bench.time { _ = e.velocity([x, x], t: 0.5, conditions: conditions) }
        func sampler(_ s: FrierenGenerator.Settings) throws -> (best: Double, median: Double, latent: Tensor) {
            var latent: Tensor?
            let t = try Bench.time(runs: 2) { latent = try g.sample(window, s, progress: { _ in true }) }
            return (t.best, t.median, latent!)
        }
        let euler = try sampler(.init(variant: .base, solver: .euler(steps: 25), guidance: 4.5))
        var steps = 0
        let dopri = try Bench.time(runs: 2) {
            _ = try g.sample(window, .init(variant: .base, solver: .dopri5(rtol: 1e-3, atol: 1e-3), guidance: 4.5), progress: { steps = $0.steps; return true })
        }
        let decode = Bench.time { _ = g.vae.decode(latent: euler.latent) }
        let mel = g.vae.decode(latent: euler.latent)
        let vocode = Bench.time(runs: 3) { _ = g.melRenderer(mel: mel, seed: 1, draft: false, kind: nil) }
        let tail = decode.best + vocode.best
        print("  VAE decoder \(Bench.fmt(decode.best * 1000, 1)) ms, vocoder (MelGAN + envelope match) \(Bench.fmt(vocode.best * 1000, 1)) ms per window")
        print("  25-step Euler: sampler \(Bench.fmt(euler.best, 3)) s; with decoder and vocoder \(Bench.fmt((euler.best + tail) / seconds, 3)) of the audio's duration (target ≤ 0.1)")
        print("  Dopri5 (tol 1e-3): \(steps) steps, \(Bench.fmt(dopri.best, 3)) s; with decoder and vocoder \(Bench.fmt((dopri.best + tail) / seconds, 3)) of the duration")
        if g.estimators[.onestep] != nil {
            let one = try sampler(.init(variant: .onestep, solver: .euler(steps: 1), guidance: 4.5))
            print("  1-step: sampler \(Bench.fmt(one.best * 1000, 1)) ms = \(Bench.fmt(one.best / seconds, 4)) of the duration (target ≤ 0.01); with decoder and vocoder \(Bench.fmt((one.best + tail) / seconds, 3))")
        } else {
            print("  1-step: not in this bundle (Training/train_frieren.py pairs, reflow, distill)")
        }
        // The same windows through the shared full-band renderer (44.1 kHz), where it is installed.
        if let fb = Bench.bundle("fullband-vocoder", section: "frieren (full-band renderer)") {
            let v = try FullBandVocoder(bundle: ModelBundle(path: fb, kind: FullBandVocoder.kind))
            let full = Bench.time(runs: 3) { _ = v(mel: mel) }
            let tailFull = decode.best + full.best
            print("  with the full-band renderer (\(Bench.fmt(full.best * 1000, 1)) ms per window) instead: 25-step Euler \(Bench.fmt((euler.best + tailFull) / seconds, 3))"
                  + (g.estimators[.onestep] != nil ? ", 1-step \(Bench.fmt((try sampler(.init(variant: .onestep, solver: .euler(steps: 1), guidance: 4.5)).best + tailFull) / seconds, 4))" : "")
                  + " of the duration")
        }
        guard let torch = try Bench.pytorch("bench_frieren.py", bundle: path, keys: ["forward_s", "sampler_s"]) else { return }
        let (tf, ts) = (torch[0], torch[1])
        print("  guided forward (batch of two): Swift \(Bench.fmt(forward.median * 1000, 1)) ms, PyTorch \(Bench.fmt(tf * 1000, 1)) ms → Swift \(Bench.fmt(tf / forward.median, 2))x")
        print("  25-step Euler sampler:         Swift \(Bench.fmt(euler.median, 2)) s, PyTorch \(Bench.fmt(ts, 2)) s → Swift \(Bench.fmt(ts / euler.median, 2))x (target ≥ 2x)")
    }
}
