import CKernels

/// Elementwise transcendentals on buffers, backed by the C kernels (multiversioned for
/// AVX2+FMA with a baseline fallback). exp: relative error < 2e-7; erf: |error| < 1.5e-7,
/// far inside the parity tests' 1e-5 tolerances.
public enum FastMath {
    public static func exp(_ b: UnsafeMutableBufferPointer<Float>) { foley_exp(b.baseAddress, b.count) }
    public static func sigmoid(_ b: UnsafeMutableBufferPointer<Float>) { foley_sigmoid(b.baseAddress, b.count) }
    public static func tanh(_ b: UnsafeMutableBufferPointer<Float>) { foley_tanh(b.baseAddress, b.count) }
    public static func silu(_ b: UnsafeMutableBufferPointer<Float>) { foley_silu(b.baseAddress, b.count) }
    public static func geluErf(_ b: UnsafeMutableBufferPointer<Float>) { foley_gelu_erf(b.baseAddress, b.count) }
    public static func geluTanh(_ b: UnsafeMutableBufferPointer<Float>) { foley_gelu_tanh(b.baseAddress, b.count) }
}
