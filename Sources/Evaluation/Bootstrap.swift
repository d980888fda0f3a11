import Foundation
import Runtime

/// A value with its bootstrap 95% interval over clips.
public struct Estimate: Codable, Sendable, Equatable {
    public var value: Double
    public var low: Double
    public var high: Double
    public init(value: Double, low: Double, high: Double) { self.value = value; self.low = low; self.high = high }
    /// Whether the interval excludes `x` (for a difference: whether it is more than noise).
    public func excludes(_ x: Double) -> Bool { x < low || x > high }
}

/// Bootstrap over clips. Every resample draws the same clip indices for everything computed
/// from it (ground truth and generated alike, and both rows of a comparison), so paired
/// quantities keep their pairing.
public struct Bootstrap: Sendable {
    public var resamples: Int
    public var seed: UInt64

    public init(resamples: Int = 1000, seed: UInt64 = 2026) {
        self.resamples = resamples
        self.seed = seed
    }

    /// The resampled index sets for `n` clips (the same for every metric of a report).
    public func indexSets(_ n: Int) -> [[Int]] {
        var rng = SeededRNG(seed: seed ^ UInt64(n))
        return (0..<resamples).map { _ in (0..<n).map { _ in Int(rng.next() % UInt64(n)) } }
    }

    /// The statistic on all clips and its 95% interval: the 2.5–97.5 percentiles of the
    /// resamples, shifted by the bootstrap's bias (median of the resamples − the estimate), then
    /// clamped to `bounds`. For a mean the shift is ~0 and this is the percentile interval; for
    /// a Fréchet distance, which resampling with repeats inflates (repeated clips shrink the
    /// covariance estimates' overlap), the plain percentiles can lie wholly above the estimate.
    public func estimate(_ n: Int, sets: [[Int]]? = nil, bounds: ClosedRange<Double> = -Double.infinity...Double.infinity,
                         _ statistic: ([Int]) throws -> Double?) rethrows -> Estimate? {
        guard n > 0, let value = try statistic(Array(0..<n)) else { return nil }
        var values: [Double] = []
        for s in sets ?? indexSets(n) { if let v = try statistic(s), v.isFinite { values.append(v) } }
        guard !values.isEmpty else { return Estimate(value: value, low: value, high: value) }
        values.sort()
        func q(_ p: Double) -> Double { values[min(values.count - 1, max(0, Int((p * Double(values.count - 1)).rounded())))] }
        let bias = q(0.5) - value
        func clamped(_ x: Double) -> Double { min(bounds.upperBound, max(bounds.lowerBound, x)) }
        return Estimate(value: value, low: min(value, clamped(q(0.025) - bias)), high: max(value, clamped(q(0.975) - bias)))
    }
}
