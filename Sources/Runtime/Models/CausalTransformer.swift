/// A GPT-style decoder in minGPT's layout (the layout of SpecVQGAN's sampler): token and
/// learned position embeddings, pre-LayerNorm blocks of causal self-attention and a 4× GELU
/// MLP, a final LayerNorm and a bias-free head.
public struct TransformerConfig: Sendable, Equatable, Codable {
    public var vocabSize: Int
    public var blockSize: Int
    public var layers: Int
    public var heads: Int
    public var width: Int

    public init(vocabSize: Int, blockSize: Int, layers: Int, heads: Int, width: Int) {
        self.vocabSize = vocabSize; self.blockSize = blockSize; self.layers = layers; self.heads = heads; self.width = width
    }

    /// Problems with the sizes, each as "got […], expected […]" (nil when they are usable): read
    /// from a bundle's config, they must be checked before any allocation depends on them.
    public var problem: String? {
        if !(1...64).contains(layers) { return "got [n_layer \(layers)], expected [1…64]" }
        if !(1...8192).contains(width) { return "got [n_embd \(width)], expected [1…8192]" }
        if heads < 1 || width % heads != 0 { return "got [n_head \(heads)], expected [a divisor of n_embd \(width)]" }
        if !(2...1 << 20).contains(vocabSize) { return "got [vocab_size \(vocabSize)], expected [2…1048576]" }
        if !(1...1 << 16).contains(blockSize) { return "got [block_size \(blockSize)], expected [1…65536]" }
        return nil
    }

    /// The arch table: every tensor name and shape.
    public var weightTable: WeightTable {
        var t = WeightTable()
        let d = width
        t.add("tok_emb.weight", [vocabSize, d])
        t.add("pos_emb", [1, blockSize, d])
        for i in 0..<layers { TransformerBlock.table(&t, prefix: "blocks.\(i).", width: d) }
        t.add("ln_f.weight", [d]); t.add("ln_f.bias", [d])
        t.add("head.weight", [vocabSize, d])
        return t
    }
}

/// One pre-LN block: x + attn(ln1(x)), then x + mlp(ln2(x)).
public struct TransformerBlock: Sendable {
    public let ln1: LayerNormLayer
    public let attention: SelfAttention
    public let ln2: LayerNormLayer
    public let fc: LinearLayer
    public let projection: LinearLayer

    /// The block's weights under `p` in minGPT's names (ln1, attn.{query,key,value,proj}, ln2, mlp.0, mlp.2).
    public static func table(_ t: inout WeightTable, prefix p: String, width d: Int) {
        for n in ["ln1", "ln2"] { t.add(p + n + ".weight", [d]); t.add(p + n + ".bias", [d]) }
        for n in ["key", "query", "value", "proj"] { t.add(p + "attn.\(n).weight", [d, d]); t.add(p + "attn.\(n).bias", [d]) }
        t.add(p + "mlp.0.weight", [4 * d, d]); t.add(p + "mlp.0.bias", [4 * d])
        t.add(p + "mlp.2.weight", [d, 4 * d]); t.add(p + "mlp.2.bias", [d])
    }

    public init(_ w: BoundWeights, prefix p: String, heads: Int) {
        ln1 = LayerNormLayer(weight: w[p + "ln1.weight"], bias: w[p + "ln1.bias"])
        ln2 = LayerNormLayer(weight: w[p + "ln2.weight"], bias: w[p + "ln2.bias"])
        // Fuse query, key, value into one [3D, D] projection: rows q, k, v.
        let qkv = LinearLayer(weight: concatenateRows([w[p + "attn.query.weight"], w[p + "attn.key.weight"], w[p + "attn.value.weight"]]),
                              bias: concatenateRows([w[p + "attn.query.bias"], w[p + "attn.key.bias"], w[p + "attn.value.bias"]]))
        attention = SelfAttention(qkv: qkv, out: LinearLayer(weight: w[p + "attn.proj.weight"], bias: w[p + "attn.proj.bias"]), heads: heads)
        fc = LinearLayer(weight: w[p + "mlp.0.weight"], bias: w[p + "mlp.0.bias"])
        projection = LinearLayer(weight: w[p + "mlp.2.weight"], bias: w[p + "mlp.2.bias"])
    }

    /// x[T, D] → [T, D]; `mask` .none for a bidirectional (masked-token) transformer.
    public func callAsFunction(_ x: Tensor, cache: KVCache? = nil, mask: AttentionMask = .causal) -> Tensor {
        var h = x
        Elementwise.addInPlace(&h, attention(ln1(x), mask: mask, cache: cache))      // [T, D]
        Elementwise.addInPlace(&h, projection(Activation.gelu(fc(ln2(h)))))          // [T, 4D] → [T, D]
        return h
    }

    /// x[S·T, D], S stacked sequences, bidirectional within each (masked-token transformers'
    /// guided and blind passes in one batch) → [S·T, D].
    public func callAsFunction(_ x: Tensor, sequences s: Int) -> Tensor {
        var h = x
        Elementwise.addInPlace(&h, attention(ln1(x), sequences: s))                  // [S·T, D]
        Elementwise.addInPlace(&h, projection(Activation.gelu(fc(ln2(h)))))          // [S·T, 4D] → [S·T, D]
        return h
    }

    /// x[B, D], row b the next position of the stream cached in streams[b] → [B, D].
    public func callAsFunction(_ x: Tensor, streams: [KVCache]) -> Tensor {
        var h = x
        Elementwise.addInPlace(&h, attention(ln1(x), streams: streams))               // [B, D]
        Elementwise.addInPlace(&h, projection(Activation.gelu(fc(ln2(h)))))          // [B, 4D] → [B, D]
        return h
    }
}

