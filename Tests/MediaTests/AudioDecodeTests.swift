import Foundation
import Media
import TestHelpers
import Testing

/// Frequency of a pure tone by counting rising zero crossings with sub-sample interpolation.
func estimateFrequency(_ x: [Float], sampleRate: Int) -> Double {
    var crossings: [Double] = []
    for i in 1..<x.count where x[i - 1] < 0 && x[i] >= 0 {
        crossings.append(Double(i - 1) + Double(-x[i - 1] / (x[i] - x[i - 1])))
    }
    guard crossings.count > 2 else { return 0 }
    return Double(crossings.count - 1) / ((crossings.last! - crossings.first!) / Double(sampleRate))
}

@Suite struct AudioDecodeTests {
    @Test func toneDecodesToItsFrequencyAt22050() throws {
        let path = try MediaFixtures.clip("tone440.mp4", [
            "-f", "lavfi", "-i", "testsrc=s=160x120:r=25:d=3", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:d=3",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"])
        let audio = try #require(try AudioReader.read(path: path))
        #expect(audio.sampleRate == 22050)
        #expect(audio.sourceSampleRate == 44100)
        #expect(abs(audio.duration - 3) < 0.05)
        let middle = Array(audio.samples[22050..<(22050 * 2)])
        #expect(abs(estimateFrequency(middle, sampleRate: 22050) - 440) < 0.5)
    }

    @Test func stereoIsAveragedToMonoAtARequestedRate() throws {
        // Left 1 kHz, right silent: the mono mix is the tone at half amplitude.
        let path = try MediaFixtures.clip("stereo.wav", [
            "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000:d=1", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono",
            "-filter_complex", "[0][1]amerge=inputs=2,atrim=0:1", "-c:a", "pcm_s16le"])
        let audio = try #require(try AudioReader.read(path: path, sampleRate: 16000))
        #expect(audio.sourceChannels == 2)
        #expect(abs(audio.samples.count - 16000) <= 16)
        let mid = audio.samples[4000..<12000]
        let peak = mid.map { abs($0) }.max()!
        // ffmpeg's sine source has amplitude 1/8.
        #expect(abs(peak - 0.0625) < 0.004, "peak \(peak)")
        #expect(abs(estimateFrequency(Array(mid), sampleRate: 16000) - 1000) < 1)
    }

    @Test func videoWithoutAudioIsNotAnError() throws {
        let path = try MediaFixtures.clip("silent.mp4", ["-f", "lavfi", "-i", "testsrc=s=64x48:r=25:d=1", "-c:v", "libx264", "-pix_fmt", "yuv420p"])
        #expect(try AudioReader.read(path: path) == nil)
        let info = try MediaInfo.probe(path: path)
        #expect(info.hasVideo && !info.hasAudio)
    }
}
