import Foundation
import Media
import TestHelpers
import Testing

@Suite struct PNGTests {
    /// A picture written as PNG decodes (by FFmpeg, another implementation) to the same bytes.
    @Test func ffmpegDecodesWhatWasWritten() throws {
        let dir = try TempDirectory("png")
        defer { dir.remove() }
        let w = 70, h = 5
        let pixels: [UInt8] = (0..<(w * h * 3)).map { (i: Int) -> UInt8 in UInt8((i * 37) % 256) }
        let path = dir.file("p.png")
        try PNG.write(RGBImage(width: w, height: h, pixels: pixels), to: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let raw = dir.file("p.rgb")
        _ = try Subprocess.check("ffmpeg", ["-v", "error", "-y", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", raw])
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: raw))) == pixels)
    }

    @Test func aLargePictureSpansSeveralStoredBlocks() throws {
        let dir = try TempDirectory("png-big")
        defer { dir.remove() }
        let w = 200, h = 150                                                 // 90 KB of rows: two stored blocks
        let pixels: [UInt8] = (0..<(w * h * 3)).map { (i: Int) -> UInt8 in UInt8((i / 3 + (i % 3) * 85) % 256) }
        try PNG.write(RGBImage(width: w, height: h, pixels: pixels), to: dir.file("b.png"))
        _ = try Subprocess.check("ffmpeg", ["-v", "error", "-y", "-i", dir.file("b.png"), "-f", "rawvideo", "-pix_fmt", "rgb24", dir.file("b.rgb")])
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.file("b.rgb")))) == pixels)
    }
}
