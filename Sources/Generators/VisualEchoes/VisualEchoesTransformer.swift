import Runtime

/// Visual Echoes' audio-visual masked transformer (Training/foleytrain/visual_echoes.py): audio
/// tokens then visual tokens, each modality with its own embedding table (the last row is the
/// mask token), position and modality embeddings; a bidirectional encoder, a projection to the
/// decoder's width where masked positions carry the shared mask embedding, a bidirectional
/// decoder, and per-modality logits by dot product with the modality's embedding table.
public struct VisualEchoesTransformer: Sendable {
    public struct Config: Sendable, Equatable, Codable {
        public var audioVocab, visualVocab, audioLength, visualLength: Int
        public var width, layers, heads: Int
        public var decoderWidth, decoderLayers, decoderHeads: Int

        enum CodingKeys: String, CodingKey {
            case audioVocab = "audio_vocab", visualVocab = "visual_vocab", audioLength = "audio_len", visualLength = "visual_len"
            case width, layers, heads, decoderWidth = "dec_width", decoderLayers = "dec_layers", decoderHeads = "dec_heads"
        }

        /// Sizes checked before any table or allocation depends on them.
        public var problem: String? {
            ConfigCheck.first(ConfigCheck.range("audio_vocab", audioVocab, 2...1 << 16), ConfigCheck.range("visual_vocab", visualVocab, 2...1 << 16),
                              ConfigCheck.range("audio_len", audioLength, 1...1 << 14), ConfigCheck.range("visual_len", visualLength, 1...1 << 14),
                              ConfigCheck.range("width", width, 1...4096), ConfigCheck.range("layers", layers, 1...64),
                              ConfigCheck.range("dec_width", decoderWidth, 1...4096), ConfigCheck.range("dec_layers", decoderLayers, 1...64),
                              heads < 1 || width % heads != 0 ? "got [heads \(heads)], expected [a divisor of width \(width)]" : nil,
                              decoderHeads < 1 || decoderWidth % decoderHeads != 0 ? "got [dec_heads \(decoderHeads)], expected [a divisor of dec_width \(decoderWidth)]" : nil)
        }

        public var length: Int { audioLength + visualLength }
    }

    /// Position and modality embeddings of one stack, its blocks and final norm.
    struct Stack: Sendable {
        let posA: Tensor, posV: Tensor      // [La, W], [Lv, W]
        let modA: Tensor, modV: Tensor      // [W]
        let blocks: [TransformerBlock]
        let norm: LayerNormLayer

        static func table(_ t: inout WeightTable, _ p: String, la: Int, lv: Int, width d: Int, layers: Int) {
            t.add(p + "pos_a", [la, d]); t.add(p + "pos_v", [lv, d]); t.add(p + "mod_a", [d]); t.add(p + "mod_v", [d])
            for i in 0..<layers { TransformerBlock.table(&t, prefix: p + "blocks.\(i).", width: d) }
            t.add(p + "norm.weight", [d]); t.add(p + "norm.bias", [d])
        }

        init(_ w: BoundWeights, _ p: String, layers: Int, heads: Int) {
            posA = w[p + "pos_a"]; posV = w[p + "pos_v"]; modA = w[p + "mod_a"]; modV = w[p + "mod_v"]
            blocks = (0..<layers).map { TransformerBlock(w, prefix: p + "blocks.\($0).", heads: heads) }
            norm = LayerNormLayer(weight: w[p + "norm.weight"], bias: w[p + "norm.bias"])
        }

        /// x [S·(La + Lv), W] (each sequence's audio rows first) plus position and modality
        /// embeddings, in place.
        func embed(_ x: inout Tensor, audioRows la: Int) {
            let d = x.dim(1), rows = x.dim(0), length = la + posV.dim(0)
            posA.read { pa in posV.read { pv in modA.read { ma in modV.read { mv in
                x.update { xp in
                    for row in 0..<rows {
                        let r = row % length
                        for c in 0..<d { xp[row * d + c] += r < la ? pa[r * d + c] + ma[c] : pv[(r - la) * d + c] + mv[c] }
                    }
                }
            } } } }
        }

        /// `sequences` stacked sequences [S·L, W], bidirectional within each.
        func callAsFunction(_ x: Tensor, sequences s: Int) -> Tensor {
            var h = x
            for block in blocks { h = block(h, sequences: s) }                           // [S·L, W]
            return norm(h)
        }
    }

    /// Logits by dot product with the modality's table: LN(GELU(fc h)) · Eᵀ + bias.
    struct Head: Sendable {
        let fc: LinearLayer
        let norm: LayerNormLayer
        let bias: Tensor                    // [C + 1]

        static func table(_ t: inout WeightTable, _ p: String, decoderWidth: Int, width: Int, vocab: Int) {
            t.add(p + "fc.weight", [width, decoderWidth]); t.add(p + "fc.bias", [width])
            t.add(p + "norm.weight", [width]); t.add(p + "norm.bias", [width]); t.add(p + "bias", [vocab])
        }

