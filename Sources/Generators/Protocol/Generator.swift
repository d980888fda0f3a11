import Runtime

/// The user parameters a generator may read. The UI shows a slider for each; the ones a
/// generator does not use are shown as inactive.
public enum Parameter: String, CaseIterable, Sendable, Codable {
    case cfgScale = "cfg_scale"
    case steps
    case topX = "top_x"
    case temperature
    /// Takes sampled per window, the best-synced one kept (generators that rank candidates).
    case candidates
    /// 1: render with the bundle's smaller vocoder, for fast auditioning. The tokens do not
    /// depend on it, so the same seed with Draft off gives the same take at full quality.
    case draft
    case seed

    public var label: String {
        switch self {
        case .cfgScale: return "CFG scale"
        case .steps: return "Steps"
        case .topX: return "Top-X"
        case .temperature: return "Temperature"
        case .candidates: return "Candidates"
        case .draft: return "Draft"
        case .seed: return "Seed"
        }
    }
}

extension Parameter {
    /// An on/off parameter's value (Draft) as a switch; absent is off.
    public static func isOn(_ value: Double?) -> Bool { (value ?? 0) >= 0.5 }
}

/// How one parameter of one generator may be set. `step` is the slider's fine increment;
/// coarse adjustment moves ten steps.
public struct ParameterSpec: Sendable, Equatable {
    public var parameter: Parameter
    public var range: ClosedRange<Double>
    public var step: Double
    public var defaultValue: Double
    public var integer: Bool

    public init(_ parameter: Parameter, range: ClosedRange<Double>, step: Double, default value: Double, integer: Bool = false) {
        self.parameter = parameter
        self.range = range
        self.step = step
        self.defaultValue = value
        self.integer = integer
    }

    public func clamp(_ value: Double) -> Double {
        let v = min(range.upperBound, max(range.lowerBound, value))
        return integer ? v.rounded() : (v / step).rounded() * step
    }
}

/// One model window to generate: visual features for the window and the audio already fixed
/// in it. `known[i]` says sample i of `context` is fixed (to the left of a continuation, or
/// outside an inpainted span); a generator conditions on those samples and fills the rest.
public struct GenerationWindow: Sendable {
    /// [T, D] visual features at the visual rate (one per 1024 samples), T = samples / 1024.
    public var features: Tensor
    /// Mono audio at 22 050 Hz, `samples` long; zeros where unknown.
    public var context: [Float]
    public var known: [Bool]
    public var parameters: [Parameter: Double]
    public var seed: UInt64
    /// How many samples from the window's start will be used (the last window of a clip, or
    /// one that ends inside an inpainted span, needs less than a whole window). A generator may
    /// skip work past it; it still returns `samples` samples.
    public var needed: Int

    public init(features: Tensor, context: [Float], known: [Bool], parameters: [Parameter: Double], seed: UInt64) {
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
    /// Generates the window. `progress(fraction)` returns false when the job was cancelled;
    /// the generator then throws `GenerationCancelled` at its next step.
    func generate(_ window: GenerationWindow, progress: (Double) -> Bool) throws -> [Float]
}

extension Generator {
    public func spec(_ p: Parameter) -> ParameterSpec? { parameters.first { $0.parameter == p } }

    /// The window's value of `p` inside its slider's range (nil when absent). Values also come
    /// from a take's record in the project file (a draft rendered again at full quality), so
    /// they are bounded before any conversion to an integer can trap on them.
    public func bounded(_ p: Parameter, in window: GenerationWindow) -> Double? {
        guard let v = window.parameters[p] else { return nil }
        guard let range = spec(p)?.range else { return v }
        return v.isNaN ? range.lowerBound : min(range.upperBound, max(range.lowerBound, v))
    }
}

/// Builds a generator from its bundle; registered under the bundle's config "kind".
public typealias GeneratorFactory = @Sendable (ModelBundle) throws -> Generator
