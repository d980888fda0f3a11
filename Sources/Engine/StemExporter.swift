import Foundation
import Media

/// Exports each clip's chosen take as a Broadcast WAV stem in stems/:
/// PROJECT_CLIP_FXSTEM_vNN.wav, a new version number on every export so nothing is overwritten.
public enum StemExporter {
    public struct Format: Sendable {
        public var sampleRate: Int = 48000
        public var sampleFormat: WAVSampleFormat = .pcm24
        /// Also write the clip's video with the take as its soundtrack (.mov, video copied).
        public var mux = false
        public init(sampleRate: Int = 48000, sampleFormat: WAVSampleFormat = .pcm24, mux: Bool = false) {
            self.sampleRate = sampleRate
            self.sampleFormat = sampleFormat
            self.mux = mux
        }
    }

    public struct Result: Sendable {
        public var written: [String]
        /// Clips with no take to export.
        public var skipped: [String]
    }

    /// One stem per clip and track. `chosen` maps "clip/track" → take id (default: the project's
    /// chosen takes); clips and tracks not in it export their latest take. `project`: the
    /// state to export (a copy taken on the engine thread when exporting on a worker; default
    /// the store's). `progress` gets the fraction of stems written; returning false stops
    /// between stems (those written stay, each complete).
    public static func export(_ store: ProjectStore, project: Project? = nil, format: Format = Format(), chosen: [String: String]? = nil,
                              now: Date = Date(), progress: (Double) -> Bool = { _ in true }) throws -> Result {
        try store.requireWritable()
        var written: [String] = [], skipped: [String] = []
        let project = project ?? store.project
        let chosen = chosen ?? project.chosen ?? [:]
        var work: [(Project.Clip, String, Project.Take)] = []
        for clip in project.clips {
            for track in project.trackNames {
                let takes = project.takes(for: clip.id, track: track)
                let key = Project.chosenKey(clip: clip.id, track: track)
                guard let take = chosen[key].flatMap({ id in takes.first { $0.id == id } }) ?? takes.last else {
                    skipped.append(key)
                    continue
                }
                work.append((clip, track, take))
            }
        }
        for (i, (clip, track, take)) in work.enumerated() {
            guard progress(Double(i) / Double(work.count)) else { throw ExportCancelled(written: written) }
            written += try stem(store, name: project.name, clip: clip, track: track, take: take, format: format, now: now)
        }
        return Result(written: written, skipped: skipped)
    }

    /// Export stopped between stems; `written` lists the complete files already there.
    public struct ExportCancelled: Error { public var written: [String] }

    /// Writes one clip-and-track stem (and its muxed movie when asked); returns the paths.
    static func stem(_ store: ProjectStore, name: String, clip: Project.Clip, track: String, take: Project.Take, format: Format,
                     now: Date) throws -> [String] {
        let source = try WAVAudio.read(path: try store.owned(take.file))
        let samples = try SampleRateConverter.convert(source.mono, from: source.sampleRate, to: format.sampleRate)
        let prefix = "\(safe(name))_\(safe(clip.id))_\(safe(track).uppercased())STEM_v"
        let stems = try store.subfolder("stems")
        let path = "\(stems)/\(prefix)\(String(format: "%02d", nextVersion(prefix, in: stems))).wav"
        let bext = BroadcastExtension(
            description: description(take),
            originator: "Foley",
            originatorReference: String(take.id.prefix(32)),
            originationDate: stamp(now, "yyyy-MM-dd"), originationTime: stamp(now, "HH:mm:ss"),
            timeReference: UInt64((min(86_400, max(0, clip.startOfDay ?? 0)) * Double(format.sampleRate)).rounded()),
            codingHistory: "A=PCM,F=\(format.sampleRate),W=\(format.sampleFormat.bitsPerSample),M=mono,T=Foley\r\n")
        try WAVAudio(sampleRate: format.sampleRate, format: format.sampleFormat, samples: samples, bext: bext).write(to: path)
        guard format.mux else { return [path] }
        let movie = String(path.dropLast(4)) + ".mov"
        try VideoMuxer.mux(video: store.resolve(clip.path), audio: samples, sampleRate: format.sampleRate, to: movie)
        return [path, movie]
    }

    /// "specvqgan top_x=64 temperature=1 vocoder=melgan seed=7 weights=… fullband=… take=… span=1.00-2.50"; text
    /// in quotes, so a prompt reads back whole ("prompt=\"door slam\"").
    static func description(_ t: Project.Take) -> String {
        let params = t.parameters.sorted { $0.key < $1.key }.compactMap { key, value -> String? in
            switch value {
            case .number(let v): return "\(key)=\(String(format: "%g", v))"
            case .flag(let b): return "\(key)=\(b ? "on" : "off")"
            case .text(let s): return s.isEmpty ? nil : "\(key)=\"\(s.replacingOccurrences(of: "\"", with: "'"))\""
            }
        }
        let fullBand = t.fullBandWeights.map { ["fullband=\($0.prefix(12))"] } ?? []
        var d = ([t.generator] + params + ["seed=\(t.seed)", "weights=\(t.weightsHash.prefix(12))"] + fullBand + ["take=\(t.id)"]).joined(separator: " ")
        if let s = t.span { d += String(format: " span=%.2f-%.2f", s.lowerBound, s.upperBound) }
        return d
    }

    static func nextVersion(_ prefix: String, in folder: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let versions = names.compactMap { n -> Int? in
            guard n.hasPrefix(prefix), n.hasSuffix(".wav") else { return nil }
            return Int(n.dropFirst(prefix.count).dropLast(4))
        }
        return (versions.max() ?? 0) + 1
    }

    static func safe(_ s: String) -> String { ProjectPaths.fileComponent(s) }

    static func stamp(_ date: Date, _ pattern: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = pattern
        return f.string(from: date)
    }
}
