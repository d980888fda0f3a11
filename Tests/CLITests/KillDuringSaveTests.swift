import Foundation
import Media
import TestHelpers
import Testing

/// Kills a process that is adding takes as fast as it can (`foley stress-save`), at random
/// moments, many times: the project must always reopen with every take it reported saved,
/// and every take it lists must have its audio on disk.
@Suite struct KillDuringSaveTests {
    let foley = BuiltProducts.path("foley")

    @Test func theProjectSurvivesSIGKILLAtAnyMoment() throws {
        let dir = try TempDirectory("foley-kill")
        defer { dir.remove() }
        let folder = dir.file("P")
        let clip = Fixtures.repositoryRoot + "/Projects/demo/clips/test-00071.mp4"
        #expect(try Subprocess.run(foley, ["new", folder, clip]).status == 0)
        var rng = SystemRandomNumberGenerator()
        var completed = Set<String>()
        var kills = 0
        for _ in 0..<30 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: foley)
            p.arguments = ["stress-save", folder, "--count", "100000"]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 50_000...400_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { kills += 1 }
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            for line in text.split(separator: "\n") where line.hasPrefix("saved ") { completed.insert(String(line.dropFirst(6))) }

            let r = try Subprocess.run(foley, ["export", folder, "--rate", "22050", "--depth", "16"])
            #expect(r.status == 0, "project did not reopen after a kill: \(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/project.json"))) as! [String: Any]
            let takes = json["takes"] as! [[String: Any]]
            let ids = Set(takes.map { $0["id"] as! String })
            #expect(completed.isSubset(of: ids), "takes reported saved are missing: \(completed.subtracting(ids).sorted().prefix(3))")
            for t in takes.suffix(3) {
                #expect(throws: Never.self) { _ = try WAVAudio.read(path: folder + "/" + (t["file"] as! String)) }
            }
            // A temporary left by the kill is cleared when the project is next opened.
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty, "stale temporaries: \(leftovers)")
        }
        #expect(kills >= 25)
        #expect(completed.count > 10, "the stress process saved too few takes to mean anything: \(completed.count)")
    }
}
