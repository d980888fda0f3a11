import Foundation
import Media
import TestHelpers
import Testing

@Suite final class WAVTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-wav") }
    deinit { dir.remove() }

    /// A test signal that exercises full scale and the quantisation grid of each format.
    func signal(_ n: Int, channels: Int) -> [Float] {
        (0..<(n * channels)).map { i in Float(sin(Double(i) * 0.01) * 0.9) + (i % 97 == 0 ? 0.1 : 0) }
    }

    @Test(arguments: [WAVSampleFormat.pcm16, .pcm24, .float32])
    func roundTripIsBitExact(_ format: WAVSampleFormat) throws {
        let p = dir.file("rt-\(format).wav")
        let original = WAVAudio(sampleRate: 48000, channels: 2, format: format, samples: signal(4801, channels: 2))
        try original.write(to: p)
        let first = try MediaFixtures.bytes(p)
        let back = try WAVAudio.read(path: p)
        #expect(back.sampleRate == 48000 && back.channels == 2 && back.format == format)
        #expect(back.samples.count == original.samples.count)
        try back.write(to: dir.file("rt2-\(format).wav"))
        #expect(try MediaFixtures.bytes(dir.file("rt2-\(format).wav")) == first, "re-encoding changed bytes")
        if format == .float32 { #expect(back.samples == original.samples) }
        let step: Float = format == .pcm16 ? 1 / 32768 : format == .pcm24 ? 1 / 8_388_608 : 0
        #expect(Tolerance.maxAbsDiff(back.samples, original.samples) <= step / 2 + 1e-9)
    }

    @Test func fullScaleClipsInsteadOfWrapping() throws {
        let p = dir.file("clip.wav")
        try WAVAudio(sampleRate: 8000, format: .pcm16, samples: [1.5, -1.5, 1, -1]).write(to: p)
        let back = try WAVAudio.read(path: p)
        #expect(back.samples == [32767 / 32768, -1, 32767 / 32768, -1])
    }

    @Test(arguments: [("pcm_u8", 8), ("pcm_s32le", 32), ("pcm_f64le", 64), ("pcm_s24le", 24)])
    func readsWhatFFmpegWrites(_ codec: String, _ bits: Int) throws {
        let p = try MediaFixtures.clip("ff-\(codec).wav", ["-f", "lavfi", "-i", "sine=frequency=500:sample_rate=8000:d=0.5", "-c:a", codec])
        let wav = try WAVAudio.read(path: p)
        #expect(wav.format.bitsPerSample == bits)
        #expect(wav.frameCount == 4000)
        let peak = wav.samples.map { abs($0) }.max()!
        #expect(abs(peak - 0.125) < (bits == 8 ? 0.01 : 0.001))
        // ffmpeg's decoder and ours agree sample for sample.
        let decoded = try #require(try AudioReader.read(path: p, sampleRate: 8000))
        #expect(Tolerance.maxAbsDiff(decoded.samples, wav.samples) < (bits == 8 ? 1e-2 : 1e-5))
    }

    @Test func broadcastExtensionRoundTripsAndFFprobeReadsIt() throws {
        let p = dir.file("stem.wav")
        let bext = BroadcastExtension(description: "specvqgan top-x 64 temp 1.0 seed 7", originator: "Foley",
                                      originatorReference: "FOLEY-0001", originationDate: "2026-11-22",
                                      originationTime: "12:34:56", timeReference: 3_456_789_012,
                                      codingHistory: "A=PCM,F=48000,W=24,M=mono,T=Foley\r\n")
        try WAVAudio(sampleRate: 48000, format: .pcm24, samples: signal(4800, channels: 1), bext: bext).write(to: p)
        #expect(try WAVAudio.read(path: p).bext == bext)
        let probe = try FFprobe.json(p)
        let format = try #require(probe["format"] as? [String: Any])
        let tags = try #require(format["tags"] as? [String: String])
        // ffmpeg's WAV demuxer names bext fields after its generic tags.
        #expect(tags["comment"] == bext.description)
        #expect(tags["encoded_by"] == "Foley")
        #expect(tags["originator_reference"] == "FOLEY-0001")
        #expect(tags["date"] == "2026-11-22")
        #expect(tags["creation_time"] == "12:34:56")
        #expect(tags["time_reference"] == "3456789012")
        #expect(tags["coding_history"]?.hasPrefix("A=PCM,F=48000,W=24") == true)
        let stream = try #require((probe["streams"] as? [[String: Any]])?.first)
        #expect(stream["sample_rate"] as? String == "48000")
        #expect(stream["bits_per_sample"] as? Int == 24)
    }

    @Test func damagedFilesGiveClearErrors() throws {
        let good = dir.file("good.wav")
        try WAVAudio(sampleRate: 8000, format: .pcm16, samples: signal(1000, channels: 1)).write(to: good)
        let bytes = try MediaFixtures.bytes(good)
        // Truncated data chunk: the samples that are there survive.
        let cut = dir.file("cut.wav")
        dir.write((cut as NSString).lastPathComponent, bytes[0..<(bytes.count - 501)])
        #expect(try WAVAudio.read(path: cut).frameCount == 749)
        // Header only.
        let header = dir.file("header.wav")
        dir.write((header as NSString).lastPathComponent, bytes[0..<12])
        #expect(throws: MediaError.invalidWAV(path: header, reason: "no fmt chunk")) { try WAVAudio.read(path: header) }
        // An ADPCM format tag.
        var adpcm = bytes
        adpcm[20] = 2
        let a = dir.file("adpcm.wav")
        dir.write((a as NSString).lastPathComponent, adpcm)
        #expect(throws: MediaError.unsupportedWAV(path: a, formatTag: 2, bitsPerSample: 16)) { try WAVAudio.read(path: a) }
    }

    @Test func atomicWriteReplacesWholeFilesAndLeavesNoTemporaries() throws {
        let p = dir.file("atomic.wav")
        try WAVAudio(sampleRate: 8000, format: .pcm16, samples: [0.1, 0.2]).write(to: p)
        try WAVAudio(sampleRate: 8000, format: .pcm16, samples: signal(100, channels: 1)).write(to: p)
        #expect(try WAVAudio.read(path: p).frameCount == 100)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }.isEmpty)
        #expect(throws: MediaError.self) { try AtomicFile.write([1, 2, 3], to: dir.file("no/such/folder/x.wav")) }
    }

    /// A link, FIFO or device at the target is refused and left as it was (a symlinked
    /// project.json stays a link; `-o /dev/full` stays a device).
    @Test func atomicWriteReplacesOnlyRegularFiles() throws {
        let target = dir.file("real.json")
        try AtomicFile.write(Array("old".utf8), to: target)
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.json"), withDestinationPath: target)
        #expect(throws: MediaError.notARegularFile(path: dir.file("link.json"))) { try AtomicFile.write(Array("new".utf8), to: self.dir.file("link.json")) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.file("link.json")) == target)
        #expect(throws: MediaError.notARegularFile(path: "/dev/null")) { try AtomicFile.write([1], to: "/dev/null") }
        #expect(throws: MediaError.notARegularFile(path: dir.path)) { try AtomicFile.write([1], to: self.dir.path) }
    }
}
