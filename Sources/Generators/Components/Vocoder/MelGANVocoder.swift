import Foundation
import Runtime

/// The neural vocoder: a MelGAN generator in the official (descript melgan-neurips) layout,
/// weight norm folded at export. Normalised mel [80, T] → waveform [256 T] at 22.05 kHz.
/// With `bands` > 1 it is a multi-band MelGAN: the stages stop at 1/bands of the sample rate,
/// the output convolution gives one signal per band, and the bundle's PQMF synthesis kernel
/// (`pqmf.synthesis`, a stride-`bands` transposed convolution) joins them into the waveform.
public struct MelGANVocoder: Sendable {
    public struct Config: Sendable, Equatable, Codable {
        public var mels = 80
        public var ngf = 32
        public var nResidualLayers = 3
        public var ratios = [8, 8, 2, 2]
        /// Sub-bands of the multi-band variant; 1 (or absent, as in older bundles): full band.
        public var bands = 1
        enum CodingKeys: String, CodingKey { case mels, ngf, nResidualLayers = "n_residual_layers", ratios, bands }
        public var hop: Int { ratios.reduce(1, *) * bands }
        /// Problems with the sizes (nil when usable), checked before `hop` or a table is computed.
        public var problem: String? {
            ConfigCheck.first(ConfigCheck.range("mels", mels, 1...512), ConfigCheck.range("ngf", ngf, 1...4096),
                              ConfigCheck.range("n_residual_layers", nResidualLayers, 0...16),
                              ConfigCheck.list("ratios", ratios, count: 1...8, each: 1...64), ConfigCheck.range("bands", bands, 1...64))
        }
        /// PQMF synthesis kernel length (the multi-band paper's 62-tap prototype, plus one).
        static let pqmfTaps = 63

        public init(mels: Int = 80, ngf: Int = 32, nResidualLayers: Int = 3, ratios: [Int] = [8, 8, 2, 2], bands: Int = 1) {
            (self.mels, self.ngf, self.nResidualLayers, self.ratios, self.bands) = (mels, ngf, nResidualLayers, ratios, bands)
        }

        public init(from decoder: Swift.Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(mels: try c.decode(Int.self, forKey: .mels), ngf: try c.decode(Int.self, forKey: .ngf),
                      nResidualLayers: try c.decode(Int.self, forKey: .nResidualLayers), ratios: try c.decode([Int].self, forKey: .ratios),
                      bands: try c.decodeIfPresent(Int.self, forKey: .bands) ?? 1)
        }
    }

    /// One upsampling stage: LeakyReLU, transposed conv, then residual stacks.
    struct Stage {
        /// Transposed-conv weights in polyphase tap form (`Conv.transposedTaps`), and bias.
        let up: (taps: Tensor, bias: Tensor), stride: Int, padding: Int, outputPadding: Int
        let residuals: [MelGANResidual]
    }

    public let config: Config
    /// (weight, bias); the kernel-7 input/output convolutions hold their weights tap-major [K, Cout, Cin].
    let input: (Tensor, Tensor)
    let stages: [Stage]
    let output: (Tensor, Tensor)
    /// PQMF synthesis in transposed-conv tap form; nil for a full-band generator.
    let synthesis: Tensor?

    /// The Sequential's indices, as PyTorch numbers them: [pad, conv] + per ratio [lrelu, convT, res…] + [lrelu, pad, conv, tanh].
    static func layout(_ c: Config) -> (input: Int, stages: [(up: Int, residuals: [Int])], output: Int) {
        var i = 2
        var stages: [(Int, [Int])] = []
        for _ in c.ratios {
            let up = i + 1
            stages.append((up, (0..<c.nResidualLayers).map { up + 1 + $0 }))
            i = up + 1 + c.nResidualLayers
        }
        return (1, stages, i + 2)
    }

