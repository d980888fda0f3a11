import Foundation
import Runtime

extension VisualEchoesTransformer {
    /// The iterative decoding of the paper's Code 1, as one function. Known audio tokens (the
    /// context to the left, and for inpainting to the right) never change; the rest start
    /// masked. Each of `steps` steps: audio logits (guided: s · cond + (1 − s) · uncond in
    /// logit space, the unconditional pass with every visual token masked — no extra training,
    /// the decoder saw the mask embedding in training); every masked position sampled from
    /// the softmax over the real codes; then the least confident of the new ones (log p + T_t ·
    /// Gumbel, T_t annealed linearly to 0) masked again, as many as the cosine schedule keeps
    /// masked. Returns the ids, or nil when `progress` cancels. `trace` sees each step's ids.
    public func unmask(audio: [Int], known: [Bool], visual: [Int], steps: Int, temperature: Float, guidance: Float,
                       seed: UInt64, progress: (Double) -> Bool = { _ in true }, trace: (([Int]) -> Void)? = nil) -> [Int]? {
        let la = config.audioLength, codes = config.audioVocab, row = codes + 1
        var current = zip(audio, known).map { $1 ? $0 : audioMask }                           // [La]
        let blind = [Int](repeating: visualMask, count: visual.count)
        let unknown = known.filter { !$0 }.count
        var rng = SeededRNG(seed: seed)
        guard unknown > 0 else { return current }
        for step in 0..<steps {
            guard progress(Double(step) / Double(steps)) else { return nil }
            var logits = audioLogits(audio: current, visual: visual)                            // [La, Ca + 1]
            if guidance != 1 {
                let blindLogits = audioLogits(audio: current, visual: blind)                    // [La, Ca + 1]
                logits.update { l in blindLogits.read { u in
                    for i in l.indices { l[i] = guidance * l[i] + (1 - guidance) * u[i] }
                } }
            }
            let masked = current.map { $0 == audioMask }
            var sampled = current
            var chosen = [Float](repeating: 0, count: la)                                        // p of each sampled token
            logits.read { l in
                var p = [Float](repeating: 0, count: codes)
                for i in 0..<la where masked[i] {
                    // Softmax over the real codes only: the mask id is never sampled.
                    var top = -Float.infinity
                    for c in 0..<codes { top = max(top, l[i * row + c]) }
                    var total: Float = 0
                    for c in 0..<codes { p[c] = expf(l[i * row + c] - top); total += p[c] }
                    for c in 0..<codes { p[c] /= total }
                    sampled[i] = Sampler.multinomial(p, rng: &rng)
                    chosen[i] = p[sampled[i]]
                }
            }
            let keepMasked = MaskGIT.maskCount(step: step, steps: steps, total: unknown, currentlyMasked: masked.filter { $0 }.count)
            let t = MaskGIT.annealedTemperature(temperature, step: step, steps: steps)
            let again = MaskGIT.remask(probabilities: chosen, eligible: masked, count: keepMasked, temperature: t, rng: &rng)
            current = sampled
            for i in again { current[i] = audioMask }
            trace?(current)
        }
        return current
    }
}