public struct CausalTransformer: Sendable {
    public let config: TransformerConfig
    public let tokenEmbedding: Tensor     // [V, D]
    public let positionEmbedding: Tensor  // [block, D]
    public let blocks: [TransformerBlock]
    public let finalNorm: LayerNormLayer
    public let head: LinearLayer

    public init(config: TransformerConfig, weights w: BoundWeights) {
        self.config = config
        tokenEmbedding = w["tok_emb.weight"]
        positionEmbedding = w["pos_emb"].reshaped([config.blockSize, config.width])
        blocks = (0..<config.layers).map { TransformerBlock(w, prefix: "blocks.\($0).", heads: config.heads) }
        finalNorm = LayerNormLayer(weight: w["ln_f.weight"], bias: w["ln_f.bias"])
        head = LinearLayer(weight: w["head.weight"], bias: nil)
    }

    public init(config: TransformerConfig, path: String) throws {
        self.init(config: config, weights: try BoundWeights(path: path, table: config.weightTable))
    }

    /// Embeds tokens at positions start..<start+T: [T, D].
    public func embed(_ tokens: [Int], start: Int = 0) -> Tensor {
        precondition(start + tokens.count <= config.blockSize, "sequence of \(start + tokens.count) exceeds block size \(config.blockSize)")
        var x = Embedding.lookup(tokenEmbedding, tokens)                             // [T, D]
        let d = config.width
        positionEmbedding.read { pos in
            x.update { xp in for i in 0..<xp.count { xp[i] += pos[start * d + i] } }
        }
        return x
    }

    /// Hidden states [T, D] through the blocks; `layerOutputs` receives each block's output.
    public func hidden(_ x: Tensor, caches: [KVCache]? = nil, layerOutputs: ((Int, Tensor) -> Void)? = nil) -> Tensor {
        var h = x
        for (i, block) in blocks.enumerated() {
            h = block(h, cache: caches?[i])
            layerOutputs?(i, h)
        }
        return finalNorm(h)
    }

    /// Logits [T, V] for a whole sequence (training-style forward, causal).
    public func logits(_ tokens: [Int]) -> Tensor { head(hidden(embed(tokens))) }

    /// One cache per layer, sized for the whole block.
    public func makeCaches() -> [KVCache] {
        blocks.map { _ in KVCache(capacity: config.blockSize, width: config.width) }
    }

    /// Feeds `tokens` at the caches' current position and returns the last position's logits [V].
    public func step(_ tokens: [Int], caches: [KVCache]) -> [Float] {
        lastLogits(hidden(embed(tokens, start: caches[0].count), caches: caches))
    }

    /// Feeds one token to each of several streams (candidates decoded side by side): tokens[b]
    /// goes to the stream whose per-layer caches are streams[b], at that stream's position.
    /// Returns each stream's next-token logits, bit-identical to feeding it alone (`step(_:caches:)`).
    public func step(_ tokens: [Int], streams: [[KVCache]]) -> [[Float]] {
        precondition(tokens.count == streams.count, "step: \(tokens.count) tokens for \(streams.count) streams")
        let d = config.width, v = config.vocabSize
        var h = Tensor(overwriting: [tokens.count, d]) { x in                          // [B, D]
            for (b, token) in tokens.enumerated() {
                embed([token], start: streams[b][0].count).read { e in (x.baseAddress! + b * d).update(from: e.baseAddress!, count: d) }
            }
        }
        for (i, block) in blocks.enumerated() { h = block(h, streams: streams.map { $0[i] }) }
        let logits = head(finalNorm(h))                                                 // [B, V]
        return logits.read { p in (0..<tokens.count).map { Array(UnsafeBufferPointer(start: p.baseAddress! + $0 * v, count: v)) } }
    }

    /// Feeds embeddings [T, D] that are not tokens (a conditioning prefix such as projected
    /// visual features) at the caches' current position; returns the last position's logits.
    public func step(embeddings: Tensor, caches: [KVCache]) -> [Float] {
        lastLogits(hidden(withPositions(embeddings, start: caches[0].count), caches: caches))
    }

    /// Adds the position embeddings of positions start ..< start + T to x [T, D].
    public func withPositions(_ x: Tensor, start: Int) -> Tensor {
        let t = x.dim(0), d = config.width
        precondition(start + t <= config.blockSize, "sequence of \(start + t) exceeds block size \(config.blockSize)")
        var y = x
        positionEmbedding.read { pos in y.update { yp in for i in 0..<t * d { yp[i] += pos[start * d + i] } } }
        return y
    }

    private func lastLogits(_ h: Tensor) -> [Float] {
        let t = h.dim(0), d = config.width
        let last = Tensor(shape: [1, d]) { o in h.read { p in o.baseAddress!.update(from: p.baseAddress! + (t - 1) * d, count: d) } }
        return head(last).values                                                     // [V]
    }

    /// Autoregressive generation after a prefix: Top-X / temperature sampling (temperature 0 =
    /// greedy), reproducible from the seed.
    public func generate(prefix: [Int], count: Int, temperature: Float, topK: Int?, seed: UInt64) -> [Int] {
        let caches = makeCaches()
        var rng = SeededRNG(seed: seed)
        var logits = step(prefix, caches: caches)
        var out: [Int] = []
        for i in 0..<count {
            let token = Sampler.sample(logits: logits, temperature: temperature, topK: topK, rng: &rng)
            out.append(token)
            if i + 1 < count { logits = step([token], caches: caches) }
        }
        return out
    }
}
