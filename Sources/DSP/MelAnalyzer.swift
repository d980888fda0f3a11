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

    /// Frames analysed at a time: a 60-minute take's whole STFT would be 1.3 GB, a block is 4 MB.
    static let block = 1024

    /// Mel magnitudes (power 1), bands × frames, a block of frames at a time.
    public func magnitudes(_ x: [Float]) -> MelSpectrogram {
        let frames = stft.frameCount(samples: x.count)
        guard frames > Self.block else { return project(magnitude: stft.forward(x).magnitude(), frames: frames) }
        var out = [Float](repeating: 0, count: nMels * frames)
        let bins = stft.bins
        for t0 in stride(from: 0, to: frames, by: Self.block) {
            let n = min(Self.block, frames - t0)
            let mag = stft.frames(padded: stft.segment(x, frames: t0..<(t0 + n)), count: n).magnitude()   // [n, bins]
            out.withUnsafeMutableBufferPointer { o in                                            // columns t0..<t0+n
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(nMels), Int32(n), Int32(bins),
                            1, filterbank, Int32(bins), mag, Int32(bins), 0, o.baseAddress! + t0, Int32(frames))
            }
        }
        return MelSpectrogram(bands: nMels, frames: frames, values: out)
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
