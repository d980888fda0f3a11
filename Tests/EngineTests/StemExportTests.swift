import Engine
import Foundation
import Media
import TestHelpers
import Testing

@Suite final class StemExportTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-export") }
    deinit { dir.remove() }

    /// A clip that starts at 01:00:00:00 timecode, so its stems carry TimeReference = 3600 s.
    func timecodedClip() throws -> String {
        try MediaFixtures.clip("export-tc.mp4", ["-f", "lavfi", "-i", "testsrc=s=160x120:r=25:d=2", "-timecode", "01:00:00:00",
                                                 "-c:v", "libx264", "-pix_fmt", "yuv420p"])
    }

    @Test func stemsAreBroadcastWAVsWithTheTakeDescribed() throws {
        let silent = try MediaFixtures.clip("export-silent.mp4", ["-f", "lavfi", "-i", "testsrc=s=64x48:r=25:d=1", "-c:v", "libx264", "-pix_fmt", "yuv420p"])
        let store = try ProjectStore.create(folder: dir.file("Scene 1"), clips: [try timecodedClip(), silent])
        #expect(store.project.clips[0].startOfDay == 3600)
        let samples = (0..<(22050 * 2)).map { Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / 22050)) }
        let take = try store.addTake(clip: "export-tc", samples: samples, sampleRate: 22050, generator: "specvqgan", weightsHash: "abc123",
                                     parameters: ["top_x": 64, "temperature": 1], seed: 7)
        let result = try StemExporter.export(store)
        #expect(result.skipped == ["export-silent/FX"])
        let path = try #require(result.written.first)
        #expect((path as NSString).lastPathComponent == "Scene-1_export-tc_FXSTEM_v01.wav")
        let probe = try FFprobe.json(path)
        let stream = try #require((probe["streams"] as? [[String: Any]])?.first)
        #expect(stream["sample_rate"] as? String == "48000")
        #expect(stream["bits_per_sample"] as? Int == 24)
        let format = try #require(probe["format"] as? [String: Any])
        #expect(abs(Double(format["duration"] as? String ?? "0")! - 2) < 1e-3)
        let tags = try #require(format["tags"] as? [String: String])
        #expect(tags["comment"] == "specvqgan temperature=1 top_x=64 seed=7 weights=abc123 take=\(take.id)")
        #expect(tags["encoded_by"] == "Foley")
        #expect(tags["time_reference"] == "\(3600 * 48000)")
        #expect(tags["coding_history"]?.hasPrefix("A=PCM,F=48000,W=24,M=mono") == true)
        // The tone survives resampling: compare with the same tone generated at 48 kHz.
        let stem = try WAVAudio.read(path: path)
        let reference = (0..<stem.frameCount).map { Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / 48000)) }
        #expect(Tolerance.maxAbsDiff(Array(stem.samples[1000..<90000]), Array(reference[1000..<90000])) < 2e-3)
        // A second export is a new version; nothing is overwritten.
        let again = try StemExporter.export(store, format: .init(sampleRate: 44100, sampleFormat: .pcm16))
        #expect((again.written[0] as NSString).lastPathComponent == "Scene-1_export-tc_FXSTEM_v02.wav")
        #expect(try WAVAudio.read(path: again.written[0]).sampleRate == 44100)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func foleyExportWritesStems() throws {
        let store = try ProjectStore.create(folder: dir.file("CLI"), clips: [try timecodedClip()])
        try store.addTake(clip: "export-tc", samples: [Float](repeating: 0.1, count: 22050), sampleRate: 22050, generator: "test",
                          weightsHash: "0", parameters: [:], seed: 1)
        let r = try Subprocess.run(BuiltProducts.path("foley"), ["export", store.folder, "--depth", "16"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("CLI_export-tc_FXSTEM_v01.wav"))
        let bad = try Subprocess.run(BuiltProducts.path("foley"), ["export", dir.file("nothing-here")])
        #expect(bad.status == 1 && bad.stderr.contains("not a Foley project"))
    }

    @Test func muxWritesTheClipsVideoWithTheTakeAsItsSoundtrack() throws {
        let clip = try timecodedClip()
        let store = try ProjectStore.create(folder: dir.file("Mux"), clips: [clip])
        let samples = (0..<(22050 * 2)).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / 22050)) }
        try store.addTake(clip: "export-tc", samples: samples, sampleRate: 22050, generator: "test", weightsHash: "0", parameters: [:], seed: 1)
        let r = try Subprocess.run(BuiltProducts.path("foley"), ["export", store.folder, "--mux"])
        #expect(r.status == 0, "\(r.stderr)")
        let movie = store.folder + "/stems/Mux_export-tc_FXSTEM_v01.mov"
        #expect(r.stdout.contains(movie))
        let probe = try FFprobe.json(movie)
        let streams = try #require(probe["streams"] as? [[String: Any]])
        #expect(streams.map { $0["codec_type"] as? String } == ["video", "audio"])
        #expect(streams[0]["codec_name"] as? String == "h264")
        #expect(streams[1]["codec_name"] as? String == "pcm_s24le" && streams[1]["sample_rate"] as? String == "48000")
        // The picture is copied, not re-encoded: the same number of frames at the same times.
        #expect(try FFprobe.videoFrameTimes(movie).count == FFprobe.videoFrameTimes(clip).count)
        // The soundtrack is the take (resampled to 48 kHz): a 440 Hz tone, as long as the clip.
        let audio = try #require(try AudioReader.read(path: movie, sampleRate: 22050))
        #expect(abs(audio.duration - 2) < 0.03)
        #expect(Tolerance.maxAbsDiff(Array(audio.samples[2000..<40000]), Array(samples[2000..<40000])) < 5e-3)
        let bad = try Subprocess.run(BuiltProducts.path("foley"), ["export", store.folder, "--mux"])
        #expect(bad.status == 0 && FileManager.default.fileExists(atPath: store.folder + "/stems/Mux_export-tc_FXSTEM_v02.mov"))
    }
}
