import COpenBLAS

/// The OpenBLAS call family used by the runtime. Runs single-threaded (two threads are slower
/// on these VMs); `configure()` is idempotent and called by every entry point.
public enum BLAS {
    private static let configured: Void = { foley_blas_single_thread() }()
    public static func configure() { _ = configured }

    /// C[M×N] = alpha · op(A) · op(B) + beta · C, row-major. A single row of C (a decoding
    /// step's attention, a one-channel output convolution) goes to sgemv, several times faster
    /// here than sgemm with M = 1.
    @inline(__always)
    public static func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        _ = configured
        if m == 1 && !transA {
            // c[N] = op(B)ᵀ-as-stored · a: B [K×N] read transposed, or B [N×K] as is. The
            // output is zeroed first where beta is 0: some OpenBLAS releases scale y by beta
            // (NaN · 0 = NaN) instead of overwriting it, and c may be uninitialised.
            if beta == 0 { c.update(repeating: 0, count: n) }
            cblas_sgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, Int32(transB ? n : k), Int32(transB ? k : n),
                        alpha, b, Int32(ldb), a, 1, beta, c, 1)
            return
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y[M] = alpha · A[M×N] · x + beta · y, row-major A (weights stored out × in).
    @inline(__always)
    public static func gemv(m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        _ = configured
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
}
