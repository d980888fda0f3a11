import Foundation
import Runtime

/// SpecVQGAN's sampler: a minGPT over codec tokens (column-major) with the visual features
/// projected by a 1×1 convolution (`embedder`, the official GPTFeats) and prepended.
public struct SpecVQGANSampler: Sendable {
    public let transformer: CausalTransformer
    public let featureDim: Int
    let embedderWeight: Tensor        // [D, Dv] (the Conv1d's [D, Dv, 1])
    let embedderBias: Tensor

    public static func table(_ config: TransformerConfig, featureDim: Int) -> WeightTable {
        var t = config.weightTable
        t.add("embedder.weight", [config.width, featureDim, 1])
        t.add("embedder.bias", [config.width])
        return t
    }

    public init(config: TransformerConfig, featureDim: Int, weights w: BoundWeights) {
        transformer = CausalTransformer(config: config, weights: w)
        self.featureDim = featureDim
        embedderWeight = w["embedder.weight"].reshaped([config.width, featureDim])
        embedderBias = w["embedder.bias"]
    }

    /// features [Tv, Dv] → conditioning embeddings [Tv, D].
    func condition(_ features: Tensor) -> Tensor {
        Linear.forward(features, weight: embedderWeight, bias: embedderBias)
    }

    /// Logits [Tv + N, V] for features followed by tokens (the training forward; parity tests).
    public func logits(features: Tensor, tokens: [Int]) -> Tensor {
        let c = condition(features), e = Embedding.lookup(transformer.tokenEmbedding, tokens)
        let x = Tensor(overwriting: [c.dim(0) + e.dim(0), transformer.config.width]) { out in
            c.read { cp in out.baseAddress!.update(from: cp.baseAddress!, count: cp.count) }
            e.read { ep in (out.baseAddress! + c.count).update(from: ep.baseAddress!, count: ep.count) }
        }
        return transformer.head(transformer.hidden(transformer.withPositions(x, start: 0)))
    }

    /// Samples `count` tokens after the features and the `prime` tokens already fixed (the audio
    /// to the left, for continuation and inpainting). Temperature 0 is greedy; `topX` keeps the
    /// X most likely tokens; reproducible from `seed`. `cfgScale` ≠ 1 runs a second stream
    /// without the picture (zero features) and samples from u + s·(c − u), for samplers trained
    /// with some windows blind. `progress` returns false to cancel.
    public func generate(features: Tensor, prime: [Int], count: Int, temperature: Float, topX: Int?, seed: UInt64,
                         cfgScale: Float = 1, progress: (Double) -> Bool = { _ in true }) -> [Int]? {
        var rng = SeededRNG(seed: seed)
        let guided = Guided(self, features: features, prime: prime, scale: cfgScale)
        var out: [Int] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let token = Sampler.sample(logits: guided.logits, temperature: temperature, topK: topX, rng: &rng)
            out.append(token)
            if i % 16 == 0, !progress(Double(i) / Double(count)) { return nil }
            if i + 1 < count { guided.feed(token) }
        }
        return out
    }

    /// The conditional stream and, when guided, the blind one; `logits` are the mixed next-token
    /// logits after what has been fed.
    final class Guided {
        let transformer: CausalTransformer
        let scale: Float
        let conditional: [KVCache], blind: [KVCache]?
        private(set) var logits: [Float]

        init(_ sampler: SpecVQGANSampler, features: Tensor, prime: [Int], scale: Float) {
            transformer = sampler.transformer
            self.scale = scale
            conditional = transformer.makeCaches()
            blind = scale == 1 ? nil : transformer.makeCaches()
            logits = transformer.step(embeddings: sampler.condition(features), caches: conditional)
            if !prime.isEmpty { logits = transformer.step(prime, caches: conditional) }
            if let blind {
                var u = transformer.step(embeddings: sampler.condition(Tensor(shape: features.shape)), caches: blind)
                if !prime.isEmpty { u = transformer.step(prime, caches: blind) }
                logits = Self.mix(conditional: logits, blind: u, scale: scale)
            }
        }

        func feed(_ token: Int) {
            logits = transformer.step([token], caches: conditional)
            if let blind { logits = Self.mix(conditional: logits, blind: transformer.step([token], caches: blind), scale: scale) }
        }

        static func mix(conditional c: [Float], blind u: [Float], scale s: Float) -> [Float] {
            zip(c, u).map { c, u in u + s * (c - u) }
        }
    }
}
