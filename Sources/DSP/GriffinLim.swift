import COpenBLAS
import Foundation

/// Phase reconstruction by fast Griffin-Lim (Perraudin et al. 2013: Griffin-Lim with an
/// inertial "momentum" term, librosa's default 0.99), and the mel → linear magnitude step
/// that precedes it for mel input.
public struct GriffinLim: Sendable {
    public var iterations: Int
    public var momentum: Float
    /// Seeds the initial random phases, so a reconstruction is reproducible.
    public var seed: UInt64
    /// Iterations of the non-negative least-squares mel inversion.
    public var melInversionIterations: Int

    public init(iterations: Int = 32, momentum: Float = 0.99, seed: UInt64 = 0, melInversionIterations: Int = 40) {
        self.iterations = iterations
        self.momentum = momentum
        self.seed = seed
        self.melInversionIterations = melInversionIterations
    }

    /// Normalised [0, 1] mel (bands × frames) → waveform of `frames * hop` samples.
    public func waveform(fromNormalizedMel mel: MelSpectrogram, analyzer: MelAnalyzer) -> [Float] {
        var magnitudes = mel
        MelNormalization.denormalize(&magnitudes.values)
        let linear = invertMel(magnitudes, analyzer: analyzer)
        return reconstruct(magnitude: linear, frames: mel.frames, stft: analyzer.stft,
                           length: max(0, mel.frames - 1) * analyzer.stft.hop).signal
    }

    /// Linear magnitude (frames × bins) ≥ 0 that best explains a mel magnitude, by
    /// multiplicative updates for non-negative least squares: S ← S ⊙ (Fᵀ M) / (Fᵀ F S).
    public func invertMel(_ mel: MelSpectrogram, analyzer: MelAnalyzer) -> [Float] {
        let bins = analyzer.stft.bins, bands = mel.bands, frames = mel.frames
        guard frames > 0 else { return [] }
        let fb = analyzer.filterbank
        // Everything frame-major (frames × bins) so rows are frames.
        var numerator = [Float](repeating: 0, count: frames * bins)   // (Fᵀ M)ᵀ = Mᵀ F
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(frames), Int32(bins), Int32(bands),
                    1, mel.values, Int32(frames), fb, Int32(bins), 0, &numerator, Int32(bins))
        var gram = [Float](repeating: 0, count: bins * bins)          // Fᵀ F
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(bins), Int32(bins), Int32(bands),
                    1, fb, Int32(bins), fb, Int32(bins), 0, &gram, Int32(bins))
        var s = numerator
        var denominator = [Float](repeating: 0, count: frames * bins)
        for _ in 0..<melInversionIterations {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(frames), Int32(bins), Int32(bins),
                        1, s, Int32(bins), gram, Int32(bins), 0, &denominator, Int32(bins))
            for i in s.indices { s[i] *= numerator[i] / (denominator[i] + 1e-12) }
        }
        return s
    }

    /// Waveform whose STFT magnitude approximates `magnitude` (frames × bins), and the
    /// spectral convergence ‖S − |STFT(x)|‖ / ‖S‖ after each iteration.
    public func reconstruct(magnitude: [Float], frames: Int, stft: STFT, length: Int) -> (signal: [Float], convergence: [Float]) {
        let bins = stft.bins
        precondition(magnitude.count == frames * bins, "Griffin-Lim: got \(magnitude.count) magnitudes, expected \(frames * bins)")
        var rng = SplitMix64(seed: seed)
        var angles = Spectrogram(frames: frames, bins: bins)
        for i in 0..<(frames * bins) {
            let phase = 2 * Double.pi * rng.nextUnit()
            angles.re[i] = Float(cos(phase))
            angles.im[i] = Float(sin(phase))
        }
        var rebuilt = Spectrogram(frames: frames, bins: bins)
        let norm = max(1e-12, magnitude.reduce(0) { $0 + $1 * $1 }.squareRoot())
        var convergence: [Float] = []
        let inertia = momentum / (1 + momentum)
        func withMagnitude(_ a: Spectrogram) -> Spectrogram {
            var s = a
            for i in 0..<(frames * bins) { s.re[i] *= magnitude[i]; s.im[i] *= magnitude[i] }
            return s
        }
        for _ in 0..<iterations {
            let previous = rebuilt
            let signal = stft.inverse(withMagnitude(angles), length: length)
            rebuilt = stft.forward(signal)
            if rebuilt.frames != frames { rebuilt = resized(rebuilt, frames: frames) }
            var err: Float = 0
            for i in 0..<(frames * bins) {
                let m = (rebuilt.re[i] * rebuilt.re[i] + rebuilt.im[i] * rebuilt.im[i]).squareRoot()
                err += (magnitude[i] - m) * (magnitude[i] - m)
                var re = rebuilt.re[i] - inertia * previous.re[i]
                var im = rebuilt.im[i] - inertia * previous.im[i]
                let r = (re * re + im * im).squareRoot() + 1e-16
                re /= r; im /= r
                angles.re[i] = re; angles.im[i] = im
            }
            convergence.append(err.squareRoot() / norm)
        }
        return (stft.inverse(withMagnitude(angles), length: length), convergence)
    }

    private func resized(_ s: Spectrogram, frames: Int) -> Spectrogram {
        var out = Spectrogram(frames: frames, bins: s.bins)
        let n = min(frames, s.frames) * s.bins
        out.re.replaceSubrange(0..<n, with: s.re[0..<n])
        out.im.replaceSubrange(0..<n, with: s.im[0..<n])
        return out
    }
}

/// A tiny deterministic generator for DSP's own needs (initial phases). The runtime has the
/// full seeded sampler; DSP sits below it and must not import it.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
