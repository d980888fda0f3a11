import CAVCodec
import CAVFormat
import CAVUtil

/// Reads the video stream of any container libavformat opens.
///
/// Frames come back resampled by presentation time: output frame k is the source frame shown
/// at `startTime + k / rate` (the last frame whose timestamp is at or before that instant),
/// so variable-frame-rate sources line up with audio exactly.
public final class VideoReader {
    /// Visual feature rate shared by every generator: one feature per 4 mel frames.
    public static let featureRate = 22050.0 / 256.0 / 4.0

    public let path: String
    public let codec: String
    public let width: Int
    public let height: Int
    /// Nominal frame rate (average when the container knows it).
    public let frameRate: Double
    /// First presentation timestamp of the stream, seconds.
    public let startTime: Double
    /// Duration of the video stream in seconds as the container declares it.
    public let duration: Double

    let format: FormatContext
    let decoder: StreamDecoder
    let scaler = FrameScaler()
    /// Decode position kept between `frame(at:)` calls, so scrubbing forward continues
    /// decoding instead of seeking again.
    let cursor = SeekCursor()

    public init(path: String) throws {
        format = try FormatContext(path: path)
        guard let idx = format.bestStream(AVMEDIA_TYPE_VIDEO) else { throw MediaError.noVideoStream(path: path) }
        decoder = try StreamDecoder(format: format, streamIndex: idx)
        self.path = path
        let st = format.stream(idx)
        let par = st.pointee.codecpar.pointee
        codec = String(cString: avcodec_get_name(par.codec_id))
        width = Int(par.width)
        height = Int(par.height)
        frameRate = Self.nominalFrameRate(st)
        let start = st.pointee.start_time
        startTime = start == LibAV.noPTS ? 0 : LibAV.seconds(start, st.pointee.time_base)
        let d = st.pointee.duration
        duration = d != LibAV.noPTS && d > 0 ? LibAV.seconds(d, st.pointee.time_base) : max(0, format.duration - startTime)
    }

    static func nominalFrameRate(_ st: UnsafeMutablePointer<AVStream>) -> Double {
        let avg = LibAV.value(st.pointee.avg_frame_rate)
        return avg > 0 ? avg : LibAV.value(st.pointee.r_frame_rate)
    }

    /// Number of frames `frames(rate:)` returns: every k with k / rate < duration (or `limit`).
    public func frameCount(rate: Double, limit: Double? = nil) -> Int {
        max(1, Int((min(duration, limit ?? duration) * rate - 1e-9).rounded(.up)))
    }

    /// Where the video's packets end, in seconds from the stream's start, by reading the
    /// container without decoding (cheap even for long clips). Equals `duration` for a whole
    /// file; less for a truncated one.
    public func demuxableDuration() throws -> Double {
        try rewind()
        defer { try? rewind() }
        let packet = av_packet_alloc()
        defer { var p = packet; av_packet_free(&p) }
        let tb = format.stream(decoder.streamIndex).pointee.time_base
        var end = 0.0, frames = 0
        while av_read_frame(format.pointer, packet) >= 0 {
            defer { av_packet_unref(packet) }
            guard Int(packet!.pointee.stream_index) == decoder.streamIndex else { continue }
            frames += 1
            let ts = packet!.pointee.pts != LibAV.noPTS ? packet!.pointee.pts : packet!.pointee.dts
            guard ts != LibAV.noPTS else { continue }
            let length = packet!.pointee.duration > 0 ? LibAV.seconds(packet!.pointee.duration, tb) : 1 / max(frameRate, 1)
            end = max(end, LibAV.seconds(ts, tb) - startTime + length)
        }
        return frames == 0 ? 0 : min(end, duration)
    }

    /// Presentation times (seconds, as in the file) of every decodable frame, in order.
    public func presentationTimes() throws -> [Double] {
        try rewind()
        var times: [Double] = []
        while try decoder.next() {
            times.append(decoder.frameTime ?? (times.last.map { $0 + 1 / max(frameRate, 1) } ?? startTime))
        }
        return times
    }

    /// All frames resampled to `rate` and resized to `shape`, up to `limit` seconds when given
    /// (a truncated clip's decodable part). Throws `.truncated` when decodable video ends well
    /// before the declared duration (or `limit`). Memory grows with the clip: long clips go
    /// through `forEachChunk`.
    public func frames(rate: Double = VideoReader.featureRate, shape: FrameShape = .square(64), limit: Double? = nil) throws -> [RGBImage] {
        var out: [RGBImage] = []
        out.reserveCapacity(frameCount(rate: rate, limit: limit))
        try forEachChunk(rate: rate, shape: shape, limit: limit, chunk: 256) { out += $0; return true }
        return out
    }

    /// The frames of `frames(rate:shape:limit:)`, handed to `body` in order, at most `chunk` at a
    /// time, so peak memory is one chunk whatever the clip's length. `body` returns false to stop.
    public func forEachChunk(rate: Double, shape: FrameShape, limit: Double? = nil, chunk: Int,
                             _ body: ([RGBImage]) throws -> Bool) throws {
        guard rate > 0 else { throw MediaError.invalidArgument("frame rate must be positive, got \(rate)") }
        guard chunk > 0 else { throw MediaError.invalidArgument("chunk must be positive, got \(chunk)") }
        try rewind()
        let count = frameCount(rate: rate, limit: limit)
        let expected = min(duration, limit ?? duration)
        var emitted = 0, stopped = false
        var pending: [RGBImage] = []
        pending.reserveCapacity(chunk)
        func flush(all: Bool) throws {
            while !stopped, pending.count >= chunk || (all && !pending.isEmpty) {
                let n = min(chunk, pending.count)
                stopped = !(try body(Array(pending[..<n])))
                pending.removeFirst(n)
            }
        }
        // The most recent decoded frame is held by reference and converted only if some
        // output instant shows it, so a 60 fps source costs little more than a 20 fps one.
        var held = av_frame_alloc()
        defer { av_frame_free(&held) }
        var heldTime: Double? = nil
        func emitHeld(until limit: Double) throws {
            guard heldTime != nil, emitted < count, startTime + Double(emitted) / rate < limit - 1e-9 else { return }
            let image = try scaler.convert(held!, shape: shape, path: path)
            while emitted < count, startTime + Double(emitted) / rate < limit - 1e-9 {
                pending.append(image); emitted += 1
            }
            try flush(all: false)
        }
        while !stopped, emitted < count, try decoder.next() {
            let t = decoder.frameTime ?? ((heldTime ?? startTime) + 1 / max(frameRate, 1))
            try emitHeld(until: t)
            av_frame_unref(held)
            av_frame_move_ref(held, decoder.frame)
            heldTime = t
        }
        if stopped { return }
        guard let lastTime = heldTime else { throw MediaError.noFramesDecoded(path: path) }
        let decodedEnd = lastTime - startTime + 1 / max(frameRate, 1)
        if emitted < count, decodedEnd < expected - max(0.25, 2 / max(frameRate, 1)) {
            throw MediaError.truncated(path: path, decodedSeconds: max(0, decodedEnd), declaredSeconds: expected)
        }
        try emitHeld(until: .infinity)
        try flush(all: true)
    }

    func rewind() throws {
        cursor.reset()
        let rc = av_seek_frame(format.pointer, Int32(decoder.streamIndex), Int64.min + 1, AVSEEK_FLAG_BACKWARD)
        if rc < 0 {
            try LibAV.check(avformat_seek_file(format.pointer, -1, Int64.min, 0, 0, 0), "avformat_seek_file", path: path)
        }
        decoder.flush()
    }
}
