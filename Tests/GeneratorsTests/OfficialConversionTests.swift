import Foundation
import Generators
import Runtime
import TestHelpers
import Testing

/// Training/convert_specvqgan.py on checkpoints in the official release's layout (random
/// weights, made at test time by Training/golden/official_layout.py): the converted bundle
/// loads in Swift and gives PyTorch's greedy tokens, mel and waveform.
/// FOLEY_OFFICIAL_SIZE=1 runs the paper's sizes instead (1024×256 codebook, 24 layers, 16 heads,
/// width 1024, 2048-d features): a one-off check of about 1.6 GB, not part of `make test`.
@Suite struct OfficialConversionTests {
    @Test func convertedBundleSamplesPyTorchsGreedyTokens() throws {
        let official = ProcessInfo.processInfo.environment["FOLEY_OFFICIAL_SIZE"] == "1"
        let dir = try TempDirectory("official-layout")
        defer { dir.remove() }
        let made = try Subprocess.run("/usr/bin/python3", [Fixtures.repositoryRoot + "/Training/golden/official_layout.py", dir.path,
                                                           "--size", official ? "official" : "tiny"])
        try #require(made.status == 0, "\(made.stderr)")
        let started = Date()
        let generator = try SpecVQGANGenerator(bundle: ModelBundle(path: dir.file("bundle"), kind: SpecVQGANGenerator.kind))
        let expected = try SafeTensorsFile(path: dir.file("expected.safetensors"))
        let features = try expected.tensor("features")
        let tokens = try expected.tensor("tokens").values.map { Int($0) }
        #expect(features.dim(1) == generator.featureDim)
        let got = generator.sampler.generate(features: features, prime: [], count: tokens.count, temperature: 0, topX: nil, seed: 0)
        #expect(got == tokens)
        if official {
            #expect(generator.codec.config.nEmbed == 1024 && generator.featureDim == 2048 && generator.windowSamples == 848 * 256)
            print("official size: loaded and sampled \(tokens.count) greedy tokens in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: \(got ?? [])")
        } else {
            let mel = generator.codec.decode(tokens: tokens)
            #expect(Tolerance.mismatch("mel", got: mel.values, expected: try expected.tensor("mel").values, atol: 1e-4, rtol: 1e-3) == nil)
            let wave = generator.vocoder(mel: mel)
            #expect(Tolerance.mismatch("waveform", got: wave, expected: try expected.tensor("waveform").values, atol: 1e-4, rtol: 1e-3) == nil)
        }
    }

    @Test func aCheckpointMissingATensorIsRefusedWithItsName() throws {
        let dir = try TempDirectory("official-broken")
        defer { dir.remove() }
        let made = try Subprocess.run("/usr/bin/python3", [Fixtures.repositoryRoot + "/Training/golden/official_layout.py", dir.path])
        try #require(made.status == 0, "\(made.stderr)")
        // Drop one block's query projection from the transformer checkpoint and convert again.
        let script = """
        import torch; p = '\(dir.file("transformer.ckpt"))'; c = torch.load(p)
        del c['state_dict']['transformer.blocks.1.attn.query.weight']; torch.save(c, p)
        """
        _ = try Subprocess.run("/usr/bin/python3", ["-c", script])
        let r = try Subprocess.run("/usr/bin/python3", [Fixtures.repositoryRoot + "/Training/convert_specvqgan.py", "--transformer", dir.file("transformer.ckpt"),
                                                        "--vocoder", dir.file("netG.pt"), "--config", dir.file("transformer.yaml"), "--out", dir.file("again")])
        #expect(r.status != 0)
        #expect(r.stderr.contains("sampler: missing blocks.1.attn.query.weight"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("again")))
    }
}
