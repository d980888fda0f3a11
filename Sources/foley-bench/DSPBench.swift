import DSP
import Foundation

enum DSPBench {
    static func run() throws {
        print("== dsp: STFT + mel and Griffin-Lim, as a multiple of real time (one core)")
        let seconds = 30.0
        let n = Int(seconds * 22050)
        let x: [Float] = (0..<n).map { i in
            let t = Double(i)
            return Float(0.3 * sin(t * 0.05) + 0.2 * sin(t * 0.0071))
        }
        let analyzer = try MelAnalyzer()
        let stft = try Bench.time { _ = analyzer.stft.forward(x) }
        print("STFT (1024/256) of \(Int(seconds)) s: \(Bench.fmt(stft.median * 1000, 1)) ms → \(Bench.fmt(seconds / stft.median, 0))x real time")
        let mel = try Bench.time { _ = analyzer.normalized(x) }
        print("normalised mel of \(Int(seconds)) s: \(Bench.fmt(mel.median * 1000, 1)) ms → \(Bench.fmt(seconds / mel.median, 0))x real time")
        let window = analyzer.normalized(Array(x.prefix(512 * 256)))
        let gl = try Bench.time(runs: 3) { _ = GriffinLim(iterations: 32).waveform(fromNormalizedMel: window, analyzer: analyzer) }
        let windowSeconds = Double(512 * 256) / 22050
        print("Griffin-Lim 32 it, 512-frame window (\(Bench.fmt(windowSeconds, 2)) s): \(Bench.fmt(gl.median, 3)) s → \(Bench.fmt(windowSeconds / gl.median, 1))x real time")
    }
}
