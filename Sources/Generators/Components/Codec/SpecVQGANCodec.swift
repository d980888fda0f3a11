import Foundation
import Runtime

/// SpecVQGAN's spectrogram codec (a taming-transformers VQModel over the normalised mel), with
/// the official parameter names so converted official checkpoints bind unchanged.
/// mel [80, T] → latent [D, 5, T/16] → codebook indices, read column-major; and back.
public struct SpecVQGANCodec: Sendable {
    public struct Config: Sendable, Equatable, Codable {
        public var nEmbed: Int
        public var embedDim: Int
        public var ch: Int
        public var chMult: [Int]
        public var numResBlocks: Int
        public var attnResolutions: [Int]
        public var resolution: Int
        public var zChannels: Int
        /// 3 for an image tokenizer (RGB frames); absent = 1, the mel codec.
        public var inChannels: Int?

        enum CodingKeys: String, CodingKey {
            case nEmbed = "n_embed", embedDim = "embed_dim", ch, chMult = "ch_mult", numResBlocks = "num_res_blocks"
            case attnResolutions = "attn_resolutions", resolution, zChannels = "z_channels", inChannels = "in_channels"
        }

        public var channels: Int { inChannels ?? 1 }

        /// Problems with the sizes (nil when usable), checked before any table or allocation
        /// depends on them: 80 mel bands halve evenly at most four times.
        public var problem: String? {
            ConfigCheck.first(ConfigCheck.range("n_embed", nEmbed, 2...1 << 20), ConfigCheck.range("embed_dim", embedDim, 1...4096),
                              ConfigCheck.range("ch", ch, 1...4096), ConfigCheck.list("ch_mult", chMult, count: 1...5, each: 1...64),
                              ConfigCheck.range("num_res_blocks", numResBlocks, 1...16),
                              ConfigCheck.list("attn_resolutions", attnResolutions, count: 0...16, each: 1...65_536),
                              ConfigCheck.range("resolution", resolution, 1...65_536), ConfigCheck.range("z_channels", zChannels, 1...4096),
                              ConfigCheck.range("in_channels", channels, 1...4))
        }

        /// Rows of the latent grid for 80 mel bands (5 with four downsamplings).
        public var rows: Int { 80 >> (chMult.count - 1) }
        public var downsampling: Int { 1 << (chMult.count - 1) }
    }

    public let config: Config
    let encoder: Encoder
    let decoder: Decoder
    let codebook: Tensor                 // [nEmbed, D]
    let codebookNorms: [Float]
    let quantConv: Conv1x1, postQuantConv: Conv1x1

    public static func table(_ c: Config) -> WeightTable {
        var t = WeightTable()
        Encoder.table(&t, c)
        Decoder.table(&t, c)
        t.add("quantize.embedding.weight", [c.nEmbed, c.embedDim])
        Conv1x1.table(&t, "quant_conv", cin: c.zChannels, cout: c.embedDim)
        Conv1x1.table(&t, "post_quant_conv", cin: c.embedDim, cout: c.zChannels)
        return t
    }

    public init(weights w: BoundWeights, config c: Config) {
        config = c
        encoder = Encoder(w, c)
        decoder = Decoder(w, c)
        codebook = w["quantize.embedding.weight"]
        codebookNorms = codebook.read { p in (0..<c.nEmbed).map { i in (0..<c.embedDim).reduce(Float(0)) { $0 + p[i * c.embedDim + $1] * p[i * c.embedDim + $1] } } }
        quantConv = Conv1x1(w, "quant_conv")
        postQuantConv = Conv1x1(w, "post_quant_conv")
    }

    /// mel [80, T] in [0, 1] (T a multiple of 16) → latent [1, D, 5, T/16] before quantisation.
    public func encode(mel: Tensor) -> Tensor {
        var x = mel.reshaped([1, 1, mel.dim(0), mel.dim(1)])
        x = Activation.map(x) { for i in $0.indices { $0[i] = $0[i] * 2 - 1 } }
        return quantConv(encoder(x))
    }

    /// Nearest codeword per latent cell, column-major: all rows of time step 0, then step 1, …
    public func tokens(mel: Tensor) -> [Int] {
        let z = encode(mel: mel)                                              // [1, D, H, W]
        let h = z.dim(2), w = z.dim(3)
        let grid = nearest(z)                                                 // row-major [H · W]
        return (0..<(h * w)).map { i in grid[(i % h) * w + i / h] }
    }

    /// An image [C, H, W] in [0, 1] (the image tokenizer) → its codes, row-major.
    public func imageTokens(_ image: Tensor) -> [Int] {
        var x = image.reshaped([1] + image.shape)
        x = Activation.map(x) { for i in $0.indices { $0[i] = $0[i] * 2 - 1 } }
        return nearest(quantConv(encoder(x)))                                 // [1, D, H/f, W/f] → [H/f · W/f]
    }

    /// Row-major codes of a `rows`-row grid → the image [C, H, W] in [0, 1].
    public func decodeImage(tokens: [Int], rows: Int) -> Tensor {
        let columnMajor = (0..<tokens.count).map { i in tokens[(i % rows) * (tokens.count / rows) + i / rows] }
        let y = decoder(postQuantConv(lookup(columnMajor, rows: rows)))      // [1, C, H, W]
        return Activation.map(y.reshaped(Array(y.shape.dropFirst()))) { for i in $0.indices { $0[i] = ($0[i] + 1) / 2 } }
    }

    /// The nearest codeword of each cell of z [1, D, H, W], row-major.
    func nearest(_ z: Tensor) -> [Int] {
        let d = z.dim(1), h = z.dim(2), w = z.dim(3)
        var out = [Int](repeating: 0, count: h * w)
        z.read { zp in codebook.read { e in
            var v = [Float](repeating: 0, count: d)
            for cell in 0..<(h * w) {
                for k in 0..<d { v[k] = zp[k * h * w + cell] }
                var best = 0, bestDistance = Float.infinity
                for code in 0..<config.nEmbed {
                    var dot: Float = 0
                    for k in 0..<d { dot += v[k] * e[code * d + k] }
                    let distance = codebookNorms[code] - 2 * dot                 // ‖v‖² is common to all codes
                    if distance < bestDistance { bestDistance = distance; best = code }
                }
                out[cell] = best
            }
        } }
        return out
    }

    /// Column-major tokens → mel [80, columns · 16] in [0, 1].
    public func decode(tokens: [Int]) -> Tensor {
        let y = decoder(postQuantConv(lookup(tokens)))                       // [1, 1, 80, T]
        return Activation.map(y.reshaped([y.dim(2), y.dim(3)])) { for i in $0.indices { $0[i] = ($0[i] + 1) / 2 } }
    }

    /// The decoder's input stage (conv_in + mid), for per-layer parity tests.
    func decoderMid(tokens: [Int]) -> Tensor { decoder.mid(decoder.convIn(postQuantConv(lookup(tokens)))) }

    /// Codewords of column-major tokens as the latent grid [1, D, 5, columns].
    func lookup(_ tokens: [Int], rows: Int? = nil) -> Tensor {
        let h = rows ?? config.rows, w = tokens.count / h, d = config.embedDim
        return Tensor(overwriting: [1, d, h, w]) { out in
            codebook.read { e in
                for col in 0..<w { for row in 0..<h {
                    let code = tokens[col * h + row]
                    for k in 0..<d { out[(k * h + row) * w + col] = e[code * d + k] }
                } }
            }
        }
    }
}
