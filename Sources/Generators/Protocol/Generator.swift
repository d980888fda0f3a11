import Runtime

/// One model window to generate: visual features for the window and the audio already fixed
/// in it. `known[i]` says sample i of `context` is fixed (to the left of a continuation, or
/// outside an inpainted span); a generator conditions on those samples and fills the rest.
public struct GenerationWindow: Sendable {
    /// [T, D] visual features at the visual rate (one per 1024 samples), T = samples / 1024:
    /// the shared visual encoder's, which every generator reads today.
    public var features: Tensor
    /// Every front end the generator declares beyond the shared features, sliced to the
    /// window (`FrontEnd.rows`).
    public var inputs: [FrontEnd: Tensor] = [:]
    /// Mono audio at 22 050 Hz, `samples` long; zeros where unknown.
    public var context: [Float]
    public var known: [Bool]
    public var parameters: ParameterValues
    public var seed: UInt64
    /// How many samples from the window's start will be used (the last window of a clip, or
    /// one that ends inside an inpainted span, needs less than a whole window). A generator may
    /// skip work past it; it still returns `samples` samples.
    public var needed: Int
    /// Where the generator is inside the window, in words, for the Jobs panel (a solver whose
    /// step count is not known ahead says its steps and time); nil when nobody listens.
    public var status: (@Sendable (String) -> Void)?

    public init(features: Tensor, context: [Float], known: [Bool], parameters: ParameterValues, seed: UInt64) {
        self.features = features
        self.context = context
        self.known = known
        self.parameters = parameters
        self.seed = seed
        self.needed = context.count
    }

    public var samples: Int { context.count }
    public var hasContext: Bool { known.contains(true) }
}

/// Thrown by a generator (through its progress callback returning false) when its job is cancelled.
public struct GenerationCancelled: Error, Sendable, Equatable {
    public init() {}
}

/// A video-to-audio generator: features (+ audio context and mask) → audio for one window.
/// A take is reproducible from (name, weightsHash, parameters, seed): implementations must
/// be deterministic for a given window.
public protocol Generator: AnyObject, Sendable {
    var name: String { get }
    /// Identifies the exact weights (hex digest); recorded in every take.
    var weightsHash: String { get }
    /// The parameters this generator reads, with their ranges and defaults.
    var parameters: [ParameterSpec] { get }
    /// Samples per model window at 22 050 Hz, a multiple of 1024 (one visual frame).
    var windowSamples: Int { get }
    /// Feature width the generator expects (the visual encoder's output).
    var featureDim: Int { get }
    /// The visual inputs it reads (default: the shared visual encoder's features alone). The
    /// engine computes and caches each; `GenerationWindow.inputs` holds them.
    var frontEnds: [FrontEnd] { get }
    /// Generates the window. `progress(fraction)` returns false when the job was cancelled;
    /// the generator then throws `GenerationCancelled` at its next step.
    func generate(_ window: GenerationWindow, progress: (Double) -> Bool) throws -> [Float]
}

extension Generator {
    public var frontEnds: [FrontEnd] { [.sharedFeatures] }

    public func spec(_ p: Parameter) -> ParameterSpec? { parameters.first { $0.parameter == p } }

    /// The window's value of `p` made valid for its declaration (`ParameterSpec.normalized`):
    /// values also come from a take's record in the project file (a draft rendered again at
    /// full quality), so they are bounded before any conversion can trap on them. Nil when the
    /// generator does not declare `p`.
    public func value(_ p: Parameter, in window: GenerationWindow) -> ParameterValue? {
        spec(p).map { $0.normalized(window.parameters[p]) }
    }

    /// A number parameter's value in range (nil when not declared).
    public func number(_ p: Parameter, in window: GenerationWindow) -> Double? { value(p, in: window)?.number }

    /// A switch's value (off when not declared).
    public func isOn(_ p: Parameter, in window: GenerationWindow) -> Bool { value(p, in: window)?.isOn ?? false }

    /// A choice's option key or a text parameter's text (nil when not declared).
    public func text(_ p: Parameter, in window: GenerationWindow) -> String? { value(p, in: window)?.text }

    /// Every declared parameter at its default (seed excluded: it travels beside the values).
    public var defaults: ParameterValues {
        parameters.reduce(into: ParameterValues()) { if $1.parameter != .seed { $0[$1.parameter] = $1.defaultValue } }
    }
}

/// A generator whose sound representation round-trips: the clip's own audio through its
/// encoder, decoder and the renderer, the floor its takes start from (`foley generate
/// --reconstruct`). The same length as `audio`.
public protocol Reconstructing {
    /// The normalised mel [80, frames ≥ audio.count / 256] the round trip hands the renderer,
    /// so another renderer (the full-band vocoder) can be measured on the same floor.
    func reconstructedMel(_ audio: [Float]) -> Tensor
    /// The shared renderer the round trip ends in.
    var melRenderer: MelRenderer { get }
}

extension Reconstructing {
    /// The round trip through the generator's own renderer, trimmed or zero-padded to `audio`'s length.
    public func reconstruct(_ audio: [Float], draft: Bool = false, kind: MelRenderer.Kind? = nil) -> [Float] {
        let out = melRenderer(mel: reconstructedMel(audio), seed: 0, draft: draft, kind: kind)
        return out.count >= audio.count ? Array(out.prefix(audio.count)) : out + [Float](repeating: 0, count: audio.count - out.count)
    }
}

/// Builds a generator from its bundle; registered under the bundle's config "kind".
public typealias GeneratorFactory = @Sendable (ModelBundle) throws -> Generator
