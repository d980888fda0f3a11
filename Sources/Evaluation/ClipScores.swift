import Foundation

/// Everything `foley eval` measures on one clip, kept so that any metric can be recomputed on
/// any resample of clips (bootstrap intervals, paired comparisons). Written beside the summary
/// as `eval-clips.json`.
public struct ClipScores: Codable, Sendable {
    public var id: String
    public var `class`: String

    // The external sound-effects embedding (aisfx), at 44.1 kHz.
    public var sfxGenerated: [Float]
    public var sfxTruth: [Float]
    /// Mean over aisfx's category heads of KL(truth ‖ generated).
    public var sfxKL: Double
    /// The class our probe on aisfx embeddings predicts for the generated audio (nil without the probe).
    public var probeClass: String?

    // The mel classifier trained here (secondary rows).
    public var melGenerated: [Float]
    public var melTruth: [Float]
    public var melKL: Double
    public var melProbabilities: [Float]
    public var melClass: String

    // Onsets: today's spectral flux on our mel (the detector SpecVQGAN's ranking uses) …
    public var fluxRecall: Double?
    public var fluxPrecision: Double?
    // … and the independent complex-domain detector: sharp events, detections among them, all
    // detections and those within ±50 ms of any annotated event (counted on clips with sharp events).
    public var sharpEvents: Int
    public var sharpFound: Int
    public var detections: Int
    public var detectionsOnEvents: Int

    // The sync judge: windows judged in sync, of windows.
    public var syncedWindows: Int
    public var windows: Int
}

/// What one clip's ground truth gives, cached per (clip files, evaluation weights).
struct TruthFeatures: Codable {
    var sfx: SFXEmbedding.Clip
    var melFeatures: [Float]
    var melProbabilities: [Float]
    var video: [Float]
    var videoShape: [Int]
}
