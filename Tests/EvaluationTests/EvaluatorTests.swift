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

    @Test func groundTruthScoresAsTheCeilingAndShuffledAudioDoesNot() throws {
        let evaluator = try Evaluator()
        try ReferenceTakes.write(.groundTruth, split: split, train: nil, out: dir.file("gt"))
        let gt = try evaluator.evaluate(generated: dir.file("gt"), split: split, label: "gt")
        #expect(gt.clips == 8 && gt.missing.isEmpty)
        #expect(abs(gt.fd) < 1e-3 && gt.meanKL < 1e-6)
        #expect(gt.classAccuracy >= 0.5)                // chance is 1/12; the classifier scores 66% on the test split
        #expect((gt.onsetRecall ?? 0) >= 0.8)
        // Per class: every class of the split once, and weighted by its clips they make the total.
        let clips = try ClipAnnotation.split(split)
        let byClass = try #require(gt.classAccuracyByClass)
        #expect(Set(byClass.keys) == Set(clips.map(\.class)))
        let weighted = byClass.reduce(0.0) { sum, c in sum + c.value * Double(clips.filter { $0.class == c.key }.count) }
        #expect(abs(weighted / Double(clips.count) - gt.classAccuracy) < 1e-9)
        // Every clip gets another clip's sound: the wrong kind of sound at the wrong times.
        let ids = clips.map(\.id)
        try FileManager.default.createDirectory(atPath: dir.file("shuffled"), withIntermediateDirectories: true)
        for (i, id) in ids.enumerated() {
            try FileManager.default.copyItem(atPath: dir.file("gt/\(ids[(i + 1) % ids.count]).wav"), toPath: dir.file("shuffled/\(id).wav"))
        }
        let shuffled = try evaluator.evaluate(generated: dir.file("shuffled"), split: split, label: "shuffled")
        #expect(shuffled.classAccuracy < gt.classAccuracy)
        #expect(shuffled.meanKL > 1)
        #expect((shuffled.onsetRecall ?? 1) < (gt.onsetRecall ?? 0))
        #expect(shuffled.alignmentAccuracy < gt.alignmentAccuracy)
    }

    @Test func missingTakesAreListedNotFatal() throws {
        try ReferenceTakes.write(.groundTruth, split: split, train: nil, out: dir.file("partial"))
        let first = try ClipAnnotation.split(split)[0].id
        try FileManager.default.removeItem(atPath: dir.file("partial/\(first).wav"))
        let report = try Evaluator().evaluate(generated: dir.file("partial"), split: split, label: "partial")
        #expect(report.missing == [first] && report.clips == 7)
        #expect(throws: EvaluationError.self) { try Evaluator().evaluate(generated: self.dir.file("partial"), split: "/no/such/split", label: "x") }
    }
}
