import Foundation

/// The metrics of `foley eval`, each a function of a resample of clips. Headline metrics hear
/// the audio through networks and detectors that no generator uses or was trained against; the
/// secondary ones are today's metrics on our own 80-band mel.
public enum Metric: String, CaseIterable, Codable, Sendable {
    case fdSFX = "fd_sfx", klSFX = "kl_sfx", classAccuracy = "class"
    case onsetRecall = "onset_recall", onsetPrecision = "onset_precision", onsetF1 = "onset_f1", sync
    case fdMel = "fd_mel", klMel = "kl_mel", isMel = "is_mel", classMel = "class_mel"
    case fluxRecall = "flux_recall", fluxPrecision = "flux_precision"

    public var isHeadline: Bool { ![.fdMel, .klMel, .isMel, .classMel, .fluxRecall, .fluxPrecision].contains(self) }
    public var higherIsBetter: Bool { ![.fdSFX, .klSFX, .fdMel, .klMel].contains(self) }
    public var isPercentage: Bool { [.classAccuracy, .onsetRecall, .onsetPrecision, .onsetF1, .sync, .classMel, .fluxRecall, .fluxPrecision].contains(self) }

    public var title: String {
        switch self {
        case .fdSFX: return "FD_sfx"
        case .klSFX: return "KL_sfx"
        case .classAccuracy: return "class"
        case .onsetRecall: return "onset R"
        case .onsetPrecision: return "onset P"
        case .onsetF1: return "onset F1"
        case .sync: return "sync"
        case .fdMel: return "FD_mel"
        case .klMel: return "KL_mel"
        case .isMel: return "IS_mel"
        case .classMel: return "class_mel"
        case .fluxRecall: return "flux R"
        case .fluxPrecision: return "flux P"
        }
    }

    /// The metric on the clips at `idx` (repeats allowed), or nil where it has no value.
    public func value(_ c: [ClipScores], _ idx: [Int]) throws -> Double? {
        func mean(_ f: (ClipScores) -> Double?) -> Double? {
            let v = idx.compactMap { f(c[$0]) }
            return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
        }
        func ratio(_ num: (ClipScores) -> Int, _ den: (ClipScores) -> Int) -> Double? {
            let d = idx.reduce(0) { $0 + den(c[$1]) }
            return d == 0 ? nil : Double(idx.reduce(0) { $0 + num(c[$1]) }) / Double(d)
        }
        switch self {
        case .fdSFX: return try Statistics.frechetDistance(idx.map { c[$0].sfxGenerated }, idx.map { c[$0].sfxTruth })
        case .klSFX: return mean { $0.sfxKL }
        case .classAccuracy: return mean { s in s.probeClass.map { $0 == s.class ? 1 : 0 } }
        case .onsetRecall: return ratio(\.sharpFound, \.sharpEvents)
        case .onsetPrecision: return ratio({ $0.sharpEvents > 0 ? $0.detectionsOnEvents : 0 }, { $0.sharpEvents > 0 ? $0.detections : 0 })
        case .onsetF1:
            guard let r = try Metric.onsetRecall.value(c, idx), let p = try Metric.onsetPrecision.value(c, idx) else { return nil }
            return r + p == 0 ? 0 : 2 * r * p / (r + p)
        case .sync: return ratio(\.syncedWindows, \.windows)
        case .fdMel: return try Statistics.frechetDistance(idx.map { c[$0].melGenerated }, idx.map { c[$0].melTruth })
        case .klMel: return mean { $0.melKL }
        case .isMel: return Statistics.inceptionScore(idx.map { c[$0].melProbabilities })
        case .classMel: return mean { $0.melClass == $0.class ? 1 : 0 }
        case .fluxRecall: return mean(\.fluxRecall)
        case .fluxPrecision: return mean(\.fluxPrecision)
        }
    }

    /// The values the metric can take (intervals are clamped to them).
    public var bounds: ClosedRange<Double> { isPercentage ? 0...1 : 0...Double.infinity }

    /// Metrics whose estimate is unstable at a few hundred clips (noted in reports).
    public var needsManyClips: Bool { [.fdSFX, .fdMel, .isMel].contains(self) }
}

/// What `foley eval` reports for one folder of generated audio on one split.
public struct EvalReport: Codable, Sendable {
    public var label: String
    public var split: String
    public var clips: Int
    public var missing: [String]
    /// Every metric with its bootstrap 95% interval over clips.
    public var metrics: [String: Estimate]
    public var bootstrapResamples: Int
    /// Class accuracy (our probe on aisfx embeddings) per true class.
    public var classAccuracyByClass: [String: Double]
    /// Probe confusion: true class → predicted class → clips.
    public var confusion: [String: [String: Int]]

    public subscript(_ m: Metric) -> Estimate? { metrics[m.rawValue] }

    public init(label: String, split: String, scores: [ClipScores], missing: [String], bootstrap: Bootstrap = Bootstrap()) throws {
        self.label = label; self.split = split; self.clips = scores.count; self.missing = missing
        bootstrapResamples = bootstrap.resamples
        let sets = bootstrap.indexSets(scores.count)
        var m: [String: Estimate] = [:]
        for metric in Metric.allCases {
            if let e = try bootstrap.estimate(scores.count, sets: sets, bounds: metric.bounds, { try metric.value(scores, $0) }) { m[metric.rawValue] = e }
        }
        metrics = m
        var byClass: [String: (Int, Int)] = [:], confusion: [String: [String: Int]] = [:]
        for s in scores {
            guard let p = s.probeClass else { continue }
            byClass[s.class, default: (0, 0)].0 += p == s.class ? 1 : 0
            byClass[s.class, default: (0, 0)].1 += 1
            confusion[s.class, default: [:]][p, default: 0] += 1
        }
        classAccuracyByClass = byClass.mapValues { Double($0.0) / Double($0.1) }
        self.confusion = confusion
    }
}
