import Foundation
import Runtime

/// The fuzz suite draws from the runtime's seeded generator (xoshiro256** through SplitMix64),
/// one stream per case, so any case of a run can be replayed alone from (seed, index).
extension SeededRNG {
    public static func forCase(seed: UInt64, index: Int) -> SeededRNG {
        SeededRNG(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
    }

    /// Uniform in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) * 0x1.0p-53 < p }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Sizes spread over orders of magnitude: mostly small, sometimes huge.
    mutating func size(upTo limit: Int) -> Int {
        let exponent = Double(below(1000)) / 1000 * log2(Double(max(2, limit)))
        return min(limit, Int(exp2(exponent)))
    }
}
