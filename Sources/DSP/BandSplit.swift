import Foundation

/// Joins a working-rate take (22.05 kHz) and a full-band rendering of the same sound (44.1 kHz)
/// into one 44.1 kHz signal: the working take below `crossover`, the full-band one above. One
/// linear-phase low-pass FIR does both jobs: it is the interpolation filter that removes the
/// zero-stuffed working take's image above 11.025 kHz, and, subtracted from a delta, the
/// complementary high-pass of the full-band signal, so the two halves sum flat.
///
///   y = high + h ∗ (2·zerostuff(low) − high),   h: Kaiser-windowed sinc at `crossover`
///
/// The full-band renderer restores the band above 7.6 kHz the mel does not describe; the
/// working take, envelope-matched to the mel, is closer to the truth below it (Reports/fullband.md).
public struct BandSplit: Sendable {
    public static let lowRate = 22050, highRate = 44100

    public let crossover: Double
    /// Symmetric low-pass taps at 44.1 kHz, odd count; its delay `taps.count / 2` is compensated.
    public let taps: [Float]

    /// `transition` Hz wide (half below, half above `crossover`), stop band ≥ 80 dB down.
    public init(crossover: Double = 9000, transition: Double = 1000) {
        precondition(crossover > 0 && crossover + transition / 2 < Double(Self.lowRate) / 2 && transition > 0,
                     "band split: crossover \(crossover) Hz ± \(transition / 2) must lie below 11 025 Hz")
        self.crossover = crossover
        // Kaiser's estimate for 80 dB: N = (A − 8) / (2.285 Δω), rounded up to an odd count.
        let dw = 2 * Double.pi * transition / Double(Self.highRate)
        let n = Int(((80 - 8) / (2.285 * dw)).rounded(.up)) | 1
        let beta = 0.1102 * (80 - 8.7), half = n / 2, fc = crossover / Double(Self.highRate)
        let i0b = Self.besselI0(beta)
        taps = (0..<n).map { k in
            let m = Double(k - half)
            let sinc = m == 0 ? 2 * fc : sin(2 * Double.pi * fc * m) / (Double.pi * m)
            let r = m / Double(half)
            return Float(sinc * Self.besselI0(beta * (1 - r * r).squareRoot()) / i0b)
        }
    }

    /// `low` at 22.05 kHz and `high` at 44.1 kHz → 2·low.count samples at 44.1 kHz (`high` is
    /// zero-padded or trimmed to that length).
    public func join(low: [Float], high: [Float]) -> [Float] {
        let n = 2 * low.count, half = taps.count / 2, block = 8192
        var y = [Float](repeating: 0, count: n)
        // d = 2·zerostuff(low) − high, built a block at a time with the filter's half length
        // each side (a reel's d is never held whole), then y[i] = high[i] + Σ_k h[k]·d[i + half − k],
        // tap-outer so the inner loop is an axpy that vectorises.
        var d = [Float](repeating: 0, count: block + 2 * half)
        func source(_ i: Int) -> Float {
            guard i >= 0 && i < n else { return 0 }
            return (i % 2 == 0 ? 2 * low[i / 2] : 0) - (i < high.count ? high[i] : 0)
        }
        var start = 0
        while start < n {
            let count = min(block, n - start)
            for j in 0..<(count + 2 * half) { d[j] = source(start - half + j) }
            d.withUnsafeBufferPointer { dp in taps.withUnsafeBufferPointer { h in y.withUnsafeMutableBufferPointer { yp in
                let out = yp.baseAddress! + start
                for k in 0..<h.count {
                    let w = h[k], src = dp.baseAddress! + 2 * half - k
                    for i in 0..<count { out[i] += w * src[i] }
                }
            } } }
            start += count
        }
        for i in 0..<min(n, high.count) { y[i] += high[i] }
        return y
    }

    /// The zeroth-order modified Bessel function of the first kind, by its power series.
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0, k = 1.0
        while term > 1e-12 * sum {
            term *= (x / (2 * k)) * (x / (2 * k))
            sum += term
            k += 1
        }
        return sum
    }
}
