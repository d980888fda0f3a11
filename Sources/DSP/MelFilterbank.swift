import Foundation

/// Triangular mel filters on the Slaney scale with Slaney area normalisation (librosa's
/// defaults: `htk=False, norm='slaney'`), computed in double precision.
public enum MelFilterbank {
    /// Slaney mel: linear below 1 kHz (200/3 Hz per mel), logarithmic above.
    static let fSp = 200.0 / 3.0
    static let minLogHz = 1000.0
    static let minLogMel = minLogHz / fSp
    static let logStep = log(6.4) / 27.0

    public static func hzToMel(_ f: Double) -> Double {
        f >= minLogHz ? minLogMel + log(f / minLogHz) / logStep : f / fSp
    }

    public static func melToHz(_ m: Double) -> Double {
        m >= minLogMel ? minLogHz * exp(logStep * (m - minLogMel)) : fSp * m
    }

    /// Filter weights, band-major: `nMels × (nFFT/2 + 1)`.
    public static func slaney(sampleRate: Int = AudioGeometry.sampleRate, nFFT: Int = AudioGeometry.nFFT,
                              nMels: Int = AudioGeometry.nMels, fMin: Double = AudioGeometry.fMin,
                              fMax: Double = AudioGeometry.fMax) -> [Float] {
        let bins = nFFT / 2 + 1
        let fftFreqs = (0..<bins).map { Double($0) * Double(sampleRate) / Double(nFFT) }
        let lo = hzToMel(fMin), hi = hzToMel(fMax)
        let melF = (0..<(nMels + 2)).map { melToHz(lo + (hi - lo) * Double($0) / Double(nMels + 1)) }
        var weights = [Float](repeating: 0, count: nMels * bins)
        for m in 0..<nMels {
            let lower = melF[m], centre = melF[m + 1], upper = melF[m + 2]
            let enorm = 2.0 / (upper - lower)
            for k in 0..<bins {
                let up = (fftFreqs[k] - lower) / (centre - lower)
                let down = (upper - fftFreqs[k]) / (upper - centre)
                let w = max(0, min(up, down))
                weights[m * bins + k] = Float(w * enorm)
            }
        }
        return weights
    }
}
