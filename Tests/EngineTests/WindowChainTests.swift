import Engine
import Foundation
import Generators
import Runtime
import Testing

/// A generator defined here to check chaining exactly: each window is filled with a constant
/// (1, 2, 3, … per call), known samples included; it records what it was given.
final class CountingGenerator: Generator, @unchecked Sendable {
    let name = "counting"
    let weightsHash = "0"
    let parameters: [ParameterSpec] = []
    let windowSamples: Int
    let featureDim = 4
    private(set) var windows: [GenerationWindow] = []

    init(window: Int) { windowSamples = window }

    func generate(_ window: GenerationWindow, progress: (Double) -> Bool) throws -> [Float] {
        windows.append(window)
        let value = Float(windows.count)
        return [Float](repeating: value, count: window.samples)
    }
}

@Suite struct WindowChainTests {
    static func features(_ frames: Int) -> Tensor {
        Tensor(overwriting: [frames, 4]) { for i in $0.indices { $0[i] = Float(i % 7) } }
    }

    @Test func windowsStartOnTheVisualGridAndCoverTheRegion() {
        let chain = WindowChain(window: 16384, overlap: 2048)
        let starts = chain.starts(covering: 0..<100_000)
        #expect(starts.first == 0)
        #expect(starts.allSatisfy { $0 % 1024 == 0 })
        #expect(starts.last! + 16384 >= 100_000)
        for (a, b) in zip(starts, starts.dropFirst()) { #expect(b - a == 16384 - 2048) }
        // An inpaint in the middle starts up to half a window before the span.
        #expect(chain.starts(covering: 50_000..<52_000) == [(50_000 - 8192) / 1024 * 1024])
    }

    @Test func eachWindowIsConditionedOnTheAudioFixedToItsLeft() throws {
        let total = 50_000
        let g = CountingGenerator(window: 16384)
        let chain = WindowChain(window: 16384, overlap: 2048)
        let out = try chain.render(generator: g, features: Self.features(49), audio: [Float](repeating: 0, count: total),
                                   known: [Bool](repeating: false, count: total), parameters: [:], seed: 3)
        #expect(g.windows.count == chain.starts(covering: 0..<total).count)
        #expect(!g.windows[0].hasContext)
        for w in g.windows.dropFirst() {
            // The overlap at the start of every later window is known, the rest is not.
            #expect(w.known.prefix(2048).allSatisfy { $0 })
            #expect(!w.known[2048])
        }
        // Outside overlaps a window's own output; inside, a crossfade from the previous
        // window's output to the next one's.
        #expect(out[100] == 1)
        #expect(out[16384 + 100] == 2)
        let fade = Array(out[14336..<16384])
        #expect(fade.allSatisfy { $0 >= 1 && $0 <= 2 })
        #expect(fade.first! < 1.1 && fade.last! > 1.9)
        #expect(out.allSatisfy { $0 != 0 })
        // Every window got its own reproducible seed and a [frames, D] slice of features.
        #expect(Set(g.windows.map(\.seed)).count == g.windows.count)
        #expect(g.windows.allSatisfy { $0.features.shape == [16, 4] })
    }

    @Test func inpaintingChangesOnlyTheSpanAndFadesItsEdges() throws {
        var rng = SeededRNG(seed: 9)
        let original = (0..<60_000).map { _ in rng.uniform() - 0.5 }
        let g = CountingGenerator(window: 16384)
        let chain = WindowChain(window: 16384, overlap: 2048)
        let span = 20_000..<45_000
        let out = try chain.inpaint(generator: g, features: Self.features(59), original: original, span: span, parameters: [:], seed: 1)
        for i in 0..<60_000 where !span.contains(i) { #expect(out[i] == original[i]) }
        #expect(out.indices.filter { span.contains($0) && out[$0] != original[$0] }.count > span.count - 10)
        // The first window was primed with the audio before the span.
        #expect(g.windows[0].known.prefix(20_000 - (20_000 - 8192) / 1024 * 1024).allSatisfy { $0 })
        // Edges: 20 ms linear crossfades from the original into the new audio. The span's start
        // lies in the first window, which the counting generator fills with 1; its end in the
        // last window generated.
        let a = span.lowerBound, b = span.upperBound - 1, fade = WindowChain.edgeFade
        #expect(abs(out[a] - original[a]) < abs(out[a + WindowChain.edgeFade] - original[a]) + 1e-6)
        #expect(abs(out[a + 1] - out[a]) < 0.5 + 1)
        let last = Float(g.windows.count)
        for k in [0, 100, fade - 1] {
            let w = Float(k + 1) / Float(fade + 1)
            #expect(abs(out[a + k] - ((1 - w) * original[a + k] + w * 1)) < 1e-6, "fade in at +\(k)")
            #expect(abs(out[b - k] - ((1 - w) * original[b - k] + w * last)) < 1e-6, "fade out at −\(k)")
        }
        #expect(out[a + fade] == 1)
    }

    @Test func eachWindowSaysHowMuchOfItWillBeUsed() throws {
        // A clip ending mid-window, and an inpaint ending mid-window: generators may skip the rest.
        let g = CountingGenerator(window: 16384)
        let chain = WindowChain(window: 16384, overlap: 2048)
        _ = try chain.render(generator: g, features: Self.features(30), audio: [Float](repeating: 0, count: 30_000),
                             known: [Bool](repeating: false, count: 30_000), parameters: [:], seed: 1)
        let starts = chain.starts(covering: 0..<30_000)
        #expect(g.windows.map(\.needed) == starts.map { min(16384, 30_000 - $0) })
        let h = CountingGenerator(window: 16384)
        _ = try chain.inpaint(generator: h, features: Self.features(59), original: [Float](repeating: 0.1, count: 60_000),
                              span: 20_000..<25_000, parameters: [:], seed: 1)
        let start = chain.starts(covering: 20_000..<25_000)[0]
        #expect(h.windows.count == 1 && h.windows[0].needed == 25_000 - start)
    }

    @Test func theSameSeedReproducesAndAnotherDiffers() throws {
        final class Noise: Generator, @unchecked Sendable {
            let name = "noise", weightsHash = "0", parameters: [ParameterSpec] = [], windowSamples = 8192, featureDim = 4
            func generate(_ w: GenerationWindow, progress: (Double) -> Bool) throws -> [Float] {
                var rng = SeededRNG(seed: w.seed)
                return (0..<w.samples).map { w.known[$0] ? w.context[$0] : rng.normal() }
            }
        }
        let chain = WindowChain(window: 8192)
        func run(_ seed: UInt64) throws -> [Float] {
            try chain.render(generator: Noise(), features: Self.features(30), audio: [Float](repeating: 0, count: 30_000),
                             known: [Bool](repeating: false, count: 30_000), parameters: [:], seed: seed)
        }
        #expect(try run(5) == run(5))
        #expect(try run(5) != run(6))
    }

    @Test func cancellingStopsBetweenWindows() {
        let g = CountingGenerator(window: 8192)
        let chain = WindowChain(window: 8192)
        #expect(throws: GenerationCancelled.self) {
            try chain.render(generator: g, features: Self.features(40), audio: [Float](repeating: 0, count: 40_000),
                             known: [Bool](repeating: false, count: 40_000), parameters: [:], seed: 1) { $0 < 0.3 }
        }
        #expect(g.windows.count < chain.starts(covering: 0..<40_000).count)
    }
}
