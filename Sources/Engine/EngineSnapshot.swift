import DSP
import Generators
import Media

/// Everything the UI draws, copied out of the engine under its lock. Arrays are copy-on-write,
/// so a snapshot costs a few reference-count bumps, not copies of audio or pictures.
public struct EngineSnapshot: Sendable {
    public enum Side: String, Sendable, Equatable { case a = "A", b = "B" }

    public struct ClipRow: Sendable, Equatable {
        public var id: String
        public var duration: Double
        public var takes: Int
        public var missing: Bool
        public init(id: String, duration: Double, takes: Int, missing: Bool) {
            self.id = id; self.duration = duration; self.takes = takes; self.missing = missing
        }
    }

    public struct GeneratorRow: Sendable, Equatable {
        public var name: String
        public var parameters: [ParameterSpec]
        public init(name: String, parameters: [ParameterSpec]) { self.name = name; self.parameters = parameters }
        public func uses(_ p: Parameter) -> Bool { parameters.contains { $0.parameter == p } }
    }

    public struct Message: Sendable, Equatable {
        public var text: String
        public var isError: Bool
        public init(text: String, isError: Bool) { self.text = text; self.isError = isError }
    }

    public var projectName = ""
    public var projectFolder = ""
    /// Why the last autosave failed, until one succeeds.
    public var unsaved: String?
    /// Why the project is open read-only (another process writes it); nil when writable.
    public var readOnly: String?
    public var clips: [ClipRow] = []
    public var clipIndex = 0
    public var tracks: [String] = [Project.defaultTrack]
    public var trackIndex = 0
    /// Takes of the current clip on the current track, oldest first.
    public var takes: [Project.Take] = []
    public var slotA: String?
    public var slotB: String?
    public var side: Side = .a
    /// The take being heard (slot A or B, whichever is active).
    public var heard: String?

    public var cursor = 0.0
    public var playing = false
    public var rate = 1
    public var looping = false
    public var device: Player.Device = .unavailable("not started")
    public var inPoint: Double?
    public var outPoint: Double?

    public var generators: [GeneratorRow] = []
    public var generatorIndex = 0
    /// Slider values for the current generator (parameters it does not use keep their last value).
    public var values: ParameterValues = [:]
    /// Set when generation is impossible (no generator installed, no visual encoder).
    public var generatorUnavailable: String?

    /// The heard take's mel, and the clip's length it spans.
    public var mel: MelSpectrogram?
    public var frame: RGBImage?
    /// A picture imagined from a take's sound (Visual Echoes), shown instead of the clip's frame
    /// while the playhead stays at its moment.
    public var imagined: Imagined?

    public struct Imagined: Sendable, Equatable {
        public var image: RGBImage
        public var at: Double
        public var take: String
        public init(image: RGBImage, at: Double, take: String) { self.image = image; self.at = at; self.take = take }
    }
    public var jobs: [JobQueue.Status] = []
    public var message: Message?
    /// Bumped on every change of engine state (not on playhead movement).
    public var version = 0

    public init() {}

    public var clip: ClipRow? { clips.indices.contains(clipIndex) ? clips[clipIndex] : nil }
    public var track: String { tracks.indices.contains(trackIndex) ? tracks[trackIndex] : Project.defaultTrack }
    public var generator: GeneratorRow? { generators.indices.contains(generatorIndex) ? generators[generatorIndex] : nil }
    public var selection: ClosedRange<Double>? {
        guard let i = inPoint, let o = outPoint, o > i else { return nil }
        return i...o
    }
}
