import Foundation
import Media
import TestHelpers

enum MediaBench {
    static func run() throws {
        print("== media: decode + resize, as a multiple of real time (one core)")
        let path = try MediaFixtures.clip("bench-1080p30.mp4", [
            "-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=30:d=10", "-f", "lavfi", "-i", "sine=frequency=440:d=10",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"])
        let reader = try VideoReader(path: path)
        let duration = reader.duration
        print("clip: 1920x1080 H.264 30 fps, \(Bench.fmt(duration, 1)) s")
        let features = try Bench.time(runs: 3) { _ = try reader.frames(rate: VideoReader.featureRate, shape: .square(64)) }
        print("video → 21.53 fps 64x64 features: \(Bench.fmt(features.median, 3)) s median → \(Bench.fmt(duration / features.median, 1))x real time")
        let all = try Bench.time(runs: 3) { _ = try reader.frames(rate: 30, shape: .square(64)) }
        print("video → every frame (30 fps) 64x64:  \(Bench.fmt(all.median, 3)) s median → \(Bench.fmt(duration / all.median, 1))x real time")
        // Scrubbing forward by one 21.5 fps step (playback preview), and jumps in random order.
        let step = 1 / VideoReader.featureRate
        let steps = Array(stride(from: 0.0, to: duration - 0.1, by: step))
        let jumps = [7.3, 1.1, 9.2, 4.4, 0.2, 6.6, 2.9, 8.1, 3.3, 5.5]
        for (label, times) in [("scrub forward one step", steps), ("jump to a random time", jumps)] {
            var seekTimes: [Double] = []
            for t in times {
                let t0 = Bench.now()
                _ = try reader.frame(at: t, shape: .exact(width: 64, height: 36))
                seekTimes.append(Bench.now() - t0)
            }
            seekTimes.sort()
            print("\(label) (64x36 preview): median \(Bench.fmt(seekTimes[seekTimes.count / 2] * 1000, 1)) ms, "
                  + "worst \(Bench.fmt(seekTimes.last! * 1000, 1)) ms (keyframe every 250 frames)")
        }
        let audio = try Bench.time(runs: 3) { _ = try AudioReader.read(path: path) }
        print("audio → 22.05 kHz mono:            \(Bench.fmt(audio.median, 3)) s median → \(Bench.fmt(duration / audio.median, 0))x real time")
    }
}
