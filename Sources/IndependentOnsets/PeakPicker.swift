/// Peak picking on an onset function at 100 frames/s (after Böck, Krebs & Schedl 2012): frame n
/// is an onset if it is the maximum of [n − before, n + after], exceeds the mean of
/// [n − meanBefore, n + meanAfter] by `delta`, and is at least `spacing` frames after the
/// previous onset. `delta` was set once against the annotations of ground-truth training clips,
/// never against generated audio: on 150 training clips F1 peaks at 2.5 (recall 65%, precision
/// 79%; 2.0 gives 70/70, 3.0 60/87).
public struct PeakPicker: Sendable, Equatable {
    public var before = 3, after = 3, meanBefore = 10, meanAfter = 7, spacing = 5
    public var delta: Float = 2.5

    public init(delta: Float = 2.5) { self.delta = delta }

    public func peaks(_ odf: [Float]) -> [Int] {
        var out: [Int] = []
        let n = odf.count
        for i in 0..<n {
            let lo = max(0, i - before), hi = min(n - 1, i + after)
            guard odf[i] > 0, odf[lo...hi].max() == odf[i] else { continue }
            let mlo = max(0, i - meanBefore), mhi = min(n - 1, i + meanAfter)
            let mean = odf[mlo...mhi].reduce(0, +) / Float(mhi - mlo + 1)
            guard odf[i] >= mean + delta else { continue }
            if let last = out.last, i - last < spacing { continue }
            out.append(i)
        }
        return out
    }
}
