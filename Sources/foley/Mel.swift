import ArgumentParser
import DSP
import Foundation
import Media

struct Mel: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a clip's mel spectrogram as a terminal picture with a time axis.")

    @Argument(help: "A video or audio file.") var file: String
    @Option(help: "Width in columns, 28…4096 (default: the terminal's width).") var width: Int?

    func validate() throws {
        if let width, !(28...4096).contains(width) { throw ValidationError("--width: got [\(width)], expected [28…4096 columns]") }
    }
    @Flag(help: "Plain characters instead of colour.") var plain = false

    func run() throws {
        guard let audio = try AudioReader.read(path: file) else {
            throw ValidationError("\(file): has no audio stream, so there is no spectrogram to show")
        }
        let mel = try MelAnalyzer().normalized(audio.samples)
        let columns = max(20, (width ?? TerminalSize.columns()) - 8)
        let picture = MelPicture(mel: mel, duration: audio.duration, columns: columns, rows: 20)
        print("\(file): \(formatTime(audio.duration)), \(mel.frames) mel frames × \(mel.bands) bands")
        print(plain ? picture.renderPlain() : picture.renderColour(), terminator: "")
    }
}

enum TerminalSize {
    static func columns() -> Int {
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
        return 100
    }
}
