/// Onset detection on a normalised mel: half-wave rectified spectral flux summed over bands
/// (delta 3 ≈ a mean rise of 0.04 per band, above noise-floor flicker), peaks above a
/// moving-median threshold, at least 50 ms apart. Times are frame centres (hop / sample rate).
public enum Onsets {
    public static func detect(_ mel: MelSpectrogram, delta: Float = 3.0, minGap: Double = 0.05) -> [Double] {
        let t = mel.frames
        guard t > 2 else { return [] }
        var flux = [Float](repeating: 0, count: t)
        for i in 1..<t {
            var s: Float = 0
            for b in 0..<mel.bands { s += max(0, mel[b, i] - mel[b, i - 1]) }
            flux[i] = s
        }
        let frameTime = Double(AudioGeometry.hopLength) / Double(AudioGeometry.sampleRate)
        let half = 8
        var onsets: [Double] = []
        // The first and last frames see the reflect padding, not the signal: skip them.
        for i in 2..<max(2, t - 2) where flux[i] >= flux[i - 1] && flux[i] > flux[i + 1] {
            let window = flux[max(0, i - half)...min(t - 1, i + half)].sorted()
            let median = window[window.count / 2]
            guard flux[i] > median + delta else { continue }
            let time = Double(i) * frameTime
            if let last = onsets.last, time - last < minGap { continue }
            onsets.append(time)
        }
        return onsets
    }

    /// Share of `reference` onsets with a detected onset within ±tolerance (recall), and share
    /// of `detected` onsets within ±tolerance of a reference onset (precision).
    public static func match(detected: [Double], reference: [Double], tolerance: Double = 0.05) -> (recall: Double?, precision: Double?) {
        func near(_ x: Double, _ set: [Double]) -> Bool { set.contains { abs($0 - x) <= tolerance } }
        let recall = reference.isEmpty ? nil : Double(reference.filter { near($0, detected) }.count) / Double(reference.count)
        let precision = detected.isEmpty ? nil : Double(detected.filter { near($0, reference) }.count) / Double(detected.count)
        return (recall, precision)
    }
}
