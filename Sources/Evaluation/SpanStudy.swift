import DSP
import Foundation
import IndependentOnsets
import Media

/// Inpainting measured at its seams: a span in the middle of each test clip is regenerated
/// from the clip's own audio on both sides (`foley generate --inpaint-middle`), and each take
/// is scored at the span's two edges — the level jump (|Δ dB| of the RMS of the 46 ms on each
/// side) and the spectral jump (mean |Δ| of the normalised mel, four frames on each side) —
/// next to the ground truth's own jumps at the same instants (sound changes by itself), and
/// inside the span: mel L1 against the truth and onsets against the annotated events there.
public enum SpanStudy {
    /// The span a clip of `duration` seconds gets: `length` seconds centred on its middle.
    public static func middle(duration: Double, length: Double) -> ClosedRange<Double> {
        let mid = duration / 2, half = min(length, duration) / 2
        return (mid - half)...(mid + half)
    }

    public struct Scores: Codable, Sendable, Equatable {
        public var id: String
        /// [entry, exit] edge, take and ground truth.
        public var levelJump: [Double], truthLevelJump: [Double]
        public var spectralJump: [Double], truthSpectralJump: [Double]
        public var spanMelL1: Double
        public var spanEvents: Int, spanDetections: Int, spanMatched: Int
    }

    static let side = 1024, frames = 4

    static func level(_ x: ArraySlice<Float>) -> Double {
        let rms = (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, x.count))).squareRoot()
        return 20 * log10(max(rms, 1e-5))
    }

    static func jump(_ x: [Float], at e: Int) -> Double {
        abs(level(x[max(0, e - side)..<e]) - level(x[e..<min(x.count, e + side)]))
    }

    static func spectralJump(_ m: MelSpectrogram, at e: Int) -> Double {
        let a = e / 256, before = max(0, a - frames)..<a, after = a..<min(m.frames, a + frames)
        guard !before.isEmpty, !after.isEmpty else { return 0 }
        var sum = 0.0
        for b in 0..<m.bands {
            let u = before.reduce(0.0) { $0 + Double(m.values[b * m.frames + $1]) } / Double(before.count)
            let v = after.reduce(0.0) { $0 + Double(m.values[b * m.frames + $1]) } / Double(after.count)
            sum += abs(u - v)
        }
        return sum / Double(m.bands)
    }

    /// One take against its clip's truth (both 22 050 Hz, the same length), span in samples.
    public static func score(id: String, take: [Float], truth: [Float], span: Range<Int>, events: [Double],
                             analyzer: MelAnalyzer, onsets: ComplexDomainOnsets) throws -> Scores {
        let edges = [span.lowerBound, span.upperBound]
        let mt = analyzer.normalized(take), mg = analyzer.normalized(truth)
        let first = span.lowerBound / 256, last = min(mt.frames, mg.frames, span.upperBound / 256)
        var l1 = 0.0
        for b in 0..<mt.bands { for f in first..<max(first, last) { l1 += Double(abs(mt.values[b * mt.frames + f] - mg.values[b * mg.frames + f])) } }
        l1 /= Double(mt.bands * max(1, last - first))
        let start = Double(span.lowerBound) / 22050, end = Double(span.upperBound) / 22050
        let wide = try SampleRateConverter.convert(Array(take[span]), from: 22050, to: ComplexDomainOnsets.sampleRate)
        let found = onsets.detect(wide).map { $0 + start }
        let match = EventMatch(detected: found, reference: events.filter { $0 >= start && $0 < end })
        return Scores(id: id, levelJump: edges.map { jump(take, at: $0) }, truthLevelJump: edges.map { jump(truth, at: $0) },
                      spectralJump: edges.map { spectralJump(mt, at: $0) }, truthSpectralJump: edges.map { spectralJump(mg, at: $0) },
                      spanMelL1: l1, spanEvents: match.references, spanDetections: match.detections, spanMatched: match.matched)
    }

    /// The study's quantities over clips, each with its bootstrap interval; with `baseline`
    /// (the same clips' scores of another folder), each as this − baseline on the same resamples.
    public static func summary(_ s: [Scores], baseline: [Scores]? = nil, bootstrap: Bootstrap) -> [(String, Estimate?)] {
        let sets = bootstrap.indexSets(s.count)
        func mean(_ f: @escaping (Scores) -> Double) -> Estimate? {
            bootstrap.estimate(s.count, sets: sets) { idx in
                let a = idx.reduce(0.0) { $0 + f(s[$1]) } / Double(idx.count)
                guard let baseline else { return a }
                return a - idx.reduce(0.0) { $0 + f(baseline[$1]) } / Double(idx.count)
            }
        }
        func f1(_ x: [Scores], _ idx: [Int]) -> Double {
            let m = idx.reduce(0) { $0 + x[$1].spanMatched }, r = idx.reduce(0) { $0 + x[$1].spanEvents }, d = idx.reduce(0) { $0 + x[$1].spanDetections }
            return r + d == 0 ? 0 : 200 * Double(m) / Double(r + d)
        }
        let onsetF1 = bootstrap.estimate(s.count, sets: sets) { idx in f1(s, idx) - (baseline.map { f1($0, idx) } ?? 0) }
        return [("entry level jump dB", mean { $0.levelJump[0] }), ("exit level jump dB", mean { $0.levelJump[1] }),
                ("entry spectral jump", mean { $0.spectralJump[0] }), ("exit spectral jump", mean { $0.spectralJump[1] }),
                ("truth's entry level jump dB", mean { $0.truthLevelJump[0] }), ("truth's exit level jump dB", mean { $0.truthLevelJump[1] }),
                ("truth's entry spectral jump", mean { $0.truthSpectralJump[0] }), ("truth's exit spectral jump", mean { $0.truthSpectralJump[1] }),
                ("span mel L1", mean(\.spanMelL1)), ("span onset F1 %", onsetF1)]
    }
}

extension SpanStudy {
    /// Scores every take in `folder` (WAVs named by clip id) inpainted at its clip's middle
    /// span of `length` seconds, against the clips of `split`. Clips without a take are skipped.
    public static func scores(folder: String, split: String, length: Double) throws -> [Scores] {
        let analyzer = try MelAnalyzer(), onsets = ComplexDomainOnsets()
        return try ClipAnnotation.split(split).compactMap { clip in
            let path = "\(folder)/\(clip.id).wav"
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let take = try Evaluator.audio(path, duration: clip.duration), truth = try Evaluator.groundTruth(split: split, clip: clip)
            let s = middle(duration: clip.duration, length: length)
            let span = Int(s.lowerBound * 22050)..<min(take.count, Int(s.upperBound * 22050))
            return try score(id: clip.id, take: take, truth: truth, span: span, events: clip.events.map(\.onset), analyzer: analyzer, onsets: onsets)
        }
    }
}
