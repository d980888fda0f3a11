import Foundation
import Runtime

/// The shared 1-D mel VAE (FRIEREN's appendix A; Training/foleytrain/mel_vae.py): the 80 bands
/// are channels, convolutions run along time, 80 → `z` channels at half the mel frame rate.
/// Latent generators (FRIEREN; the text-to-audio latent generators later) work in
/// `scale`-normalised latents: `encode` returns the posterior mean × scale, `decode` takes them.
public struct MelVAE: Sendable {
    public struct Config: Sendable, Equatable, Codable {
        public var mels = 80
        public var ch = 64
        public var mult = [1, 2, 4]
        public var z = 20
        public var groups = 32
        /// 1 / std of the training latents' means: the flow sees roughly unit variance.
        public var scale: Float = 1

        public init(mels: Int = 80, ch: Int = 64, mult: [Int] = [1, 2, 4], z: Int = 20, groups: Int = 32, scale: Float = 1) {
            (self.mels, self.ch, self.mult, self.z, self.groups, self.scale) = (mels, ch, mult, z, groups, scale)
        }

        public var problem: String? {
            if let p = ConfigCheck.first(ConfigCheck.range("mels", mels, 1...512), ConfigCheck.range("ch", ch, 1...2048),
                                         ConfigCheck.list("mult", mult, count: 2...6, each: 1...16), ConfigCheck.range("z", z, 1...512),
                                         ConfigCheck.range("groups", groups, 1...64)) { return p }
            if let c = ([ch] + mult.map { ch * $0 }).first(where: { $0 % min(groups, $0) != 0 }) {
                return "got [\(c) channels in \(groups) groups], expected [channels divisible by their group count]"
            }
            guard scale.isFinite, scale > 0 else { return "got [scale \(scale)], expected [a positive number]" }
            return nil
        }

        var widths: [Int] { mult.map { ch * $0 } }
    }

    public let config: Config
    let encoderIn: Conv1D, encoderBlocks: [ResBlock1D], down: Conv1D, encoderAttn: Attn1D
    let encoderNorm: GroupNorm1D, encoderOut: Conv1D
    let decoderIn: Conv1D, decoderAttn: Attn1D, decoderBlocks: [ResBlock1D], up: Conv1D
    let decoderNorm: GroupNorm1D, decoderOut: Conv1D

    /// (input, output) channels of the encoder's and the decoder's residual blocks.
    static func blockChannels(_ c: Config) -> (encoder: [(Int, Int)], decoder: [(Int, Int)]) {
        let w = c.widths, r = Array(w.reversed())
        return (Array(zip([c.ch] + w.dropLast(), w)), Array(zip(r, Array(r.dropFirst()) + [c.ch])))
    }

    public static func table(_ c: Config) -> WeightTable {
        var t = WeightTable()
        let w = c.widths, top = w.last!, (enc, dec) = blockChannels(c)
        Conv1D.table(&t, "enc.conv_in", cin: c.mels, cout: c.ch)
        for (i, (a, b)) in enc.enumerated() { ResBlock1D.table(&t, "enc.blocks.\(i)", cin: a, cout: b) }
        Conv1D.table(&t, "enc.down", cin: w[0], cout: w[0])
        Attn1D.table(&t, "enc.attn", top)
        GroupNorm1D.table(&t, "enc.norm_out", top); Conv1D.table(&t, "enc.conv_out", cin: top, cout: 2 * c.z)
        Conv1D.table(&t, "dec.conv_in", cin: c.z, cout: top)
        Attn1D.table(&t, "dec.attn", top)
        for (i, (a, b)) in dec.enumerated() { ResBlock1D.table(&t, "dec.blocks.\(i)", cin: a, cout: b) }
        Conv1D.table(&t, "dec.up", cin: dec.last!.0, cout: dec.last!.0)
        GroupNorm1D.table(&t, "dec.norm_out", c.ch); Conv1D.table(&t, "dec.conv_out", cin: c.ch, cout: c.mels)
        return t
    }

    public init(weights w: BoundWeights, config c: Config) {
        config = c
        let (enc, dec) = Self.blockChannels(c), g = c.groups
        encoderIn = Conv1D(w, "enc.conv_in")
        encoderBlocks = enc.enumerated().map { ResBlock1D(w, "enc.blocks.\($0.offset)", cin: $0.element.0, cout: $0.element.1, groups: g) }
        down = Conv1D(w, "enc.down", stride: 2)
        encoderAttn = Attn1D(w, "enc.attn", groups: g)
        encoderNorm = GroupNorm1D(w, "enc.norm_out", groups: g); encoderOut = Conv1D(w, "enc.conv_out")
        decoderIn = Conv1D(w, "dec.conv_in")
        decoderAttn = Attn1D(w, "dec.attn", groups: g)
        decoderBlocks = dec.enumerated().map { ResBlock1D(w, "dec.blocks.\($0.offset)", cin: $0.element.0, cout: $0.element.1, groups: g) }
        up = Conv1D(w, "dec.up")
        decoderNorm = GroupNorm1D(w, "dec.norm_out", groups: g); decoderOut = Conv1D(w, "dec.conv_out")
    }

    /// Normalised mel [80, T] (T even) → the scaled posterior mean [z, T/2].
    public func encode(mel: Tensor) -> Tensor {
        var h = encoderIn(mel.reshaped([1] + mel.shape))                         // [1, ch, T]
        for (i, block) in encoderBlocks.enumerated() {
            h = block(h)
            if i == 0 { h = down(h) }                                               // [1, c, T/2]
        }
        let moments = encoderOut(encoderNorm(encoderAttn(h), silu: true))         // [1, 2z, T/2]
        let n = moments.dim(2), z = config.z
        return Tensor(shape: [z, n]) { out in
            moments.read { m in for i in 0..<(z * n) { out[i] = m[i] * config.scale } }   // the mean: first z channels
        }
    }

    /// Scaled latent [z, L] → normalised mel [80, 2L].
    public func decode(latent: Tensor) -> Tensor {
        let z = Elementwise.scale(latent, 1 / config.scale).reshaped([1] + latent.shape)
        var h = decoderAttn(decoderIn(z))                                          // [1, top, L]
        for (i, block) in decoderBlocks.enumerated() {
            if i == decoderBlocks.count - 1 { h = up(Conv.upsampleNearest1d(h, scale: 2)) }   // [1, c, 2L]
            h = block(h)
        }
        let mel = decoderOut(decoderNorm(h, silu: true))                         // [1, 80, 2L]
        return mel.reshaped([mel.dim(1), mel.dim(2)])
    }
}
