import Foundation
import Runtime
import TestHelpers

enum RuntimeBench {
    static func run() throws {
        BLAS.configure()
        print("== runtime: linear vs raw sgemm (GFLOP/s, one thread)")
        for (m, k, n) in [(512, 256, 768), (512, 256, 1024), (512, 1024, 256), (2048, 1024, 1024)] {
            let x = Tensor(shape: [m, k], repeating: 0.5), w = Tensor(shape: [n, k], repeating: 0.25), b = Tensor(shape: [n], repeating: 1)
            let flops = 2.0 * Double(m * n * k)
            var c = [Float](repeating: 0, count: m * n)
            let raw = Bench.time {
                x.read { xp in w.read { wp in c.withUnsafeMutableBufferPointer { cp in
                    BLAS.gemm(transB: true, m: m, n: n, k: k, a: xp.baseAddress!, lda: k, b: wp.baseAddress!, ldb: k, c: cp.baseAddress!, ldc: n)
                } } }
            }
            let lin = Bench.time { _ = Linear.forward(x, weight: w, bias: b) }
            print("  [\(m)×\(k)] · [\(k)×\(n)]: sgemm \(Bench.fmt(flops / raw.best / 1e9, 1)), linear+bias \(Bench.fmt(flops / lin.best / 1e9, 1)) "
                  + "→ \(Bench.fmt(100 * raw.best / lin.best, 0))% of sgemm")
        }
        let x = Tensor(shape: [1, 1024], repeating: 0.5), w = Tensor(shape: [1024, 1024], repeating: 0.25)
        let gemv = Bench.time(runs: 50) { _ = Linear.forward(x, weight: w, bias: nil) }
        print("  one row [1×1024]·[1024×1024] (sgemv): \(Bench.fmt(2.0 * 1024 * 1024 / gemv.median / 1e9, 1)) GFLOP/s")

        // The codec decoder's upsampling convolutions: upsample then convolve, against the
        // phase form that never builds the 4×-sized map (interleaved runs, best of 5).
        print("== runtime: nearest 2× upsampling + 3×3 conv, materialised vs phase form (one thread)")
        var rng = SeededRNG(seed: 1)
        for (c, h, w) in [(128, 5, 24), (64, 20, 96), (32, 40, 192)] {
            let x = Tensor(shape: [1, c, h, w], (0..<(c * h * w)).map { _ in rng.normal() })
            let weight = Tensor(shape: [c, c, 3, 3], (0..<(c * c * 9)).map { _ in 0.05 * rng.normal() }), bias = Tensor(shape: [c], repeating: 0.1)
            let phases = Conv.nearest2xPhases(weight)
            let plain = Bench.time { _ = Conv.conv2d(Conv.upsampleNearest2d(x, scale: (2, 2)), weight: weight, bias: bias, padding: (1, 1)) }
            let phased = Bench.time { _ = Conv.nearest2xConv3x3(x, phases: phases, bias: bias) }
            print("  \(c) channels, \(h)×\(w) → \(2 * h)×\(2 * w): materialised \(Bench.fmt(plain.best * 1000, 2)) ms, "
                  + "phases \(Bench.fmt(phased.best * 1000, 2)) ms → \(Bench.fmt(plain.best / phased.best, 2))x faster")
        }

        print("== runtime: 4-layer 256-wide transformer, Swift vs PyTorch eager (1 thread, same weights)")
        let dir = NSTemporaryDirectory() + "foley-bench-runtime"
        let script = Fixtures.repositoryRoot + "/Training/bench/bench_runtime.py"
        let r = try Subprocess.run("/usr/bin/python3", [script, "--out", dir], environment: ["OMP_NUM_THREADS": "1"])
        guard r.status == 0, let line = r.stdout.split(separator: "\n").last,
              let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            print("  PyTorch reference failed (is python3-torch installed?):\n\(r.stderr)")
            return
        }
        let c = obj["config"] as! [String: Int]
        let config = TransformerConfig(vocabSize: c["vocab_size"]!, blockSize: c["block_size"]!, layers: c["layers"]!,
                                       heads: c["heads"]!, width: c["width"]!)
        let model = try CausalTransformer(config: config, path: obj["weights"] as! String)
        let tokens = (obj["tokens"] as! [Int])
        let forward = Bench.time { _ = model.logits(tokens) }
        var greedy: [Int] = []
        let decode = Bench.time(runs: 3) { greedy = model.generate(prefix: [tokens[0]], count: 256, temperature: 0, topK: nil, seed: 0) }
        let tf = obj["forward_s"] as! Double, td = obj["decode_s"] as! Double
        print("  forward, 512 tokens:       Swift \(Bench.fmt(forward.median * 1000, 1)) ms, PyTorch \(Bench.fmt(tf * 1000, 1)) ms → Swift \(Bench.fmt(tf / forward.median, 2))x faster")
        print("  greedy decode, 256 steps:  Swift \(Bench.fmt(decode.median * 1000, 1)) ms, PyTorch \(Bench.fmt(td * 1000, 1)) ms → Swift \(Bench.fmt(td / decode.median, 2))x faster")
        print("  same greedy tokens as PyTorch: \(greedy == (obj["greedy"] as! [Int]) ? "yes" : "NO") (torch \(obj["torch"] as! String))")
    }
}
