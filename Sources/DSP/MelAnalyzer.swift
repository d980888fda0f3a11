import COpenBLAS

/// Waveform → mel spectrogram with the fixed geometry (magnitude STFT, Slaney filterbank),
/// optionally normalised to [0, 1]. Holds its FFT plan and filterbank: make one and reuse it.
public final class MelAnalyzer {
    public let stft: STFT
    public let nMels: Int
    /// Band-major filterbank, nMels × bins.
    public let filterbank: [Float]

    public init(sampleRate: Int = AudioGeometry.sampleRate, nFFT: Int = AudioGeometry.nFFT,
                hop: Int = AudioGeometry.hopLength, nMels: Int = AudioGeometry.nMels,
                fMin: Double = AudioGeometry.fMin, fMax: Double = AudioGeometry.fMax,
                padding: STFT.Padding = .reflect) throws {
        foley_blas_single_thread()
        stft = try STFT(nFFT: nFFT, hop: hop, padding: padding)
        self.nMels = nMels
        filterbank = MelFilterbank.slaney(sampleRate: sampleRate, nFFT: nFFT, nMels: nMels, fMin: fMin, fMax: fMax)
    }

    /// Mel magnitudes (power 1), bands × frames.
    public func magnitudes(_ x: [Float]) -> MelSpectrogram {
        let mag = stft.forward(x).magnitude()
        return project(magnitude: mag, frames: stft.frameCount(samples: x.count))
    }

    /// The normalised [0, 1] mel the models see.
    public func normalized(_ x: [Float]) -> MelSpectrogram {
        var mel = magnitudes(x)
        MelNormalization.normalize(&mel.values)
        return mel
    }

    /// mel[m, t] = Σ_k fb[m, k] · |X|[t, k], one sgemm.
    public func project(magnitude: [Float], frames: Int) -> MelSpectrogram {
        let bins = stft.bins
        var out = [Float](repeating: 0, count: nMels * frames)
        guard frames > 0 else { return MelSpectrogram(bands: nMels, frames: 0, values: []) }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(nMels), Int32(frames), Int32(bins),
                    1, filterbank, Int32(bins), magnitude, Int32(bins), 0, &out, Int32(frames))
        return MelSpectrogram(bands: nMels, frames: frames, values: out)
    }
}
