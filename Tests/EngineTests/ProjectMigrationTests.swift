import Engine
import Foundation
import Generators
import TestHelpers
import Testing

/// Schema 1 → 2: opened in memory, written as schema 2 on the first save, the original kept
/// byte for byte beside it; switches stored as numbers become booleans, every other value is
/// kept as it was.
@Suite final class ProjectMigrationTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-migration") }
    deinit { dir.remove() }

    /// A project folder holding `fixture` (Tests/Fixtures/projects) as its project.json.
    func folder(_ fixture: String) throws -> (String, [UInt8]) {
        let folder = dir.file(fixture)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("projects/\(fixture).json"))))
        dir.write("\(fixture)/project.json", bytes)
        return (folder, bytes)
    }

    func file(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { [UInt8]($0) } }

    /// The demo's project file as committed at schema 1 (Projects/demo/project.json before schema 2).
    @Test func theDemosSchema1FileIsMigratedOnItsFirstSaveAndTheOriginalKept() throws {
        let (folder, original) = try folder("demo-schema1")
        let store = try ProjectStore.open(folder: folder)
        #expect(store.project.schema == 2 && store.migratingFrom == 1)
        #expect(store.project.clips.count == 8 && store.project.name == "demo")
        #expect(file(folder + "/project.json") == original, "opening alone writes nothing")
        #expect(file(folder + "/project.schema-1.json") == nil)

        try store.setSelection(clip: store.project.clips[0].id, start: 1, end: 2)   // the first save
        #expect(file(folder + "/project.schema-1.json") == original, "the original is kept byte for byte")
        let head = try JSONSerialization.jsonObject(with: Data(file(folder + "/project.json")!)) as? [String: Any]
        #expect(head?["schema"] as? Int == 2)
        let reopened = try ProjectStore.open(folder: folder)
        #expect(reopened.migratingFrom == nil && reopened.project == store.project)
        // Later saves leave the kept copy alone.
        try reopened.setSelection(clip: store.project.clips[1].id, start: 0.5, end: 1)
        #expect(file(folder + "/project.schema-1.json") == original)
    }

    @Test func takesAndSettingsKeepEveryValueAndSwitchesBecomeBooleans() throws {
        let (folder, original) = try folder("takes-schema1")
        let store = try ProjectStore.open(folder: folder)
        let takes = store.project.takes
        #expect(takes.count == 2)
        #expect(takes[0].parameters == ["candidates": 4, "draft": true, "temperature": 0.95, "top_x": 64])
        #expect(takes[0].isDraft && !takes[1].isDraft && takes[1].span == 1...2.5)
        #expect(store.project.settings?["specvqgan"] == ["candidates": 4, "draft": true, "seed": 12, "temperature": 0.95, "top_x": 64])
        #expect(store.project.chosen?["door/FX"] == "door-0a1b2c3d" && store.project.selections["door"]?.end == 2.5)
        try store.save()
        #expect(file(folder + "/project.schema-1.json") == original)
        let text = String(decoding: file(folder + "/project.json")!, as: UTF8.self)
        #expect(text.contains("\"draft\" : true") && !text.contains("\"draft\" : 1"))
        #expect(try ProjectStore.open(folder: folder).project == store.project)
    }

    @Test func aReadOnlyOpenOfASchema1FileWritesNothing() throws {
        let (folder, original) = try folder("takes-schema1")
        let store = try ProjectStore.open(folder: folder, readOnly: "another Foley has it")
        #expect(store.project.schema == 2)
        try store.save()
        #expect(file(folder + "/project.json") == original && file(folder + "/project.schema-1.json") == nil)
    }

    @Test func aKeptCopyIsNeverOverwritten() throws {
        let (folder, original) = try folder("takes-schema1")
        dir.write("takes-schema1/project.schema-1.json", Array("someone else's file".utf8))
        let store = try ProjectStore.open(folder: folder)
        try store.save()
        #expect(file(folder + "/project.schema-1.json") == Array("someone else's file".utf8))
        #expect(file(folder + "/project.schema-1-2.json") == original)
    }

    @Test func schemaZeroOrBelowIsDamaged() throws {
        let (folder, _) = try folder("takes-schema1")
        let text = String(decoding: file(folder + "/project.json")!, as: UTF8.self).replacingOccurrences(of: "\"schema\" : 1", with: "\"schema\" : 0")
        dir.write("takes-schema1/project.json", Array(text.utf8))
        #expect(throws: ProjectError.damaged(path: folder + "/project.json", reason: "schema: got [0], expected [1…2]")) {
            try ProjectStore.open(folder: folder)
        }
    }

    @Test func parameterValuesRoundTripThroughJSONAsPlainValues() throws {
        let values: [String: ParameterValue] = ["n": 0.25, "i": 64, "b": true, "off": false, "t": "door slam — ドア \"quoted\""]
        let data = try JSONEncoder().encode(values)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"b\":true") && text.contains("\"i\":64") && text.contains("\"n\":0.25"))
        #expect(try JSONDecoder().decode([String: ParameterValue].self, from: data) == values)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([String: ParameterValue].self, from: Data("{\"x\":[1]}".utf8)) }
    }
}
