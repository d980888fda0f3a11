/// Every failure the media layer reports. Each case names the file and what is wrong with it,
/// so a sound designer reading the message knows which clip to look at.
public enum MediaError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case notARegularFile(path: String)
    case emptyFile(path: String)
    /// A libav call failed; `function` is the C function, `reason` av_strerror's text.
    case libav(path: String, function: String, code: Int32, reason: String)
    case noVideoStream(path: String)
    case unsupportedCodec(path: String, codec: String)
    case truncated(path: String, decodedSeconds: Double, declaredSeconds: Double)
    case noFramesDecoded(path: String)
    case invalidWAV(path: String, reason: String)
    case unsupportedWAV(path: String, formatTag: Int, bitsPerSample: Int)
    case io(path: String, function: String, errno: Int32, reason: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .fileNotFound(let p): return "\(p): no such file"
        case .notARegularFile(let p): return "\(p): not a regular file (a directory, link, FIFO or device?): left untouched"
        case .emptyFile(let p): return "\(p): file is empty (0 bytes)"
        case .libav(let p, let f, let c, let r):
            return "\(p): cannot read media: \(r) (\(f) returned \(c))"
        case .noVideoStream(let p): return "\(p): has no video stream"
        case .unsupportedCodec(let p, let c): return "\(p): no decoder for codec '\(c)'"
        case .truncated(let p, let got, let want):
            return "\(p): file is truncated: decodable media ends at "
                + "\(String(format: "%.3f", got)) s, the container declares "
                + "\(String(format: "%.3f", want)) s"
        case .noFramesDecoded(let p): return "\(p): no video frame could be decoded (corrupt data?)"
        case .invalidWAV(let p, let r): return "\(p): not a valid WAV file: \(r)"
        case .unsupportedWAV(let p, let tag, let bits):
            return "\(p): unsupported WAV sample format: got [format tag \(tag), \(bits) bits], "
                + "expected [PCM 8/16/24/32-bit or IEEE float 32/64-bit]"
        case .io(let p, let f, let e, let r): return "\(p): \(r) (\(f), errno \(e))"
        case .invalidArgument(let m): return m
        }
    }
}
