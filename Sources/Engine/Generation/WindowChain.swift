import DSP
import Generators
import Runtime

/// Generates audio longer than a model window, window by window. Each window is conditioned
/// on everything already fixed to its left (and, for inpainting, on the audio around the
/// span); consecutive windows overlap and are crossfaded there. Only samples that were not
/// known are ever written, so audio outside an inpainted span stays bit-identical.
public struct WindowChain: Sendable {
    /// Samples per visual frame: 4 mel frames of 256 samples. Windows start on this grid so
    /// features and audio stay aligned.
    public static let frameSamples = 1024
    /// Crossfade at the edges of an inpainted span: 20 ms, or a quarter of a short span.
    public static let edgeFade = 441

    public let window: Int
    public let overlap: Int

    public init(window: Int, overlap: Int? = nil) {
        precondition(window % Self.frameSamples == 0 && window > 0, "window must be a positive multiple of 1024 samples")
        self.window = window
        let o = overlap ?? (window / 8 / Self.frameSamples) * Self.frameSamples
        self.overlap = min(max(o, 0), window - Self.frameSamples)
    }

    /// Window starts covering the unknown region `region` of a clip. The first window begins
    /// up to half a window before it, so an autoregressive model is primed on what precedes.
    public func starts(covering region: Range<Int>) -> [Int] {
        guard !region.isEmpty else { return [] }
        let lead = min(region.lowerBound, window / 2)
        var s = ((region.lowerBound - lead) / Self.frameSamples) * Self.frameSamples
        var out = [s]
        while s + window < region.upperBound {
            s += window - overlap
            out.append(s)
        }
        return out
    }

    /// Fills the samples of `audio` that `known` marks unknown, by running `generator` on
    /// successive windows. `features` are [T, D] for the whole clip (T ≥ samples / 1024, padded
    /// by repeating the last row where a window runs past the end). `progress` gets the overall
    /// fraction and returns false to cancel. `audio` is consumed (it becomes the result, so a
    /// long clip's samples are held once, not twice).
    public func render(generator: Generator, features: Tensor, inputs: [FrontEnd: Tensor] = [:], audio: consuming [Float], known: [Bool],
                       parameters: ParameterValues, seed: UInt64,
                       progress: (Double) -> Bool = { _ in true }, status: (@Sendable (String) -> Void)? = nil) throws -> [Float] {
        precondition(audio.count == known.count)
        let total = audio.count
        guard let first = known.firstIndex(of: false), let last = known.lastIndex(of: false) else { return audio }
        let starts = starts(covering: first..<(last + 1))
        var result = consume audio
        // A sample is fixed when known or already generated: windows run left to right and each
        // writes every unknown sample it covers, so "generated" is "before generatedEnd".
        var generatedEnd = 0                   // end of the previous window's output
        for (index, start) in starts.enumerated() {
            let end = min(start + window, total)
            var context = [Float](repeating: 0, count: window)
            var mask = [Bool](repeating: false, count: window)
            for i in start..<end where known[i] || i < generatedEnd {
                context[i - start] = result[i]
                mask[i - start] = true
            }
            var request = GenerationWindow(features: FrontEnd.slice(features, rows: FrontEnd.sharedFeatures.rows(start: start, samples: window)),
                                           context: context, known: mask, parameters: parameters,
                                           seed: Self.windowSeed(seed, index))
            request.inputs = inputs.reduce(into: [:]) { $0[$1.key] = FrontEnd.slice($1.value, rows: $1.key.rows(start: start, samples: window)) }
            request.needed = ((start..<end).last(where: { !known[$0] }) ?? start) - start + 1
            if let status {
                let prefix = starts.count == 1 ? "" : "window \(index + 1)/\(starts.count), "
                request.status = { @Sendable text in status(prefix + text) }
            }
            let base = Double(index) / Double(starts.count), share = 1 / Double(starts.count)
            let out = try generator.generate(request) { progress(base + share * $0) }
            guard out.count == window else {
                throw GeneratorError.invalidInput("\(generator.name): got [\(out.count) samples], expected [\(window)] for one window")
            }
            // Overlap with the previous window: a linear crossfade from its output to this one
            // (both continue the same audio, so they are correlated: equal power would swell).
            let fadeEnd = min(generatedEnd, end)
            for i in start..<end where !known[i] {
                if i < fadeEnd && index > 0 {
                    let w = Double(i - start + 1) / Double(fadeEnd - start + 1)
                    result[i] = Float(1 - w) * result[i] + Float(w) * out[i - start]
                } else {
                    result[i] = out[i - start]
                }
            }
            generatedEnd = end
            guard progress(Double(index + 1) / Double(starts.count)) else { throw GenerationCancelled() }
        }
        return result
    }

