import Runtime

extension SafeTensorsFile {
    /// Compares a computed tensor with the golden one of that name: shape first, then values
    /// within |got − want| ≤ atol + rtol·|want|. Returns nil when they agree, else a message
    /// naming the tensor, the worst index and both values.
    public func mismatch(_ name: String, _ got: Tensor, atol: Float, rtol: Float = 0) -> String? {
        guard let want = try? tensor(name) else { return "golden tensor '\(name)' missing from \(path)" }
        guard want.count == got.count, want.shape.filter({ $0 != 1 }) == got.shape.filter({ $0 != 1 }) else {
            return "\(name): got shape \(got.shape), expected \(want.shape)"
        }
        return Tolerance.mismatch(name, got: got.values, expected: want.values, atol: atol, rtol: rtol)
    }

    public func ints(_ name: String) throws -> [Int] { try tensor(name).values.map { Int($0) } }
}
