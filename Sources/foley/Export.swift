import ArgumentParser
import Engine
import Foundation
import Media

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export each clip's latest take as a Broadcast WAV stem into PROJECT/stems.")

    @Argument(help: "The project folder.") var project: String
    @Option(help: "Sample rate of the stems, 8000…384000 Hz.") var rate = 48000
    @Option(help: "Bit depth: 16, 24 or 32 (float).") var depth = 24
    @Flag(help: "Also write each clip's video with its take as the soundtrack (.mov; video copied, audio 24-bit PCM).") var mux = false

    func run() throws {
        let format: WAVSampleFormat
        guard (8000...384_000).contains(rate) else { throw ValidationError("--rate: got [\(rate)], expected [8000…384000 Hz]") }
        switch depth {
        case 16: format = .pcm16
        case 24: format = .pcm24
        case 32: format = .float32
        default: throw ValidationError("depth must be 16, 24 or 32, got \(depth)")
        }
        let (store, lock) = try ProjectStore.openForWriting(folder: project)
        defer { lock.release() }
        let result = try StemExporter.export(store, format: .init(sampleRate: rate, sampleFormat: format, mux: mux))
        for path in result.written { print("wrote \(path)") }
        if !result.skipped.isEmpty { print("no take yet for: \(result.skipped.joined(separator: ", "))") }
    }
}
