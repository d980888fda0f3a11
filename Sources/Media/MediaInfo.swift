import CAVCodec
import CAVFormat
import CAVUtil

/// What `foley info` reports about a media file: the container and each stream.
public struct MediaInfo: Sendable {
    public enum StreamKind: String, Sendable { case video, audio, subtitle, data, other }

    public struct Stream: Sendable {
        public var index: Int
        public var kind: StreamKind
        public var codec: String
        public var duration: Double?
        public var bitRate: Int
        // video
        public var width: Int = 0
        public var height: Int = 0
        public var frameRate: Double = 0
        public var frameCount: Int = 0
        // audio
        public var sampleRate: Int = 0
        public var channels: Int = 0
    }

    public var path: String
    public var container: String
    public var containerLongName: String
    public var duration: Double
    public var bitRate: Int
    public var streams: [Stream]
    /// Container metadata (creation_time, timecode, …) and the first video stream's.
    public var tags: [String: String] = [:]

    public var hasVideo: Bool { streams.contains { $0.kind == .video } }

    /// The decodable duration of a truncated file's video (its packets end well before the
    /// declared duration), or nil for a whole file. Reads the container without decoding.
    public func truncatedVideo() throws -> Double? {
        guard hasVideo else { return nil }
        let reader = try VideoReader(path: path)
        let end = try reader.demuxableDuration()
        return end < reader.duration - max(0.25, 2 / max(reader.frameRate, 1)) ? end : nil
    }

    /// For a truncated clip: shortens `duration` to its decodable part and returns the warning
    /// every command shows (nil for a whole file). A file with nothing decodable is refused.
    public mutating func useDecodablePart() throws -> String? {
        guard let decodable = try truncatedVideo() else { return nil }
        guard decodable > 0 else { throw MediaError.noFramesDecoded(path: path) }
        defer { duration = decodable }
        return Self.truncationWarning(path, decodable: decodable, declared: duration)
    }

    /// One warning wording for every command that meets a truncated clip.
    public static func truncationWarning(_ path: String, decodable: Double, declared: Double) -> String {
        String(format: "warning: %@ is truncated: its video decodes to %.3f s of the %.3f s its container declares; using the decodable part", path, decodable, declared)
    }

    /// Refuses what is not a video clip Foley can work on: no video stream, or no duration (a
    /// still image renamed .mp4 probes as a 0 s "video"). Every command that needs video asks this.
    public func requireClip() throws {
        guard hasVideo else { throw MediaError.noVideoStream(path: path) }
        guard duration.isFinite, duration > 0 else {
            throw MediaError.invalidArgument("\(path): got [a \(container) file of duration \(duration) s], expected [a video clip with a duration]")
        }
    }
    public var hasAudio: Bool { streams.contains { $0.kind == .audio } }

    public static func probe(path: String) throws -> MediaInfo {
        let fmt = try FormatContext(path: path)
        var streams: [Stream] = []
        for i in 0..<fmt.streamCount {
            let st = fmt.stream(i)
            let par = st.pointee.codecpar.pointee
            let kind: StreamKind
            switch par.codec_type {
            case AVMEDIA_TYPE_VIDEO: kind = .video
            case AVMEDIA_TYPE_AUDIO: kind = .audio
            case AVMEDIA_TYPE_SUBTITLE: kind = .subtitle
            case AVMEDIA_TYPE_DATA: kind = .data
            default: kind = .other
            }
            let d = st.pointee.duration
            var s = Stream(index: i, kind: kind, codec: String(cString: avcodec_get_name(par.codec_id)),
                           duration: d == LibAV.noPTS ? nil : LibAV.seconds(d, st.pointee.time_base),
                           bitRate: Int(par.bit_rate))
            if kind == .video {
                s.width = Int(par.width)
                s.height = Int(par.height)
                s.frameRate = VideoReader.nominalFrameRate(st)
                s.frameCount = Int(st.pointee.nb_frames)
            } else if kind == .audio {
                s.sampleRate = Int(par.sample_rate)
                s.channels = Int(par.ch_layout.nb_channels)
            }
            streams.append(s)
        }
        var tags = dictionary(fmt.pointer.pointee.metadata)
        if let v = fmt.bestStream(AVMEDIA_TYPE_VIDEO) {
            tags.merge(dictionary(fmt.stream(v).pointee.metadata)) { container, _ in container }
        }
        return MediaInfo(path: path, container: fmt.formatName, containerLongName: fmt.formatLongName,
                         duration: fmt.duration, bitRate: Int(fmt.pointer.pointee.bit_rate), streams: streams, tags: tags)
    }

    private static func dictionary(_ d: OpaquePointer?) -> [String: String] {
        var out: [String: String] = [:]
        var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
        while let e = av_dict_get(d, "", entry, AV_DICT_IGNORE_SUFFIX) {
            out[String(cString: e.pointee.key)] = String(cString: e.pointee.value)
            entry = e
        }
        return out
    }

    /// Seconds since midnight of the clip's first frame: from a "HH:MM:SS:FF" timecode tag,
    /// else the time of day of creation_time (UTC), else nil.
    public var startOfDay: Double? {
        if let tc = tags["timecode"] {
            let parts = tc.split(whereSeparator: { ":;.".contains($0) }).compactMap { Double($0) }
            if parts.count == 4 {
                let fps = streams.first { $0.kind == .video }?.frameRate ?? 25
                return parts[0] * 3600 + parts[1] * 60 + parts[2] + parts[3] / max(1, fps.rounded())
            }
        }
        if let ct = tags["creation_time"], ct.count >= 19 {
            let time = ct.dropFirst(11).prefix(8).split(separator: ":").compactMap { Double($0) }
            if time.count == 3 { return time[0] * 3600 + time[1] * 60 + time[2] }
        }
        return nil
    }
}
