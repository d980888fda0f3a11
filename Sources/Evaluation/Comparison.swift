import Foundation

/// A paired comparison of two rows on the clips both have: every metric's difference B − A on
/// the same bootstrap resamples of clips, and whether its 95% interval excludes zero.
public struct Comparison: Codable, Sendable {
    public struct Line: Codable, Sendable {
        public var metric: String
        public var a: Double
        public var b: Double
        public var difference: Estimate
        /// "B better", "B worse" or "no difference" (the interval contains 0).
        public var verdict: String
    }

    public var labels: [String]
    public var clips: Int
    public var lines: [Line]

    public init(_ a: (label: String, scores: [ClipScores]), _ b: (label: String, scores: [ClipScores]), bootstrap: Bootstrap = Bootstrap()) throws {
        let byId = Dictionary(b.scores.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let sa = a.scores.filter { byId[$0.id] != nil }, sb = sa.map { byId[$0.id]! }
        guard sa.count >= 2 else { throw EvaluationError.noClips("\(a.label) and \(b.label) share fewer than 2 clips") }
        labels = [a.label, b.label]
        clips = sa.count
        let sets = bootstrap.indexSets(sa.count)
        var lines: [Line] = []
        for m in Metric.allCases {
            guard let va = try m.value(sa, Array(sa.indices)), let vb = try m.value(sb, Array(sb.indices)),
                  let d = try bootstrap.estimate(sa.count, sets: sets, bounds: m.isPercentage ? -1...1 : -Double.infinity...Double.infinity, { idx in
                      guard let x = try m.value(sa, idx), let y = try m.value(sb, idx) else { return nil }
                      return y - x
                  }) else { continue }
            let verdict = !d.excludes(0) ? "no difference" : ((d.value > 0) == m.higherIsBetter ? "B better" : "B worse")
            lines.append(Line(metric: m.rawValue, a: va, b: vb, difference: d, verdict: verdict))
        }
        self.lines = lines
    }
}

/// Per-clip scores as saved beside a report, reusable by `foley eval --compare`.
public struct SavedScores: Codable, Sendable {
    public var split: String
    public var evaluator: String
    public var scores: [ClipScores]
    public var missing: [String]
    /// Every WAV of the folder as name → "size/mtime" when scored: reuse needs the same set.
    public var files: [String: String]
    public init(split: String, evaluator: String, scores: [ClipScores], missing: [String], files: [String: String]) {
        self.split = split; self.evaluator = evaluator; self.scores = scores; self.missing = missing; self.files = files
    }

    /// The fingerprint of a folder's WAVs.
    public static func fingerprint(_ folder: String) -> [String: String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".wav") }
        return Dictionary(uniqueKeysWithValues: names.map { ($0, FeatureCache.stamp(folder + "/" + $0) ?? "?") })
    }
}
