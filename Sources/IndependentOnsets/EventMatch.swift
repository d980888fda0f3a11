/// One-to-one matching of detected onsets to annotated events within a tolerance: events and
/// detections are paired closest-first, each used at most once (the evaluation's own matcher,
/// separate from DSP's).
public struct EventMatch: Sendable, Equatable {
    public var references: Int
    public var detections: Int
    public var matched: Int

    public init(detected: [Double], reference: [Double], tolerance: Double = 0.05) {
        references = reference.count
        detections = detected.count
        var pairs: [(Double, Int, Int)] = []
        for (i, r) in reference.enumerated() {
            for (j, d) in detected.enumerated() where abs(d - r) <= tolerance { pairs.append((abs(d - r), i, j)) }
        }
        pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && ($0.1, $0.2) < ($1.1, $1.2)) }
        var usedR = Set<Int>(), usedD = Set<Int>()
        matched = 0
        for (_, i, j) in pairs where !usedR.contains(i) && !usedD.contains(j) {
            usedR.insert(i); usedD.insert(j); matched += 1
        }
    }
}
