import Evaluation
import Foundation
import Generators
import Runtime
import TestHelpers
import Testing

/// Parity of the Swift sound-effects embedding with aisfx's own PyTorch model and librosa
/// preprocessing (Training/golden/make_sfx_golden.py). The converted weights come from the
/// cache that `make test` fills (Scripts/fetch-sfx-model.sh); they are never committed.
@Suite struct SFXEmbeddingTests {
    static let golden = Fixtures.path("models/sfx_golden.safetensors")

    func model() throws -> SFXEmbedding {
        do { return try SFXEmbedding() } catch {
            Issue.record("\(error)")
            throw error
        }
    }

    @Test func melMatchesThePackagesLibrosaPath() throws {
        let g = try SafeTensorsFile(path: Self.golden)
        let signal = try g.tensor("signal").values
        let mel = try SFXMel()
        let got = mel(signal)
        let want = try g.tensor("mel")
        #expect(g.mismatch("mel", Tensor(shape: [got.count / 96, 96], got), atol: 2e-5, rtol: 1e-4) == nil)
        #expect(want.dim(0) == 1 + signal.count / 1024)
    }

    @Test func convBlocksMatchPyTorch() throws {
        let g = try SafeTensorsFile(path: Self.golden)
        let outs = try model().network.blockOutputsForTesting(try g.tensor("layers.input"))
        for (i, o) in outs.enumerated() {
            #expect(g.mismatch("layers.block\(i)", o, atol: 1e-4, rtol: 1e-3) == nil)
        }
    }

    @Test func embeddingsAndHeadsMatchThePackageEndToEnd() throws {
        let g = try SafeTensorsFile(path: Self.golden)
        let sfx = try model()
        let clip = sfx(samples44k: try g.tensor("signal").values)
        let want = try g.tensor("embedding")
        #expect(clip.blocks.count == want.dim(0))
        #expect(g.mismatch("embedding", Tensor(shape: [clip.blocks.count, 512], clip.blocks.flatMap { $0 }), atol: 2e-3, rtol: 1e-3) == nil)
        for (h, name) in sfx.network.config.heads.enumerated() {
            let logits = clip.blocks.flatMap { sfx.network.headLogits($0)[h] }
            #expect(g.mismatch("head.\(name)", Tensor(shape: [clip.blocks.count, logits.count / clip.blocks.count], logits), atol: 3e-3, rtol: 1e-3) == nil)
        }
        #expect(sfx.network.config.heads.contains("ucsMixed"))
        #expect(clip.posteriors.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-4 })
    }

    @Test func blockingFollowsThePackage() throws {
        let sfx = try model()
        // 173 frames: blocks at 0 and 50; the partial block at 100 is dropped.
        #expect(sfx.blocks([Float](repeating: 0.5, count: 173 * 96), frames: 173).count == 2)
        #expect(sfx.blocks([Float](repeating: 0.5, count: 200 * 96), frames: 200).count == 3)
        // Shorter than a block: one zero-padded block.
        let short = sfx.blocks([Float](repeating: 0.5, count: 30 * 96), frames: 30)
        #expect(short.count == 1 && short[0].values[29 * 96] == 0.5 && short[0].values[30 * 96] == 0)
    }

    @Test func aMissingModelNamesTheFolderAndTheFix() {
        #expect { try SFXEmbedding(path: "/nonexistent/sfx") } throws: { error in
            "\(error)".contains("/nonexistent/sfx") && "\(error)".contains("fetch-sfx-model.sh")
        }
    }
}

/// The shipped class probes (FoleyWorld 1's twelve classes in Weights/eval-sfx-probe, FoleyWorld 2's
/// thirty-three in Weights/foleyworld2/eval-sfx-probe) against their PyTorch originals.
@Suite struct SFXClassProbeTests {
    @Test(arguments: [("", "models/", 12), ("foleyworld2/", "models/foleyworld2/", 33)])
    func probabilitiesMatchPyTorch(set: String, goldens: String, classes: Int) throws {
        let g = try SafeTensorsFile(path: Fixtures.path(goldens + "sfx_probe_golden.safetensors"))
        let probe = try SFXClassProbe(bundle: try ModelBundle(path: Fixtures.repositoryRoot + "/Weights/\(set)eval-sfx-probe", kind: "sfx-probe"))
        let x = try g.tensor("embeddings")
        let rows = (0..<x.dim(0)).flatMap { i in probe.probabilities(Array(x.values[(i * 512)..<((i + 1) * 512)])) }
        #expect(g.mismatch("probabilities", Tensor(shape: [x.dim(0), probe.classes.count], rows), atol: 1e-5, rtol: 1e-4) == nil)
        #expect(probe.classes.count == classes)
    }
}
