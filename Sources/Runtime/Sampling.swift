import Foundation

/// A seeded generator: xoshiro256** seeded through SplitMix64. The same seed gives the same
/// numbers on every run and machine, which is what makes a take reproducible.
public struct SeededRNG: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// Uniform in [0, 1) with 24 bits (every Float in the grid is reachable).
    public mutating func uniform() -> Float { Float(next() >> 40) * 0x1.0p-24 }

    /// Uniform in the open interval (0, 1), safe for logarithms.
    public mutating func uniformOpen() -> Float { (Float(next() >> 41) + 0.5) * 0x1.0p-23 }

    /// Standard normal (Box–Muller in double precision).
    public mutating func normal() -> Float {
        let u1 = Double(uniformOpen()), u2 = Double(uniform())
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }

    /// Standard Gumbel: −log(−log u).
    public mutating func gumbel() -> Float { -Foundation.log(-Foundation.log(uniformOpen())) }

    public mutating func normals(_ n: Int) -> [Float] { (0..<n).map { _ in normal() } }
}

/// Token sampling from logits: temperature, Top-X (top-k), multinomial, argmax.
public enum Sampler {
    public static func argmax(_ x: [Float]) -> Int {
        var best = 0
        for i in x.indices where x[i] > x[best] { best = i }
        return best
    }

    /// Keeps the k largest logits (and any tied with the k-th), sets the rest to −inf.
    public static func topK(_ logits: [Float], _ k: Int) -> [Float] {
        guard k > 0, k < logits.count else { return logits }
        let threshold = kthLargest(logits, k)
        return logits.map { $0 < threshold ? -.infinity : $0 }
    }

    static func kthLargest(_ x: [Float], _ k: Int) -> Float {
        x.sorted(by: >)[k - 1]
    }

    /// Draws an index with probability proportional to `probabilities` (one uniform draw).
    public static func multinomial(_ probabilities: [Float], rng: inout SeededRNG) -> Int {
        let total = probabilities.reduce(0, +)
        var u = rng.uniform() * total
        for (i, p) in probabilities.enumerated() {
            u -= p
            if u < 0 { return i }
        }
        return probabilities.lastIndex { $0 > 0 } ?? 0
    }

    /// The whole step: temperature → Top-X → softmax → multinomial. Temperature 0 is greedy.
    public static func sample(logits: [Float], temperature: Float, topK k: Int?, rng: inout SeededRNG) -> Int {
        guard temperature > 0 else { return argmax(logits) }
        var l = logits.map { $0 / temperature }
        if let k { l = topK(l, k) }
        var p = Tensor(shape: [l.count], l)
        p = Softmax.forward(p)
        return multinomial(p.values, rng: &rng)
    }
}

/// MaskGIT's iterative decoding schedule and re-masking (Chang et al. 2022).
public enum MaskGIT {
    /// Fraction still masked after step `step` of `steps` (cosine schedule): cos(π/2 · (step+1)/steps).
    public static func maskRatio(step: Int, steps: Int) -> Double {
        Foundation.cos(Double.pi / 2 * Double(step + 1) / Double(steps))
    }

    /// How many of `total` tokens stay masked after `step`; at least 1 while any step remains
    /// and fewer than were masked before, so every step commits at least one token.
    public static func maskCount(step: Int, steps: Int, total: Int, currentlyMasked: Int) -> Int {
        if step >= steps - 1 { return 0 }
        let n = Int((Double(total) * maskRatio(step: step, steps: steps)).rounded(.down))
        return max(1, min(currentlyMasked - 1, n))
    }

    /// Confidence temperature annealed linearly to 0 over the steps.
    public static func annealedTemperature(_ t: Float, step: Int, steps: Int) -> Float {
        t * (1 - Float(step + 1) / Float(steps))
    }

    /// Mask-by-random-top-k: confidence = log p + temperature · Gumbel noise; the `count` least
    /// confident candidate positions are masked again. Positions with `eligible[i] == false`
    /// (already fixed, or context) are never chosen. Returns the indices to re-mask.
    public static func remask(probabilities: [Float], eligible: [Bool], count: Int, temperature: Float, rng: inout SeededRNG) -> [Int] {
        var scored: [(Float, Int)] = []
        for i in probabilities.indices where eligible[i] {
            let c = Foundation.log(max(probabilities[i], 1e-30)) + temperature * rng.gumbel()
            scored.append((c, i))
        }
        scored.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        return scored.prefix(count).map(\.1)
    }
}
