import COpenBLAS

/// Dense linear algebra beyond BLAS, checked: LAPACK failures become errors naming the routine.
public enum Linalg {
    /// Eigenvalues (ascending) and eigenvectors (column i of the row-major result, i.e.
    /// vectors[j * n + i]) of a symmetric n×n matrix, by LAPACK dsyev.
    public static func symmetricEigen(_ matrix: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        guard matrix.count == n * n else {
            throw RuntimeError.invalidArgument("symmetricEigen: got \(matrix.count) values, expected \(n * n)")
        }
        foley_blas_single_thread()
        // Column-major input of a symmetric matrix is the same as row-major.
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        var nn = Int32(n), lda = Int32(n), info: Int32 = 0, lwork: Int32 = -1
        var query = [Double](repeating: 0, count: 1)
        dsyev_("V", "U", &nn, &a, &lda, &w, &query, &lwork, &info)
        lwork = Int32(query[0])
        var work = [Double](repeating: 0, count: Int(lwork))
        dsyev_("V", "U", &nn, &a, &lda, &w, &work, &lwork, &info)
        guard info == 0 else { throw RuntimeError.invalidArgument("dsyev failed with info \(info) for a \(n)×\(n) matrix") }
        // LAPACK returns eigenvectors as columns in column-major order: a[i * n + j] is
        // component j of vector i; transpose so that vectors[j * n + i] is that component.
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { v[j * n + i] = a[i * n + j] } }
        return (w, v)
    }

    /// Eigenvalues (ascending) only, by dsyev without vectors (several times faster).
    public static func symmetricEigenvalues(_ matrix: [Double], n: Int) throws -> [Double] {
        guard matrix.count == n * n else {
            throw RuntimeError.invalidArgument("symmetricEigenvalues: got \(matrix.count) values, expected \(n * n)")
        }
        foley_blas_single_thread()
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        var nn = Int32(n), lda = Int32(max(n, 1)), info: Int32 = 0, lwork: Int32 = -1
        var query = [Double](repeating: 0, count: 1)
        dsyev_("N", "U", &nn, &a, &lda, &w, &query, &lwork, &info)
        lwork = Int32(query[0])
        var work = [Double](repeating: 0, count: max(1, Int(lwork)))
        dsyev_("N", "U", &nn, &a, &lda, &w, &work, &lwork, &info)
        guard info == 0 else { throw RuntimeError.invalidArgument("dsyev failed with info \(info) for a \(n)×\(n) matrix") }
        return w
    }

    /// C = A·Bᵀ for row-major A [m, k] and B [n, k], in double precision.
    public static func multiplyTransposed(_ a: [Double], _ b: [Double], m: Int, n: Int, k: Int) -> [Double] {
        foley_blas_single_thread()
        var c = [Double](repeating: 0, count: m * n)
        guard m > 0, n > 0, k > 0 else { return c }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(k), 0, &c, Int32(n))
        return c
    }

    /// Symmetric positive semi-definite square root (negative eigenvalues clipped to 0).
    public static func sqrtPSD(_ matrix: [Double], n: Int) throws -> [Double] {
        let (values, vectors) = try symmetricEigen(matrix, n: n)
        var out = [Double](repeating: 0, count: n * n)
        for k in 0..<n {
            let s = max(0, values[k]).squareRoot()
            guard s > 0 else { continue }
            for i in 0..<n {
                let vik = vectors[i * n + k] * s
                for j in 0..<n { out[i * n + j] += vik * vectors[j * n + k] }
            }
        }
        return out
    }
}