    /// Replaces `span` of `original` with a fresh generation, crossfading inside the span's
    /// edges so no click or level jump is heard; samples outside the span are untouched.
    public func inpaint(generator: Generator, features: Tensor, inputs: [FrontEnd: Tensor] = [:], original: [Float], span: Range<Int>,
                        parameters: ParameterValues, seed: UInt64,
                        progress: (Double) -> Bool = { _ in true }, status: (@Sendable (String) -> Void)? = nil) throws -> [Float] {
        // Clamped at both ends: a span past the take (a stale selection, a shorter take) is empty.
        let lower = max(0, min(original.count, span.lowerBound))
        let span = lower..<max(lower, min(original.count, span.upperBound))
        guard !span.isEmpty else { return original }
        var known = [Bool](repeating: true, count: original.count)
        var hole = original
        for i in span { known[i] = false; hole[i] = 0 }
        var out = try render(generator: generator, features: features, inputs: inputs, audio: consume hole, known: known,
                             parameters: parameters, seed: seed, progress: progress, status: status)
        let fade = min(Self.edgeFade, span.count / 4)
        for k in 0..<fade {
            let w = Float(k + 1) / Float(fade + 1)
            let a = span.lowerBound + k, b = span.upperBound - 1 - k
            out[a] = (1 - w) * original[a] + w * out[a]
            out[b] = (1 - w) * original[b] + w * out[b]
        }
        return out
    }

    /// An inpainted working-rate take carried back into its file's rate: the span, with a
    /// second of context each side (the renderers' reach and filters settle well inside it),
    /// rendered at `rate` by `render`, then crossfaded over 20 ms inside each edge into
    /// `original`, the file before the inpaint. Outside the span `original` is kept bit for bit.
    public static func splice(working audio: [Float], span: Range<Int>, into original: [Float], rate: Int,
                              render: ([Float]) throws -> [Float]) rethrows -> [Float] {
        let lower = max(0, min(audio.count, span.lowerBound)), upper = max(lower, min(audio.count, span.upperBound))
        guard upper > lower else { return original }
        let working = AudioGeometry.sampleRate
        func at(_ i: Int) -> Int { Int((Double(i) * Double(rate) / Double(working)).rounded()) }
        let from = max(0, lower - working), to = min(audio.count, upper + working)
        let part = try render(Array(audio[from..<to]))
        var out = original
        let a = at(lower), b = min(at(upper), at(from) + part.count)
        if out.count < b { out += [Float](repeating: 0, count: b - out.count) }
        let fade = min(Self.edgeFade * rate / working, (b - a) / 4)
        for i in a..<max(a, b) {
            let k = min(i - a, b - 1 - i)                                 // distance from the nearer edge
            let w = k < fade ? Float(k + 1) / Float(fade + 1) : 1
            out[i] = (1 - w) * out[i] + w * part[i - at(from)]
        }
        return out
    }

    /// A distinct, reproducible seed per window (SplitMix64 step).
    static func windowSeed(_ seed: UInt64, _ index: Int) -> UInt64 {
        var z = seed &+ UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
