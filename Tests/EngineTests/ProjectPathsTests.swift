import Engine
import Foundation
import Media
import TestHelpers
import Testing

/// What a hostile project file names cannot make Foley read or write outside the project.
@Suite final class ProjectPathsTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-paths") }
    deinit { dir.remove() }

    func project() throws -> ProjectStore {
        let clip = try MediaFixtures.clip("paths-walk.mp4", ["-f", "lavfi", "-i", "testsrc=s=160x120:r=25:d=1", "-c:v", "libx264", "-pix_fmt", "yuv420p"])
        return try ProjectStore.create(folder: dir.file("P"), clips: [clip])
    }

    /// Rewrites project.json through JSON, as a hostile sender would.
    func edit(_ store: ProjectStore, _ change: (inout [String: Any]) -> Void) throws -> ProjectStore {
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store.projectFile))) as! [String: Any]
        change(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: store.projectFile))
        return try ProjectStore.open(folder: store.folder)
    }

    @Test func aClipIdReachesFileNamesOnlyThroughTheSanitiser() throws {
        let evil = "../../../../../tmp/foley-evil-\(UUID().uuidString.prefix(6))/EVIL"
        let store = try edit(try project()) { json in
            var clips = json["clips"] as! [[String: Any]]
            clips[0]["id"] = evil
            json["clips"] = clips
        }
        let take = try store.addTake(clip: evil, samples: [0, 0.1], sampleRate: 22050, generator: "t", weightsHash: "0", parameters: [:], seed: 0)
        #expect(take.file.hasPrefix("takes/") && !take.file.dropFirst(6).contains("/") && !take.file.contains(".."))
        #expect(try store.owned(take.file).hasPrefix(URL(fileURLWithPath: store.folder).resolvingSymlinksInPath().path + "/takes/"))
        #expect(ProjectPaths.fileComponent("a/b.c d") == "a-b-c-d" && ProjectPaths.fileComponent("") == "-")
        #expect(ProjectPaths.fileComponent(String(repeating: "x", count: 500)).count == 80)
    }

    @Test func takesNamedOutsideTheProjectAreNeitherReadNorExported() throws {
        let store = try project()
        let outside = dir.file("outside.wav")
        try WAVAudio(sampleRate: 22050, format: .float32, samples: [0.5, 0.5]).write(to: outside)
        try FileManager.default.createSymbolicLink(atPath: store.folder + "/takes/link.wav", withDestinationPath: outside)
        for file in [outside, "../outside.wav", "takes/../../outside.wav", "takes/link.wav"] {
            #expect(throws: ProjectError.outsideProject(path: file, project: store.folder)) { try store.owned(file) }
            let hostile = try edit(store) { json in
                json["takes"] = [["id": "t1", "clip": "paths-walk", "generator": "t", "weightsHash": "0", "parameters": [String: Double](),
                                  "seed": 0, "file": file, "created": "2026-01-01T00:00:00Z"]]
            }
            #expect(throws: ProjectError.outsideProject(path: file, project: store.folder)) { try StemExporter.export(hostile) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: store.folder + "/stems").isEmpty)
        }
    }
}
