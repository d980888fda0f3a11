import DSP
import Foundation
import Runtime

/// The last stage of a take at full band: a working-rate take (22.05 kHz, from any
/// generator's renderer) to 44.1 kHz. Its mel goes through the shared full-band vocoder, and
/// with `.split` (the default) the take itself is kept below the crossover and the vocoder's
/// output above it (BandSplit): the envelope-matched working take is the closer of the two below
/// 9 kHz, and nothing flattens the band the vocoder restores above (Reports/fullband.md).
/// Generators stay in the mel domain; the engine and `foley generate --full-band` end here.
public final class FullBandRenderer: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// The working take below the crossover, the full-band vocoder above.
        case split
        /// The full-band vocoder alone, across the whole band.
        case vocoder
    }

    /// Where the shipped renderer lives in the weights folder.
    public static let bundleName = "fullband-vocoder"

    public let vocoder: FullBandVocoder
    public let weightsHash: String
    let bands: BandSplit

    public init(vocoder: FullBandVocoder, weightsHash: String = "", crossover: Double = 9000) {
        self.vocoder = vocoder
        self.weightsHash = weightsHash
        bands = BandSplit(crossover: crossover)
    }

    /// The bundle `directory/fullband-vocoder`; nil when it is not installed (takes then stay at
    /// the working rate), an error naming the file when it is there but cannot be used.
    public static func installed(in directory: String) throws -> FullBandRenderer? {
        let path = directory + "/" + bundleName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try FullBandRenderer(bundle: ModelBundle(path: path, kind: FullBandVocoder.kind))
    }

    /// A bundle of kind `fullband-vocoder`.
    public convenience init(bundle: ModelBundle) throws {
        self.init(vocoder: try FullBandVocoder(bundle: bundle), weightsHash: bundle.weightsHash)
    }

    /// The rate it renders at (44 100 Hz).
    public var rate: Int { vocoder.config.rate }

    /// Working-rate samples (22 050 Hz) → twice as many at 44 100 Hz.
    public func render(working audio: [Float], mode: Mode = .split) throws -> [Float] {
        guard !audio.isEmpty else { return [] }
        let mel = try MelAnalyzer().normalized(audio)                             // [80, frames]: the take's own mel
        let high = vocoder(mel: Tensor(shape: [mel.bands, mel.frames], mel.values)) // 512 samples a frame at 44.1 kHz
        let n = 2 * audio.count
        switch mode {
        case .vocoder: return high.count >= n ? Array(high.prefix(n)) : high + [Float](repeating: 0, count: n - high.count)
        case .split: return bands.join(low: audio, high: high)
        }
    }
}
