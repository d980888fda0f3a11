import Foundation

/// Short-time Fourier transform with librosa's conventions: periodic Hann window, frames
/// centred on t * hop (the signal padded by nFFT / 2 each side), iSTFT by weighted
/// overlap-add normalised by the summed squared window.
public final class STFT {
    public enum Padding: Sendable { case reflect, zeros }

    public let nFFT: Int
    public let hop: Int
    public let window: [Float]
    public let center: Bool
    public let padding: Padding
    private let fft: RealFFT

    public init(nFFT: Int = AudioGeometry.nFFT, hop: Int = AudioGeometry.hopLength,
                winLength: Int? = nil, center: Bool = true, padding: Padding = .reflect) throws {
        let win = winLength ?? nFFT
        guard hop > 0, win > 0, win <= nFFT else {
            throw DSPError.invalidParameter(name: "STFT", got: "nFFT \(nFFT), hop \(hop), win \(win)",
                                            expected: "hop > 0 and 0 < win <= nFFT")
        }
        self.nFFT = nFFT
        self.hop = hop
        self.center = center
        self.padding = padding
        fft = try RealFFT(size: nFFT)
        // Periodic Hann of length win, zero-padded to nFFT about the centre.
        var w = [Float](repeating: 0, count: nFFT)
        let offset = (nFFT - win) / 2
        for n in 0..<win { w[offset + n] = Float(0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(win))) }
        window = w
    }

    public var bins: Int { nFFT / 2 + 1 }

    public func frameCount(samples: Int) -> Int {
        center ? 1 + samples / hop : max(0, 1 + (samples - nFFT) / hop)
    }

    public func forward(_ x: [Float]) -> Spectrogram {
        frames(padded: center ? pad(x) : x, count: frameCount(samples: x.count))
    }

    /// The samples frames `range` read, in padded coordinates (what `pad` would give, without
    /// padding the whole signal): a long signal can be analysed a block of frames at a time.
    public func segment(_ x: [Float], frames range: Range<Int>) -> [Float] {
        let start = range.lowerBound * hop, length = range.isEmpty ? 0 : (range.count - 1) * hop + nFFT
        let p = center ? nFFT / 2 : 0
        let period = 2 * (x.count - 1)
        func reflected(_ i: Int) -> Float {
            var m = i % period
            if m < 0 { m += period }
            return x[m < x.count ? m : period - m]
        }
        return (start..<(start + length)).map { i in
            let j = i - p
            if j >= 0 && j < x.count { return x[j] }
            guard center, padding == .reflect, x.count > 1 else { return 0 }
            return j < 0 ? reflected(-j) : reflected(2 * (x.count - 1) - j)
        }
    }

    /// `count` frames from an already padded signal (frame t starts at t * hop).
    public func frames(padded: [Float], count frames: Int) -> Spectrogram {
        var spec = Spectrogram(frames: frames, bins: bins)
        var buffer = [Float](repeating: 0, count: nFFT)
        padded.withUnsafeBufferPointer { src in
            window.withUnsafeBufferPointer { w in
                spec.re.withUnsafeMutableBufferPointer { re in
                    spec.im.withUnsafeMutableBufferPointer { im in
                        buffer.withUnsafeMutableBufferPointer { buf in
                            for t in 0..<frames {
                                let start = t * hop
                                for n in 0..<nFFT { buf[n] = src[start + n] * w[n] }
                                fft.forward(buf.baseAddress!, re: re.baseAddress! + t * bins, im: im.baseAddress! + t * bins)
                            }
                        }
                    }
                }
            }
        }
        return spec
    }

    /// Inverse; `length` trims or zero-pads the result (librosa's `length`).
    public func inverse(_ spec: Spectrogram, length: Int? = nil) -> [Float] {
        precondition(spec.bins == bins, "iSTFT: got \(spec.bins) bins, expected \(bins)")
        let total = nFFT + hop * max(0, spec.frames - 1)
        var y = [Float](repeating: 0, count: total)
        var norm = [Float](repeating: 0, count: total)
        var frame = [Float](repeating: 0, count: nFFT)
        spec.re.withUnsafeBufferPointer { re in
            spec.im.withUnsafeBufferPointer { im in
                frame.withUnsafeMutableBufferPointer { f in
                    for t in 0..<spec.frames {
                        fft.inverse(re: re.baseAddress! + t * bins, im: im.baseAddress! + t * bins, output: f.baseAddress!)
                        let start = t * hop
                        for n in 0..<nFFT {
                            y[start + n] += f[n] * window[n]
                            norm[start + n] += window[n] * window[n]
                        }
                    }
                }
            }
        }
        let tiny = Float.leastNormalMagnitude
        for i in 0..<total where norm[i] > tiny { y[i] /= norm[i] }
        let start = center ? nFFT / 2 : 0
        let wanted = length ?? (center ? total - nFFT : total)
        var out = [Float](repeating: 0, count: max(0, wanted))
        let available = max(0, min(wanted, total - start))
        if available > 0 { out.replaceSubrange(0..<available, with: y[start..<(start + available)]) }
        return out
    }

    /// Pads nFFT/2 each side: reflection without repeating the edge (numpy's "reflect"), or zeros.
    func pad(_ x: [Float]) -> [Float] {
        let p = nFFT / 2
        var out = [Float](repeating: 0, count: x.count + 2 * p)
        guard !x.isEmpty else { return out }
        out.replaceSubrange(p..<(p + x.count), with: x)
        guard padding == .reflect, x.count > 1 else { return out }
        let period = 2 * (x.count - 1)
        func reflected(_ i: Int) -> Float {
            var m = i % period
            if m < 0 { m += period }
            return x[m < x.count ? m : period - m]
        }
        for i in 0..<p {
            out[p - 1 - i] = reflected(i + 1)
            out[p + x.count + i] = reflected(x.count - 2 - i)
        }
        return out
    }
}
