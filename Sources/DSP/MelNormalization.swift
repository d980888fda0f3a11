import Foundation

/// SpecVQGAN's log/normalise chain between a mel magnitude and the [0, 1] image the models
/// see: floor 1e-5 → log10 → ×20 → −20 → +100 → ÷100 → clip [0, 1]. Inside the unclipped
/// range (magnitudes 1e-4 … 10) the inverse is exact.
public enum MelNormalization {
    public static let floor: Float = 1e-5

    @inline(__always)
    public static func normalize(_ magnitude: Float) -> Float {
        let db = 20 * log10(max(floor, magnitude)) - 20
        return min(1, max(0, (db + 100) / 100))
    }

    @inline(__always)
    public static func denormalize(_ value: Float) -> Float {
        let db = value * 100 - 100
        return pow(10, (db + 20) / 20)
    }

    public static func normalize(_ values: inout [Float]) {
        for i in values.indices { values[i] = normalize(values[i]) }
    }

    public static func denormalize(_ values: inout [Float]) {
        for i in values.indices { values[i] = denormalize(values[i]) }
    }
}
