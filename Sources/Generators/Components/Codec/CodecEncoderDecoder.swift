import Runtime

/// The codec's encoder: conv_in, levels of residual blocks (attention at the lowest time
/// resolution) with stride-2 downsampling between them, mid, norm_out, conv_out.
struct Encoder {
    let convIn: Conv3x3
    let levels: [CodecLevel<Conv3x3>]
    let mid: CodecMid
    let normOut: GroupNorm2D, convOut: Conv3x3

    static func channels(_ c: SpecVQGANCodec.Config) -> [Int] { [c.ch] + c.chMult.map { $0 * c.ch } }

    static func table(_ t: inout WeightTable, _ c: SpecVQGANCodec.Config) {
        let ch = channels(c)
        Conv3x3.table(&t, "encoder.conv_in", cin: c.channels, cout: c.ch)
        var res = c.resolution
        for i in 0..<c.chMult.count {
            for j in 0..<c.numResBlocks {
                ResnetBlock2D.table(&t, "encoder.down.\(i).block.\(j)", cin: j == 0 ? ch[i] : ch[i + 1], cout: ch[i + 1])
                if c.attnResolutions.contains(res) { AttnBlock2D.table(&t, "encoder.down.\(i).attn.\(j)", ch[i + 1]) }
            }
            if i != c.chMult.count - 1 {
                Conv3x3.table(&t, "encoder.down.\(i).downsample.conv", cin: ch[i + 1], cout: ch[i + 1])
                res /= 2
            }
        }
        CodecMid.table(&t, "encoder.mid", ch.last!)
        GroupNorm2D.table(&t, "encoder.norm_out", ch.last!)
        Conv3x3.table(&t, "encoder.conv_out", cin: ch.last!, cout: c.zChannels)
    }

    init(_ w: BoundWeights, _ c: SpecVQGANCodec.Config) {
        let ch = Self.channels(c)
        convIn = Conv3x3(w, "encoder.conv_in")
        var res = c.resolution
        var levels: [CodecLevel<Conv3x3>] = []
        for i in 0..<c.chMult.count {
            let last = i == c.chMult.count - 1
            levels.append(CodecLevel(
                blocks: (0..<c.numResBlocks).map { ResnetBlock2D(w, "encoder.down.\(i).block.\($0)", cin: $0 == 0 ? ch[i] : ch[i + 1], cout: ch[i + 1]) },
                attns: c.attnResolutions.contains(res) ? (0..<c.numResBlocks).map { AttnBlock2D(w, "encoder.down.\(i).attn.\($0)") } : [],
                resample: last ? nil : Conv3x3(w, "encoder.down.\(i).downsample.conv")))
            if !last { res /= 2 }
        }
        self.levels = levels
        mid = CodecMid(w, "encoder.mid", ch.last!)
        normOut = GroupNorm2D(w, "encoder.norm_out")
        convOut = Conv3x3(w, "encoder.conv_out")
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = convIn(x)                                                      // [1, ch, 80, T]
        for level in levels {
            h = level.blocks(h)
            if let down = level.resample {
                // Stride 2, pad one row and column after (taming's asymmetric padding).
                h = Conv.conv2d(Self.padAfter(h), weight: down.weight, bias: down.bias, stride: (2, 2))
            }
        }
        return convOut(normOut(mid(h), silu: true))                     // [1, z, 5, T/16]
    }

    static func padAfter(_ x: Tensor) -> Tensor {
        let (c, h, w) = (x.dim(1), x.dim(2), x.dim(3))
        return Tensor(shape: [1, c, h + 1, w + 1]) { out in
            x.read { p in
                for k in 0..<c { for r in 0..<h {
                    (out.baseAddress! + (k * (h + 1) + r) * (w + 1)).update(from: p.baseAddress! + (k * h + r) * w, count: w)
                } }
            }
        }
    }
}

/// The codec's decoder: conv_in, mid, levels (up.0 the finest) of residual blocks with
/// nearest ×2 upsampling + conv, norm_out, conv_out.
struct Decoder {
    let convIn: Conv3x3
    let mid: CodecMid
    let levels: [CodecLevel<UpsampleConv3x3>]                 // coarsest first, in the order they run
    let normOut: GroupNorm2D, convOut: Conv3x3

    static func table(_ t: inout WeightTable, _ c: SpecVQGANCodec.Config) {
        var cin = c.ch * c.chMult.last!
        Conv3x3.table(&t, "decoder.conv_in", cin: c.zChannels, cout: cin)
        CodecMid.table(&t, "decoder.mid", cin)
        var res = c.resolution >> (c.chMult.count - 1)
        for i in (0..<c.chMult.count).reversed() {
            let cout = c.ch * c.chMult[i]
            for j in 0...c.numResBlocks {
                ResnetBlock2D.table(&t, "decoder.up.\(i).block.\(j)", cin: j == 0 ? cin : cout, cout: cout)
                if c.attnResolutions.contains(res) { AttnBlock2D.table(&t, "decoder.up.\(i).attn.\(j)", cout) }
            }
            if i != 0 { Conv3x3.table(&t, "decoder.up.\(i).upsample.conv", cin: cout, cout: cout); res *= 2 }
            cin = cout
        }
        GroupNorm2D.table(&t, "decoder.norm_out", cin)
        Conv3x3.table(&t, "decoder.conv_out", cin: cin, cout: c.channels)
    }

    init(_ w: BoundWeights, _ c: SpecVQGANCodec.Config) {
        var cin = c.ch * c.chMult.last!
        convIn = Conv3x3(w, "decoder.conv_in")
        mid = CodecMid(w, "decoder.mid", cin)
        var res = c.resolution >> (c.chMult.count - 1)
        var levels: [CodecLevel<UpsampleConv3x3>] = []
        for i in (0..<c.chMult.count).reversed() {
            let cout = c.ch * c.chMult[i], input = cin
            levels.append(CodecLevel(
                blocks: (0...c.numResBlocks).map { ResnetBlock2D(w, "decoder.up.\(i).block.\($0)", cin: $0 == 0 ? input : cout, cout: cout) },
                attns: c.attnResolutions.contains(res) ? (0...c.numResBlocks).map { AttnBlock2D(w, "decoder.up.\(i).attn.\($0)") } : [],
                resample: i == 0 ? nil : UpsampleConv3x3(w, "decoder.up.\(i).upsample.conv")))
            if i != 0 { res *= 2 }
            cin = cout
        }
        self.levels = levels
        normOut = GroupNorm2D(w, "decoder.norm_out")
        convOut = Conv3x3(w, "decoder.conv_out")
    }

    func callAsFunction(_ z: Tensor) -> Tensor {
        var h = mid(convIn(z))                                                 // [1, C, 5, W]
        for level in levels {
            h = level.blocks(h)
            if let up = level.resample { h = up(h) }                 // [1, C, 2H, 2W]
        }
        return convOut(normOut(h, silu: true))                          // [1, 1, 80, 16 W]
    }
}
