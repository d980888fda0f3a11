import CKernels
import Foundation

/// Softmax and log-softmax over the last dimension.
public enum Softmax {
    public static func forward(_ x: Tensor) -> Tensor {
        var y = x
        let n = x.dim(-1)
        y.update { buf in
            for r in 0..<(buf.count / n) { rowSoftmax(UnsafeMutableBufferPointer(rebasing: buf[(r * n)..<((r + 1) * n)])) }
        }
        return y
    }

    public static func log(_ x: Tensor) -> Tensor {
        var y = x
        let n = x.dim(-1)
        y.update { buf in
            for r in 0..<(buf.count / n) {
                let row = UnsafeMutableBufferPointer(rebasing: buf[(r * n)..<((r + 1) * n)])
                let m = row.max() ?? 0
                var scratch = [Float](repeating: 0, count: n)
                var s: Float = 0
                scratch.withUnsafeMutableBufferPointer { t in
                    for i in 0..<n { t[i] = row[i] - m }
                    FastMath.exp(t)
                    for i in 0..<n { s += t[i] }
                }
                let lse = m + Foundation.log(s)
                for i in 0..<n { row[i] -= lse }
            }
        }
        return y
    }

    /// In place on one row; -inf entries (masked) become exactly 0.
    @inline(__always)
    public static func rowSoftmax(_ row: UnsafeMutableBufferPointer<Float>) {
        foley_softmax_row(row.baseAddress, row.count)
    }
}

