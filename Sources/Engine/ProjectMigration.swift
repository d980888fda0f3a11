import Foundation
import Generators
import Media

/// Older project files, read into today's schema. The migration happens in memory at open;
/// the first save writes the new file and, before it, a byte-for-byte copy of the original
/// beside it (`project.schema-1.json`), so an older Foley can still be pointed at the copy
/// and nothing the user had is lost.
enum ProjectMigration {
    /// Parameters that were switches stored as 0/1 numbers in schema 1.
    static let schema1Switches: Set<String> = [Parameter.draft.rawValue]

    /// `project` as decoded from a file of schema `from`, upgraded to `Project.schemaVersion`.
    static func upgrade(_ project: inout Project, from: Int) {
        if from < 2 {
            for i in project.takes.indices { project.takes[i].parameters = switches(project.takes[i].parameters) }
            project.settings = project.settings?.mapValues(switches)
        }
        project.schema = Project.schemaVersion
    }

    static func switches(_ values: [String: ParameterValue]) -> [String: ParameterValue] {
        var out = values
        for key in schema1Switches { if case .number(let v)? = values[key] { out[key] = .flag(v >= 0.5) } }
        return out
    }

    /// Where the original file of schema `from` is kept: project.schema-1.json, or with a
    /// counter when that name is taken by something else.
    static func copyPath(folder: String, from: Int, original: [UInt8]) -> String? {
        for n in 1...99 {
            let path = folder + "/project.schema-\(from)" + (n == 1 ? "" : "-\(n)") + ".json"
            guard let existing = FileManager.default.contents(atPath: path) else { return path }
            if [UInt8](existing) == original { return nil }   // already kept
        }
        return folder + "/project.schema-\(from)-\(UUID().uuidString.prefix(8)).json"
    }
}

extension ProjectStore {
    /// A file read from an older schema, waiting for the first save to keep its original.
    struct PendingMigration {
        var from: Int
        var original: [UInt8]
    }

    /// Writes the copy of the original before the migrated file replaces it.
    func keepOriginal(_ m: PendingMigration) throws {
        guard let path = ProjectMigration.copyPath(folder: folder, from: m.from, original: m.original) else { return }
        try AtomicFile.write(m.original, to: path)
    }
}
