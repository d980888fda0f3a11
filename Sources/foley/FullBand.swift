import ArgumentParser
import DSP
import Foundation
import Generators
import Media

/// Working-rate WAVs (a take from before the full-band renderer, a `foley generate` without
/// --full-band) through the shared full-band renderer: the same last stage the workstation's
/// takes end in, so `foley generate X` then `foley full-band` equals `foley generate --full-band X`.
struct FullBand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "full-band",
        abstract: "Render 22.05 kHz WAVs at 44.1 kHz through the shared full-band renderer.",
        discussion: "Example: foley full-band takes/*.wav -o takes-44k/")

    @Argument(help: "WAV files at 22 050 Hz.") var inputs: [String]
    @Option(name: .shortAndLong, help: "Output folder: one WAV per input, the same name.") var output: String
    @Option(help: "Folder of model bundles (default: $FOLEY_WEIGHTS, then Weights/).") var weights: String?
    @Option(name: .customLong("full-band-bundle"), help: "The full-band vocoder's bundle in the weights folder.") var bundle = FullBandRenderer.bundleName
    @Option(help: "split (the input below 9 kHz, the full-band vocoder above) or vocoder (the vocoder across the whole band, from the input's mel).")
    var mode: FullBandRenderer.Mode = .split
    @Flag(help: "Skip inputs whose output already exists.") var resume = false

    func run() throws {
        let directory = weights ?? ModelBundle.directory()
        let renderer = try FullBandRenderer(bundle: ModelBundle(path: directory + "/" + bundle, kind: FullBandVocoder.kind))
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let started = Date()
        var seconds = 0.0
        for (i, input) in inputs.enumerated() {
            let out = (output as NSString).appendingPathComponent((input as NSString).lastPathComponent)
            guard (out as NSString).standardizingPath != (input as NSString).standardizingPath else {
                throw ValidationError("\(input): -o \(output) would overwrite it; write to another folder")
            }
            if resume && FileManager.default.fileExists(atPath: out) { continue }
            let wav = try WAVAudio.read(path: input)
            guard wav.sampleRate == AudioGeometry.sampleRate else {
                throw MediaError.invalidArgument("\(input): got [\(wav.sampleRate) Hz], expected [\(AudioGeometry.sampleRate) Hz, the working rate]")
            }
            try WAVAudio(sampleRate: renderer.rate, format: .float32, samples: try renderer.render(working: wav.mono, mode: mode)).write(to: out)
            seconds += Double(wav.frameCount) / Double(wav.sampleRate)
            FileHandle.standardError.write(Data("\r\(i + 1)/\(inputs.count)".utf8))
        }
        let elapsed = Date().timeIntervalSince(started)
        FileHandle.standardError.write(Data(String(format: "\nrendered %.1f s of audio in %.1f s (%.3f of its duration)\n", seconds, elapsed, elapsed / max(seconds, 1e-9)).utf8))
    }
}
