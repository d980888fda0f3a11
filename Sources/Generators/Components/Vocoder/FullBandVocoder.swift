import DSP
import Foundation
import Runtime

/// The shared full-band renderer (Training/foleytrain/fullband.py): the fixed 80-band mel
/// (22.05 kHz analysis, 86.13 frames/s) to a 44.1 kHz waveform, hop 512, so mel frame i and
/// STFT frame i are both centred on output sample 512·i. A Vocos network: a ConvNeXt backbone
/// at the frame rate and a head giving each frame's log-magnitude and phase, then one inverse
/// FFT per frame and overlap-add; nothing runs at the sample rate but the FFT.
public struct FullBandVocoder: Sendable {
    public static let kind = "fullband-vocoder"

    public struct Config: Sendable, Equatable, Codable {
        public var mels = 80, dim = 256, inter = 768, layers = 6, nFFT = 2048, hop = 512, rate = 44100
        enum CodingKeys: String, CodingKey { case mels, dim, inter, layers, nFFT = "n_fft", hop, rate }
        public var bins: Int { nFFT / 2 + 1 }

        public init() {}

        public var problem: String? {
            if let p = ConfigCheck.first(ConfigCheck.range("mels", mels, 1...512), ConfigCheck.range("dim", dim, 1...4096),
                                         ConfigCheck.range("inter", inter, 1...16384), ConfigCheck.range("layers", layers, 1...64),
                                         ConfigCheck.range("n_fft", nFFT, 16...16384), ConfigCheck.range("hop", hop, 1...16384)) { return p }
            guard nFFT % 2 == 0, hop <= nFFT, rate == 44100 else {
                return "got [n_fft \(nFFT), hop \(hop), rate \(rate)], expected [an even n_fft ≥ hop, rate 44100]"
            }
            return nil
        }
    }

    /// x + γ·pw2(GELU(pw1(LN(dwconv(x))))) on rows [T, D].
    struct Block: Sendable {
        let depthwise: Tensor, depthwiseBias: Tensor          // [7, D] tap-major, [D]
        let norm: LayerNormLayer, pw1: LinearLayer, pw2: LinearLayer, gamma: Tensor

        static func table(_ t: inout WeightTable, _ p: String, _ c: Config) {
            t.add(p + "dwconv.weight", [c.dim, 1, 7]); t.add(p + "dwconv.bias", [c.dim])
            t.add(p + "norm.weight", [c.dim]); t.add(p + "norm.bias", [c.dim])
            t.add(p + "pwconv1.weight", [c.inter, c.dim]); t.add(p + "pwconv1.bias", [c.inter])
            t.add(p + "pwconv2.weight", [c.dim, c.inter]); t.add(p + "pwconv2.bias", [c.dim])
            t.add(p + "gamma", [c.dim])
        }

        init(_ w: BoundWeights, _ p: String, dim d: Int) {
            let raw = w[p + "dwconv.weight"]                  // [D, 1, 7]
            depthwise = Tensor(overwriting: [7, d]) { o in raw.read { r in for c in 0..<d { for k in 0..<7 { o[k * d + c] = r[c * 7 + k] } } } }
            depthwiseBias = w[p + "dwconv.bias"]
            norm = LayerNormLayer(weight: w[p + "norm.weight"], bias: w[p + "norm.bias"], eps: 1e-6)
            pw1 = LinearLayer(weight: w[p + "pwconv1.weight"], bias: w[p + "pwconv1.bias"])
            pw2 = LinearLayer(weight: w[p + "pwconv2.weight"], bias: w[p + "pwconv2.bias"])
            gamma = w[p + "gamma"]
        }

        func callAsFunction(_ x: Tensor) -> Tensor {
            let h = pw2(Activation.gelu(pw1(norm(FullBandVocoder.depthwise(x, taps: depthwise, bias: depthwiseBias)))))   // [T, D]
            var y = x
            let d = x.dim(1)
            h.read { hp in gamma.read { g in y.update { yp in
                for i in 0..<yp.count { yp[i] += g[i % d] * hp[i] }                                   // x + γ·h
            } } }
            return y
        }
    }

