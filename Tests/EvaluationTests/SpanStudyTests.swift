import Evaluation
import Foundation
import Media
import TestHelpers
import Testing

/// The inpainting study's seams on the demo clips: the truth itself has no jump of its own
/// beyond the truth's, a silenced span jumps at both edges and loses its onsets, and the paired
/// difference says so beyond its interval.
@Suite final class SpanStudyTests {
    let dir: TempDirectory
    let split = Fixtures.repositoryRoot + "/Projects/demo/clips"
    init() throws { dir = try TempDirectory("foley-span") }
    deinit { dir.remove() }

    @Test func truthHasOnlyItsOwnJumpsAndASilencedSpanJumpsAtBothEdges() throws {
        try ReferenceTakes.write(.groundTruth, split: split, train: nil, out: dir.file("gt"))
        try FileManager.default.createDirectory(atPath: dir.file("silent"), withIntermediateDirectories: true)
        for clip in try ClipAnnotation.split(split) {
            var a = try WAVAudio.read(path: dir.file("gt/\(clip.id).wav"))
            let s = SpanStudy.middle(duration: clip.duration, length: 1)
            for i in Int(s.lowerBound * 22050)..<min(a.samples.count, Int(s.upperBound * 22050)) { a.samples[i] = 0 }
            try a.write(to: dir.file("silent/\(clip.id).wav"))
        }
        let gt = try SpanStudy.scores(folder: dir.file("gt"), split: split, length: 1)
        let silent = try SpanStudy.scores(folder: dir.file("silent"), split: split, length: 1)
        #expect(gt.count == 8 && silent.count == 8)
        for s in gt {
            #expect(zip(s.levelJump, s.truthLevelJump).allSatisfy { abs($0 - $1) < 0.01 } && s.spanMelL1 < 0.01, "\(s.id)")
        }
        let mean = { (xs: [SpanStudy.Scores], f: (SpanStudy.Scores) -> Double) in xs.map(f).reduce(0, +) / Double(xs.count) }
        #expect(mean(silent) { $0.levelJump[0] } > mean(gt) { $0.levelJump[0] } + 10)
        #expect(mean(silent) { $0.levelJump[1] } > mean(gt) { $0.levelJump[1] } + 10)
        #expect(mean(silent, \.spanMelL1) > 0.1)
        #expect(silent.reduce(0) { $0 + $1.spanMatched } == 0 && gt.reduce(0) { $0 + $1.spanEvents } > 0)
        let diff = SpanStudy.summary(silent, baseline: gt, bootstrap: Bootstrap(resamples: 200))
        let entry = try #require(diff.first { $0.0 == "entry level jump dB" }?.1)
        #expect(entry.excludes(0) && entry.value > 0)
    }
}
