import DSP
import Runtime

/// Where the picture has hits: per visual frame (21.53 fps), the probability that a sharp
/// sound starts there, from the visual encoder's features (Training/foleytrain/onsets.py).
/// The sampler sees the same features but places few transients where they belong; this
/// head places them to within a frame, so the generator samples several candidates of a
/// window and keeps the one whose hits line up with the picture.
public struct VisualOnsets: Sendable {
    public struct Config: Decodable, Sendable, Equatable {
        public var featDim, width, kernel: Int
        /// Peaks above this probability count as hits.
        public var threshold: Float
        enum CodingKeys: String, CodingKey { case featDim = "feat_dim", width, kernel, threshold }
        /// Problems with the sizes and the threshold (nil when usable).
        public var problem: String? {
            ConfigCheck.first(ConfigCheck.range("feat_dim", featDim, 1...65_536), ConfigCheck.range("width", width, 1...8192),
                              ConfigCheck.range("kernel", kernel, 1...63),
                              (0...1).contains(threshold) ? nil : "got [threshold \(threshold)], expected [0…1]")
        }
    }

    public let config: Config
    let c1: (Tensor, Tensor), c2: (Tensor, Tensor), out: (Tensor, Tensor)

    public static func table(_ c: Config) -> WeightTable {
        var t = WeightTable()
        t.add("c1.weight", [c.width, c.featDim, c.kernel]); t.add("c1.bias", [c.width])
        t.add("c2.weight", [c.width, c.width, c.kernel]); t.add("c2.bias", [c.width])
        t.add("out.weight", [1, c.width, c.kernel]); t.add("out.bias", [1])
        return t
    }

    public init(weights w: BoundWeights, config: Config) {
        self.config = config
        c1 = (w["c1.weight"], w["c1.bias"])
        c2 = (w["c2.weight"], w["c2.bias"])
        out = (w["out.weight"], w["out.bias"])
    }

    /// features [T, D] → onset probability per frame [T].
    public func probabilities(_ features: Tensor) -> [Float] {
        let t = features.dim(0), pad = ConvParams(padding: config.kernel / 2)
        let x = Reduce.transposeLast2(features).reshaped([1, config.featDim, t])          // [1, D, T]
        var h = Activation.silu(Conv.conv1d(x, weight: c1.0, bias: c1.1, pad))               // [1, W, T]
        h = Activation.silu(Conv.conv1d(h, weight: c2.0, bias: c2.1, pad))                   // [1, W, T]
        return Activation.sigmoid(Conv.conv1d(h, weight: out.0, bias: out.1, pad)).values    // [T]
    }

    /// Times (s from the first frame) of the local maxima above the threshold.
    public func hits(_ features: Tensor) -> [Double] {
        let p = probabilities(features)
        guard p.count > 2 else { return [] }
        return (1..<(p.count - 1)).filter { p[$0] >= p[$0 - 1] && p[$0] > p[$0 + 1] && p[$0] > config.threshold }
            .map { Double($0) / AudioGeometry.visualFrameRate }
    }
}
