import Foundation
import Media
import TestHelpers
import Testing

/// The full-band renderer through `foley generate` and `foley full-band` on the tiny fixtures:
/// the codec's floor and the clip's own mel rendered at 44.1 kHz, a generated take at full band
/// equal to its working-rate take rendered afterwards, and the flags refused where they mean nothing.
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
        for (name, extra) in [("a.wav", ["--full-band-mode", "vocoder"]), ("b.wav", ["--mel-only", "--full-band-mode", "vocoder"]), ("c.wav", [])] {
            let r = try run(name, ["--reconstruct", "--full-band", "--full-band-bundle", "fullband-tiny"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = try WAVAudio.read(path: dir.file("a.wav")), b = try WAVAudio.read(path: dir.file("b.wav")), c = try WAVAudio.read(path: dir.file("c.wav"))
        #expect(a.sampleRate == 44100 && b.sampleRate == 44100 && c.sampleRate == 44100 && w.sampleRate == 22050)
        #expect(a.samples.count == 2 * w.samples.count && b.samples.count == a.samples.count && c.samples.count == a.samples.count,
                "the same clip, twice the samples")
        #expect(a.samples != b.samples, "--mel-only skips the codec: another mel, another waveform")
        let noReconstruct = try run("x.wav", ["--mel-only"])
        #expect(noReconstruct.status != 0 && noReconstruct.stderr.contains("--reconstruct"), "\(noReconstruct.stderr)")

        // A generated take at full band is the working-rate take through `foley full-band`.
        let generated = try run("g.wav", ["--seed", "3"])
        let full = try run("g44.wav", ["--seed", "3", "--full-band", "--full-band-bundle", "fullband-tiny"])
        #expect(generated.status == 0 && full.status == 0, "\(generated.stderr) \(full.stderr)")
        try FileManager.default.createDirectory(atPath: dir.file("up"), withIntermediateDirectories: true)
        let up = try Subprocess.run(foley, ["full-band", "--weights", weights, "--full-band-bundle", "fullband-tiny", dir.file("g.wav"), "-o", dir.file("up")])
        #expect(up.status == 0, "\(up.stderr)")
        let g44 = try WAVAudio.read(path: dir.file("g44.wav")), upped = try WAVAudio.read(path: dir.file("up/g.wav"))
        #expect(g44.sampleRate == 44100 && upped.samples == g44.samples)
        // It refuses what is not at the working rate, and never writes over its input.
        let twice = try Subprocess.run(foley, ["full-band", "--weights", weights, "--full-band-bundle", "fullband-tiny", dir.file("g44.wav"), "-o", dir.file("up2")])
        #expect(twice.status != 0 && twice.stderr.contains("g44.wav") && twice.stderr.contains("44100 Hz"), "\(twice.stderr)")
        let over = try Subprocess.run(foley, ["full-band", "--weights", weights, "--full-band-bundle", "fullband-tiny", dir.file("g.wav"), "-o", dir.path])
        #expect(over.status != 0 && over.stderr.contains("overwrite"), "\(over.stderr)")
        let missing = try run("y.wav", ["--reconstruct", "--full-band"])
        #expect(missing.status != 0 && missing.stderr.contains("fullband-vocoder"), "the bundle it looked for is named: \(missing.stderr)")
    }
}
