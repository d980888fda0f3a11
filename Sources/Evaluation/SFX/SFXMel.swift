import DSP
import Foundation

/// The input of the external sound-effects embedding (aisfx 0.1.2), computed as the package's
/// librosa path does (aisfx/spectrogram/spectrogram_librosa.py; checked against it by the
/// golden file): peak-normalised 44.1 kHz audio → |STFT|² (n_fft 2048, hop 1024, periodic
/// Hann, centred with zero padding) → 96 HTK-mel triangles over 0–22 050 Hz, each of unit L1
/// norm → log10(10⁴·x + 1) / 9.4578 (the package's fixed min–max). Full band: this is the
/// only place in `foley eval` that hears above 7.6 kHz.
public struct SFXMel: @unchecked Sendable {   // STFT holds an FFTW plan; used from one thread at a time
    public static let sampleRate = 44_100
    public let bands: Int, nFFT: Int, hop: Int, normMax: Float
    /// Per band: first FFT bin and the non-zero weights from there.
    let filters: [(start: Int, weights: [Float])]
    let stft: STFT

    public init(bands: Int = 96, nFFT: Int = 2048, hop: Int = 1024, normMax: Float = 9.457798957824707) throws {
        self.bands = bands; self.nFFT = nFFT; self.hop = hop; self.normMax = normMax
        stft = try STFT(nFFT: nFFT, hop: hop, padding: .zeros)
        filters = Self.htkFilterbank(bands: bands, nFFT: nFFT, sampleRate: Self.sampleRate)
    }

    static func htkMel(_ f: Double) -> Double { 2595 * log10(1 + f / 700) }
    static func htkHz(_ m: Double) -> Double { 700 * (pow(10, m / 2595) - 1) }

    /// librosa.filters.mel(htk=True, norm=1, fmin=0, fmax=sr/2), rows kept sparse.
    static func htkFilterbank(bands: Int, nFFT: Int, sampleRate: Int) -> [(start: Int, weights: [Float])] {
        let bins = nFFT / 2 + 1, top = htkMel(Double(sampleRate) / 2)
        let freqs = (0..<bins).map { Double($0) * Double(sampleRate) / Double(nFFT) }
        let edges = (0..<(bands + 2)).map { htkHz(top * Double($0) / Double(bands + 1)) }
        return (0..<bands).map { m in
            let row = freqs.map { f in max(0, min((f - edges[m]) / (edges[m + 1] - edges[m]), (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]))) }
            let sum = row.reduce(0, +)
            guard let first = row.firstIndex(where: { $0 > 0 }), let last = row.lastIndex(where: { $0 > 0 }) else { return (0, []) }
            return (first, row[first...last].map { Float($0 / sum) })
        }
    }

    /// [frames, bands], time-major like the network's input; frames = 1 + samples / hop.
    public func callAsFunction(_ samples: [Float]) -> [Float] {
        let peak = samples.reduce(Float(0)) { max($0, abs($1)) }
        let scale: Float = peak > 0 ? 1 / peak : 1
        let spec = stft.forward(samples.map { $0 * scale })
        let bins = spec.bins
        var out = [Float](repeating: 0, count: spec.frames * bands)
        var power = [Float](repeating: 0, count: bins)
        for t in 0..<spec.frames {
            for k in 0..<bins {
                let re = spec.re[t * bins + k], im = spec.im[t * bins + k]
                power[k] = re * re + im * im
            }
            for (m, f) in filters.enumerated() {
                var s: Float = 0
                for (j, w) in f.weights.enumerated() { s += w * power[f.start + j] }
                out[t * bands + m] = log10(s * 10_000 + 1) / normMax
            }
        }
        return out
    }
}
