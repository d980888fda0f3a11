import Engine
import Foundation
import Media
import TestHelpers
import Testing

@Suite final class ProjectStoreTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-project") }
    deinit { dir.remove() }

    func clip(_ name: String = "walk.mp4", audio: Bool = true) throws -> String {
        try MediaFixtures.clip("project-\(name)", ["-f", "lavfi", "-i", "testsrc=s=160x120:r=25:d=2"]
            + (audio ? ["-f", "lavfi", "-i", "sine=d=2", "-c:a", "aac"] : []) + ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-shortest"])
    }

    @Test func createAndReopen() throws {
        let folder = dir.file("Demo")
        let store = try ProjectStore.create(folder: folder, clips: [try clip(), try clip("silent.mp4", audio: false)])
        for sub in ["takes", "stems"] { #expect(FileManager.default.fileExists(atPath: "\(folder)/\(sub)")) }
        #expect(store.project.clips.map(\.id) == ["project-walk", "project-silent"])
        #expect(abs(store.project.clips[0].duration - 2) < 0.05)
        #expect(store.project.clips[1].hasAudio == false)
        let reopened = try ProjectStore.open(folder: folder)
        #expect(reopened.project == store.project)
        #expect(reopened.missingClips.isEmpty)
        #expect(throws: ProjectError.alreadyExists(path: folder)) { try ProjectStore.create(folder: folder, clips: [try self.clip()]) }
    }

    @Test func takeAudioIsOnDiskBeforeTheProjectRefersToIt() throws {
        let store = try ProjectStore.create(folder: dir.file("Takes"), clips: [try clip()])
        let samples = (0..<22050).map { Float(sin(Double($0) * 0.05)) * 0.5 }
        let take = try store.addTake(clip: "project-walk", samples: samples, sampleRate: 22050, generator: "test", weightsHash: "0",
                                     parameters: ["temperature": 1, "top_x": 64], seed: 7, span: 0.5...1.0)
        let reopened = try ProjectStore.open(folder: store.folder)
        #expect(reopened.project.takes == [take])
        #expect(try WAVAudio.read(path: reopened.resolve(take.file)).samples == samples)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.folder).allSatisfy { !$0.contains(".tmp-") })
        #expect(throws: ProjectError.unknownClip("nope")) {
            try store.addTake(clip: "nope", samples: [], sampleRate: 22050, generator: "t", weightsHash: "0", parameters: [:], seed: 0)
        }
    }

    /// takes/ and stems/ are ignored by git, so a fresh clone of a project (the demo) has neither.
    @Test func aProjectWithoutItsTakesAndStemsFoldersStillTakesNewOnes() throws {
        let created = try ProjectStore.create(folder: dir.file("Cloned"), clips: [try clip()])
        for sub in ["takes", "stems"] { try FileManager.default.removeItem(atPath: "\(created.folder)/\(sub)") }
        let store = try ProjectStore.open(folder: created.folder)
        let take = try store.addTake(clip: "project-walk", samples: [0.1, -0.1], sampleRate: 22050, generator: "test", weightsHash: "0",
                                     parameters: [:], seed: 1)
        #expect(try WAVAudio.read(path: store.resolve(take.file)).samples == [0.1, -0.1])
        try store.update { $0.chosen = [Project.chosenKey(clip: "project-walk", track: "FX"): take.id] }
        let result = try StemExporter.export(store)
        #expect(result.written.count == 1 && result.written.allSatisfy { FileManager.default.fileExists(atPath: $0) })
    }

    /// An export killed before its rename (kill -9) leaves a hidden stem temporary: cleaned on
    /// the next open, like the project's and the takes' own; finished stems are kept.
    @Test func staleTemporariesInStemsAreCleanedOnOpen() throws {
        let store = try ProjectStore.create(folder: dir.file("Stale"), clips: [try clip()])
        let stale = store.folder + "/stems/.demo_walk_FXSTEM_v01.wav.tmp-AbC123", kept = store.folder + "/stems/demo_walk_FXSTEM_v01.wav"
        for p in [stale, kept] { #expect(FileManager.default.createFile(atPath: p, contents: Data([1, 2, 3]))) }
        _ = try ProjectStore.open(folder: store.folder)
        #expect(!FileManager.default.fileExists(atPath: stale) && FileManager.default.fileExists(atPath: kept))
    }

    /// A failed save is remembered until a later save succeeds, so the workstation can show it
    /// and quitting can say "NOT saved" instead of "saved".
    @Test func aFailedSaveIsKeptUntilASaveSucceeds() throws {
        let store = try ProjectStore.create(folder: dir.file("Unsaved"), clips: [try clip()])
        #expect(store.unsavedReason == nil)
        try FileManager.default.removeItem(atPath: store.projectFile)
        try FileManager.default.createDirectory(atPath: store.projectFile, withIntermediateDirectories: false)   // not a file: saves fail
        #expect(throws: (any Error).self) { try store.update { $0.name = "renamed" } }
        #expect(store.unsavedReason?.contains("not a regular file") == true)
        #expect(store.project.name == "renamed")   // the change is kept in memory for the next save
        try FileManager.default.removeItem(atPath: store.projectFile)
        try store.save()
        #expect(store.unsavedReason == nil)
        #expect(try ProjectStore.open(folder: store.folder).project.name == "renamed")
    }

    /// A clip duration no real clip has (1e9 s would allocate 88 TB of audio when selected) is
    /// refused at open, naming the field and value; the file is left as it was.
    @Test func impossibleClipDurationsAreRefusedAtOpen() throws {
        let store = try ProjectStore.create(folder: dir.file("Durations"), clips: [try clip()])
        for bad in ["1e9", "-1", "0"] {
            let text = try String(contentsOfFile: store.projectFile, encoding: .utf8)
                .replacingOccurrences(of: #""duration" : [0-9.e+-]+"#, with: "\"duration\" : \(bad)", options: .regularExpression)
            try text.write(toFile: store.projectFile, atomically: true, encoding: .utf8)
            #expect { try ProjectStore.open(folder: store.folder) } throws: { error in
                "\(error)".contains("clips[0].duration: got [") && "\(error)".contains("expected [0 < duration ≤ 86400 s]")
            }
            #expect(try String(contentsOfFile: store.projectFile, encoding: .utf8) == text)
        }
    }

    @Test(arguments: ["{ not json", "", "{\"schema\": 1, \"name\": \"x\"}", "[1, 2, 3]"])
    func damagedProjectFilesAreReportedAndLeftUntouched(_ content: String) throws {
        let store = try ProjectStore.create(folder: dir.file("Damaged-\(content.count)"), clips: [try clip()])
        try Data(content.utf8).write(to: URL(fileURLWithPath: store.projectFile))
        let error = #expect(throws: ProjectError.self) { try ProjectStore.open(folder: store.folder) }
        guard case .damaged(let path, _)? = error else { Issue.record("expected .damaged, got \(String(describing: error))"); return }
        #expect(path == store.projectFile)
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: store.projectFile)), as: UTF8.self) == content)
    }

    @Test func newerSchemaIsRefused() throws {
        let store = try ProjectStore.create(folder: dir.file("Future"), clips: [try clip()])
        let text = try String(contentsOfFile: store.projectFile, encoding: .utf8).replacingOccurrences(of: "\"schema\" : \(Project.schemaVersion)", with: "\"schema\" : 9")
        try text.write(toFile: store.projectFile, atomically: true, encoding: .utf8)
        #expect(throws: ProjectError.newerSchema(path: store.projectFile, found: 9, supported: Project.schemaVersion)) { try ProjectStore.open(folder: store.folder) }
        #expect(try String(contentsOfFile: store.projectFile, encoding: .utf8) == text)
    }

    @Test func aDeletedClipIsReportedNotFatal() throws {
        let copy = dir.file("gone.mp4")
        try FileManager.default.copyItem(atPath: try clip(), toPath: copy)
        let store = try ProjectStore.create(folder: dir.file("Missing"), clips: [copy, try clip("other.mp4")])
        try FileManager.default.removeItem(atPath: copy)
        #expect(try ProjectStore.open(folder: store.folder).missingClips == ["gone"])
    }

    @Test func badClipsAndFoldersGiveClearErrors() throws {
        let audioOnly = try MediaFixtures.clip("project-audio.m4a", ["-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac"])
        #expect(throws: MediaError.noVideoStream(path: audioOnly)) { try ProjectStore.create(folder: self.dir.file("A"), clips: [audioOnly]) }
        #expect(!FileManager.default.fileExists(atPath: dir.file("A")))
        #expect(throws: ProjectError.notAProject(path: dir.path)) { try ProjectStore.open(folder: self.dir.path) }
    }

    @Test func foleyNewCreatesAProject() throws {
        let r = try Subprocess.run(BuiltProducts.path("foley"), ["new", dir.file("FromCLI"), try clip()])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("project-walk"))
        #expect(try ProjectStore.open(folder: dir.file("FromCLI")).project.clips.count == 1)
        let again = try Subprocess.run(BuiltProducts.path("foley"), ["new", dir.file("FromCLI"), try clip()])
        #expect(again.status == 1 && again.stderr.contains("already exists"))
    }
}
