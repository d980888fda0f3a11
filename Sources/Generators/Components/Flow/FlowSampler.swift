import Foundation

/// How a rectified flow is integrated from noise (t = 0) to data (t = 1).
public enum FlowSolver: Sendable, Equatable {
    /// Fixed steps of 1 / steps.
    case euler(steps: Int)
    /// Adaptive Dormand–Prince 5(4): per-element tolerance atol + rtol·max(|y|, |y_new|), RMS
    /// error ≤ 1 accepts; `first` is the first step's size, `maxSteps` bounds accepted steps.
    case dopri5(rtol: Float, atol: Float, first: Double = 0.05, maxSteps: Int = 200)
}

/// Where a solve is: its time, the steps it has accepted and the field evaluations spent
/// (Dopri5's count is not known in advance, so progress is t, not a step fraction).
public struct FlowProgress: Sendable, Equatable {
    public var t: Double
    public var steps: Int
    public var evaluations: Int
    public init(t: Double, steps: Int, evaluations: Int) { (self.t, self.steps, self.evaluations) = (t, steps, evaluations) }
}

/// Rectified-flow sampling shared by the latent generators (Training/foleytrain/flow.py mirrors
/// it step for step). The state is a flat [Float] (a latent [z, L] row-major); the field is
/// the (guided) velocity, returning nil when the job is cancelled.
public enum FlowSampler {
    public typealias Field = (_ x: [Float], _ t: Double) -> [Float]?

    /// The field with known elements (`known[i]`) on their exact path t·target + (1 − t)·x0:
    /// their velocity is the constant target − x0, so every solver keeps them there at every
    /// stage and the network always sees the known latent carried to its time on the same
    /// noise (RePaint-style conditioning for flows; both edges of a span at once).
    public static func holding(_ field: @escaping Field, x0: [Float], target: [Float], known: [Bool]) -> Field {
        guard known.contains(true) else { return field }
        let exact = zip(target, x0).map { $0 - $1 }
        return { x, t in
            guard var v = field(x, t) else { return nil }
            for i in v.indices where known[i] { v[i] = exact[i] }
            return v
        }
    }

    /// Integrates `field` from x0 at t = 0 to t = 1. `trace` sees every attempted step (t, h,
    /// accepted); `progress` after each accepted one returns false to cancel (→ nil).
    public static func solve(x0: [Float], solver: FlowSolver, field: Field,
                             trace: ((Double, Double, Bool) -> Void)? = nil, progress: (FlowProgress) -> Bool = { _ in true }) -> [Float]? {
        switch solver {
        case .euler(let steps):
            var x = x0
            for i in 0..<max(1, steps) {
                let t = Double(i) / Double(steps), h = Float(1 / Double(steps))
                guard let v = field(x, t) else { return nil }
                for j in x.indices { x[j] += h * v[j] }                         // x ← x + v·dt
                trace?(t, Double(h), true)
                guard progress(FlowProgress(t: Double(i + 1) / Double(steps), steps: i + 1, evaluations: i + 1)) else { return nil }
            }
            return x
        case .dopri5(let rtol, let atol, let first, let maxSteps):
            return dopri5(x0: x0, rtol: rtol, atol: atol, first: first, maxSteps: maxSteps, field: field, trace: trace, progress: progress)
        }
    }

    // Dormand–Prince 5(4): nodes, stage rows, 5th-order weights, and 5th minus 4th order.
    static let c: [Double] = [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1]
    static let a: [[Double]] = [[],
                                [1.0 / 5],
                                [3.0 / 40, 9.0 / 40],
                                [44.0 / 45, -56.0 / 15, 32.0 / 9],
                                [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
                                [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
                                [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84]]
    static let b5: [Double] = [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0]
    static let e: [Double] = [71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40]

    /// Σ w_i·k_i over the non-zero weights, in order (float32, as the PyTorch side sums).
    static func combine(_ w: [Double], _ k: [[Float]]) -> [Float] {
        var out = [Float](repeating: 0, count: k[0].count)
        for (wi, ki) in zip(w, k) where wi != 0 {
            let f = Float(wi)
            for j in out.indices { out[j] += f * ki[j] }
        }
        return out
    }

    static func dopri5(x0: [Float], rtol: Float, atol: Float, first: Double, maxSteps: Int, field: Field,
                       trace: ((Double, Double, Bool) -> Void)?, progress: (FlowProgress) -> Bool) -> [Float]? {
        var t = 0.0, h = first, y = x0
        guard var k1 = field(y, t) else { return nil }
        var accepted = 0, evaluations = 1
        while t < 1 && accepted < maxSteps {
            h = min(h, 1 - t)
            var k = [k1]
            for s in 1..<7 {
                let inc = combine(a[s], k), hf = Float(h)
                let ys = (0..<y.count).map { y[$0] + hf * inc[$0] }                // stage s input
                guard let ks = field(ys, t + c[s] * h) else { return nil }
                k.append(ks)
            }
            evaluations += 6
            let hf = Float(h), inc5 = combine(b5, k), incE = combine(e, k)
            let y5 = (0..<y.count).map { y[$0] + hf * inc5[$0] }
            var sum = 0.0
            for j in y.indices {
                let scale = atol + rtol * max(abs(y[j]), abs(y5[j]))
                let r = Double(hf * incE[j] / scale)
                sum += r * r
            }
            let norm = (sum / Double(y.count)).squareRoot()
            let ok = norm <= 1
            trace?(t, h, ok)
            if ok {
                t = t + h >= 1 - 1e-6 ? 1 : t + h
                y = y5
                k1 = k[6]                                                            // first same as last
                accepted += 1
                guard progress(FlowProgress(t: t, steps: accepted, evaluations: evaluations)) else { return nil }
            }
            h *= norm == 0 ? 10 : min(10, max(0.2, 0.9 * Foundation.pow(norm, -0.2)))
        }
        return y
    }
}
