import DSP
import Foundation
import Generators
import Runtime

/// The external embedding `foley eval` scores fidelity in: aisfx's network, converted from the
/// package's checkpoint into a cache outside the repository by Scripts/fetch-sfx-model.sh.
/// Audio at any rate is heard at 44.1 kHz (22.05 kHz takes are upsampled, so they are
/// measured as what they are: band-limited).
public final class SFXEmbedding: @unchecked Sendable {
    public static let version = "0.1.2"
    public let network: SFXNetwork
    public let mel: SFXMel
    public let block: Int, blockHop: Int
    /// Identifies the exact weights (the per-clip feature cache is keyed by it).
    public let weightsHash: String
    /// FNV-1a of config.json (mel and blocking parameters live there).
    public let configHash: String

    /// What one clip gives: the embedding of each block, their mean, and each head's category
    /// posterior (the mean of the blocks' softmaxes).
    public struct Clip: Codable, Sendable, Equatable {
        public var blocks: [[Float]]
        public var embedding: [Float]
        public var posteriors: [[Float]]
    }

    /// $FOLEY_SFX_MODEL, else where the fetch script puts it: CACHE/aisfx-0.1.2/bundle.
    public static func defaultPath() -> String {
        if let p = ProcessInfo.processInfo.environment["FOLEY_SFX_MODEL"], !p.isEmpty { return p }
        return "\(FeatureCache.foleyCache())/aisfx-\(version)/bundle"
    }

    public init(path: String = SFXEmbedding.defaultPath()) throws {
        guard FileManager.default.fileExists(atPath: path + "/weights.safetensors") else {
            throw EvaluationError.missingModel(path)
        }
        let bundle = try ModelBundle(path: path, kind: "sfx-embedding")
        let file = bundle.configPath
        // Head names become tensor names: two alike would list one tensor twice.
        guard let object = try? JSONSerialization.jsonObject(with: bundle.configData) as? [String: Any],
              let heads = object["heads"] as? [String], let counts = object["head_classes"] as? [Int], heads.count == counts.count,
              !heads.isEmpty, Set(heads).count == heads.count, counts.allSatisfy({ (2...10_000).contains($0) }) else {
            throw GeneratorError.badConfig(path: file, reason: "got [heads / head_classes missing, repeated or of different lengths], expected [distinct heads, one class count 2…10000 each]")
        }
        let width = try bundle.int("width")
        guard width == 64 else { throw GeneratorError.badConfig(path: file, reason: "got [width \(width)], expected [64]") }
        let config = SFXNetwork.Config(width: width, heads: heads, headClasses: counts)
        network = SFXNetwork(weights: try bundle.bind(SFXNetwork.table(config)), config: config)
        block = try bundle.int("block"); blockHop = try bundle.int("block_hop")
        guard block >= 16, (1...block).contains(blockHop) else {
            throw GeneratorError.badConfig(path: file, reason: "got [block \(block), block_hop \(blockHop)], expected [block ≥ 16, 1 ≤ block_hop ≤ block]")
        }
        let bands = try bundle.int("n_mels", in: 1...512), nFFT = try bundle.int("n_fft", in: 16...65_536), hop = try bundle.int("hop")
        do {
            mel = try SFXMel(bands: bands, nFFT: nFFT, hop: hop, normMax: Float(try bundle.double("norm_max", in: 1e-3...1e3)))
        } catch let error as DSPError {
            throw GeneratorError.badConfig(path: file, reason: "got [n_fft \(nFFT), hop \(hop)], expected [a usable STFT: \(error)]")
        }
        weightsHash = bundle.weightsHash
        configHash = bundle.configHash
    }

    /// The package's blocking of a [frames, bands] mel: blocks of `block` frames every
    /// `blockHop`, a partial last block dropped, at least one block (zero-padded).
    public func blocks(_ spec: [Float], frames: Int) -> [Tensor] {
        let f = mel.bands
        var n = Int((Double(frames - block) / Double(blockHop) + 1).rounded(.up))
        if (frames - block) % blockHop != 0 { n -= 1 }
        n = max(n, 1)
        return (0..<n).map { i in
            Tensor(shape: [block, f]) { out in
                for t in 0..<block where i * blockHop + t < frames {
                    for b in 0..<f { out[t * f + b] = spec[(i * blockHop + t) * f + b] }
                }
            }
        }
    }

    /// Mono 44.1 kHz samples → the clip's embeddings and posteriors.
    public func callAsFunction(samples44k samples: [Float]) -> Clip {
        let spec = mel(samples)
        let embeddings = blocks(spec, frames: spec.count / mel.bands).map { network.embed(block: $0) }
        let n = Float(embeddings.count), d = network.config.embedding
        var mean = [Float](repeating: 0, count: d)
        for e in embeddings { for i in 0..<d { mean[i] += e[i] / n } }
        var posteriors = network.config.headClasses.map { [Float](repeating: 0, count: $0) }
        for e in embeddings {
            for (h, logits) in network.headLogits(e).enumerated() {
                let p = Softmax.forward(Tensor(shape: [logits.count], logits)).values
                for k in p.indices { posteriors[h][k] += p[k] / n }
            }
        }
        return Clip(blocks: embeddings, embedding: mean, posteriors: posteriors)
    }
}
