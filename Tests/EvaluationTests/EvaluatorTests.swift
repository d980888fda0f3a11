import Evaluation
import Foundation
import TestHelpers
import Testing

/// `foley eval` end to end with the shipped models on the demo clips (FoleyWorld test split).
@Suite final class EvaluatorTests {
    let dir: TempDirectory
    let split = Fixtures.repositoryRoot + "/Projects/demo/clips"
    init() throws { dir = try TempDirectory("foley-eval") }
    deinit { dir.remove() }

    func evaluator() throws -> Evaluator {
        let e = try Evaluator(cacheRoot: dir.file("cache"))
        e.bootstrap = Bootstrap(resamples: 200)
        return e
    }

    /// Every clip gets another clip's sound: the wrong kind of sound at the wrong times.
    func shuffled(from gt: String, to out: String) throws {
        let ids = try ClipAnnotation.split(split).map(\.id)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (i, id) in ids.enumerated() {
            try FileManager.default.copyItem(atPath: "\(gt)/\(ids[(i + 1) % ids.count]).wav", toPath: "\(out)/\(id).wav")
        }
    }

    @Test func groundTruthScoresAsTheCeilingAndShuffledAudioDoesNot() throws {
        let evaluator = try evaluator()
        try ReferenceTakes.write(.groundTruth, split: split, train: nil, out: dir.file("gt"))
        let gt = try evaluator.evaluate(generated: dir.file("gt"), split: split, label: "gt")
        #expect(gt.clips == 8 && gt.missing.isEmpty)
        let fd = try #require(gt[.fdSFX]), kl = try #require(gt[.klSFX])
        // The 22.05 kHz reference against the 22.05 kHz truth: the same audio, so 0 up to rounding.
        #expect(fd.value < 1e-3 && kl.value < 1e-6)
        #expect(try #require(gt[.fdMel]).value < 1e-3)
        #expect(try #require(gt[.classAccuracy]).value >= 0.75)
        #expect(try #require(gt[.onsetRecall]).value >= 0.7)
        for m in Metric.allCases { if let e = gt[m] { #expect(e.low <= e.value + 1e-9 && e.value <= e.high + 1e-9, "\(m)") } }
        // Per class: every class of the split once, and weighted by its clips they make the total.
        let clips = try ClipAnnotation.split(split)
        #expect(Set(gt.classAccuracyByClass.keys) == Set(clips.map(\.class)))
        let weighted = gt.classAccuracyByClass.reduce(0.0) { sum, c in sum + c.value * Double(clips.filter { $0.class == c.key }.count) }
        #expect(abs(weighted / Double(clips.count) - gt[.classAccuracy]!.value) < 1e-9)
        #expect(gt.confusion.values.reduce(0) { $0 + $1.values.reduce(0, +) } == 8)

        try shuffled(from: dir.file("gt"), to: dir.file("shuffled"))
        let sh = try evaluator.evaluate(generated: dir.file("shuffled"), split: split, label: "shuffled")
        #expect(sh[.fdSFX]!.value > 100 * max(fd.value, 0.01))
        #expect(sh[.klSFX]!.value > 0.5)
        #expect(sh[.classAccuracy]!.value < gt[.classAccuracy]!.value)
        #expect(sh[.onsetRecall]!.value < gt[.onsetRecall]!.value)
        #expect(sh[.sync]!.value < gt[.sync]!.value)
    }

    @Test func pairedComparisonSeesShuffledAudioAsWorseAndACopyAsNoDifference() throws {
        let evaluator = try evaluator()
        try ReferenceTakes.write(.groundTruth, split: split, train: nil, out: dir.file("gt"))
        try shuffled(from: dir.file("gt"), to: dir.file("shuffled"))
        let gt = try evaluator.scores(generated: dir.file("gt"), split: split).scores
        let sh = try evaluator.scores(generated: dir.file("shuffled"), split: split).scores
        let worse = try Comparison(("gt", gt), ("shuffled", sh), bootstrap: Bootstrap(resamples: 200))
        let kl = try #require(worse.lines.first { $0.metric == Metric.klSFX.rawValue })
        #expect(kl.verdict == "B worse" && kl.difference.low > 0)
        let same = try Comparison(("gt", gt), ("gt again", gt), bootstrap: Bootstrap(resamples: 200))
        #expect(same.lines.allSatisfy { $0.verdict == "no difference" })
    }

    @Test func secondEvaluationReadsTruthFromTheCache() throws {
        let evaluator = try evaluator()
        try ReferenceTakes.write(.groundTruth, split: split, train: nil, out: dir.file("gt"))
        let first = try evaluator.scores(generated: dir.file("gt"), split: split).scores
        let cached = try FileManager.default.contentsOfDirectory(atPath: dir.file("cache"))
        #expect(cached.count == 8)
        let second = try evaluator.scores(generated: dir.file("gt"), split: split).scores
        #expect(first.map(\.sfxTruth) == second.map(\.sfxTruth) && first.map(\.sfxKL) == second.map(\.sfxKL))
    }

    @Test func missingTakesAreListedNotFatal() throws {
        try ReferenceTakes.write(.groundTruth, split: split, train: nil, out: dir.file("partial"))
        let first = try ClipAnnotation.split(split)[0].id
        try FileManager.default.removeItem(atPath: dir.file("partial/\(first).wav"))
        let report = try evaluator().evaluate(generated: dir.file("partial"), split: split, label: "partial")
        #expect(report.missing == [first] && report.clips == 7)
        #expect(throws: EvaluationError.self) { try self.evaluator().evaluate(generated: self.dir.file("partial"), split: "/no/such/split", label: "x") }
    }
}