        init(_ w: BoundWeights, _ p: String) {
            fc = LinearLayer(weight: w[p + "fc.weight"], bias: w[p + "fc.bias"])
            norm = LayerNormLayer(weight: w[p + "norm.weight"], bias: w[p + "norm.bias"])
            bias = w[p + "bias"]
        }

        func callAsFunction(_ h: Tensor, table: Tensor) -> Tensor {
            Linear.forward(norm(Activation.gelu(fc(h))), weight: table, bias: bias)       // [L, Dd] → [L, W] → [L, C + 1]
        }
    }

    public let config: Config
    let audioEmbedding: Tensor, visualEmbedding: Tensor     // [Ca + 1, W], [Cv + 1, W]
    let encoder: Stack, decoder: Stack
    let decoderEmbed: LinearLayer
    let maskEmbedding: Tensor                              // [Dd]
    let headA: Head, headV: Head

    /// The arch table: every tensor's name and shape, written once.
    public static func table(_ c: Config) -> WeightTable {
        var t = WeightTable()
        t.add("audio_emb.weight", [c.audioVocab + 1, c.width]); t.add("visual_emb.weight", [c.visualVocab + 1, c.width])
        Stack.table(&t, "enc.", la: c.audioLength, lv: c.visualLength, width: c.width, layers: c.layers)
        t.add("dec_embed.weight", [c.decoderWidth, c.width]); t.add("dec_embed.bias", [c.decoderWidth])
        t.add("mask_embed", [c.decoderWidth])
        Stack.table(&t, "dec.", la: c.audioLength, lv: c.visualLength, width: c.decoderWidth, layers: c.decoderLayers)
        Head.table(&t, "head_a.", decoderWidth: c.decoderWidth, width: c.width, vocab: c.audioVocab + 1)
        Head.table(&t, "head_v.", decoderWidth: c.decoderWidth, width: c.width, vocab: c.visualVocab + 1)
        return t
    }

    public init(config c: Config, weights w: BoundWeights) {
        config = c
        audioEmbedding = w["audio_emb.weight"]; visualEmbedding = w["visual_emb.weight"]
        encoder = Stack(w, "enc.", layers: c.layers, heads: c.heads)
        decoder = Stack(w, "dec.", layers: c.decoderLayers, heads: c.decoderHeads)
        decoderEmbed = LinearLayer(weight: w["dec_embed.weight"], bias: w["dec_embed.bias"])
        maskEmbedding = w["mask_embed"]
        headA = Head(w, "head_a."); headV = Head(w, "head_v.")
    }

    public var audioMask: Int { config.audioVocab }
    public var visualMask: Int { config.visualVocab }

    /// Audio logits [La, Ca + 1] for audio ids `a` [La] and visual ids `v` [Lv] (the mask id
    /// where masked). Nothing is dropped at inference.
    public func audioLogits(audio a: [Int], visual v: [Int]) -> Tensor { audioLogits(batch: [(a, v)])[0] }

    /// Audio logits of several (audio, visual) sequences in one batch: every product is one
    /// gemm over all of them (classifier-free guidance's two passes, one forward).
    public func audioLogits(batch: [(audio: [Int], visual: [Int])]) -> [Tensor] {
        let l = config.length, la = config.audioLength
        let h = decoded(batch)                                                              // [S·L, Dd]
        let audioRows = concatenateRows((0..<batch.count).map { sliceRows(h, ($0 * l)..<($0 * l + la)) })   // [S·La, Dd]
        let logits = headA(audioRows, table: audioEmbedding)                                // [S·La, Ca + 1]
        return (0..<batch.count).map { sliceRows(logits, ($0 * la)..<(($0 + 1) * la)) }
    }

    /// Visual logits [Lv, Cv + 1] (the audio-to-image direction).
    public func visualLogits(audio a: [Int], visual v: [Int]) -> Tensor {
        headV(sliceRows(decoded([(a, v)]), config.audioLength..<config.length), table: visualEmbedding)
    }

    /// The decoder's output [S·(La + Lv), Dd] for S stacked (audio, visual) sequences.
    func decoded(_ batch: [(audio: [Int], visual: [Int])]) -> Tensor {
        precondition(batch.allSatisfy { $0.audio.count == config.audioLength && $0.visual.count == config.visualLength }, "token counts differ from the config")
        var x = concatenateRows(batch.flatMap { [Embedding.lookup(audioEmbedding, $0.audio), Embedding.lookup(visualEmbedding, $0.visual)] })   // [S·L, W]
        encoder.embed(&x, audioRows: config.audioLength)
        var h = decoderEmbed(encoder(x, sequences: batch.count))                           // [S·L, Dd]
        // Masked positions carry the shared mask embedding into the decoder.
        let d = config.decoderWidth
        let masked = batch.flatMap { p in p.audio.map { $0 == audioMask } + p.visual.map { $0 == visualMask } }
        maskEmbedding.read { m in
            h.update { hp in for r in masked.indices where masked[r] { for c in 0..<d { hp[r * d + c] = m[c] } } }
        }
        decoder.embed(&h, audioRows: config.audioLength)
        return decoder(h, sequences: batch.count)                                          // [S·L, Dd]
    }
}
