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
        generate(features: features, prime: prime, count: count, temperature: temperature, topX: topX, seeds: [seed],
                 cfgScale: cfgScale, progress: progress)?[0]
    }

    /// Several candidates at once, one per seed, each the tokens `generate(…seed:…)` gives for
    /// that seed. They share the features and the prime, which are fed once, and then decode
    /// side by side, so each step reads the weights once for all of them.
    public func generate(features: Tensor, prime: [Int], count: Int, temperature: Float, topX: Int?, seeds: [UInt64],
                         cfgScale: Float = 1, progress: (Double) -> Bool = { _ in true }) -> [[Int]]? {
        var rngs = seeds.map { SeededRNG(seed: $0) }
        let guided = Guided(self, features: features, prime: prime, scale: cfgScale, candidates: seeds.count)
        var out = [[Int]](repeating: [], count: seeds.count)
        for i in 0..<count {
            let tokens = (0..<seeds.count).map { Sampler.sample(logits: guided.logits[$0], temperature: temperature, topK: topX, rng: &rngs[$0]) }
            for (c, token) in tokens.enumerated() { out[c].append(token) }
            if i % 16 == 0, !progress(Double(i) / Double(count)) { return nil }
            if i + 1 < count { guided.feed(tokens) }
        }
        return out
    }

    /// Each candidate's conditional stream and, when guided, its blind one; `logits[c]` are
    /// candidate c's mixed next-token logits after what has been fed.
    final class Guided {
        let transformer: CausalTransformer
        let scale: Float
        let conditional: [[KVCache]], blind: [[KVCache]]
        private(set) var logits: [[Float]]

        init(_ sampler: SpecVQGANSampler, features: Tensor, prime: [Int], scale: Float, candidates: Int) {
            transformer = sampler.transformer
            self.scale = scale
            // The shared prefix is fed once into one set of caches, which the candidates copy.
            func prefilled(_ features: Tensor) -> ([KVCache], [Float]) {
                let caches = sampler.transformer.makeCaches()
                var logits = sampler.transformer.step(embeddings: sampler.condition(features), caches: caches)
                if !prime.isEmpty { logits = sampler.transformer.step(prime, caches: caches) }
                return (caches, logits)
            }
            let (c, cl) = prefilled(features)
            conditional = [c] + (1..<max(1, candidates)).map { _ in c.map { $0.copy() } }
            logits = [[Float]](repeating: cl, count: conditional.count)
            guard scale != 1 else { blind = []; return }
            let (u, ul) = prefilled(Tensor(shape: features.shape))
            blind = [u] + (1..<max(1, candidates)).map { _ in u.map { $0.copy() } }
            logits = logits.map { Self.mix(conditional: $0, blind: ul, scale: scale) }
        }

        /// Feeds candidate c's token to its stream(s); conditional and blind streams go in one batch.
        func feed(_ tokens: [Int]) {
            let all = transformer.step(blind.isEmpty ? tokens : tokens + tokens, streams: conditional + blind)
            let n = conditional.count
            logits = blind.isEmpty ? all : (0..<n).map { Self.mix(conditional: all[$0], blind: all[n + $0], scale: scale) }
        }

        static func mix(conditional c: [Float], blind u: [Float], scale s: Float) -> [Float] {
            zip(c, u).map { c, u in u + s * (c - u) }
        }
    }
}
