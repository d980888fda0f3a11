import Engine
import Foundation
import TestHelpers
import Testing

@Suite final class ProjectLockTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-lock") }
    deinit { dir.remove() }

    func write(_ holder: String) throws {
        try holder.write(toFile: dir.file(ProjectLock.fileName), atomically: false, encoding: .utf8)
    }

    @Test func aSecondWriterIsRefusedWithTheHolder() throws {
        let lock = try ProjectLock(folder: dir.path)
        #expect { try ProjectLock(folder: self.dir.path) } throws: { error in
            guard case .locked(_, let h)? = error as? ProjectError else { return false }
            return h.pid == getpid() && "\(error)".contains("open in another Foley (pid \(getpid())")
        }
        lock.release()
        #expect(!FileManager.default.fileExists(atPath: dir.file(ProjectLock.fileName)))
        let again = try ProjectLock(folder: dir.path)
        again.release()
    }

    @Test func aStaleLockOnThisHostIsTakenOverAndAnotherHostsIsRespected() throws {
        // A pid that cannot be running (beyond pid_max), on this host: stale.
        var buf = [CChar](repeating: 0, count: 256)
        gethostname(&buf, buf.count)
        let host = String(cString: buf)
        try write("99999999\n\(host)\n2026-01-01T00:00:00Z\n")
        let lock = try ProjectLock(folder: dir.path)
        #expect(try String(contentsOfFile: dir.file(ProjectLock.fileName), encoding: .utf8).hasPrefix("\(getpid())\n"))
        lock.release()
        // Another machine's lock cannot be judged from here: refused.
        try write("1234\nsome-other-host\n2026-01-01T00:00:00Z\n")
        #expect(throws: ProjectError.self) { try ProjectLock(folder: self.dir.path) }
        #expect(try String(contentsOfFile: dir.file(ProjectLock.fileName), encoding: .utf8).hasPrefix("1234\n"))
    }

    /// A lock file not written yet is another process mid-creation: refused; one left unreadable
    /// for a while is stale and taken over.
    @Test func anUnreadableLockIsRespectedOnlyWhileFresh() throws {
        try write("")
        #expect(throws: ProjectError.self) { try ProjectLock(folder: self.dir.path) }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: dir.file(ProjectLock.fileName))
        let lock = try ProjectLock(folder: dir.path)
        lock.release()
    }
}
