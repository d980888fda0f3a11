import DSP
import Foundation
@testable import Generators
import Runtime
import TestHelpers
import Testing

/// Candidate ranking on the tiny bundle (its onset head has random weights, so its hits are
/// arbitrary but fixed) and the sync score on mels whose onsets are known.
@Suite struct SpecVQGANCandidatesTests {
    typealias G = SpecVQGANGenerator

    @Test func theKeptTakeIsTheBestScoringCandidateAndOneCandidateIsThePlainTake() throws {
        let g = try SpecVQGANGeneratorTests.generator()
        var w = SpecVQGANGeneratorTests.window(g, seed: 5)
        w.parameters[.candidates] = 4
        let span = try #require(G.generatedSpan(w))
        let hits = try #require(g.onsets).hits(w.features).filter { span.contains($0) }
        try #require(!hits.isEmpty, "the tiny onset head should find some hits in its window")
        let mels = try (0..<4).map { k in
            var c = w
            c.seed = G.candidateSeed(5, k)
            return g.codec.decode(tokens: try #require(g.tokens(c) { _ in true })).values
        }
        let scores = mels.map { G.syncScore(mel: Tensor(shape: [80, $0.count / 80], $0), hits: hits, span: span) }
        try #require(Set(scores).count > 1, "candidates that all score alike would not test the ranking: \(scores)")
        let best = scores.firstIndex(of: scores.max()!)!
        #expect(try #require(g.bestMel(w) { _ in true }).values == mels[best])
        var one = w
        one.parameters[.candidates] = 1
        #expect(try #require(g.bestMel(one) { _ in true }).values == mels[0])
        #expect(G.candidateSeed(5, 0) == 5 && Set((0..<4).map { G.candidateSeed(5, $0) }).count == 4)
    }

    @Test func theSpanIsWhatTheGeneratorFillsAndTheChainUses() throws {
        let g = try SpecVQGANGeneratorTests.generator()
        var w = SpecVQGANGeneratorTests.window(g, seed: 1, knownPrefix: 4410)
        w.needed = 11_025
        let span = try #require(G.generatedSpan(w))
        #expect(abs(span.lowerBound - 0.2) < 1e-9 && abs(span.upperBound - 0.5) < 1e-9)
        w.known = [Bool](repeating: true, count: w.samples)
        #expect(G.generatedSpan(w) == nil)
    }

    /// Clicks at 0.5 s and 1.2 s: hits there score 1, hits elsewhere 0, half of them ⅔.
    @Test func theSyncScoreIsTheF1OfOnsetsAgainstHits() throws {
        var audio = [Float](repeating: 0, count: 2 * AudioGeometry.sampleRate)
        var rng = SeededRNG(seed: 2)
        for t in [0.5, 1.2] {
            let start = Int(t * Double(AudioGeometry.sampleRate))
            for i in 0..<2000 { audio[start + i] = 0.5 * rng.normal() * Float(exp(-Double(i) / 400)) }
        }
        let m = try MelAnalyzer().normalized(audio)
        let mel = Tensor(shape: [m.bands, m.frames], m.values)
        let span = 0.0...2.0
        #expect(G.syncScore(mel: mel, hits: [0.5, 1.2], span: span) == 1)
        #expect(G.syncScore(mel: mel, hits: [0.8, 1.6], span: span) == 0)
        #expect(abs(G.syncScore(mel: mel, hits: [0.5], span: span) - 2.0 / 3.0) < 1e-9)
        // Onsets outside the span do not count against a candidate.
        #expect(G.syncScore(mel: mel, hits: [1.2], span: 1.0...2.0) == 1)
    }
}
