import Runtime

/// The shared visual encoder (the CAVP role): frames at 21.53 fps → 128-d features at the
/// same rate. Trained by Training/train_encoders.py; parity with PyTorch in GeneratorsTests.
public struct VisualEncoder: Sendable {
    public static let frameSize = 64

    /// How a frame is cut from the picture before the encoder sees it; the bundle names the
    /// framing it was trained on (config "framing"; bundles without one are centre-crop).
    public enum Framing: String, Sendable, CaseIterable {
        /// Short side scaled to 64, the centre square kept (FoleyWorld 1's 4:3 scenes).
        case centreCrop = "centre-crop"
        /// The whole picture scaled to 64×64, aspect not kept: a cause at the edge of a 16:9
        /// or 9:16 frame stays in view.
        case wholeFrame = "whole-frame"
    }

    public let dim: Int
    public let framing: Framing
    /// The bundle's weights digest: features are cached under it.
    public let weightsHash: String
    let blocks: [ConvNormAct]
    let projection: LinearLayer
    let temporal1: (Tensor, Tensor), temporal2: (Tensor, Tensor)

    public static func table(width: Int, dim: Int) -> WeightTable {
        var t = WeightTable()
        let c = [3, width, 2 * width, 4 * width, 4 * width]
        for i in 0..<4 { ConvNormAct.table(&t, conv: "frame.convs.\(i)", norm: "frame.norms.\(i)", cin: c[i], cout: c[i + 1]) }
        t.add("frame.proj.weight", [dim, c[4]]); t.add("frame.proj.bias", [dim])
        t.add("t1.weight", [dim, 2 * dim, 5]); t.add("t1.bias", [dim])
        t.add("t2.weight", [dim, dim, 3]); t.add("t2.bias", [dim])
        return t
    }

    public init(bundle: ModelBundle) throws {
        let width = try bundle.int("width"), dim = try bundle.int("feature_dim")
        let w = try bundle.bind(Self.table(width: width, dim: dim))
        self.dim = dim
        framing = Framing(rawValue: try bundle.choice("framing", of: Framing.allCases.map(\.rawValue), fallback: Framing.centreCrop.rawValue))!
        weightsHash = bundle.weightsHash
        blocks = (0..<4).map { ConvNormAct(w, conv: "frame.convs.\($0)", norm: "frame.norms.\($0)", stride: 2) }
        projection = LinearLayer(weight: w["frame.proj.weight"], bias: w["frame.proj.bias"])
        temporal1 = (w["t1.weight"], w["t1.bias"])
        temporal2 = (w["t2.weight"], w["t2.bias"])
    }

    /// Interleaved RGB bytes of 64×64 frames → [T, 3, 64, 64] in [0, 1].
    public static func tensor(frames: [[UInt8]]) throws -> Tensor {
        let n = frameSize * frameSize
        guard frames.allSatisfy({ $0.count == 3 * n }) else {
            throw GeneratorError.invalidInput("visual encoder: frames must be \(frameSize)×\(frameSize) RGB (\(3 * n) bytes each)")
        }
        return Tensor(overwriting: [frames.count, 3, frameSize, frameSize]) { out in
            for (t, f) in frames.enumerated() {
                for i in 0..<n { for c in 0..<3 { out[(t * 3 + c) * n + i] = Float(f[3 * i + c]) / 255 } }
            }
        }
    }

    /// frames [T, 3, 64, 64] in [0, 1] → features [T, D].
    public func callAsFunction(_ frames: Tensor) -> Tensor {
        temporal(perFrame(frames))
    }

    /// The per-frame half: frames [T, 3, 64, 64] in [0, 1] → [T, D]. Each frame is computed
    /// alone (group norm is per sample), so a long clip can go through in chunks.
    public func perFrame(_ frames: Tensor) -> Tensor {
        var x = Elementwise.scale(frames, 2)
        x.update { for i in $0.indices { $0[i] -= 1 } }                                 // [T, 3, 64, 64] in [-1, 1]
        for block in blocks { x = block(x) }                                            // [T, 4w, 4, 4]
        return projection(Reduce.mean(Reduce.mean(x, axis: 3), axis: 2))               // [T, D]
    }

    /// Frames per block of the temporal half: its im2col over a whole 60-minute clip would be
    /// 400 MB; a block is 5 MB.
    static let temporalBlock = 4096
    /// Frames each side a block reads beyond what it keeps: the two convolutions see ±2 and ±1.
    static let temporalHalo = 3

    /// The temporal half over the whole clip: per-frame features [T, D] → features [T, D],
    /// computed a block at a time with a halo, which gives exactly the whole-clip result.
    public func temporal(_ f: Tensor) -> Tensor {
        let t = f.dim(0), d = dim
        guard t > Self.temporalBlock else { return temporalBlock(f, from: 0, to: t, keep: 0..<t) }
        var out = [Float](repeating: 0, count: t * d)
        for start in stride(from: 0, to: t, by: Self.temporalBlock) {
            let end = min(t, start + Self.temporalBlock)
            let lo = max(0, start - Self.temporalHalo), hi = min(t, end + Self.temporalHalo)
            let block = temporalBlock(f, from: lo, to: hi, keep: (start - lo)..<(end - lo))   // [end - start, D]
            block.read { b in for i in 0..<b.count { out[start * d + i] = b[i] } }
        }
        return Tensor(shape: [t, d], out)
    }

    /// Rows [from, to) of per-frame features through the temporal convolutions; returns the
    /// rows `keep` (relative to `from`). Row 0 of the clip has no previous frame: its change is 0.
    func temporalBlock(_ f: Tensor, from: Int, to: Int, keep: Range<Int>) -> Tensor {
        let n = to - from, d = dim
        // Each feature beside its change since the previous frame, channels first: [1, 2D, n].
        let withDelta = Tensor(overwriting: [1, 2 * d, n]) { out in
            f.read { p in
                for j in 0..<n { let i = from + j; for c in 0..<d {
                    out[c * n + j] = p[i * d + c]
                    out[(d + c) * n + j] = i == 0 ? 0 : p[i * d + c] - p[(i - 1) * d + c]
                } }
            }
        }
        var h = Activation.silu(Conv.conv1d(withDelta, weight: temporal1.0, bias: temporal1.1, ConvParams(padding: 2)))
        h = Conv.conv1d(h, weight: temporal2.0, bias: temporal2.1, ConvParams(padding: 1))  // [1, D, n]
        let rows = Reduce.transposeLast2(h.reshaped([d, n]))                              // [n, D]
        guard keep != 0..<n else { return rows }
        return Tensor(overwriting: [keep.count, d]) { out in
            rows.read { r in for i in 0..<(keep.count * d) { out[i] = r[keep.lowerBound * d + i] } }
        }
    }
}
