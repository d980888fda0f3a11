import CAVFormat
import CAVUtil

/// A decoded frame held by reference (no pixel copy) with its presentation time.
final class HeldFrame {
    let frame: UnsafeMutablePointer<AVFrame>
    let time: Double
    init(moving source: UnsafeMutablePointer<AVFrame>, time: Double) {
        frame = av_frame_alloc()
        av_frame_move_ref(frame, source)
        self.time = time
    }
    deinit {
        var f: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&f)
    }
}

/// Where `frame(at:)` left the decoder: the frame shown at the last requested time, the
/// next decoded frame after it (nil at the end of the stream), and the last conversion.
final class SeekCursor {
    var current: HeldFrame?
    var upcoming: HeldFrame?
    var atEnd = false
    var converted: (time: Double, shape: FrameShape, image: RGBImage)?

    func reset() {
        current = nil
        upcoming = nil
        atEnd = false
        converted = nil
    }
}

extension VideoReader {
    /// How far ahead of the decode position a request may lie and still be reached by
    /// decoding forward rather than seeking (playback and arrow-key scrubbing).
    static let forwardDecodeWindow = 1.0

    /// The frame shown at `time` (seconds from the stream start), for scrubbing: the last
    /// frame whose presentation time is at or before it. Seeks to the keyframe before the
    /// time and decodes forward, never from the start of the file; a request a little ahead
    /// of the previous one just decodes on. Only the frame returned is converted.
    public func frame(at time: Double, shape: FrameShape = .square(64)) throws -> RGBImage {
        if case .square(let n) = shape, n <= 0 { throw MediaError.invalidArgument("frame size must be positive, got \(n)") }
        let target = startTime + min(max(0, time), max(0, duration))
        if let c = cursor.current, c.time <= target + 1e-6, target - c.time < Self.forwardDecodeWindow {
            try advance(to: target)
        } else {
            try seek(to: target)
        }
        guard let shown = cursor.current else { throw MediaError.noFramesDecoded(path: path) }
        if let c = cursor.converted, c.time == shown.time, c.shape == shape { return c.image }
        let image = try scaler.convert(shown.frame, shape: shape, path: path)
        cursor.converted = (shown.time, shape, image)
        return image
    }

    private func decodeNext() throws -> HeldFrame? {
        guard !cursor.atEnd, try decoder.next() else {
            cursor.atEnd = true
            return nil
        }
        let t = decoder.frameTime ?? ((cursor.upcoming ?? cursor.current)?.time ?? startTime) + 1 / max(frameRate, 1)
        return HeldFrame(moving: decoder.frame, time: t)
    }

    /// Moves current/upcoming forward until upcoming lies after the target.
    private func advance(to target: Double) throws {
        if cursor.upcoming == nil, !cursor.atEnd { cursor.upcoming = try decodeNext() }
        while let next = cursor.upcoming, next.time <= target + 1e-6 {
            cursor.current = next
            cursor.upcoming = try decodeNext()
        }
    }

    private func seek(to target: Double) throws {
        cursor.reset()
        let ts = LibAV.timestamp(target, decoder.timeBase)
        if av_seek_frame(format.pointer, Int32(decoder.streamIndex), ts, AVSEEK_FLAG_BACKWARD) < 0 {
            try rewind()
        } else {
            decoder.flush()
        }
        cursor.current = try decodeNext()
        if let first = cursor.current, first.time > target + 1e-3, target > startTime + 1e-3 {
            // The seek overshot (a container without a usable index): decode from the start.
            try rewind()
            cursor.current = try decodeNext()
        }
        try advance(to: target)
    }
}
