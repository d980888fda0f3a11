import Foundation
import Generators
import Media

/// Reads and writes a project folder. Saves are atomic (temporary file, fsync, rename); a
/// take's audio is on disk before the project file refers to it; a damaged or newer project
/// file is reported and never overwritten.
public final class ProjectStore: @unchecked Sendable {
    public let folder: String
    public private(set) var project: Project
    /// What `create` noticed and worked around (truncated clips), for the caller to show.
    public internal(set) var warnings: [String] = []
    /// Clips whose files are missing (deleted or moved since the project was saved).
    public private(set) var missingClips: [String] = []

    public var projectFile: String { folder + "/" + Project.fileName }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    /// Creates `folder` (or uses an existing folder without a project file) with takes/ and
    /// stems/ and a project referencing `clips` (probed for duration and audio). Clips inside
    /// the folder are stored relative to it, so the project folder can be moved whole.
    /// Refuses to touch an existing project.
    public static func create(folder: String, name: String? = nil, clips: [String], tracks: [String]? = nil) throws -> ProjectStore {
        guard !FileManager.default.fileExists(atPath: folder + "/" + Project.fileName) else { throw ProjectError.alreadyExists(path: folder) }
        let root = URL(fileURLWithPath: folder).standardizedFileURL.path + "/"
        var entries: [Project.Clip] = [], warnings: [String] = []
        for path in clips {
            var info = try MediaInfo.probe(path: path)
            try info.requireClip()
            if let warning = try info.useDecodablePart() { warnings.append(warning) }
            guard info.duration <= longestClip else {
                throw MediaError.invalidArgument("\(path): got [duration \(info.duration) s], expected [at most \(Int(longestClip)) s]")
            }
            var id = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            while entries.contains(where: { $0.id == id }) { id += "-2" }
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let stored = absolute.hasPrefix(root) ? String(absolute.dropFirst(root.count)) : absolute
            entries.append(Project.Clip(id: id, path: stored, duration: info.duration, hasAudio: info.hasAudio, startOfDay: info.startOfDay))
        }
        do {
            for sub in ["", "/takes", "/stems"] {
                try FileManager.default.createDirectory(atPath: folder + sub, withIntermediateDirectories: true)
            }
        } catch {
            throw ProjectError.io(path: folder, reason: "cannot create project folder: \(error.localizedDescription)")
        }
        var project = Project(name: name ?? (folder as NSString).lastPathComponent, clips: entries)
        if let tracks {
            let clean = tracks.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !clean.isEmpty, Set(clean).count == clean.count else {
                throw ProjectError.io(path: folder, reason: "got [tracks \(tracks)], expected [distinct, non-empty names]")
            }
            project.tracks = clean
        }
        let store = ProjectStore(folder: folder, project: project)
        store.warnings = warnings
        try store.save()
        return store
    }

    /// Opens the project. `readOnly`: why this process must not write it (another holds the
    /// lock); the store then keeps changes in memory only, refuses takes and stems, and leaves
    /// the writer's temporaries alone.
    public static func open(folder: String, readOnly: String? = nil) throws -> ProjectStore {
        let file = folder + "/" + Project.fileName
        guard let data = FileManager.default.contents(atPath: file) else { throw ProjectError.notAProject(path: folder) }
        // Read the schema first, so a newer file is refused before anything else is judged.
        let head = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        if let schema = head?["schema"] as? Int, schema > Project.schemaVersion {
            throw ProjectError.newerSchema(path: file, found: schema, supported: Project.schemaVersion)
        }
        var project: Project
        do { project = try decoder.decode(Project.self, from: data) } catch {
            throw ProjectError.damaged(path: file, reason: Self.describe(error))
        }
        guard project.schema >= 1 else {
            throw ProjectError.damaged(path: file, reason: "schema: got [\(project.schema)], expected [1…\(Project.schemaVersion)]")
        }
        let from = project.schema
        if from < Project.schemaVersion { ProjectMigration.upgrade(&project, from: from) }
        if let problem = Self.problem(project) { throw ProjectError.damaged(path: file, reason: problem) }
        let store = ProjectStore(folder: folder, project: project)
        if from < Project.schemaVersion { store.pendingMigration = PendingMigration(from: from, original: [UInt8](data)) }
        store.readOnlyReason = readOnly
        if readOnly == nil { store.removeStaleTemporaries() }
        store.missingClips = project.clips.filter { !FileManager.default.fileExists(atPath: store.resolve($0.path)) }.map(\.id)
        return store
    }

    /// The longest clip a project may declare (a day): anything longer is a damaged or hostile
    /// file, and allocating audio for it would exhaust memory.
    public static let longestClip = 86_400.0

