import Foundation

/// Media clips made at test time with the ffmpeg CLI (lavfi test sources), cached per process
/// so parallel tests share them. The application itself never runs ffmpeg.
public enum MediaFixtures {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: [String: String] = [:]
    private static let directory: String = {
        let d = NSTemporaryDirectory() + "foley-fixtures-\(getpid())"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    /// Path of a clip named `name`, made once by `ffmpeg -y <arguments> <path>`.
    public static func clip(_ name: String, _ arguments: [String]) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let p = made[name] { return p }
        let path = "\(directory)/\(name)"
        try Subprocess.check("ffmpeg", ["-v", "error", "-nostdin", "-y"] + arguments + [path])
        made[name] = path
        return path
    }

    /// A clip whose frame N has luma 16 + 4·N (N < 55), so a decoded frame tells its index.
    public static func countingClip(fps: Int = 25, seconds: Int = 2, codec: [String] = ["-c:v", "libx264", "-g", "12", "-pix_fmt", "yuv420p"], container: String = "mp4") throws -> String {
        try clip("counting-\(fps)-\(seconds)-\(codec.joined(separator: "_")).\(container)", [
            "-f", "lavfi", "-i", "nullsrc=s=64x48:r=\(fps):d=\(seconds),geq=lum='16+N*4':cb=128:cr=128",
        ] + codec)
    }

    /// Bytes of a file (for corrupting copies).
    public static func bytes(_ path: String) throws -> [UInt8] {
        guard let d = FileManager.default.contents(atPath: path) else { throw TestHelperError.fixture("cannot read \(path)") }
        return [UInt8](d)
    }
}

/// ffprobe as the reference the decoder is checked against.
public enum FFprobe {
    /// Presentation times of every video frame, as ffprobe reports them.
    public static func videoFrameTimes(_ path: String) throws -> [Double] {
        let out = try Subprocess.check("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                   "frame=best_effort_timestamp_time", "-of", "csv=p=0", path])
        return out.split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ","))) }
    }

    /// `-show_format -show_streams` as JSON.
    public static func json(_ path: String) throws -> [String: Any] {
        let out = try Subprocess.check("ffprobe", ["-v", "error", "-show_format", "-show_streams", "-of", "json", path])
        return (try JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any] ?? [:]
    }
}
