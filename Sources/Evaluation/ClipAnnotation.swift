import Foundation

/// A corpus clip's annotations (the JSON written by Training/corpus/build.py).
public struct ClipAnnotation: Codable, Sendable {
    public struct Event: Codable, Sendable {
        public var onset: Double
        public var `class`: String
        public var material: String
        public var recording: String?
    }

    public var id: String
    public var split: String
    public var duration: Double
    public var `class`: String
    public var material: String
    public var caption: String
    public var events: [Event]

    /// Events whose sound starts sharply where it is annotated (what onset alignment scores):
    /// FoleyWorld 1's six, and FoleyWorld 2's strikes, splashes and bow releases.
    public static let sharpClasses: Set<String> = ["footsteps", "glass", "bounce", "dig", "gunshot", "explosion",
                                                   "wood-hit", "metal-hit", "stone-hit", "hammer", "splash", "bow"]
    public var sharpOnsets: [Double] {
        events.filter { Self.sharpClasses.contains($0.class) && $0.recording != nil }.map(\.onset)
    }

    public static func load(_ path: String) throws -> ClipAnnotation {
        guard let data = FileManager.default.contents(atPath: path) else { throw EvaluationError.missingFile(path) }
        do { return try JSONDecoder().decode(ClipAnnotation.self, from: data) } catch {
            throw EvaluationError.badAnnotation(path, "\(error)")
        }
    }

    /// Every clip of a split folder, by id.
    public static func split(_ folder: String) throws -> [ClipAnnotation] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { throw EvaluationError.missingFile(folder) }
        return try names.filter { $0.hasSuffix(".json") && $0 != "index.json" }.sorted().map { try load(folder + "/" + $0) }
    }
}

public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    case missingFile(String)
    case badAnnotation(String, String)
    case noClips(String)
    case missingModel(String)

    public var description: String {
        switch self {
        case .missingFile(let p): return "\(p): not found"
        case .badAnnotation(let p, let r): return "\(p): not a corpus annotation: \(r)"
        case .noClips(let m): return m
        case .missingModel(let p):
            return "\(p): the sound-effects embedding (aisfx \(SFXEmbedding.version)) is not installed there; run Scripts/fetch-sfx-model.sh (make sfx-model), or point FOLEY_SFX_MODEL at a converted bundle"
        }
    }
}
