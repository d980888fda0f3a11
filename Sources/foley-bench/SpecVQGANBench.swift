import DSP
import Engine
import Foundation
import Generators
import Media
import Runtime
import TestHelpers

/// SpecVQGAN on the shipped bundle: sampling one window in Swift vs PyTorch (same weights, one
/// thread, KV-cached on both sides), the window's codec decoder and vocoder, and generating a
/// whole 6.2 s demo clip the way the workstation does, as a fraction of the audio's duration.
enum SpecVQGANBench {
    static func run() throws {
        BLAS.configure()
        guard let path = Bench.bundle("specvqgan", section: "specvqgan") else { return }
        let generator = try SpecVQGANGenerator(bundle: ModelBundle(path: path, kind: SpecVQGANGenerator.kind))
        let frames = generator.windowSamples / 256, count = frames / 16 * 5
        let topX = Int(generator.spec(.topX)?.defaultValue.number ?? 64)
        print("== specvqgan: one \(frames)-frame window (\(Bench.fmt(Double(generator.windowSamples) / 22050, 2)) s), Top-X \(topX), one thread")

        var rng = SeededRNG(seed: 3)
        let features = Tensor(shape: [frames / 4, generator.featureDim], (0..<(frames / 4 * generator.featureDim)).map { _ in rng.normal() })
        var tokens: [Int] = []
        let sample = Bench.time(runs: 3) {
            tokens = generator.sampler.generate(features: features, prime: [], count: count, temperature: 1, topX: topX, seed: 1) ?? []
        }
        // The default ranks 4 candidates where the picture has hits: sampled side by side, each
        // step reads the weights once for all four.
        let seeds: [UInt64] = [1, 2, 3, 4]
        let together = Bench.time(runs: 3) {
            _ = generator.sampler.generate(features: features, prime: [], count: count, temperature: 1, topX: topX, seeds: seeds)
        }
        var mel = Tensor(shape: [1])
        let decode = Bench.time(runs: 3) { mel = generator.codec.decode(tokens: tokens) }
        var audio: [Float] = []
        let vocode = Bench.time(runs: 3) { audio = generator.vocoder(mel: mel) }
        // The default renderer's last step: the vocoder's mel envelope matched to the decoded mel.
        let matcher = MelEnvelopeMatch(analyzer: try MelAnalyzer())
        let target = MelSpectrogram(bands: mel.dim(0), frames: mel.dim(1), values: mel.values)
        let match = Bench.time(runs: 3) { _ = matcher.apply(audio, toNormalizedMel: target) }
        let draftVocode = generator.draftVocoder.map { draft in Bench.time(runs: 3) { _ = draft(mel: mel) } }

        let r = try Subprocess.run("/usr/bin/python3", [Fixtures.repositoryRoot + "/Training/bench/bench_specvqgan.py", path, "--top-x", "\(topX)"],
                                   environment: ["OMP_NUM_THREADS": "1"])
        if r.status == 0, let line = r.stdout.split(separator: "\n").last,
           let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
            for (name, swift, key) in [("sampler, \(count) tokens", sample.median, "sample_s"), ("codec decoder", decode.median, "decode_s"),
                                       ("vocoder", vocode.median, "vocoder_s")] + (draftVocode.map { [("draft vocoder", $0.median, "draft_vocoder_s")] } ?? []) {
                guard let torch = obj[key] as? Double else { continue }
                print("  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) Swift \(Bench.fmt(swift * 1000, 1)) ms, PyTorch \(Bench.fmt(torch * 1000, 1)) ms → Swift \(Bench.fmt(torch / swift, 2))x faster")
            }
            print("  mel envelope match     Swift \(Bench.fmt(match.median * 1000, 1)) ms (no PyTorch counterpart)")
            print("  (torch \(obj["torch"] as! String))")
            print("  sampler, \(seeds.count) candidates side by side \(Bench.fmt(together.median * 1000, 1)) ms = "
                  + "\(Bench.fmt(together.median / sample.median, 2))× one candidate (one at a time: \(seeds.count)×)")
        } else {
            print("  PyTorch reference failed (is python3-torch installed?):\n\(r.stderr)")
        }

        guard let encoder = try? VisualEncoder(bundle: ModelBundle(path: (path as NSString).deletingLastPathComponent + "/visual-encoder", kind: "visual-encoder")) else { return }
        // An engine idling (no hits: one candidate whatever the setting) and footsteps (hits: the
        // default samples 4 candidates per window).
        for name in ["test-00013", "test-00071"] {
            let clip = Fixtures.repositoryRoot + "/Projects/demo/clips/\(name).mp4"
            let info = try MediaInfo.probe(path: clip)
            let total = Int((info.duration * 22050).rounded())
            var clipFeatures = Tensor(shape: [1])
            let featureTime = try Bench.time(runs: 1) { clipFeatures = try ClipMedia.features(path: clip, encoder: encoder) }
            let parameters = generator.defaults
            let chain = WindowChain(window: generator.windowSamples)
            let windows = chain.starts(covering: 0..<total).count
            // The default ranks candidates where the picture has hits; one candidate is the bare sampler.
            var settings = [("default settings", parameters)]
            if let c = parameters[.candidates]?.number, c > 1 { settings.append(("1 candidate", parameters.merging([.candidates: .number(1)]) { $1 })) }
            // Draft renders the same tokens with the smaller vocoder.
            if generator.draftVocoder != nil { settings += settings.map { ($0.0 + ", draft", $0.1.merging([.draft: .flag(true)]) { $1 }) } }
            for (label, p) in settings {
                // Best of two: this machine's speed varies by a third from run to run.
                let whole = try Bench.time(runs: 2) {
                    _ = try chain.render(generator: generator, features: clipFeatures, audio: [Float](repeating: 0, count: total),
                                         known: [Bool](repeating: false, count: total), parameters: p, seed: 1)
                }
                print("  \(name) \(Bench.fmt(info.duration, 1)) s (\(windows) windows, \(label)): generation \(Bench.fmt(whole.best, 2)) s "
                      + "= \(Bench.fmt(whole.best / info.duration, 3)) of the audio's duration; with the visual features "
                      + "\(Bench.fmt((whole.best + featureTime.best) / info.duration, 3))")
            }
        }
    }
}
