import Foundation
import Runtime

/// The distribution metrics of `foley eval`.
public enum Statistics {
    /// Fréchet distance between Gaussians fitted to two feature sets (rows are samples):
    /// |μ₁−μ₂|² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^½ Σ₂ Σ₁^½)^½.
    /// With fewer samples than dimensions (200 clips in 512-d) the covariances are rank-deficient
    /// and the n×n form below is exact and far cheaper.
    public static func frechetDistance(_ a: [[Float]], _ b: [[Float]]) throws -> Double {
        if let d = a.first?.count, min(a.count, b.count) < d { return try frechetDistanceGram(a, b) }
        return try frechetDistanceCovarianceForm(a, b)
    }

    /// The d×d form, for as many samples as dimensions or more (and to check the Gram form).
    public static func frechetDistanceCovarianceForm(_ a: [[Float]], _ b: [[Float]]) throws -> Double {
        let (m1, c1) = meanCovariance(a), (m2, c2) = meanCovariance(b)
        let n = m1.count
        let s1 = try Linalg.sqrtPSD(c1, n: n)
        let inner = multiply(multiply(s1, c2, n), s1, n)
        let (values, _) = try Linalg.symmetricEigen(symmetrised(inner, n), n: n)
        let traceSqrt = values.reduce(0) { $0 + max(0, $1).squareRoot() }
        var meanTerm = 0.0, trace = 0.0
        for i in 0..<n {
            meanTerm += (m1[i] - m2[i]) * (m1[i] - m2[i])
            trace += c1[i * n + i] + c2[i * n + i]
        }
        return max(0, meanTerm + trace - 2 * traceSqrt)   // ≥ 0 in exact arithmetic; rounding can dip below
    }

    /// The same distance through Gram matrices: with Ã = (A − μ_A)/√(n_A − 1) (rows are samples)
    /// Σ_A = ÃᵀÃ, tr Σ_A = ‖Ã‖²_F, and the non-zero eigenvalues of Σ_A Σ_B are those of M Mᵀ with
    /// M = Ã B̃ᵀ, so tr (Σ_A Σ_B)^½ is the sum of M's singular values.
    static func frechetDistanceGram(_ a: [[Float]], _ b: [[Float]]) throws -> Double {
        let d = a[0].count
        func centred(_ rows: [[Float]]) -> (mean: [Double], rows: [Double]) {
            var mean = [Double](repeating: 0, count: d)
            for r in rows { for i in 0..<d { mean[i] += Double(r[i]) } }
            for i in 0..<d { mean[i] /= Double(rows.count) }
            let scale = 1 / Double(max(1, rows.count - 1)).squareRoot()
            var out = [Double](repeating: 0, count: rows.count * d)
            for (j, r) in rows.enumerated() { for i in 0..<d { out[j * d + i] = (Double(r[i]) - mean[i]) * scale } }
            return (mean, out)
        }
        let (ma, ca) = centred(a), (mb, cb) = centred(b)
        let m = Linalg.multiplyTransposed(ca, cb, m: a.count, n: b.count, k: d)          // [nA, nB]
        let mmT = Linalg.multiplyTransposed(m, m, m: a.count, n: a.count, k: b.count)   // [nA, nA]
        let traceSqrt = try Linalg.symmetricEigenvalues(mmT, n: a.count).reduce(0) { $0 + max(0, $1).squareRoot() }
        let meanTerm = zip(ma, mb).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let trace = ca.reduce(0) { $0 + $1 * $1 } + cb.reduce(0) { $0 + $1 * $1 }
        return max(0, meanTerm + trace - 2 * traceSqrt)
    }

    static func meanCovariance(_ rows: [[Float]]) -> ([Double], [Double]) {
        let n = rows.first?.count ?? 0, count = Double(rows.count)
        var mean = [Double](repeating: 0, count: n)
        for r in rows { for i in 0..<n { mean[i] += Double(r[i]) / count } }
        var cov = [Double](repeating: 0, count: n * n)
        for r in rows {
            let d = (0..<n).map { Double(r[$0]) - mean[$0] }
            for i in 0..<n { for j in i..<n { cov[i * n + j] += d[i] * d[j] } }
        }
        let denom = max(1, count - 1)
        for i in 0..<n { for j in i..<n { cov[i * n + j] /= denom; cov[j * n + i] = cov[i * n + j] } }
        return (mean, cov)
    }

    static func multiply(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for k in 0..<n { let aik = a[i * n + k]; if aik == 0 { continue }; for j in 0..<n { c[i * n + j] += aik * b[k * n + j] } } }
        return c
    }

    static func symmetrised(_ a: [Double], _ n: Int) -> [Double] {
        var s = a
        for i in 0..<n { for j in 0..<n { s[i * n + j] = (a[i * n + j] + a[j * n + i]) / 2 } }
        return s
    }

    /// KL(p ‖ q) in nats, with a floor so an impossible class does not give infinity.
    public static func kl(_ p: [Float], _ q: [Float]) -> Double {
        var s = 0.0
        for (a, b) in zip(p, q) where a > 0 { s += Double(a) * log(Double(a) / max(Double(b), 1e-10)) }
        return max(0, s)
    }

    /// Inception score over class distributions: exp(E_x KL(p(y|x) ‖ p(y))).
    public static func inceptionScore(_ probs: [[Float]]) -> Double {
        guard let k = probs.first?.count else { return 0 }
        var marginal = [Float](repeating: 0, count: k)
        for p in probs { for i in 0..<k { marginal[i] += p[i] / Float(probs.count) } }
        return exp(probs.reduce(0) { $0 + kl($1, marginal) } / Double(probs.count))
    }
}
