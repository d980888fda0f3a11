import DSP
import Runtime

/// Candidate ranking. The sampler rarely puts a transient where the picture has a hit (it sees
/// the features prepended and learned their kind of sound more than their timing), while the
/// visual onset head finds those hits to within a frame. So where a window has hits, several
/// candidates are sampled and the one whose onsets meet them best is kept: a take costs about
/// one codec decoding per candidate and a sampling that grows slowly with their number (they
/// decode side by side); the vocoder runs once.
extension SpecVQGANGenerator {
    /// The decoded mel [80, frames] of the window's best candidate; only one is sampled when the
    /// bundle has no onset head, Candidates is 1, or the part being generated has no hits.
    /// nil when cancelled.
    func bestMel(_ window: GenerationWindow, progress: (Double) -> Bool) -> Tensor? {
        let span = Self.generatedSpan(window)
        let wanted = onsets == nil ? 1 : max(1, Int(number(.candidates, in: window) ?? Double(Self.defaultCandidates)))
        let hits = wanted > 1 ? (onsets?.hits(window.features) ?? []).filter { span?.contains($0) ?? false } : []
        let count = hits.isEmpty ? 1 : wanted
        // The candidates are sampled side by side (the sampler reads its weights once per step
        // for all of them), then decoded and scored one by one.
        let seeds = (0..<count).map { Self.candidateSeed(window.seed, $0) }
        guard let candidates = tokens(window, seeds: seeds, progress: { progress(0.6 * $0) }) else { return nil }
        var best: (score: Double, mel: Tensor)?
        for (k, tokens) in candidates.enumerated() {
            let mel = codec.decode(tokens: tokens)                                      // [80, frames]
            guard count > 1, let span else { return mel }
            let score = Self.syncScore(mel: mel, hits: hits, span: span)
            if best == nil || score > best!.score { best = (score, mel) }            // ties keep the earlier seed
            // A perfect score can only be tied, and ties keep the earlier candidate: the
            // rest need not be decoded.
            if score >= 1 { break }
            guard progress(0.6 + 0.4 * Double(k + 1) / Double(count)) else { return nil }
        }
        return best?.mel
    }

    /// Candidate k's seed: the window's own for the first, so one candidate is the plain take.
    static func candidateSeed(_ seed: UInt64, _ k: Int) -> UInt64 {
        seed &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15
    }

    /// Seconds from the window's start that the generator fills and the chain uses: from the
    /// first unknown sample to the last unknown one before `needed`. nil when there is none.
    static func generatedSpan(_ w: GenerationWindow) -> ClosedRange<Double>? {
        guard let first = w.known.firstIndex(of: false), let last = w.known[..<min(w.needed, w.samples)].lastIndex(of: false),
              first <= last else { return nil }
        let rate = Double(AudioGeometry.sampleRate)
        return Double(first) / rate...Double(last + 1) / rate
    }

    /// F1 at ±50 ms between the onsets detected in a candidate's mel (inside `span`) and the
    /// picture's hits: recall rewards meeting every hit, precision penalises hits that are not there.
    static func syncScore(mel: Tensor, hits: [Double], span: ClosedRange<Double>) -> Double {
        let detected = Onsets.detect(MelSpectrogram(bands: mel.dim(0), frames: mel.dim(1), values: mel.values)).filter { span.contains($0) }
        let (recall, precision) = Onsets.match(detected: detected, reference: hits)
        guard let recall, let precision, recall + precision > 0 else { return 0 }
        return 2 * recall * precision / (recall + precision)
    }
}
