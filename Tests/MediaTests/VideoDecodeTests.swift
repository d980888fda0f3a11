import Foundation
import Media
import TestHelpers
import Testing

/// Luma 16 + 4·N written by `MediaFixtures.countingClip` back to N (limited-range video).
func frameIndex(_ image: RGBImage) -> Int {
    Int((image.meanLuma * 219 / 255 / 4).rounded())
}

@Suite struct VideoDecodeTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var args: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "h264-25.mp4", args: ["-f", "lavfi", "-i", "testsrc=s=320x240:r=25:d=2", "-c:v", "libx264", "-pix_fmt", "yuv420p"]),
        Case(name: "mpeg4-ntsc.avi", args: ["-f", "lavfi", "-i", "testsrc=s=176x144:r=30000/1001:d=2", "-c:v", "mpeg4"]),
        Case(name: "vp9-24.webm", args: ["-f", "lavfi", "-i", "testsrc=s=160x120:r=24:d=2", "-c:v", "libvpx-vp9", "-deadline", "realtime"]),
        Case(name: "mjpeg-15.mkv", args: ["-f", "lavfi", "-i", "testsrc=s=160x90:r=15:d=2", "-c:v", "mjpeg"]),
        // Variable frame rate: drop 2 of every 5 frames and keep the original timestamps.
        Case(name: "vfr.mp4", args: ["-f", "lavfi", "-i", "testsrc=s=160x120:r=30:d=2", "-vf", "select='lt(mod(n\\,5)\\,3)'",
                                     "-fps_mode", "passthrough", "-c:v", "libx264", "-pix_fmt", "yuv420p"]),
    ]

    @Test(arguments: cases)
    func frameTimesAgreeWithFFprobe(_ c: Case) throws {
        let path = try MediaFixtures.clip(c.name, c.args)
        let reader = try VideoReader(path: path)
        let ours = try reader.presentationTimes()
        let probe = try FFprobe.videoFrameTimes(path)
        #expect(ours.count == probe.count, "\(c.name): \(ours.count) frames decoded, ffprobe counts \(probe.count)")
        for (a, b) in zip(ours, probe) {
            #expect(abs(a - b) < 1e-3, "\(c.name): frame time \(a) vs ffprobe \(b)")
        }
        let resampled = try reader.frames(rate: VideoReader.featureRate, shape: .square(32))
        #expect(resampled.count == reader.frameCount(rate: VideoReader.featureRate))
        #expect(resampled.allSatisfy { $0.width == 32 && $0.height == 32 })
    }

    @Test func resamplingPicksTheFrameShownAtEachInstant() throws {
        let path = try MediaFixtures.countingClip(fps: 25, seconds: 2, codec: ["-c:v", "libx264", "-qp", "0", "-g", "12", "-pix_fmt", "yuv420p"])
        let reader = try VideoReader(path: path)
        #expect(abs(reader.duration - 2) < 1e-6)
        let rate = VideoReader.featureRate
        let frames = try reader.frames(rate: rate, shape: .square(16))
        #expect(frames.count == Int((2 * rate).rounded(.up)))
        for (k, f) in frames.enumerated() {
            let expected = Int((Double(k) / rate * 25 + 1e-9).rounded(.down))
            #expect(frameIndex(f) == expected, "output \(k) at \(Double(k) / rate) s")
        }
    }

    @Test func variableFrameRateResamplesByPresentationTime() throws {
        // Frames n with n mod 5 in {0,1,2} survive, each keeping its time n/25.
        let path = try MediaFixtures.clip("vfr-counting.mp4", [
            "-f", "lavfi", "-i", "nullsrc=s=64x48:r=25:d=2,geq=lum='16+N*4':cb=128:cr=128",
            "-vf", "select='lt(mod(n\\,5)\\,3)'", "-fps_mode", "passthrough",
            "-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv420p"])
        let reader = try VideoReader(path: path)
        let kept = (0..<50).filter { $0 % 5 < 3 }
        let frames = try reader.frames(rate: 40, shape: .square(8))
        for (k, f) in frames.enumerated() {
            let t = Double(k) / 40
            let expected = kept.last { Double($0) / 25 <= t + 1e-9 }!
            #expect(frameIndex(f) == expected, "output \(k) at \(t) s")
        }
    }

    @Test func seekingLandsOnTheFrameShownAtThatTime() throws {
        let path = try MediaFixtures.countingClip(fps: 25, seconds: 2, codec: ["-c:v", "libx264", "-qp", "0", "-g", "12", "-pix_fmt", "yuv420p"])
        let reader = try VideoReader(path: path)
        // Forward, backward, across keyframes (every 12 frames) and mid-GOP.
        for t in [0.0, 0.37, 1.5, 0.99, 0.04, 1.96, 0.5, 1.23] {
            let f = try reader.frame(at: t, shape: .square(8))
            #expect(frameIndex(f) == Int((t * 25 + 1e-9).rounded(.down)), "seek to \(t) s")
        }
        // Past the end shows the last frame.
        #expect(frameIndex(try reader.frame(at: 10, shape: .square(8))) == 49)
    }

    @Test func scrubbingForwardAgreesWithSequentialDecoding() throws {
        let path = try MediaFixtures.countingClip(fps: 25, seconds: 2, codec: ["-c:v", "libx264", "-qp", "0", "-g", "12", "-pix_fmt", "yuv420p"])
        let reader = try VideoReader(path: path)
        let frames = try reader.frames(rate: 30, shape: .square(8))
        // Step through, then jump back and step again: the decode cursor must not drift.
        for pass in 0..<2 {
            for k in stride(from: pass, to: frames.count, by: 3) {
                #expect(frameIndex(try reader.frame(at: Double(k) / 30, shape: .square(8))) == frameIndex(frames[k]), "pass \(pass) step \(k)")
            }
        }
    }

    @Test func resizeKeepsAspectAndCropsTheCentre() throws {
        // Left third red, middle green, right third blue: a centre crop of 16:9 must be green.
        let path = try MediaFixtures.clip("thirds.mp4", [
            "-f", "lavfi", "-i", "color=c=red:s=640x360:d=1,drawbox=x=213:y=0:w=214:h=360:color=green:t=fill,drawbox=x=427:y=0:w=213:h=360:color=blue:t=fill",
            "-c:v", "libx264", "-pix_fmt", "yuv444p", "-qp", "0"])
        let reader = try VideoReader(path: path)
        #expect(reader.width == 640 && reader.height == 360)
        let square = try reader.frame(at: 0.5, shape: .square(18))
        let centre = square.pixel(x: 9, y: 9)
        #expect(centre.g > 100 && centre.r < 60 && centre.b < 60)
        // The crop covers 360/640 of the width: its edges sit inside the red and blue thirds.
        #expect(square.pixel(x: 0, y: 9).r > 150)
        #expect(square.pixel(x: 17, y: 9).b > 150)
        let preview = try reader.frame(at: 0.5, shape: .exact(width: 30, height: 10))
        #expect(preview.width == 30 && preview.height == 10)
        #expect(preview.pixel(x: 1, y: 5).r > 150 && preview.pixel(x: 28, y: 5).b > 150)
    }
}
