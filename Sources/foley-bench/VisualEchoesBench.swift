import Foundation
import Generators
import Runtime
import TestHelpers

/// Visual Echoes as shipped: generation time per window as a fraction of the audio's duration
/// (one core, defaults), and Swift vs PyTorch on the same weights for a guided forward and the
/// unmasking loop.
enum VisualEchoesBench {
    static func run() throws {
        guard let path = Bench.bundle("visual-echoes", section: "visual-echoes") else { return }
        let g = try VisualEchoesGenerator(bundle: ModelBundle(path: path, kind: VisualEchoesGenerator.kind))
        let t = g.transformer, seconds = Double(g.windowSamples) / 22050
        print("== visual-echoes: one \(Bench.fmt(seconds, 2)) s window, \(t.config.audioLength) audio + \(t.config.visualLength) visual tokens, one thread")
        var rng = SeededRNG(seed: 2)
        let visual = (0..<t.config.visualLength).map { _ in Int(rng.next() % UInt64(t.config.visualVocab)) }
        let blind = [Int](repeating: t.visualMask, count: visual.count), masked = [Int](repeating: t.audioMask, count: t.config.audioLength)
        let forward = Bench.time { _ = t.audioLogits(audio: masked, visual: visual); _ = t.audioLogits(audio: masked, visual: blind) }
        let loop = Bench.time(runs: 2) {
            _ = t.unmask(audio: masked, known: [Bool](repeating: false, count: masked.count), visual: visual, steps: 30, temperature: 4.5, guidance: 3, seed: 1)
        }
        let frames = Tensor(shape: [g.pictures.rows(start: 0, samples: g.windowSamples).count, 3, 64, 64],
                            (0..<(g.pictures.rows(start: 0, samples: g.windowSamples).count * 3 * 4096)).map { _ in rng.uniform() })
        var window = GenerationWindow(features: Tensor(shape: [g.windowSamples / 1024, 128]), context: [Float](repeating: 0, count: g.windowSamples),
                                      known: [Bool](repeating: false, count: g.windowSamples), parameters: g.defaults, seed: 1)
        window.inputs = [g.pictures: frames]
        let whole = try Bench.time(runs: 2) { _ = try g.generate(window) { _ in true } }
        print("  generation at the defaults (N 30, T 4.5, s 3, MelGAN): \(Bench.fmt(whole.best, 2)) s = \(Bench.fmt(whole.best / seconds, 3)) of the audio's duration (target ≤ 0.1)")
        guard let torch = try Bench.pytorch("bench_visual_echoes.py", bundle: path, keys: ["forward_s", "loop_s"]) else { return }
        let (tf, tl) = (torch[0], torch[1])
        print("  guided forward (two passes): Swift \(Bench.fmt(forward.median * 1000, 1)) ms, PyTorch \(Bench.fmt(tf * 1000, 1)) ms (batched) → Swift \(Bench.fmt(tf / forward.median, 2))x")
        print("  unmasking loop, 30 steps:    Swift \(Bench.fmt(loop.median, 2)) s, PyTorch \(Bench.fmt(tl, 2)) s → Swift \(Bench.fmt(tl / loop.median, 2))x (target ≥ 2x)")
    }
}
