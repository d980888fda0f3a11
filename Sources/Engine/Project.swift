import Foundation
import Generators

/// A Foley project: a folder holding `project.json` (this type, versioned), `takes/`
/// (immutable audio, one file per take, named by id) and `stems/` (exports).
public struct Project: Codable, Sendable, Equatable {
    /// 2: parameter values are numbers, booleans or strings (switches, choices, prompts);
    /// 1 held numbers only. `ProjectStore.open` migrates a schema-1 file in memory and keeps a
    /// copy of the original beside it on the first save.
    public static let schemaVersion = 2
    public static let fileName = "project.json"

    public struct Clip: Codable, Sendable, Equatable {
        public var id: String
        /// Relative to the project folder when the clip lives inside it, else absolute.
        public var path: String
        public var duration: Double
        public var hasAudio: Bool
        /// Seconds since midnight of the clip's first frame (timecode or creation time), when known.
        public var startOfDay: Double?
    }

    /// A generated (or imported) audio take for a clip, reproducible from generator, weights
    /// hash, parameters and seed.
    public struct Take: Codable, Sendable, Equatable {
        public var id: String
        public var clip: String
        public var generator: String
        public var weightsHash: String
        public var parameters: [String: ParameterValue]
        public var seed: UInt64
        /// Relative to the project folder: takes/<id>.wav.
        public var file: String
        public var created: Date
        /// For inpainted takes: the span regenerated, seconds.
        public var span: ClosedRange<Double>?
        /// The track the take belongs to (absent = the first track).
        public var track: String?
        /// The rate its file was written at: 44 100 through the full-band renderer, 22 050 for
        /// the working rate (absent = 22 050, every take before the full-band renderer). The
        /// WAV header is what is played; this says it without opening the file.
        public var sampleRate: Int?
        /// The shared full-band renderer's weights hash where the take went through it: with
        /// the generator's `weightsHash`, everything its samples depend on.
        public var fullBandWeights: String?

        public init(id: String, clip: String, generator: String, weightsHash: String, parameters: [String: ParameterValue], seed: UInt64,
                    file: String, created: Date, span: ClosedRange<Double>? = nil, track: String? = nil, sampleRate: Int? = nil,
                    fullBandWeights: String? = nil) {
            self.id = id; self.clip = clip; self.generator = generator; self.weightsHash = weightsHash
            self.parameters = parameters; self.seed = seed; self.file = file; self.created = created; self.span = span
            self.track = track; self.sampleRate = sampleRate; self.fullBandWeights = fullBandWeights
        }

        /// The recorded rate, 22 050 where none is.
        public var rate: Int { sampleRate ?? 22050 }
    }

    public struct Selection: Codable, Sendable, Equatable {
        public var start: Double
        public var end: Double
        public init(start: Double, end: Double) { self.start = start; self.end = end }
    }

    public var schema: Int = Project.schemaVersion
    public var name: String
    public var created: Date
    public var clips: [Clip]
    public var takes: [Take] = []
    public var selections: [String: Selection] = [:]
    /// Tracks every clip has (stems are written per clip and track); absent = one "FX" track.
    public var tracks: [String]?
    /// The take each clip and track exports and plays by default ("clip/track" → take id);
    /// absent = the latest take.
    public var chosen: [String: String]?
    /// Slider values per generator (generator name → parameter → value), restored on open.
    public var settings: [String: [String: ParameterValue]]?

    /// Now, at whole seconds: the project file stores ISO 8601 times without fractions, so a
    /// saved and reopened project compares equal to the one in memory.
    public static func now() -> Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

    public init(name: String, created: Date = Project.now(), clips: [Clip]) {
        self.name = name
        self.created = created
        self.clips = clips
    }

    public static let defaultTrack = "FX"

    public var trackNames: [String] { (tracks?.isEmpty == false ? tracks : nil) ?? [Project.defaultTrack] }

    public func track(of take: Take) -> String { take.track ?? trackNames[0] }

    public func takes(for clip: String) -> [Take] { takes.filter { $0.clip == clip } }

    public func takes(for clip: String, track: String) -> [Take] { takes.filter { $0.clip == clip && self.track(of: $0) == track } }

    public static func chosenKey(clip: String, track: String) -> String { "\(clip)/\(track)" }
}

public enum ProjectError: Error, Equatable, CustomStringConvertible {
    case notAProject(path: String)
    case alreadyExists(path: String)
    case damaged(path: String, reason: String)
    case newerSchema(path: String, found: Int, supported: Int)
    case unknownClip(String)
    case unknownTrack(String)
    case io(path: String, reason: String)
    case outsideProject(path: String, project: String)
    case locked(path: String, holder: ProjectLock.Holder)
    case readOnly(path: String, reason: String)

    public var description: String {
        switch self {
        case .notAProject(let p): return "\(p): not a Foley project (no \(Project.fileName))"
        case .alreadyExists(let p): return "\(p): already exists; choose another name"
        case .damaged(let p, let r): return "\(p): project file is damaged and was left untouched: \(r)"
        case .newerSchema(let p, let f, let s):
            return "\(p): got [project schema \(f)], expected [\(s) or older]: made by a newer Foley; left untouched"
        case .unknownClip(let c): return "no clip '\(c)' in this project"
        case .unknownTrack(let t): return "no track '\(t)' in this project"
        case .io(let p, let r): return "\(p): \(r)"
        case .locked(let p, let h):
            return "\((p as NSString).deletingLastPathComponent): open in another Foley (pid \(h.pid) on \(h.host) since \(h.since)); close it first, open it read-only (foley open --read-only), or if that process is gone from another machine, remove \(p)"
        case .readOnly(let p, let r): return "\(p): opened read-only (\(r)); nothing is written: close the other Foley and open it again to generate or export"
        case .outsideProject(let p, let f):
            return "\(f)/\(Project.fileName): got [\(p)], expected [a path inside the project folder]: refused, nothing outside a project is read or written because its file says so"
        }
    }
}

extension Project.Take {
    /// Rendered with Draft on: the take to render again at full quality once chosen.
    public var isDraft: Bool { parameters[Parameter.draft.rawValue]?.isOn ?? false }
}
