import DSP
import Evaluation
import Foundation
import Runtime
import Testing

@Suite struct MetricsTests {
    func cloud(_ n: Int, _ d: Int, seed: UInt64) -> [[Float]] {
        var rng = SeededRNG(seed: seed)
        return (0..<n).map { _ in (0..<d).map { i in rng.normal() * Float(1 + i % 3) } }
    }

    @Test func frechetDistanceHasItsClosedForms() throws {
        let a = cloud(300, 12, seed: 1)
        #expect(abs(try Statistics.frechetDistance(a, a)) < 1e-6)
        // A translation by c adds exactly |c|².
        let c: [Float] = (0..<12).map { Float($0) * 0.1 }
        let shifted = a.map { zip($0, c).map { $0 + $1 } }
        let expected = c.reduce(0) { $0 + Double($1 * $1) }
        #expect(abs(try Statistics.frechetDistance(a, shifted) - expected) < 1e-4)
        // Scaling by 2: |μ|² + tr Σ (from tr(Σ + 4Σ − 2·2Σ)).
        let doubled = a.map { $0.map { $0 * 2 } }
        let d = 12
        let mean = (0..<d).map { i in a.reduce(0.0) { $0 + Double($1[i]) } / 300 }
        let trace = (0..<d).map { i in a.reduce(0.0) { $0 + pow(Double($1[i]) - mean[i], 2) } / 299 }.reduce(0, +)
        #expect(abs(try Statistics.frechetDistance(a, doubled) - (mean.reduce(0) { $0 + $1 * $1 } + trace)) < 1e-3 * trace)
        #expect(try Statistics.frechetDistance(a, cloud(300, 12, seed: 2)) > 0)
    }

    @Test func symmetricSquareRootSquaresBack() throws {
        let m: [Double] = [4, 1, 0, 1, 3, 1, 0, 1, 2]
        let s = try Linalg.sqrtPSD(m, n: 3)
        for i in 0..<3 { for j in 0..<3 {
            let v = (0..<3).reduce(0.0) { $0 + s[i * 3 + $1] * s[$1 * 3 + j] }
            #expect(abs(v - m[i * 3 + j]) < 1e-9)
        } }
        #expect(throws: RuntimeError.self) { try Linalg.symmetricEigen([1, 2, 3], n: 2) }
    }

    @Test func klAndInceptionScore() {
        #expect(Statistics.kl([0.5, 0.5], [0.5, 0.5]) == 0)
        #expect(abs(Statistics.kl([1, 0], [0.5, 0.5]) - log(2)) < 1e-9)
        // Confident and diverse predictions over k classes give IS = k; identical ones give 1.
        let diverse: [[Float]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        #expect(abs(Statistics.inceptionScore(diverse) - 3) < 1e-6)
        #expect(abs(Statistics.inceptionScore([[1, 0, 0], [1, 0, 0]]) - 1) < 1e-6)
    }

    @Test func onsetsAreFoundWhereClicksAre() throws {
        let times = [0.31, 0.77, 1.42, 2.05]
        var x = [Float](repeating: 0, count: 22050 * 3)
        var rng = SeededRNG(seed: 4)
        for i in x.indices { x[i] = 0.001 * rng.normal() }
        for t in times {
            let s = Int(t * 22050)
            for k in 0..<2000 { x[s + k] += Float(exp(-Double(k) / 300)) * 0.8 * rng.normal() }
        }
        let detected = Onsets.detect(try MelAnalyzer().normalized(x))
        let (recall, precision) = Onsets.match(detected: detected, reference: times, tolerance: 0.03)
        #expect(recall == 1)
        #expect(precision == 1, "detected \(detected)")
        #expect(Onsets.match(detected: [], reference: [1]).recall == 0)
        #expect(Onsets.match(detected: [1], reference: []).precision == 0)
    }

    @Test func gramFormOfTheFrechetDistanceEqualsTheCovarianceForm() throws {
        // 40 samples in 64 dimensions (rank-deficient, as 200 clips in 512-d): the n×n form
        // against the d×d one on the same data.
        let a = cloud(40, 64, seed: 3), b = cloud(40, 64, seed: 9).map { $0.map { $0 * 1.3 + 0.2 } }
        let gram = try Statistics.frechetDistance(a, b)
        let full = try Statistics.frechetDistanceCovarianceForm(a, b)
        #expect(abs(gram - full) < 1e-6 * max(1, full), "gram \(gram), covariance \(full)")
        #expect(abs(try Statistics.frechetDistance(a, a)) < 1e-6)
    }

    @Test func klIsZeroOnItselfAndAsymmetricInGeneral() {
        let p: [Float] = [0.7, 0.2, 0.1], q: [Float] = [0.1, 0.2, 0.7], r: [Float] = [0.5, 0.3, 0.2]
        #expect(Statistics.kl(p, p) == 0)
        // Mirrored distributions give the same divergence both ways; others need not.
        #expect(abs(Statistics.kl(p, q) - Statistics.kl(q, p)) < 1e-9 && Statistics.kl(p, q) > 0)
        #expect(abs(Statistics.kl(p, r) - Statistics.kl(r, p)) > 1e-3)
    }

    @Test func bootstrapIntervalsShrinkWithMoreClips() throws {
        var rng = SeededRNG(seed: 11)
        let values = (0..<2000).map { _ in Double(rng.normal()) }
        let b = Bootstrap(resamples: 400)
        func width(_ n: Int) throws -> Double {
            let e = try #require(b.estimate(n) { idx in idx.reduce(0) { $0 + values[$1] } / Double(idx.count) })
            #expect(e.low < e.value && e.value < e.high)
            return e.high - e.low
        }
        let w50 = try width(50), w200 = try width(200), w1000 = try width(1000)
        // Standard error ∝ 1/√n: about halves per 4× more clips.
        #expect(w200 < 0.7 * w50 && w1000 < 0.6 * w200)
        #expect(abs(w50 - 2 * 1.96 / 50.0.squareRoot()) < 0.3 * w50)
        // Deterministic for a seed.
        #expect(try width(50) == w50)
    }
}
