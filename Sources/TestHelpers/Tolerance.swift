/// Element-wise comparison with an absolute and relative tolerance (|a − b| ≤ atol + rtol·|b|).
/// On failure the message names the tensor, the worst index and both values.
public enum Tolerance {
    public static func mismatch(_ name: String, got: [Float], expected: [Float], atol: Float, rtol: Float = 0) -> String? {
        guard got.count == expected.count else { return "\(name): got \(got.count) values, expected \(expected.count)" }
        var worst = -1
        var worstExcess: Float = 0
        var bad = 0
        for i in got.indices {
            let excess = abs(got[i] - expected[i]) - (atol + rtol * abs(expected[i]))
            if excess > 0 || got[i].isNaN != expected[i].isNaN {
                bad += 1
                if excess > worstExcess || worst < 0 { worst = i; worstExcess = excess }
            }
        }
        guard worst >= 0 else { return nil }
        return "\(name): \(bad) of \(got.count) values outside atol \(atol) rtol \(rtol); worst at index \(worst): "
            + "got \(got[worst]), expected \(expected[worst]) (|diff| \(abs(got[worst] - expected[worst])))"
    }

    public static func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
