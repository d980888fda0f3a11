import Runtime

/// The audio-window encoder (the visual encoder's contrastive partner) and the sync judge
/// that scores whether audio and video windows are aligned (FRIEREN's alignment accuracy).
public struct AVSync: Sendable {
    public let dim: Int
    let down: (Tensor, Tensor), a1: (Tensor, Tensor), a2: (Tensor, Tensor)
    let syncConv: (Tensor, Tensor)
    let syncOut: LinearLayer

    public static func table(dim: Int, mels: Int = 80) -> WeightTable {
        var t = WeightTable()
        t.add("audio.down.weight", [dim, mels, 4]); t.add("audio.down.bias", [dim])
        t.add("audio.t1.weight", [dim, dim, 5]); t.add("audio.t1.bias", [dim])
        t.add("audio.t2.weight", [dim, dim, 3]); t.add("audio.t2.bias", [dim])
        t.add("sync.conv.weight", [128, 3 * dim, 3]); t.add("sync.conv.bias", [128])
        t.add("sync.out.weight", [1, 128]); t.add("sync.out.bias", [1])
        return t
    }

    public init(bundle: ModelBundle) throws {
        let dim = try bundle.int("feature_dim")
        let w = try bundle.bind(Self.table(dim: dim))
        self.dim = dim
        down = (w["audio.down.weight"], w["audio.down.bias"])
        a1 = (w["audio.t1.weight"], w["audio.t1.bias"])
        a2 = (w["audio.t2.weight"], w["audio.t2.bias"])
        syncConv = (w["sync.conv.weight"], w["sync.conv.bias"])
        syncOut = LinearLayer(weight: w["sync.out.weight"], bias: w["sync.out.bias"])
    }

    /// Normalised mel [80, 4T] → audio features [T, D].
    public func encode(mel: Tensor) -> Tensor {
        var x = Elementwise.scale(mel.reshaped([1, mel.dim(0), mel.dim(1)]), 2)
        x.update { for i in $0.indices { $0[i] -= 1 } }
        var h = Activation.silu(Conv.conv1d(x, weight: down.0, bias: down.1, ConvParams(stride: 4)))   // [1, D, T]
        h = Activation.silu(Conv.conv1d(h, weight: a1.0, bias: a1.1, ConvParams(padding: 2)))
        h = Conv.conv1d(h, weight: a2.0, bias: a2.1, ConvParams(padding: 1))
        return Reduce.transposeLast2(h.reshaped([dim, h.dim(2)]))                                      // [T, D]
    }

    /// Sync logit for video features v [T, D] and audio features a [T, D] (> 0: in sync).
    public func syncLogit(video v: Tensor, audio a: Tensor) -> Float {
        let t = min(v.dim(0), a.dim(0)), d = dim
        let x = Tensor(overwriting: [1, 3 * d, t]) { out in
            v.read { vp in a.read { ap in
                for i in 0..<t { for c in 0..<d {
                    let vv = vp[i * d + c], aa = ap[i * d + c]
                    out[c * t + i] = vv; out[(d + c) * t + i] = aa; out[(2 * d + c) * t + i] = vv * aa
                } }
            } }
        }
        let h = Activation.silu(Conv.conv1d(x, weight: syncConv.0, bias: syncConv.1, ConvParams(padding: 1)))  // [1, 128, T]
        let pooled = Reduce.mean(h, axis: 2)                                                                   // [1, 128]
        return syncOut(pooled)[flat: 0]
    }
}
