import CAVUtil
import Foundation

/// The checked wrapper for the libav* call family: a negative return code becomes a
/// `MediaError.libav` carrying the file, the C function's name and av_strerror's text.
enum LibAV {
    /// libav logs to stderr by default, which would scribble over the terminal UI; errors
    /// reach the user through our own messages instead.
    /// FOLEY_AV_LOG=1 lets libav's own messages through (diagnosing a file).
    static let quietLogs: Void = {
        if getenv("FOLEY_AV_LOG") == nil { av_log_set_level(AV_LOG_QUIET) }
    }()

    @discardableResult
    static func check(_ rc: Int32, _ function: String, path: String) throws -> Int32 {
        if rc < 0 { throw MediaError.libav(path: path, function: function, code: rc, reason: errorString(rc)) }
        return rc
    }

    static func errorString(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        buffer.withUnsafeMutableBufferPointer { foley_av_strerror(code, $0.baseAddress, $0.count) }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    static let eof = foley_averror_eof()
    static let eagain = foley_averror_eagain()
    static let noPTS = foley_av_nopts_value()

    static func seconds(_ ts: Int64, _ tb: AVRational) -> Double {
        Double(ts) * Double(tb.num) / Double(tb.den)
    }
    static func timestamp(_ seconds: Double, _ tb: AVRational) -> Int64 {
        Int64((seconds * Double(tb.den) / Double(tb.num)).rounded(.down))
    }
    static func value(_ r: AVRational) -> Double { r.den == 0 ? 0 : Double(r.num) / Double(r.den) }
}
