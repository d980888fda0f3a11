#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks done before a path is handed to a C library, so that the common mistakes (typo,
/// directory, empty file) get a precise message instead of a generic decoder error.
enum FileCheck {
    static func regularNonEmptyFile(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw MediaError.fileNotFound(path: path) }
            throw MediaError.io(path: path, function: "stat", errno: errno, reason: String(cString: strerror(errno)))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw MediaError.notARegularFile(path: path) }
        guard st.st_size > 0 else { throw MediaError.emptyFile(path: path) }
    }
}