    /// Values no real project has, as "got […], expected […]" naming the field.
    static func problem(_ p: Project) -> String? {
        var ids = Set<String>()
        for (i, c) in p.clips.enumerated() {
            guard !c.id.isEmpty, ids.insert(c.id).inserted else { return "clips[\(i)].id: got [\"\(c.id)\"], expected [a non-empty id no other clip has]" }
            guard c.duration.isFinite, c.duration > 0, c.duration <= longestClip else {
                return "clips[\(i)].duration: got [\(c.duration)], expected [0 < duration ≤ \(Int(longestClip)) s]"
            }
            if let t = c.startOfDay, !(t.isFinite && (0...86_400).contains(t)) {
                return "clips[\(i)].startOfDay: got [\(t)], expected [0…86400 s since midnight]"
            }
            if let sel = p.selections[c.id], !(sel.start.isFinite && sel.end.isFinite && 0 <= sel.start && sel.start < sel.end && sel.end <= c.duration + 1e-6) {
                return "selections.\(c.id): got [\(sel.start)…\(sel.end)], expected [0 ≤ start < end ≤ \(c.duration) s, the clip's]"
            }
        }
        return nil
    }

    init(folder: String, project: Project) {
        self.folder = folder
        self.project = project
    }

    /// A save killed before its rename leaves `.project.json.tmp-*` (or a take's or stem's
    /// temporary, 40–80 MB for a long stem) behind: never referenced, so safe to delete once
    /// the project has been read.
    func removeStaleTemporaries() {
        for sub in ["", "/takes", "/stems"] {
            let dir = folder + sub
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(".") && name.contains(".tmp-") {
                try? FileManager.default.removeItem(atPath: dir + "/" + name)
            }
        }
    }

    public func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : folder + "/" + path }

    /// The project's subfolder `name` (takes, stems), made if it is missing: a project that
    /// travelled without its generated files (a fresh clone of the demo) still takes new ones.
    public func subfolder(_ name: String) throws -> String {
        try requireWritable()
        let path = folder + "/" + name
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw ProjectError.io(path: path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        return path
    }

    /// Why the last save failed, until a later save succeeds (nil: the project on disk is the
    /// one in memory). The workstation shows it and quitting reports it instead of "saved".
    public private(set) var unsavedReason: String?

    /// Set while a file read from an older schema has not been saved yet.
    var pendingMigration: PendingMigration?

    /// The schema the file was written in, when it was older than this Foley's (until saved).
    public var migratingFrom: Int? { pendingMigration?.from }

    /// Set when the project was opened read-only: the reason, shown on the status line.
    public private(set) var readOnlyReason: String?

    /// Throws `.readOnly` in a read-only store (before a take or stem is computed or written).
    public func requireWritable() throws {
        if let r = readOnlyReason { throw ProjectError.readOnly(path: folder, reason: r) }
    }

    /// Writes the project atomically. Read-only: changes stay in memory (selections and
    /// slider moves while browsing), by the user's choice, so nothing is reported unsaved.
    public func save() throws {
        guard readOnlyReason == nil else { return }
        do {
            if let m = pendingMigration {
                try keepOriginal(m)
                pendingMigration = nil
            }
            try AtomicFile.write([UInt8](try Self.encoder.encode(project)), to: projectFile)
            unsavedReason = nil
        } catch {
            unsavedReason = "\(error)"
            throw error
        }
    }

    /// Writes a take's audio (mono float at `sampleRate`) to takes/<id>.wav, then records it
    /// in the project and saves: a crash between the two leaves an unreferenced file, never
    /// a reference to a file that is not there.
    @discardableResult
    public func addTake(clip: String, samples: [Float], sampleRate: Int, generator: String, weightsHash: String,
                        parameters: [String: ParameterValue], seed: UInt64, span: ClosedRange<Double>? = nil,
                        track: String? = nil, fullBandWeights: String? = nil) throws -> Project.Take {
        if let track, !project.trackNames.contains(track) { throw ProjectError.unknownTrack(track) }
        guard project.clips.contains(where: { $0.id == clip }) else { throw ProjectError.unknownClip(clip) }
        try requireWritable()
        let id = "\(clip)-\(String(UUID().uuidString.prefix(8)).lowercased())"
        let file = "takes/\(ProjectPaths.fileComponent(id)).wav"
        _ = try subfolder("takes")
        try WAVAudio(sampleRate: sampleRate, format: .float32, samples: samples).write(to: resolve(file))
        let take = Project.Take(id: id, clip: clip, generator: generator, weightsHash: weightsHash, parameters: parameters,
                                seed: seed, file: file, created: Project.now(), span: span, track: track,
                                sampleRate: sampleRate, fullBandWeights: fullBandWeights)
        project.takes.append(take)
        try save()
        return take
    }

    /// Applies `change` to the project and saves it (autosave after every change).
    public func update(_ change: (inout Project) -> Void) throws {
        var next = project
        change(&next)
        guard next != project else { return }
        project = next
        try save()
    }

    public func setSelection(clip: String, start: Double, end: Double) throws {
        guard project.clips.contains(where: { $0.id == clip }) else { throw ProjectError.unknownClip(clip) }
        project.selections[clip] = Project.Selection(start: min(start, end), end: max(start, end))
        try save()
    }

    /// A decoding failure naming the field by its path ("got [clips[6].path of another type],
    /// expected [a string]"), as bundle configs are described.
    static func describe(_ error: Error) -> String {
        if case DecodingError.keyNotFound(let k, let c) = error, c.codingPath.isEmpty { return "missing field '\(k.stringValue)'" }
        return ConfigCheck.describe(error)
    }
}
