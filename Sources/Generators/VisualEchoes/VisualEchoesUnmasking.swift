import Foundation
import Runtime

extension VisualEchoesTransformer {
    /// The iterative decoding of the paper's Code 1 for the audio tokens. Known audio tokens
    /// (the context to the left, and for inpainting to the right) never change; the rest start
    /// masked. Guided (s ≠ 1): s · cond + (1 − s) · uncond in logit space, the unconditional
    /// pass with every visual token masked — no extra training, the decoder saw the mask
    /// embedding in training. Returns the ids, or nil when `progress` cancels. `trace` sees each
    /// step's ids.
    public func unmask(audio: [Int], known: [Bool], visual: [Int], steps: Int, temperature: Float, guidance: Float,
                       seed: UInt64, progress: (Double) -> Bool = { _ in true }, trace: (([Int]) -> Void)? = nil) -> [Int]? {
        let blind = [Int](repeating: visualMask, count: visual.count)
        return decode(tokens: audio, known: known, mask: audioMask, codes: config.audioVocab, steps: steps, temperature: temperature,
                      seed: seed, progress: progress, trace: trace) { current in
            guard guidance != 1 else { return audioLogits(audio: current, visual: visual) }     // [La, Ca + 1]
            let both = audioLogits(batch: [(current, visual), (current, blind)])               // conditional and blind, one batch
            var logits = both[0]
            logits.update { l in both[1].read { u in
                for i in l.indices { l[i] = guidance * l[i] + (1 - guidance) * u[i] }
            } }
            return logits
        }
    }

    /// The paper's other direction: the picture tokens a sound implies, every visual token
    /// unmasked from the (fully known) audio tokens, no guidance (as in the paper).
    public func imagine(audio: [Int], steps: Int, temperature: Float, seed: UInt64) -> [Int] {
        let start = [Int](repeating: visualMask, count: config.visualLength)
        return decode(tokens: start, known: [Bool](repeating: false, count: start.count), mask: visualMask, codes: config.visualVocab,
                      steps: steps, temperature: temperature, seed: seed, progress: { _ in true }, trace: nil) { current in
            visualLogits(audio: audio, visual: current)                                          // [Lv, Cv + 1]
        } ?? start
    }

    /// One modality's unmasking loop. Each of `steps` steps: `logits(current)` [L, codes + 1];
    /// every masked position sampled from the softmax over the real codes (the mask id is never
    /// sampled); then the least confident of the new ones (log p + T_t · Gumbel, T_t annealed
    /// linearly to 0) masked again, as many as the cosine schedule keeps masked.
    func decode(tokens: [Int], known: [Bool], mask: Int, codes: Int, steps: Int, temperature: Float, seed: UInt64,
                progress: (Double) -> Bool, trace: (([Int]) -> Void)?, logits: ([Int]) -> Tensor) -> [Int]? {
        let length = tokens.count, row = codes + 1
        var current = zip(tokens, known).map { $1 ? $0 : mask }                                 // [L]
        let unknown = known.filter { !$0 }.count
        var rng = SeededRNG(seed: seed)
        guard unknown > 0 else { return current }
        for step in 0..<steps {
            guard progress(Double(step) / Double(steps)) else { return nil }
            let l = logits(current)                                                              // [L, codes + 1]
            let masked = current.map { $0 == mask }
            var sampled = current
            var chosen = [Float](repeating: 0, count: length)                                    // p of each sampled token
            l.read { l in
                var p = [Float](repeating: 0, count: codes)
                for i in 0..<length where masked[i] {
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
            for i in again { current[i] = mask }
            trace?(current)
        }
        return current
    }
}
