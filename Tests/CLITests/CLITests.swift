import Foundation
import TestHelpers
import Testing

@Suite struct CLITests {
    let foley = BuiltProducts.path("foley")

    @Test func infoListsStreams() throws {
        let clip = try MediaFixtures.clip("cli-tone.mp4", [
            "-f", "lavfi", "-i", "testsrc=s=320x240:r=25:d=2", "-f", "lavfi", "-i", "sine=frequency=440:d=2",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"])
        let r = try Subprocess.run(foley, ["info", clip])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("video  h264  320x240  25.000 fps"))
        #expect(r.stdout.contains("audio  aac"))
        let json = try Subprocess.run(foley, ["info", "--json", clip])
        let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((obj?["streams"] as? [Any])?.count == 2)
    }

    @Test func melDrawsAPictureWithATimeAxis() throws {
        let clip = try MediaFixtures.clip("cli-tone.wav", ["-f", "lavfi", "-i", "sine=frequency=440:d=3"])
        let r = try Subprocess.run(foley, ["mel", "--plain", "--width", "68", clip])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count >= 23)
        #expect(lines[1].hasPrefix(" 7.6kHz"))
        #expect(lines.contains { $0.contains("0.00s") || $0.contains("0s") })
        #expect(lines.contains { $0.contains("3") && $0.contains("s") && !$0.contains("Hz") })
        // The 440 Hz tone is bright low in the picture and absent at the top.
        let body = lines[1...20].map { String($0.dropFirst(8)) }
        #expect(body[0].allSatisfy { $0 == " " || $0 == "." })
        #expect(body.suffix(6).contains { $0.contains("@") || $0.contains("%") || $0.contains("#") })
    }

    /// A still image renamed .mp4 probes as a 0 s video: `new` and `generate` refuse it instead
    /// of making a 0 s clip or a 58-byte take.
    @Test func aStillImageRenamedMP4IsNotAClip() throws {
        let dir = try TempDirectory("cli-png")
        defer { dir.remove() }
        let png = try MediaFixtures.clip("cli-still.png", ["-f", "lavfi", "-i", "testsrc=s=64x48", "-frames:v", "1"])
        let fake = dir.file("fake.mp4")
        try FileManager.default.copyItem(atPath: png, toPath: fake)
        let new = try Subprocess.run(foley, ["new", dir.file("P"), fake])
        #expect(new.status == 1 && new.stderr.contains("\(fake): got [a png_pipe file of duration 0.0 s], expected [a video clip with a duration]"), "\(new.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("P/project.json")))
        let gen = try Subprocess.run(foley, ["generate", fake, "-o", dir.file("x.wav")])
        #expect(gen.status == 1 && gen.stderr.contains("expected [a video clip with a duration]"), "\(gen.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("x.wav")))
    }

    @Test func numericOptionsOutsideTheirRangesAreRefused() throws {
        let clip = try MediaFixtures.clip("cli-tone.wav", ["-f", "lavfi", "-i", "sine=frequency=440:d=3"])
        let mel = try Subprocess.run(foley, ["mel", "--plain", "--width", "9999999999", clip])
        #expect(mel.status != 0 && mel.stderr.contains("--width: got [9999999999], expected [28…4096 columns]"), "\(mel.stderr)")
        let export = try Subprocess.run(foley, ["export", "/nonexistent-project", "--rate", "99999999999"])
        #expect(export.status != 0 && export.stderr.contains("--rate: got [99999999999], expected [8000…384000 Hz]"), "\(export.stderr)")
    }

    @Test func badInputIsReportedWithTheFileName() throws {
        let missing = try Subprocess.run(foley, ["info", "/no/such/clip.mp4"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/no/such/clip.mp4: no such file"))
        let silent = try MediaFixtures.clip("cli-silent.mkv", ["-f", "lavfi", "-i", "testsrc=s=64x48:r=10:d=1", "-c:v", "mjpeg"])
        let mel = try Subprocess.run(foley, ["mel", silent])
        #expect(mel.status != 0)
        #expect(mel.stderr.contains("has no audio stream"))
    }

    @Test func doctorReportsLibrariesAndAudioDevice() throws {
        let r = try Subprocess.run(foley, ["doctor", "--device", "null"])
        #expect(r.status == 0)
        for lib in ["libavformat", "FFTW", "OpenBLAS", "ncursesw", "ALSA"] { #expect(r.stdout.contains(lib)) }
        #expect(r.stdout.contains("'null': opens for playback"))
        let none = try Subprocess.run(foley, ["doctor", "--device", "hw:99,0"])
        #expect(none.stdout.contains("cannot open"))
    }
}
