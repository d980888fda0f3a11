import Foundation

/// Makes a rendered waveform's mel spectrogram follow the mel it was rendered from, keeping
/// the waveform's phase: every STFT frame is scaled, bin by bin, by the ratio of the target
/// mel to the waveform's own mel in the bands covering that bin (interpolated in log gain
/// across overlapping bands), then resynthesised by overlap-add.
///
/// Why: a neural vocoder gets the fine structure and phase right but drifts in spectral
/// envelope on mels unlike its training data (sampled tokens decode to such mels), which
/// changes what class the sound is heard as. One correction pass is an equaliser per mel band
/// and frame; it does not touch phase, so none of Griffin-Lim's phasiness comes in.
public struct MelEnvelopeMatch {
    /// The largest boost or cut, as a factor (20: ±26 dB), so a band the vocoder left silent is
    /// not lifted from numerical noise.
    public let maxGain: Float
    let analyzer: MelAnalyzer
    /// Each linear bin's share of the mel bands' gains, derived once from the filterbank.
    let spread: BinSpread

    public init(analyzer: MelAnalyzer, maxGain: Float = 20) {
        self.analyzer = analyzer
        self.maxGain = maxGain
        spread = BinSpread(filterbank: analyzer.filterbank, bands: analyzer.nMels, bins: analyzer.stft.bins)
    }

    /// `x` with its mel envelope matched to `target` (normalised [0, 1], bands × frames, frame
    /// t centred on sample t·hop); the same length as `x`. Frames past the target's end take
    /// its last frame's gains.
    public func apply(_ x: [Float], toNormalizedMel target: MelSpectrogram) -> [Float] {
        let stft = analyzer.stft, bins = stft.bins, bands = analyzer.nMels
        precondition(target.bands == bands, "mel envelope match: got \(target.bands) bands, expected \(bands)")
        guard !x.isEmpty, target.frames > 0 else { return x }
        var spec = stft.forward(x)                                              // [frames, bins]
        let actual = analyzer.project(magnitude: spec.magnitude(), frames: spec.frames)   // [bands, frames]
        let gains = logGains(actual: actual, target: target)                    // [bands, frames]
        var binGain = [Float](repeating: 0, count: bins)
        for t in 0..<spec.frames {
            let column = min(t, target.frames - 1)
            spread.apply(gains, column: column, frames: target.frames, into: &binGain)
            for k in 0..<bins {
                let g = expf(binGain[k])
                spec.re[t * bins + k] *= g
                spec.im[t * bins + k] *= g
            }
        }
        return Self.softClip(stft.inverse(spec, length: x.count))
    }

    /// Keeps samples inside ±1 as a vocoder's tanh output would be: unchanged up to ±0.8, then
    /// bent smoothly towards ±1. A boosted band can push a loud transient past full scale,
    /// which playback and 16-bit stems would clip hard.
    static func softClip(_ x: [Float], knee: Float = 0.8) -> [Float] {
        x.map { v in
            let a = abs(v)
            guard a > knee else { return v }
            return (v < 0 ? -1 : 1) * (knee + (1 - knee) * tanhf((a - knee) / (1 - knee)))
        }
    }

    /// log(target / actual) per band and target frame, clamped to ±log(maxGain). Where the
    /// target sits at the normalisation floor (silence as far as the mel can say) nothing is
    /// boosted, only cut.
    func logGains(actual: MelSpectrogram, target: MelSpectrogram) -> [Float] {
        let frames = target.frames, limit = logf(maxGain)
        var out = [Float](repeating: 0, count: target.bands * frames)
        for b in 0..<target.bands {
            for t in 0..<frames {
                let want = MelNormalization.denormalize(min(max(target.values[b * frames + t], 0), 1))   // a decoder can overshoot [0, 1]
                let have = max(actual.values[b * actual.frames + min(t, actual.frames - 1)], MelNormalization.floor)
                var g = min(max(logf(want / have), -limit), limit)
                if target.values[b * frames + t] <= 0 { g = min(g, 0) }
                out[b * frames + t] = g
            }
        }
        return out
    }
}

/// Each linear bin's weights over the mel bands whose filters cover it (normalised to sum
/// to one); bins below the first filter or above the last take the nearest covered bin's.
struct BinSpread {
    let taps: [[(band: Int, weight: Float)]]

    init(filterbank: [Float], bands: Int, bins: Int) {
        var taps = [[(band: Int, weight: Float)]](repeating: [], count: bins)
        for k in 0..<bins {
            var sum: Float = 0
            for b in 0..<bands where filterbank[b * bins + k] > 0 { sum += filterbank[b * bins + k] }
            guard sum > 0 else { continue }
            for b in 0..<bands where filterbank[b * bins + k] > 0 { taps[k].append((b, filterbank[b * bins + k] / sum)) }
        }
        if let first = taps.firstIndex(where: { !$0.isEmpty }), let last = taps.lastIndex(where: { !$0.isEmpty }) {
            for k in 0..<first { taps[k] = taps[first] }
            for k in (last + 1)..<bins { taps[k] = taps[last] }
        }
        self.taps = taps
    }

    /// out[k] = Σ weight · gains[band, column] over bin k's taps.
    func apply(_ gains: [Float], column: Int, frames: Int, into out: inout [Float]) {
        for k in taps.indices {
            var g: Float = 0
            for tap in taps[k] { g += tap.weight * gains[tap.band * frames + column] }
            out[k] = g
        }
    }
}
