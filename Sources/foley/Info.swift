import ArgumentParser
import Foundation
import Media

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a media file's container, duration and streams.")

    @Argument(help: "A video or audio file.") var file: String
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let info = try MediaInfo.probe(path: file)
        let decodable = try info.truncatedVideo()
        if let decodable { FileHandle.standardError.write(Data((MediaInfo.truncationWarning(file, decodable: decodable, declared: info.duration) + "\n").utf8)) }
        if json {
            let streams: [[String: Any]] = info.streams.map { s in
                var d: [String: Any] = ["index": s.index, "kind": s.kind.rawValue, "codec": s.codec]
                if let dur = s.duration { d["duration"] = dur }
                if s.kind == .video { d["width"] = s.width; d["height"] = s.height; d["frame_rate"] = s.frameRate }
                if s.kind == .audio { d["sample_rate"] = s.sampleRate; d["channels"] = s.channels }
                return d
            }
            var obj: [String: Any] = ["path": info.path, "container": info.container,
                                      "duration": info.duration, "streams": streams]
            if let decodable { obj["decodable_duration"] = decodable }
            let data = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("\(info.path)")
        print("  container  \(info.container) (\(info.containerLongName))")
        print("  duration   \(formatTime(info.duration))" + (info.bitRate > 0 ? ", \(info.bitRate / 1000) kb/s" : ""))
        if let decodable { print("  TRUNCATED  video decodes to \(formatTime(decodable)) only") }
        for s in info.streams {
            var line = "  stream #\(s.index)  \(s.kind.rawValue)  \(s.codec)"
            switch s.kind {
            case .video:
                line += "  \(s.width)x\(s.height)  \(String(format: "%.3f", s.frameRate)) fps"
                if s.frameCount > 0 { line += "  \(s.frameCount) frames" }
            case .audio:
                line += "  \(s.sampleRate) Hz  \(s.channels) ch"
            default: break
            }
            if let d = s.duration { line += "  \(formatTime(d))" }
            print(line)
        }
        if !info.hasAudio { print("  (no audio stream: a silent clip, ready for foley)") }
    }
}

func formatTime(_ seconds: Double) -> String {
    let ms = Int((seconds * 1000).rounded())
    return String(format: "%d:%02d.%03d", ms / 60000, (ms / 1000) % 60, ms % 1000)
}