    public let config: Config
    let embed: (Tensor, Tensor)                               // rowTaps [D, 7·mels], bias
    let norm: LayerNormLayer, finalNorm: LayerNormLayer
    let blocks: [Block]
    let head: LinearLayer                                     // [n_fft + 2, D]: log-magnitudes, then phases
    /// The periodic Hann window and, for `frames` frames, the summed squared window it is divided by.
    let window: [Float]

    public static func table(_ c: Config) -> WeightTable {
        var t = WeightTable()
        t.add("embed.weight", [c.dim, c.mels, 7]); t.add("embed.bias", [c.dim])
        for n in ["norm", "final_norm"] { t.add(n + ".weight", [c.dim]); t.add(n + ".bias", [c.dim]) }
        for i in 0..<c.layers { Block.table(&t, "blocks.\(i).", c) }
        t.add("head.weight", [c.nFFT + 2, c.dim]); t.add("head.bias", [c.nFFT + 2])
        return t
    }

    public init(weights w: BoundWeights, config c: Config) {
        config = c
        embed = (Conv.rowTaps(w["embed.weight"]), w["embed.bias"])
        norm = LayerNormLayer(weight: w["norm.weight"], bias: w["norm.bias"], eps: 1e-6)
        finalNorm = LayerNormLayer(weight: w["final_norm.weight"], bias: w["final_norm.bias"], eps: 1e-6)
        blocks = (0..<c.layers).map { Block(w, "blocks.\($0).", dim: c.dim) }
        head = LinearLayer(weight: w["head.weight"], bias: w["head.bias"])
        window = (0..<c.nFFT).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(c.nFFT))) }
    }

    /// A bundle of kind `fullband-vocoder`: its config.json sizes, its weights checked against them.
    public init(bundle: ModelBundle) throws {
        var c = Config()
        (c.mels, c.dim, c.inter, c.layers) = (try bundle.int("mels"), try bundle.int("dim"), try bundle.int("inter"), try bundle.int("layers", in: 1...64))
        (c.nFFT, c.hop, c.rate) = (try bundle.int("n_fft"), try bundle.int("hop"), try bundle.int("rate", in: 1...384_000))
        if let problem = c.problem { throw GeneratorError.badConfig(path: bundle.configPath, reason: problem) }
        self.init(weights: try bundle.bind(Self.table(c)), config: c)
    }

    /// Same-padded depthwise kernel-7 convolution along rows: x[T, D], taps [7, D] → [T, D].
    static func depthwise(_ x: Tensor, taps: Tensor, bias: Tensor) -> Tensor {
        let t = x.dim(0), d = x.dim(1)
        return Tensor(overwriting: [t, d]) { o in
            x.read { xp in taps.read { w in bias.read { b in
                for r in 0..<t {
                    let out = o.baseAddress! + r * d
                    out.update(from: b.baseAddress!, count: d)
                    for k in 0..<7 {
                        let from = r + k - 3
                        guard from >= 0, from < t else { continue }
                        let src = xp.baseAddress! + from * d, tap = w.baseAddress! + k * d
                        for c in 0..<d { out[c] += tap[c] * src[c] }
                    }
                }
            } } }
        }
    }

    /// Normalised mel [80, T] → the head's output rows [T, n_fft + 2] (log-magnitude ‖ phase).
    public func spectrum(mel: Tensor) -> Tensor {
        let m = mel.dim(0), t = mel.dim(1)
        precondition(m == config.mels, "full-band vocoder: got [\(m) mel bands], expected [\(config.mels)]")
        let rows = Tensor(overwriting: [t, m]) { r in mel.read { s in for b in 0..<m { for f in 0..<t { r[f * m + b] = s[b * t + f] } } } }
        var x = norm(Conv.rows(rows, sequences: 1, taps: embed.0, bias: embed.1))   // [T, D]
        for block in blocks { x = block(x) }                                        // [T, D]
        return head(finalNorm(x))                                                   // [T, n_fft + 2]
    }

    /// Frames on each side a chunk must see for its middle to come out as in one pass: the
    /// embedding's and every block's kernel-7 reach.
    public var reach: Int { 3 * (config.layers + 1) }

    /// Normalised mel [80, T] → 44.1 kHz waveform of hop·T samples. A long mel goes through
    /// the network `chunk` frames at a time (with `reach` frames of context each side), so a
    /// reel's spectrum rows are never all held: 2,050 floats a frame is 700 MB an hour.
    public func callAsFunction(mel: Tensor, chunk: Int = 2048) -> [Float] {
        let t = mel.dim(1), m = mel.dim(0), width = config.nFFT + 2
        var synthesis = OverlapAdd(config: config, window: window, frames: t)
        var a = 0
        while a < t {
            let b = min(t, a + max(1, chunk)), lo = max(0, a - reach), hi = min(t, b + reach)
            let part = lo == 0 && hi == t ? mel : Tensor(overwriting: [m, hi - lo]) { o in mel.read { s in
                for r in 0..<m { for f in lo..<hi { o[r * (hi - lo) + f - lo] = s[r * t + f] } }
            } }                                                                     // [80, hi − lo]
            let rows = spectrum(mel: part)                                          // [hi − lo, n_fft + 2]
            rows.read { synthesis.add($0.baseAddress! + (a - lo) * width, frames: b - a, first: a) }
            a = b
        }
        return synthesis.finish()
    }

    /// Rows [T, n_fft + 2] of log-magnitude ‖ phase → hop·T samples.
    func synthesise(spectrum s: Tensor) -> [Float] {
        precondition(s.rank == 2 && s.dim(1) == config.nFFT + 2, "full-band vocoder: spectrum \(s.shape) for n_fft \(config.nFFT)")
        var synthesis = OverlapAdd(config: config, window: window, frames: s.dim(0))
        s.read { synthesis.add($0.baseAddress!, frames: s.dim(0), first: 0) }
        return synthesis.finish()
    }

    /// The inverse STFT, a frame at a time: |S| = min(e^m, 100), each frame inverse-FFT'd,
    /// Hann-windowed and overlapped at `hop`, divided by the summed squared window, the n_fft/2
    /// lead-in dropped (frames are centred on hop·i).
    struct OverlapAdd {
        let n: Int, hop: Int, bins: Int, frames: Int
        let window: [Float]
        let fft: RealFFT
        var out: [Float]
        var re: [Float], im: [Float], frame: [Float]

        init(config: Config, window: [Float], frames: Int) {
            (n, hop, bins, self.frames, self.window) = (config.nFFT, config.hop, config.bins, frames, window)
            fft = try! RealFFT(size: n)                                             // n even ≥ 16: checked with the config
            out = [Float](repeating: 0, count: max(0, frames - 1) * hop + n)
            re = [Float](repeating: 0, count: bins); im = re; frame = [Float](repeating: 0, count: n)
        }

        /// Adds `count` rows, the first being frame `first`.
        mutating func add(_ rows: UnsafePointer<Float>, frames count: Int, first: Int) {
            for j in 0..<count {
                let row = rows + j * (n + 2)
                for k in 0..<bins {
                    let mag = Swift.min(Foundation.exp(row[k]), 100), p = row[bins + k]
                    re[k] = mag * Foundation.cos(p)
                    im[k] = mag * Foundation.sin(p)
                }
                fft.inverse(re: re, im: im, output: &frame)
                let start = (first + j) * hop
                for i in 0..<n { out[start + i] += frame[i] * window[i] }
            }
        }

        /// hop·frames samples, each divided by the squared windows that overlap it.
        func finish() -> [Float] {
            let lead = n / 2
            return (0..<(hop * frames)).map { i in
                let s = lead + i
                var envelope: Float = 0
                var f = Swift.max(0, (s - n) / hop)
                while f * hop <= s && f < frames {
                    let k = s - f * hop
                    if k < n { envelope += window[k] * window[k] }
                    f += 1
                }
                return out[s] / envelope
            }
        }
    }
}
