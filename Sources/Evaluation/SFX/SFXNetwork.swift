import Foundation
import Generators
import Runtime

/// aisfx's network (the DCASE cross-task baseline CNN, trained by the package's authors on
/// professional SFX libraries): four blocks of two 3×3 convs with ReLU (batch norm folded in at
/// conversion), 2×2 max pooling after the first three, mean over frequency, max over time →
/// a 512-d embedding per block of 100 frames; a three-layer MLP per SFX library maps it to
/// that library's categories (e.g. UCS, 69 ways).
public struct SFXNetwork: Sendable {
    public struct Config: Sendable, Equatable {
        public var width = 64
        public var heads: [String] = []
        public var headClasses: [Int] = []
        public var embedding: Int { 8 * width }
    }

    /// Two convs, each with its folded batch norm as bias, then ReLU.
    struct ConvBlock: Sendable {
        let conv1: (weight: Tensor, bias: Tensor), conv2: (weight: Tensor, bias: Tensor)
        let pool: Bool

        func callAsFunction(_ x: Tensor) -> Tensor {
            var y = Conv.conv2d(x, weight: conv1.weight, bias: conv1.bias, padding: (1, 1))      // [1, C, T, F]
            y = Activation.relu(y)
            y = Activation.relu(Conv.conv2d(y, weight: conv2.weight, bias: conv2.bias, padding: (1, 1)))
            return pool ? Pool.max2d(y, kernel: 2) : y                                          // [1, C, T/2, F/2]
        }
    }

    /// Linear → ReLU → Linear → ReLU → Linear.
    struct Head: Sendable {
        let layers: [LinearLayer]
        func callAsFunction(_ x: Tensor) -> Tensor {
            var y = x
            for (i, l) in layers.enumerated() { y = l(y); if i < 2 { y = Activation.relu(y) } }
            return y
        }
    }

    public let config: Config
    let blocks: [ConvBlock]
    let heads: [Head]

    /// The weight names, written once.
    public static func table(_ c: Config) -> WeightTable {
        var t = WeightTable()
        let widths = [1, c.width, 2 * c.width, 4 * c.width, 8 * c.width]
        for i in 0..<4 {
            t.add("blocks.\(i).conv1.weight", [widths[i + 1], widths[i], 3, 3]); t.add("blocks.\(i).conv1.bias", [widths[i + 1]])
            t.add("blocks.\(i).conv2.weight", [widths[i + 1], widths[i + 1], 3, 3]); t.add("blocks.\(i).conv2.bias", [widths[i + 1]])
        }
        let e = c.embedding
        for (name, k) in zip(c.heads, c.headClasses) {
            for (j, (o, i)) in [(e / 2, e), (e / 4, e / 2), (k, e / 4)].enumerated() {
                t.add("heads.\(name).\(j).weight", [o, i]); t.add("heads.\(name).\(j).bias", [o])
            }
        }
        return t
    }

    public init(weights w: BoundWeights, config: Config) {
        self.config = config
        blocks = (0..<4).map { i in
            ConvBlock(conv1: (w["blocks.\(i).conv1.weight"], w["blocks.\(i).conv1.bias"]),
                      conv2: (w["blocks.\(i).conv2.weight"], w["blocks.\(i).conv2.bias"]), pool: i < 3)
        }
        heads = config.heads.map { name in
            Head(layers: (0..<3).map { LinearLayer(weight: w["heads.\(name).\($0).weight"], bias: w["heads.\(name).\($0).bias"]) })
        }
    }

    /// Output of each conv block for x [1, 1, T, F] (the layer-level parity check).
    public func blockOutputsForTesting(_ x: Tensor) -> [Tensor] {
        var y = x, outs: [Tensor] = []
        for b in blocks { y = b(y); outs.append(y) }
        return outs
    }

    /// One block of the input, [T, F] time-major → the 512-d embedding.
    public func embed(block: Tensor) -> [Float] {
        var x = block.reshaped([1, 1, block.dim(0), block.dim(1)])                  // [1, 1, 100, 96]
        for b in blocks { x = b(x) }                                                 // [1, 512, 12, 12]
        return Reduce.max(Reduce.mean(x, axis: 3), axis: 2).values                   // mean over F, max over T → [512]
    }

    /// Category logits of every head for one embedding, in `config.heads` order.
    public func headLogits(_ embedding: [Float]) -> [[Float]] {
        let e = Tensor(shape: [1, embedding.count], embedding)
        return heads.map { $0(e).values }
    }
}
