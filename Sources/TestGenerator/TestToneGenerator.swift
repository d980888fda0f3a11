import Foundation
import Generators
import Runtime

/// A deterministic generator for tests and benchmarks, not for sound design: a noise burst at
/// every visual change (feature jumps) over a quiet seeded drone. It reads steps, temperature,
/// draft and seed, so sliders, reproducibility, window chaining and inpainting can be exercised end
/// to end without trained weights. The workstation only registers it when
/// FOLEY_TEST_GENERATOR=1 (see `TestToneGenerator.factories`).
public final class TestToneGenerator: Generator, @unchecked Sendable {
    public static let kind = "test-tone"

    public let name: String
    public let weightsHash: String
    public let windowSamples: Int
    public let featureDim: Int
    /// Busy compute per step, to stand in for a model's cost in latency benchmarks.
    let workPerStep: Double

    public let parameters: [ParameterSpec] = [
        ParameterSpec(.steps, range: 1...64, step: 1, default: 8, integer: true),
        ParameterSpec(.temperature, range: 0.1...2, step: 0.05, default: 1),
        ParameterSpec(.draft, range: 0...1, step: 1, default: 0, integer: true),
        ParameterSpec(.seed, range: 0...99_999, step: 1, default: 1, integer: true),
    ]

    public init(name: String = "test-tone", weightsHash: String = "0000000000000000", windowSamples: Int = 16384,
                featureDim: Int = 128, workPerStep: Double = 0) {
        self.name = name
        self.weightsHash = weightsHash
        self.windowSamples = windowSamples
        self.featureDim = featureDim
        self.workPerStep = workPerStep
    }

    /// A bundle of kind "test-tone": config `window` (samples), `work_ms` (per step).
    public convenience init(bundle: ModelBundle) throws {
        let window = bundle.has("window") ? try bundle.int("window", in: 1024...1 << 24) : 16384
        guard window % 1024 == 0 else {
            throw GeneratorError.badConfig(path: bundle.configPath, reason: "got [window \(window)], expected [a positive multiple of 1024]")
        }
        self.init(name: (bundle.path as NSString).lastPathComponent, weightsHash: bundle.weightsHash, windowSamples: window,
                  workPerStep: (bundle.has("work_ms") ? try bundle.double("work_ms", in: 0...60_000) : 0) / 1000)
    }

    /// Registered by the foley executable only when FOLEY_TEST_GENERATOR=1.
    public static var factories: [String: GeneratorFactory] {
        guard ProcessInfo.processInfo.environment["FOLEY_TEST_GENERATOR"] == "1" else { return [:] }
        return [kind: { try TestToneGenerator(bundle: $0) }]
    }

    public func generate(_ window: GenerationWindow, progress: (Double) -> Bool) throws -> [Float] {
        let n = window.samples
        let steps = Int(bounded(.steps, in: window) ?? 8)
        let temperature = Float(bounded(.temperature, in: window) ?? 1)
        let draft = Parameter.isOn(window.parameters[.draft])
        var rng = SeededRNG(seed: window.seed)
        var out = [Float](repeating: 0, count: n)
        // Drone: seeded pitch, level follows temperature.
        let hz = Float(110 + 55 * Int(rng.next() % 4))
        for i in 0..<n { out[i] = 0.03 * temperature * sinf(2 * .pi * hz * Float(i) / 22050) }
        // Bursts where the picture changes most.
        let t = window.features.dim(0), d = window.features.dim(1)
        let motion: [Float] = window.features.read { f in
            (0..<t).map { r in r == 0 ? 0 : (0..<d).reduce(Float(0)) { $0 + abs(f[r * d + $1] - f[(r - 1) * d + $1]) } }
        }
        let mean = motion.reduce(0, +) / Float(max(1, t))
        for (r, m) in motion.enumerated() where m > 1.5 * mean && m > 0 {
            let start = r * 1024
            for k in 0..<min(4096, max(0, n - start)) {
                out[start + k] += 0.4 * rng.normal() * expf(-Float(k) / (600 * temperature))
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
