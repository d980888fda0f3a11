#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file; unmapped on deinit. The checked wrapper for the
/// open/fstat/mmap family: failures carry the path and the failing function.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let count: Int
    private let base: UnsafeRawPointer?

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Self.error(path, "open") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw Self.error(path, "fstat") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw RuntimeError.io(path: path, function: "fstat", errno: EISDIR, reason: "not a regular file")
        }
        count = Int(st.st_size)
        if count == 0 {
            base = nil
            return
        }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw Self.error(path, "mmap") }
        base = UnsafeRawPointer(p)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// Scoped access to the bytes; the pointer must not escape the closure.
    public func read<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    static func error(_ path: String, _ function: String) -> RuntimeError {
        let e = errno
        return .io(path: path, function: function, errno: e, reason: String(cString: strerror(e)))
    }
}
