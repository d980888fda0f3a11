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
