import Foundation

/// Activations and elementwise arithmetic. Transcendentals go through `FastMath` (SIMD,
/// within a few ulp of libm), the rest are plain loops the compiler vectorises.
public enum Activation {
    public static func map(_ x: Tensor, _ f: (UnsafeMutableBufferPointer<Float>) -> Void) -> Tensor {
        var y = x
        y.update(f)
        return y
    }

    public static func relu(_ x: Tensor) -> Tensor { map(x) { for i in $0.indices { $0[i] = max(0, $0[i]) } } }

    public static func leakyRelu(_ x: Tensor, slope: Float = 0.01) -> Tensor {
        // max(v, slope·v) is the same for 0 ≤ slope ≤ 1 and has no branch, so it vectorises.
        precondition((0...1).contains(slope), "leakyRelu: slope \(slope) outside 0…1")
        return map(x) { p in for i in p.indices { p[i] = Swift.max(p[i], p[i] * slope) } }
    }

    /// In place: no copy when `x` is the only reference to its storage.
    public static func leakyRelu(inPlace x: inout Tensor, slope: Float) {
        precondition((0...1).contains(slope), "leakyRelu: slope \(slope) outside 0…1")
        x.update { p in for i in p.indices { p[i] = Swift.max(p[i], p[i] * slope) } }
    }

    public static func sigmoid(_ x: Tensor) -> Tensor { map(x) { FastMath.sigmoid($0) } }
    public static func tanh(_ x: Tensor) -> Tensor { map(x) { FastMath.tanh($0) } }
    public static func silu(_ x: Tensor) -> Tensor { map(x) { FastMath.silu($0) } }
    /// GELU with the exact erf form (PyTorch's default `nn.GELU()`).
    public static func gelu(_ x: Tensor) -> Tensor { map(x) { FastMath.geluErf($0) } }
    /// GELU with the tanh approximation (`approximate='tanh'`).
    public static func geluTanh(_ x: Tensor) -> Tensor { map(x) { FastMath.geluTanh($0) } }
}

public enum Elementwise {
    public static func add(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "add: shapes \(a.shape) and \(b.shape) differ")
        var y = a
        b.read { bp in y.update { for i in $0.indices { $0[i] += bp[i] } } }
        return y
    }

    public static func mul(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "mul: shapes \(a.shape) and \(b.shape) differ")
        var y = a
        b.read { bp in y.update { for i in $0.indices { $0[i] *= bp[i] } } }
        return y
    }

    public static func scale(_ a: Tensor, _ s: Float) -> Tensor {
        var y = a
        y.update { for i in $0.indices { $0[i] *= s } }
        return y
    }

    /// In place: a += b (the residual connection).
    public static func addInPlace(_ a: inout Tensor, _ b: Tensor) {
        precondition(a.shape == b.shape, "add: shapes \(a.shape) and \(b.shape) differ")
        b.read { bp in a.update { for i in $0.indices { $0[i] += bp[i] } } }
    }
}
