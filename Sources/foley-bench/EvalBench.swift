import Evaluation
import Foundation
import TestHelpers

/// `foley eval` on the eight demo clips: per-clip cost without the ground-truth cache (first
/// evaluation of a split) and with it, as a fraction of the clips' audio duration, and the
/// projection to 200 test clips (target: under 10 minutes on one core).
enum EvalBench {
    static func run() throws {
        let split = Fixtures.repositoryRoot + "/Projects/demo/clips"
        let dir = try TempDirectory("foley-eval-bench")
        defer { dir.remove() }
        try ReferenceTakes.write(.groundTruth, split: split, train: nil, out: dir.file("gt"))
        let clips = try ClipAnnotation.split(split)
        let audio = clips.reduce(0) { $0 + $1.duration }
        let evaluator = try Evaluator(cacheRoot: dir.file("cache"))
        var t0 = Bench.now()
        let scores = try evaluator.scores(generated: dir.file("gt"), split: split).scores
        let cold = Bench.now() - t0
        t0 = Bench.now()
        _ = try evaluator.scores(generated: dir.file("gt"), split: split)
        let warm = Bench.now() - t0
        t0 = Bench.now()
        _ = try EvalReport(label: "gt", split: split, scores: scores, missing: [])
        let intervals = Bench.now() - t0
        let perClip = (cold: cold / Double(clips.count), warm: warm / Double(clips.count))
        print("eval: \(clips.count) demo clips, \(Bench.fmt(audio, 1)) s of audio")
        print("  scoring, no truth cache: \(Bench.fmt(perClip.cold)) s a clip (\(Bench.fmt(cold / audio, 3))× the audio)")
        print("  scoring, truth cached:   \(Bench.fmt(perClip.warm)) s a clip (\(Bench.fmt(warm / audio, 3))× the audio)")
        print("  1000 bootstrap resamples of every metric on \(clips.count) clips: \(Bench.fmt(intervals)) s")
        print("  projected for 200 test clips (6 s each): \(Bench.fmt(200 * perClip.cold / 60, 1)) min cold, \(Bench.fmt(200 * perClip.warm / 60, 1)) min cached (target < 10)")
    }
}
