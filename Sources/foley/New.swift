import ArgumentParser
import Engine
import Foundation

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a project folder from video clips.")

    @Argument(help: "The project folder to create.") var name: String
    @Argument(help: "Video clips to add.") var clips: [String]
    @Option(help: "Comma-separated track names; one stem per clip and track.") var tracks = "FX"

    func run() throws {
        guard !clips.isEmpty else { throw ValidationError("give at least one clip") }
        let store = try ProjectStore.create(folder: name, clips: clips, tracks: tracks.split(separator: ",").map(String.init))
        for w in store.warnings { FileHandle.standardError.write(Data((w + "\n").utf8)) }
        print("created \(store.folder) with \(store.project.clips.count) clip(s):")
        for c in store.project.clips {
            print("  \(c.id)  \(formatTime(c.duration))\(c.hasAudio ? "" : "  (silent)")")
        }
    }
}
