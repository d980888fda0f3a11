#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes whole files atomically: a temporary file in the same folder, fsync, rename over the
/// target, fsync of the folder. A reader (or a crash) sees the old file or the new one, never
/// a mix. Every POSIX call is checked and reported with the path and the function's name.
/// Only a regular file (or nothing) is ever replaced: a symbolic link, FIFO, device or folder
/// at the target is refused, so `-o /dev/full` or a linked project.json is never swapped for a
/// new regular file.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { emit in try bytes.withUnsafeBytes { try emit($0) } }
    }

    /// Streams a file atomically: `produce` hands its bytes to `emit` in pieces (a long take's
    /// WAV is written without a second copy of it in memory).
    public static func write(to path: String, _ produce: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        var st = stat()
        if lstat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG { throw MediaError.notARegularFile(path: path) }
        let dir = (path as NSString).deletingLastPathComponent
        let folder = dir.isEmpty ? "." : dir
        let name = (path as NSString).lastPathComponent
        var template = Array("\(folder)/.\(name).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        let tmp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        guard fd >= 0 else { throw posixError(path, "mkstemp") }
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        do {
            defer { close(fd) }
            try produce { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw posixError(tmp, "write")
                    }
                    offset += n
                }
            }
            guard fchmod(fd, 0o644) == 0 else { throw posixError(tmp, "fchmod") }
            guard fsync(fd) == 0 else { throw posixError(tmp, "fsync") }
        }
        guard rename(tmp, path) == 0 else { throw posixError(path, "rename") }
        ok = true
        let dfd = open(folder, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    static func posixError(_ path: String, _ function: String) -> MediaError {
        let e = errno
        return .io(path: path, function: function, errno: e, reason: String(cString: strerror(e)))
    }
}
