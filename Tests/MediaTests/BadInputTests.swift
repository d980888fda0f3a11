import Foundation
import Media
import TestHelpers
import Testing

/// Every kind of bad input gets a clear error naming the file, or a documented result.
@Suite final class BadInputTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-bad-input") }
    deinit { dir.remove() }

    func expectMessage(_ error: any Error, contains parts: [String]) {
        let text = "\(error)"
        for p in parts { #expect(text.contains(p), "message '\(text)' lacks '\(p)'") }
    }

    @Test func missingPath() throws {
        let p = dir.file("nope.mp4")
        #expect(throws: MediaError.fileNotFound(path: p)) { try VideoReader(path: p) }
        #expect(throws: MediaError.fileNotFound(path: p)) { try AudioReader.read(path: p) }
        #expect(throws: MediaError.fileNotFound(path: p)) { try MediaInfo.probe(path: p) }
        #expect(throws: MediaError.fileNotFound(path: p)) { try WAVAudio.read(path: p) }
    }

    @Test func directory() throws {
        #expect(throws: MediaError.notARegularFile(path: dir.path)) { try VideoReader(path: dir.path) }
        #expect(throws: MediaError.notARegularFile(path: dir.path)) { try WAVAudio.read(path: dir.path) }
    }

    @Test func emptyFile() throws {
        let p = dir.file("empty.mp4")
        dir.write((p as NSString).lastPathComponent, [UInt8]())
        #expect(throws: MediaError.emptyFile(path: p)) { try VideoReader(path: p) }
        #expect(throws: MediaError.emptyFile(path: p)) { try AudioReader.read(path: p) }
    }

    @Test func randomBytes() throws {
        let p = dir.file("noise.mp4")
        var g = SystemRandomNumberGenerator()
        dir.write((p as NSString).lastPathComponent, (0..<65536).map { _ in UInt8.random(in: 0...255, using: &g) })
        let error = #expect(throws: MediaError.self) { try VideoReader(path: p) }
        if let error { expectMessage(error, contains: [p, "cannot read media"]) }
        #expect(throws: MediaError.self) { try AudioReader.read(path: p) }
        let wavError = #expect(throws: MediaError.self) { try WAVAudio.read(path: p) }
        if let wavError { expectMessage(wavError, contains: [p, "not a valid WAV"]) }
    }

    @Test func truncatedMP4WithIndexAtTheFront() throws {
        let src = try MediaFixtures.clip("faststart.mp4", [
            "-f", "lavfi", "-i", "testsrc=s=320x240:r=25:d=4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart"])
        let bytes = try MediaFixtures.bytes(src)
        let p = dir.file("truncated-faststart.mp4")
        dir.write((p as NSString).lastPathComponent, bytes[0..<(bytes.count / 2)])
        let reader = try VideoReader(path: p)  // the index is intact: opening works
        let error = #expect(throws: MediaError.self) { try reader.frames(rate: 10, shape: .square(8)) }
        if let error {
            guard case .truncated(let path, let got, let declared) = error else {
                Issue.record("expected .truncated, got \(error)"); return
            }
            #expect(path == p && got < declared && abs(declared - 4) < 0.01)
            expectMessage(error, contains: [p, "truncated"])
        }
    }

    @Test func truncatedMP4WithIndexAtTheEnd() throws {
        let src = try MediaFixtures.clip("moov-at-end.mp4", [
            "-f", "lavfi", "-i", "testsrc=s=320x240:r=25:d=2", "-c:v", "libx264", "-pix_fmt", "yuv420p"])
        let bytes = try MediaFixtures.bytes(src)
        let p = dir.file("truncated-end.mp4")
        dir.write((p as NSString).lastPathComponent, bytes[0..<(bytes.count * 2 / 3)])
        let error = #expect(throws: MediaError.self) { try VideoReader(path: p) }
        if let error { expectMessage(error, contains: [p, "avformat_open_input"]) }
    }

    @Test func audioOnlyFileHasNoVideo() throws {
        let p = try MediaFixtures.clip("audio-only.m4a", ["-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac"])
        #expect(throws: MediaError.noVideoStream(path: p)) { try VideoReader(path: p) }
        let audio = try #require(try AudioReader.read(path: p))
        #expect(abs(audio.duration - 1) < 0.05)
    }

    @Test func videoOnlyFileHasNoAudio() throws {
        let p = try MediaFixtures.clip("video-only.mkv", ["-f", "lavfi", "-i", "testsrc=s=64x48:r=10:d=1", "-c:v", "mjpeg"])
        #expect(try AudioReader.read(path: p) == nil)
        #expect(try VideoReader(path: p).frames(rate: 10).count == 10)
    }

    @Test func nonPositiveParametersAreRejected() throws {
        let p = try MediaFixtures.clip("video-only.mkv", ["-f", "lavfi", "-i", "testsrc=s=64x48:r=10:d=1", "-c:v", "mjpeg"])
        let reader = try VideoReader(path: p)
        #expect(throws: MediaError.self) { try reader.frames(rate: 0) }
        #expect(throws: MediaError.self) { try reader.frame(at: 0, shape: .square(0)) }
        #expect(throws: MediaError.self) { try AudioReader.read(path: p, sampleRate: 0) }
    }
}
