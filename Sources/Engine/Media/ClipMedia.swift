import Foundation
import Generators
import Media
import Runtime

/// What the engine decodes from a clip once and keeps: the visual features generators read and
/// a small preview proxy (scrubbing reads the proxy, never the file, so it never waits on a GOP).
public struct ClipMedia: Sendable {
    /// Preview frames at the visual rate, `previewWidth` wide, the clip's aspect.
    public var preview: [RGBImage]
    public var previewRate: Double

    public static let previewWidth = 96

    /// The proxy never holds more than this many frames (≈ 93 MB at 96×54): clips up to about
    /// 4.6 minutes get one per visual frame, longer ones a lower rate, so memory is bounded
    /// whatever the reel's length.
    public static let maxPreviewFrames = 6000

    /// The proxy's rate for a clip of `duration` seconds.
    public static func previewRate(duration: Double) -> Double {
        duration > 0 ? min(VideoReader.featureRate, Double(maxPreviewFrames) / duration) : VideoReader.featureRate
    }

    /// Decodes the preview proxy, streaming (one chunk of full-size frames at a time).
    public static func preview(path: String, limit: Double? = nil) throws -> ClipMedia {
        let reader = try VideoReader(path: path)
        let aspect = reader.height > 0 ? Double(reader.height) / Double(reader.width) : 9.0 / 16.0
        let height = max(2, Int((Double(previewWidth) * aspect).rounded()) / 2 * 2)
        let rate = previewRate(duration: min(reader.duration, limit ?? reader.duration))
        return ClipMedia(preview: try reader.frames(rate: rate, shape: .exact(width: previewWidth, height: height), limit: limit), previewRate: rate)
    }

    public func frame(at seconds: Double) -> RGBImage? {
        guard !preview.isEmpty else { return nil }
        return preview[max(0, min(preview.count - 1, Int(seconds * previewRate)))]
    }

    /// Frames per chunk through the encoder's per-frame half: 256 × 48 KB of input tensor.
    public static let featureChunk = 256

    /// Visual features [T, D] for the whole clip, T = ceil(samples / 1024), computed in chunks
    /// so peak memory does not grow with the clip (the per-frame features kept are D floats a
    /// frame). `limit`: seconds to read (a truncated clip's decodable part, as its project
    /// records it). `progress` gets the fraction decoded; returning false cancels.
    public static func features(path: String, encoder: VisualEncoder, limit: Double? = nil, chunk: Int = featureChunk,
                                progress: (Double) -> Bool = { _ in true }) throws -> Tensor {
        let reader = try VideoReader(path: path)
        let total = reader.frameCount(rate: VideoReader.featureRate, limit: limit)
        var perFrame: [Float] = []
        perFrame.reserveCapacity(total * encoder.dim)
        var done = 0, cancelled = false
        try reader.forEachChunk(rate: VideoReader.featureRate, shape: .modelInput(VisualEncoder.frameSize, centreCrop: encoder.framing == .centreCrop), limit: limit, chunk: chunk) { frames in
            let f = encoder.perFrame(try VisualEncoder.tensor(frames: frames.map(\.pixels)))  // [n, D]
            f.read { perFrame += $0 }
            done += frames.count
            cancelled = !progress(0.9 * Double(done) / Double(max(total, 1)))
            return !cancelled
        }
        guard !cancelled else { throw GenerationCancelled() }
        guard done > 0 else { throw MediaError.noFramesDecoded(path: path) }
        return encoder.temporal(Tensor(shape: [done, encoder.dim], perFrame))
    }

    /// Frame pictures [T, 3, height, width] in 0…1 at `rate` (the `.frames` front end):
    /// centre-cropped when square, else scaled to the size. Streams in chunks; the result
    /// grows with the clip (12 KB a frame at 64×64).
    public static func frames(path: String, width: Int, height: Int, rate: Double, limit: Double? = nil,
                              progress: (Double) -> Bool = { _ in true }) throws -> Tensor {
        let reader = try VideoReader(path: path)
        let total = reader.frameCount(rate: rate, limit: limit), n = width * height
        var planes: [Float] = []
        planes.reserveCapacity(total * 3 * n)
        var done = 0, cancelled = false
        let shape: FrameShape = width == height ? .square(width) : .exact(width: width, height: height)
        try reader.forEachChunk(rate: rate, shape: shape, limit: limit, chunk: featureChunk) { frames in
            for f in frames {
                for c in 0..<3 { for i in 0..<n { planes.append(Float(f.pixels[3 * i + c]) / 255) } }
            }
            done += frames.count
            cancelled = !progress(Double(done) / Double(max(total, 1)))
            return !cancelled
        }
        guard !cancelled else { throw GenerationCancelled() }
        guard done > 0 else { throw MediaError.noFramesDecoded(path: path) }
        return Tensor(shape: [done, 3, height, width], planes)
    }

    /// One front end's input for the whole clip, computed from the file.
    public static func input(_ frontEnd: FrontEnd, path: String, encoder: VisualEncoder, limit: Double? = nil,
                             progress: (Double) -> Bool = { _ in true }) throws -> Tensor {
        switch frontEnd {
        case .sharedFeatures: return try features(path: path, encoder: encoder, limit: limit, progress: progress)
        case .frames(let w, let h, let rate): return try frames(path: path, width: w, height: h, rate: rate, limit: limit, progress: progress)
        }
    }

    /// The shape of a front end's rows (its tensor's shape after the first axis).
    public static func rowShape(_ frontEnd: FrontEnd, encoder: VisualEncoder) -> [Int] {
        switch frontEnd {
        case .sharedFeatures: return [encoder.dim]
        case .frames(let w, let h, _): return [3, h, w]
        }
    }
}
