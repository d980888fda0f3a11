import Foundation
import Media
import TestHelpers
import Testing

/// The full-band renderer through `foley generate --reconstruct` on the tiny fixtures: the
/// codec's floor and the clip's own mel rendered at 44.1 kHz, and the flags refused where they
/// mean nothing.
@Suite struct FullBandCLITests {
    let foley = BuiltProducts.path("foley")

    @Test func reconstructsAtFullBandAndRefusesWhatItCannotDo() throws {
        let dir = try TempDirectory("fullband-cli")
        defer { dir.remove() }
        let weights = try TestBundles.weights(with: ["specvqgan-tiny", "fullband-tiny"], in: dir.path)
        let clip = Fixtures.repositoryRoot + "/Projects/demo/clips/test-00013.mp4"
        func run(_ name: String, _ args: [String]) throws -> ProcessResult {
            try Subprocess.run(foley, ["generate", "--weights", weights, "--generator", "specvqgan-tiny", clip, "-o", dir.file(name)] + args)
        }
        let working = try run("w.wav", ["--reconstruct", "--vocoder", "melgan-raw"])
        #expect(working.status == 0, "\(working.stderr)")
        let w = try WAVAudio.read(path: dir.file("w.wav"))
        for (name, extra) in [("a.wav", [String]()), ("b.wav", ["--mel-only"])] {
            let r = try run(name, ["--reconstruct", "--full-band", "--full-band-bundle", "fullband-tiny"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = try WAVAudio.read(path: dir.file("a.wav")), b = try WAVAudio.read(path: dir.file("b.wav"))
        #expect(a.sampleRate == 44100 && b.sampleRate == 44100 && w.sampleRate == 22050)
        #expect(a.samples.count == 2 * w.samples.count && b.samples.count == a.samples.count, "the same clip, twice the samples")
        #expect(a.samples != b.samples, "--mel-only skips the codec: another mel, another waveform")
        let noReconstruct = try run("x.wav", ["--full-band"])
        #expect(noReconstruct.status != 0 && noReconstruct.stderr.contains("--reconstruct"), "\(noReconstruct.stderr)")
        let missing = try run("y.wav", ["--reconstruct", "--full-band"])
        #expect(missing.status != 0 && missing.stderr.contains("fullband-vocoder"), "the bundle it looked for is named: \(missing.stderr)")
    }
}
