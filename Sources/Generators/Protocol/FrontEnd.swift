import Foundation
import Runtime

/// A visual input a generator reads, computed from a clip by the engine (on the compute
/// thread) and cached per (clip, front end, weights hash), in memory and in the project's
/// cache folder. Every input is a [T, …] tensor of rows at `rate` per second from the clip's
/// start; a window gets the rows that cover it.
public enum FrontEnd: Hashable, Sendable, CustomStringConvertible {
    /// The shared visual encoder's features: [T, D], one row per 1024 samples (21.53 fps).
    case sharedFeatures
    /// Frame pictures: [T, 3, height, width] RGB planes in 0…1, `rate` frames per second
    /// (the clip's picture resampled in time and squashed to the size, as an image encoder
    /// takes it).
    case frames(width: Int, height: Int, rate: Double)

    /// Rows per second of clip.
    public var rate: Double {
        switch self {
        case .sharedFeatures: return 22050.0 / 1024
        case .frames(_, _, let rate): return rate
        }
    }

    /// Stable name for cache files and listings.
    public var key: String {
        switch self {
        case .sharedFeatures: return "visual-encoder"
        case .frames(let w, let h, let r): return "frames-\(w)x\(h)-" + String(format: "%.2ffps", r)
        }
    }

    public var description: String {
        switch self {
        case .sharedFeatures: return "the shared visual encoder's features (one per 1024 samples)"
        case .frames(let w, let h, let r): return "\(w)×\(h) RGB frames at " + String(format: "%g", r) + " fps"
        }
    }

    /// What a bundle config or a listing may declare: sizes a generator could really use.
    public var problem: String? {
        guard case .frames(let w, let h, let r) = self else { return nil }
        guard (8...1024).contains(w), (8...1024).contains(h), r.isFinite, r > 0, r <= 60 else {
            return "got [frames \(w)×\(h) at \(r) fps], expected [8…1024 px a side, 0 < rate ≤ 60 fps]"
        }
        return nil
    }

    /// Rows [first, first + count) covering `samples` samples from sample `start` at 22 050 Hz.
    public func rows(start: Int, samples: Int) -> Range<Int> {
        let first = Int((Double(start) / 22050 * rate).rounded(.down))
        let count = max(1, Int((Double(samples) / 22050 * rate).rounded(.up)))
        return first..<(first + count)
    }

    /// Rows `range` of a clip-long input [T, …], repeating the last row past the end (a window
    /// may run past the clip) and zeros for an empty input.
    public static func slice(_ input: Tensor, rows range: Range<Int>) -> Tensor {
        let t = input.dim(0), row = t == 0 ? input.shape.dropFirst().reduce(1, *) : input.count / t
        return Tensor(overwriting: [range.count] + Array(input.shape.dropFirst())) { out in
            input.read { src in
                for (r, i) in range.enumerated() {
                    let s = max(0, min(t - 1, i))
                    for c in 0..<row { out[r * row + c] = t == 0 ? 0 : src[s * row + c] }
                }
            }
        }
    }
}
