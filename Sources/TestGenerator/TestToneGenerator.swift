import Foundation
import Generators
import Runtime

/// A deterministic generator for tests and benchmarks, not for sound design: a noise burst at
/// every visual change (feature jumps) over a quiet seeded drone. It declares every kind of
/// parameter (numbers, a choice, a switch, a prompt and a negative prompt) and reads each, so
/// the panel, take records, reproducibility, window chaining and inpainting can be exercised
/// end to end without trained weights. The workstation only registers it when
/// FOLEY_TEST_GENERATOR=1 (see `TestToneGenerator.factories`).
public final class TestToneGenerator: Generator, @unchecked Sendable {
    public static let kind = "test-tone"

    public let name: String
    public let weightsHash: String
    public let windowSamples: Int
    public let featureDim: Int
    /// Busy compute per step, to stand in for a model's cost in latency benchmarks.
    let workPerStep: Double
    /// Extra front end (config "frames"): pictures whose brightness sets the bursts' level,
    /// so the engine's per-generator inputs and their cache are exercised end to end.
    public let frontEnds: [FrontEnd]

    public let parameters: [ParameterSpec] = [
        .number(.steps, "Steps", range: 1...64, step: 1, default: 8, integer: true, help: "smoothing passes (stand-in for sampler steps)"),
        .number(.temperature, "Temperature", range: 0.1...2, step: 0.05, default: 1, help: "drone level and burst length"),
        .choice(TestToneGenerator.tone, "Tone", options: [.init("sine", "Sine"), .init("square", "Square"), .init("saw", "Saw")], default: "sine",
                help: "the drone's waveform"),
        .text(.prompt, "Prompt", help: "moves the drone's pitch (a test stand-in for text conditioning)"),
        .text(.negativePrompt, "Negative", help: "non-empty: the drone at half level"),
        .toggle(.draft, "Draft", help: "coarser samples (stand-in for a draft vocoder)"),
        .number(.seed, "Seed", range: 0...99_999, step: 1, default: 1, integer: true),
    ]

    static let tone: Parameter = "tone"

    public init(name: String = "test-tone", weightsHash: String = "0000000000000000", windowSamples: Int = 16384,
                featureDim: Int = 128, workPerStep: Double = 0, frames: FrontEnd? = nil) {
        self.frontEnds = [.sharedFeatures] + (frames.map { [$0] } ?? [])
        self.name = name
        self.weightsHash = weightsHash
        self.windowSamples = windowSamples
        self.featureDim = featureDim
        self.workPerStep = workPerStep
    }

    /// A bundle of kind "test-tone": config `window` (samples), `work_ms` (per step), and
    /// optionally `frames_width`, `frames_height`, `frames_rate` for a pictures front end.
    public convenience init(bundle: ModelBundle) throws {
        let window = bundle.has("window") ? try bundle.int("window", in: 1024...1 << 24) : 16384
        guard window % 1024 == 0 else {
            throw GeneratorError.badConfig(path: bundle.configPath, reason: "got [window \(window)], expected [a positive multiple of 1024]")
        }
        var frames: FrontEnd?
        if bundle.has("frames_width") {
            frames = .frames(width: try bundle.int("frames_width", in: 8...1024), height: try bundle.int("frames_height", in: 8...1024),
                             rate: try bundle.double("frames_rate", in: 0.5...60))
        }
        self.init(name: (bundle.path as NSString).lastPathComponent, weightsHash: bundle.weightsHash, windowSamples: window,
                  workPerStep: (bundle.has("work_ms") ? try bundle.double("work_ms", in: 0...60_000) : 0) / 1000, frames: frames)
    }

    /// Registered by the foley executable only when FOLEY_TEST_GENERATOR=1.
    public static var factories: [String: GeneratorFactory] {
        guard ProcessInfo.processInfo.environment["FOLEY_TEST_GENERATOR"] == "1" else { return [:] }
        return [kind: { try TestToneGenerator(bundle: $0) }]
    }

    public func generate(_ window: GenerationWindow, progress: (Double) -> Bool) throws -> [Float] {
        let n = window.samples
        let steps = Int(number(.steps, in: window) ?? 8)
        let temperature = Float(number(.temperature, in: window) ?? 1)
        let draft = isOn(.draft, in: window)
        var rng = SeededRNG(seed: window.seed)
        var out = [Float](repeating: 0, count: n)
        // Drone: seeded pitch moved by the prompt's bytes, level follows temperature, shape the tone.
        let promptShift = (text(.prompt, in: window) ?? "").utf8.reduce(0) { ($0 &* 31 &+ Int($1)) % 97 }
        let hz = Float(110 + 55 * Int(rng.next() % 4) + promptShift)
        let level = 0.03 * temperature * ((text(.negativePrompt, in: window) ?? "").isEmpty ? 1 : 0.5)
        let shape = text(Self.tone, in: window) ?? "sine"
        for i in 0..<n {
            let phase = hz * Float(i) / 22050
            let s: Float = switch shape {
            case "square": sinf(2 * .pi * phase) >= 0 ? 1 : -1
            case "saw": 2 * (phase - phase.rounded(.down)) - 1
            default: sinf(2 * .pi * phase)
            }
            out[i] = level * s
        }
        // Bursts where the picture changes most.
        let t = window.features.dim(0), d = window.features.dim(1)
        let motion: [Float] = window.features.read { f in
            (0..<t).map { r in r == 0 ? 0 : (0..<d).reduce(Float(0)) { $0 + abs(f[r * d + $1] - f[(r - 1) * d + $1]) } }
        }
        let mean = motion.reduce(0, +) / Float(max(1, t))
        // With a pictures front end, the bursts are as loud as the window's pictures are bright.
        var burst: Float = 0.4
        if let frames = frontEnds.last, frames != .sharedFeatures {
            guard let pictures = window.inputs[frames] else {
                throw GeneratorError.invalidInput("\(name): got no \(frames.key) input, expected the pictures it declares")
            }
            burst = 0.8 * pictures.read { $0.reduce(0, +) / Float(max(1, $0.count)) }
        }
        for (r, m) in motion.enumerated() where m > 1.5 * mean && m > 0 {
            let start = r * 1024
            for k in 0..<min(4096, max(0, n - start)) {
                out[start + k] += burst * rng.normal() * expf(-Float(k) / (600 * temperature))
            }
        }
        // Steps: each a smoothing pass (a stand-in for sampler iterations), cancellable.
        for s in 0..<steps {
            guard progress(Double(s) / Double(steps)) else { throw GenerationCancelled() }
            if workPerStep > 0 { busy(workPerStep) }
            var prev: Float = 0
            for i in 0..<n { prev += 0.7 * (out[i] - prev); out[i] = 0.5 * out[i] + 0.5 * prev }
        }
        // Draft: the same take, coarser (a stand-in for a smaller vocoder).
        if draft { for i in 0..<n { out[i] = (out[i] * 64).rounded() / 64 } }
        for i in 0..<n where window.known[i] { out[i] = window.context[i] }
        return out
    }

    private func busy(_ seconds: Double) {
        let end = Date().addingTimeInterval(seconds)
        var x: Float = 1
        while Date() < end { for _ in 0..<1000 { x = x * 1.000001 + 1e-7 } }
        if x.isNaN { print(x) }
    }
}
