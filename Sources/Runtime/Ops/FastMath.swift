import Foundation

/// Vectorised exp and the activations built on it. exp uses Cody-Waite range reduction and a
/// degree-6 polynomial (Cephes expf), relative error below 2e-7 on its range; erf uses
/// Abramowitz & Stegun 7.1.26 refined to |error| < 1.5e-7. Both are well inside the 1e-5
/// tolerances the parity tests demand, and several times faster than scalar libm calls.
public enum FastMath {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func exp(_ x: V) -> V {
        let ln2Hi: Float = 0.693359375, ln2Lo: Float = -2.12194440e-4
        var x = x.clamped(lowerBound: V(repeating: -87.3), upperBound: V(repeating: 88.3))
        let n = (x * 1.44269504088896341).rounded(.toNearestOrEven)
        x = x - n * ln2Hi - n * ln2Lo
        let z = x * x
        var p: V = V(repeating: 1.9875691500e-4)
        p = p * x + 1.3981999507e-3
        p = p * x + 8.3334519073e-3
        p = p * x + 4.1665795894e-2
        p = p * x + 1.6666665459e-1
        p = p * x + 5.0000001201e-1
        p = p * z + x + 1
        // Scale by 2^n through the exponent bits.
        let bits = (SIMD8<Int32>(n) &+ 127) &<< 23
        return p * unsafeBitCast(bits, to: V.self)
    }

    @inline(__always)
    static func apply(_ buf: UnsafeMutableBufferPointer<Float>, _ vector: (V) -> V, _ scalar: (Float) -> Float) {
        let n = buf.count
        var i = 0
        let p = buf.baseAddress!
        while i + 8 <= n {
            let v = UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(p + i).storeBytes(of: vector(v), as: V.self)
            i += 8
        }
        while i < n { p[i] = scalar(p[i]); i += 1 }
    }

    @inline(__always) static func scalarExp(_ x: Float) -> Float { exp(V(repeating: x))[0] }

    @inline(__always) static func magnitude(_ x: V) -> V { x.replacing(with: -x, where: x .< 0) }

    static func sigmoidV(_ x: V) -> V { 1 / (1 + exp(-x)) }
    static func tanhV(_ x: V) -> V {
        // tanh(x) = 1 − 2 / (e^{2x} + 1); accurate near 0 via x for tiny |x|.
        let t = 1 - 2 / (exp(2 * x) + 1)
        return x.replacing(with: t, where: magnitude(x) .> V(repeating: 1e-4)) // tanh(x) ≈ x below 1e-4
    }
    static func erfV(_ x: V) -> V {
        let sign = V(repeating: 1).replacing(with: -1, where: x .< 0)
        let a = magnitude(x)
        let t = 1 / (1 + 0.3275911 * a)
        var y: V = V(repeating: 1.061405429)
        y = y * t - 1.453152027
        y = y * t + 1.421413741
        y = y * t - 0.284496736
        y = y * t + 0.254829592
        y = y * t
        return sign * (1 - y * exp(-a * a))
    }

    public static func exp(_ b: UnsafeMutableBufferPointer<Float>) { apply(b, { exp($0) }, scalarExp) }
    public static func sigmoid(_ b: UnsafeMutableBufferPointer<Float>) { apply(b, sigmoidV) { sigmoidV(V(repeating: $0))[0] } }
    public static func tanh(_ b: UnsafeMutableBufferPointer<Float>) { apply(b, tanhV) { tanhV(V(repeating: $0))[0] } }
    public static func silu(_ b: UnsafeMutableBufferPointer<Float>) {
        apply(b, { $0 * sigmoidV($0) }) { $0 * sigmoidV(V(repeating: $0))[0] }
    }
    public static func geluErf(_ b: UnsafeMutableBufferPointer<Float>) {
        let f: (V) -> V = { 0.5 * $0 * (1 + erfV($0 * 0.70710678118654752)) }
        apply(b, f) { f(V(repeating: $0))[0] }
    }
    public static func geluTanh(_ b: UnsafeMutableBufferPointer<Float>) {
        let f: (V) -> V = { 0.5 * $0 * (1 + tanhV(0.79788456080286536 * ($0 + 0.044715 * $0 * $0 * $0))) }
        apply(b, f) { f(V(repeating: $0))[0] }
    }
}
