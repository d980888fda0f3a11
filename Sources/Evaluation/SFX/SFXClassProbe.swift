import Foundation
import Generators
import Runtime

/// The evaluation's classifier for FoleyWorld's classes: a small MLP trained here
/// (Training/train_sfx_probe.py) on the frozen aisfx embeddings of training-split blocks. It
/// replaces the mel classifier for class accuracy; no generator's training or ranking sees it.
/// A clip's class is the argmax of its blocks' mean softmax.
public struct SFXClassProbe: Sendable {
    public let classes: [String]
    let mean: Tensor, scale: Tensor
    let hidden: LinearLayer, out: LinearLayer

    public static func table(embedding: Int, hidden: Int, classes: Int) -> WeightTable {
        var t = WeightTable()
        t.add("input.mean", [embedding]); t.add("input.scale", [embedding])
        t.add("hidden.weight", [hidden, embedding]); t.add("hidden.bias", [hidden])
        t.add("out.weight", [classes, hidden]); t.add("out.bias", [classes])
        return t
    }

    public init(bundle: ModelBundle) throws {
        classes = try bundle.strings("classes")
        let hiddenWidth = try bundle.int("hidden"), embedding = try bundle.int("embedding")
        guard classes.count >= 2, (1...4096).contains(hiddenWidth), embedding == 512 else {
            throw GeneratorError.badConfig(path: bundle.configPath,
                                           reason: "got [\(classes.count) classes, hidden \(hiddenWidth), embedding \(embedding)], expected [≥ 2 classes, 1…4096, 512]")
        }
        let w = try bundle.bind(Self.table(embedding: embedding, hidden: hiddenWidth, classes: classes.count))
        mean = w["input.mean"]; scale = w["input.scale"]
        hidden = LinearLayer(weight: w["hidden.weight"], bias: w["hidden.bias"])
        out = LinearLayer(weight: w["out.weight"], bias: w["out.bias"])
    }

    /// Class probabilities of one block embedding.
    public func probabilities(_ embedding: [Float]) -> [Float] {
        let m = mean.values, s = scale.values
        let x = Tensor(shape: [1, embedding.count], (0..<embedding.count).map { (embedding[$0] - m[$0]) * s[$0] })
        return Softmax.forward(out(Activation.relu(hidden(x)))).values       // [1, classes]
    }

    /// The clip's class from its blocks' embeddings.
    public func classify(blocks: [[Float]]) -> String {
        var p = [Float](repeating: 0, count: classes.count)
        for b in blocks { for (i, v) in probabilities(b).enumerated() { p[i] += v } }
        return classes[p.indices.max { p[$0] < p[$1] } ?? 0]
    }
}
