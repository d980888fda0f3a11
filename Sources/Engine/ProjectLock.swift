#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An advisory lock on a project folder (`.foley.lock`, holding the pid, host and start time of
/// the process that writes the project): the workstation and `foley export` take it, so two
/// writers never race on project.json or pick the same stem version. A lock whose process is
/// gone (same host, pid not running) is stale and taken over.
public final class ProjectLock {
    public static let fileName = ".foley.lock"
    public let path: String
    /// Set only once the file is ours: an init that throws still runs deinit, which must not
    /// remove a lock this process holds through another ProjectLock.
    private var held = false

    public struct Holder: Equatable, Sendable {
        public var pid: Int32
        public var host: String
        public var since: String
    }

    static var host: String {
        var buf = [CChar](repeating: 0, count: 256)
        return gethostname(&buf, buf.count) == 0 ? String(cString: buf) : "unknown-host"
    }

    static func read(_ path: String) -> Holder? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let f = text.split(separator: "\n").map(String.init)
        guard f.count >= 3, let pid = Int32(f[0]) else { return nil }
        return Holder(pid: pid, host: f[1], since: f[2])
    }

    /// Takes the lock on `folder`, or throws `ProjectError.locked` naming the holder.
    public init(folder: String) throws {
        path = folder + "/" + Self.fileName
        let me = "\(getpid())\n\(Self.host)\n\(ISO8601DateFormatter().string(from: Date()))\n"
        for _ in 0..<2 {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644)
            if fd >= 0 {
                _ = me.withCString { write(fd, $0, strlen($0)) }
                fsync(fd)
                close(fd)
                held = true
                return
            }
            guard errno == EEXIST else {
                throw ProjectError.io(path: path, reason: "cannot create the project lock: \(String(cString: strerror(errno)))")
            }
            // Stale: written on this host by a process that no longer runs. An unreadable lock is
            // another process between creating and writing it, unless it has been so for seconds.
            if let h = Self.read(path) {
                guard h.host == Self.host, kill(h.pid, 0) != 0, errno == ESRCH else { throw ProjectError.locked(path: path, holder: h) }
            } else if let written = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                      Date().timeIntervalSince(written) < 10 {
                throw ProjectError.locked(path: path, holder: Holder(pid: 0, host: "another process", since: "just now"))
            }
            unlink(path)
        }
        throw ProjectError.io(path: path, reason: "cannot take the project lock")
    }

    /// Gives the lock back (only if the file is still ours).
    public func release() {
        guard held else { return }
        held = false
        if Self.read(path)?.pid == getpid() { unlink(path) }
    }

    deinit { release() }
}

extension ProjectStore {
    /// Opens a project for a process that will write it: the lock first (so a second writer is
    /// refused before anything, stale temporaries included, is touched), then the project.
    public static func openForWriting(folder: String) throws -> (ProjectStore, ProjectLock) {
        guard FileManager.default.fileExists(atPath: folder + "/" + Project.fileName) else { throw ProjectError.notAProject(path: folder) }
        let lock = try ProjectLock(folder: folder)
        do { return (try open(folder: folder), lock) } catch { lock.release(); throw error }
    }

    /// Opens a project another process is writing, to look and listen without writing: the
    /// holder (if any) is named in the store's read-only reason.
    public static func openReadOnly(folder: String) throws -> ProjectStore {
        let holder = ProjectLock.read(folder + "/" + ProjectLock.fileName)
        let reason = holder.map { "pid \($0.pid) on \($0.host) has it open since \($0.since)" } ?? "asked for read-only"
        return try open(folder: folder, readOnly: reason)
    }
}
