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

    /// Decodes the preview proxy. Clips longer than two minutes get a proxy at half the rate
    /// so memory stays bounded (96×54 RGB ≈ 15 KB a frame).
    public static func preview(path: String, limit: Double? = nil) throws -> ClipMedia {
        let reader = try VideoReader(path: path)
        let aspect = reader.height > 0 ? Double(reader.height) / Double(reader.width) : 9.0 / 16.0
        let height = max(2, Int((Double(previewWidth) * aspect).rounded()) / 2 * 2)
        let rate = reader.duration > 120 ? VideoReader.featureRate / 2 : VideoReader.featureRate
        return ClipMedia(preview: try reader.frames(rate: rate, shape: .exact(width: previewWidth, height: height), limit: limit), previewRate: rate)
    }

    public func frame(at seconds: Double) -> RGBImage? {
        guard !preview.isEmpty else { return nil }
        return preview[max(0, min(preview.count - 1, Int(seconds * previewRate)))]
    }

    /// Visual features [T, D] for the whole clip, T = ceil(samples / 1024).
    /// `limit`: seconds to read (a truncated clip's decodable part, as its project records it).
    public static func features(path: String, encoder: VisualEncoder, limit: Double? = nil, progress: (Double) -> Bool = { _ in true }) throws -> Tensor {
        let reader = try VideoReader(path: path)
        let frames = try reader.frames(rate: VideoReader.featureRate, shape: .square(VisualEncoder.frameSize), limit: limit)
        guard progress(0.5) else { throw GenerationCancelled() }
        guard !frames.isEmpty else { throw MediaError.noFramesDecoded(path: path) }
        return encoder(try VisualEncoder.tensor(frames: frames.map(\.pixels)))
    }
}