    public static func table(_ c: Config) -> WeightTable {
        var t = WeightTable()
        let l = layout(c)
        var mult = 1 << c.ratios.count
        t.add("model.\(l.input).weight", [mult * c.ngf, c.mels, 7]); t.add("model.\(l.input).bias", [mult * c.ngf])
        for (s, r) in zip(l.stages, c.ratios) {
            let cin = mult * c.ngf, cout = cin / 2
            t.add("model.\(s.up).weight", [cin, cout, 2 * r]); t.add("model.\(s.up).bias", [cout])
            for idx in s.residuals {
                t.add("model.\(idx).block.2.weight", [cout, cout, 3]); t.add("model.\(idx).block.2.bias", [cout])
                t.add("model.\(idx).block.4.weight", [cout, cout, 1]); t.add("model.\(idx).block.4.bias", [cout])
                t.add("model.\(idx).shortcut.weight", [cout, cout, 1]); t.add("model.\(idx).shortcut.bias", [cout])
            }
            mult /= 2
        }
        t.add("model.\(l.output).weight", [c.bands, c.ngf, 7]); t.add("model.\(l.output).bias", [c.bands])
        if c.bands > 1 { t.add("pqmf.synthesis", [c.bands, 1, Config.pqmfTaps]) }
        return t
    }

    public init(weights w: BoundWeights, config c: Config) {
        config = c
        let l = Self.layout(c)
        func pair(_ name: String) -> (Tensor, Tensor) { (w[name + ".weight"], w[name + ".bias"]) }
        // Kernel-7 and kernel-3 convolutions are kept tap-major (Conv.tapMajor), regrouped once here.
        func taps(_ name: String) -> (Tensor, Tensor) { (Conv.tapMajor(w[name + ".weight"]), w[name + ".bias"]) }
        input = taps("model.\(l.input)")
        stages = zip(l.stages, c.ratios).map { s, r in
            Stage(up: (Conv.transposedTaps(w["model.\(s.up).weight"]), w["model.\(s.up).bias"]), stride: r,
                  padding: r / 2 + r % 2, outputPadding: r % 2,
                  residuals: s.residuals.enumerated().map { j, idx in
                      MelGANResidual(dilation: Int(pow(3.0, Double(j))), conv: pair("model.\(idx).block.2"),
                                     pointwise: pair("model.\(idx).block.4"), shortcut: pair("model.\(idx).shortcut"))
                  })
        }
        output = taps("model.\(l.output)")
        synthesis = c.bands > 1 ? Conv.transposedTaps(w["pqmf.synthesis"]) : nil
    }

    /// Normalised mel [80, T] → waveform of T · hop samples in [-1, 1] (a multi-band generator's
    /// synthesis can overshoot it slightly, as in PyTorch).
    public func callAsFunction(mel: Tensor) -> [Float] {
        var x = Conv.conv1d(Self.reflectPad(mel.reshaped([1, mel.dim(0), mel.dim(1)]), 3), taps: input.0, bias: input.1)
        for stage in stages {
            x = Conv.convTranspose1d(x, taps: stage.up.taps, bias: stage.up.bias, stride: stage.stride, padding: stage.padding,
                                     outputPadding: stage.outputPadding, inputSlope: 0.2)   // [1, C/2, T·stride]
            for residual in stage.residuals { x = residual(x) }                             // shortcut(x) + f(x)
        }
        x = Activation.tanh(Conv.conv1d(Self.reflectPad(x, 3, leakySlope: 0.2), taps: output.0, bias: output.1))   // [1, bands, hop · T / bands]
        guard let synthesis else { return x.values }                            // [1, 1, hop · T]
        let b = config.bands
        return Conv.convTranspose1d(x, taps: synthesis, bias: nil, stride: b, padding: Config.pqmfTaps / 2,
                                    outputPadding: b - 1).values                // [1, 1, hop · T]
    }

    /// Reflection padding of the last axis of [1, C, T] by p on each side, optionally through a
    /// leaky ReLU applied in place afterwards (one copy of the tensor instead of two).
    static func reflectPad(_ x: Tensor, _ p: Int, leakySlope: Float? = nil) -> Tensor {
        let c = x.dim(1), t = x.dim(2), n = t + 2 * p
        var out = Tensor(overwriting: [1, c, n]) { out in
            x.read { src in
                for k in 0..<c {
                    let s = src.baseAddress! + k * t, d = out.baseAddress! + k * n
                    (d + p).update(from: s, count: t)
                    for i in 0..<p { d[p - 1 - i] = s[i + 1]; d[p + t + i] = s[t - 2 - i] }
                }
            }
        }
        if let leakySlope { Activation.leakyRelu(inPlace: &out, slope: leakySlope) }
        return out
    }
}
