import Engine
import Foundation
import Media
import Runtime
import TUI

/// project.json cases: the demo project's file (and a richer one derived from it, with takes,
/// tracks, selections, choices and settings, so every field is there to mutate) mutated and
/// opened as the workstation opens it, under the project lock.
public final class ProjectCorpus: Corpus {
    public let name = "project"
    let sandbox: Sandbox
    let folder: String
    let file: String
    let bases: [JSONTree]
    let mutator: JSONMutator
    /// The workstation's default theme, for drawing each opened project.
    let theme: Theme

    public static let demo = Repository.root + "/Projects/demo"

    /// The case's project is `root/project/project`; the demo's clips are linked, not copied.
    /// Beside the project: `escape/` (where the traversal payloads point) and `outside.wav`
    /// (a readable WAV a take's path might reach).
    public init(root: String, demo: String = ProjectCorpus.demo) throws {
        sandbox = try Sandbox(root: root, name: "project")
        folder = sandbox.path + "/project"
        file = folder + "/" + Project.fileName
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: sandbox.path + "/escape", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: folder + "/clips", withDestinationPath: URL(fileURLWithPath: demo + "/clips").standardizedFileURL.path)
        try WAVAudio(sampleRate: 22050, format: .float32, samples: [Float](repeating: 0.1, count: 2205)).write(to: sandbox.path + "/outside.wav")
        let data = try Data(contentsOf: URL(fileURLWithPath: demo + "/" + Project.fileName))
        bases = [try JSONTree(parsing: data), try JSONTree(parsing: try Self.enriched(data))]
        mutator = JSONMutator(payloads: Payloads(sandbox: sandbox.path), knownKeys: Self.keys)
        theme = try Theme.load("dark")
        try data.write(to: URL(fileURLWithPath: file))
        sandbox.record()
    }

    static let keys = ["schema", "name", "created", "clips", "takes", "selections", "tracks", "chosen", "settings", "id", "path",
                       "duration", "hasAudio", "startOfDay", "clip", "generator", "weightsHash", "parameters", "seed", "file", "span",
                       "track", "start", "end", "test-00013", "test-00013/FX", "FX", "specvqgan", "topX", "temperature", "draft"]

    /// The demo project with every optional part filled in, written the way Foley writes it.
    static func enriched(_ data: Data) throws -> Data {
        let decoder = JSONDecoder(), encoder = JSONEncoder()
        decoder.dateDecodingStrategy = .iso8601
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var p = try decoder.decode(Project.self, from: data)
        guard p.clips.count >= 2 else { return data }
        let (a, b) = (p.clips[0].id, p.clips[1].id)
        p.clips[0].startOfDay = 3600
        p.tracks = ["FX", "Foley"]
        let created = Date(timeIntervalSince1970: 1_795_000_000)
        p.takes = [
            Project.Take(id: "\(a)-0a1b2c3d", clip: a, generator: "specvqgan", weightsHash: "0123456789abcdef",
                         parameters: ["top_x": 64, "temperature": 0.95, "draft": true, "vocoder": "griffin-lim"], seed: 1,
                         file: "takes/\(a)-0a1b2c3d.wav", created: created, span: 1.0...2.5, track: "Foley"),
            Project.Take(id: "\(b)-99887766", clip: b, generator: "test-tone", weightsHash: "fedcba9876543210",
                         parameters: ["prompt": "door slam, wet — ドア", "negative_prompt": "", "tone": "saw"], seed: 7, file: "takes/\(b)-99887766.wav", created: created),
        ]
        p.selections = [a: .init(start: 1, end: 2)]
        p.chosen = [Project.chosenKey(clip: a, track: "FX"): "\(a)-0a1b2c3d"]
        p.settings = ["specvqgan": ["top_x": 64, "temperature": 0.95, "candidates": 4, "draft": false], "test-tone": ["prompt": "rain on a tin roof", "tone": "square"]]
        return try encoder.encode(p)
    }

    public func input(case index: Int, seed: UInt64) -> (path: String, data: Data) {
        var rng = SeededRNG.forCase(seed: seed, index: index)
        return (file, mutator.file(from: bases[index % bases.count], rng: &rng))
    }

    public func run(_ data: Data, case index: Int) -> Outcome {
        check(data, at: file, in: sandbox) {
            let (store, lock) = try ProjectStore.openForWriting(folder: folder)
            defer { lock.release() }
            return exercise(store)
        }
    }
}
