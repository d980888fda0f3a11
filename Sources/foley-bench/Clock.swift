import Foundation

/// Wall-clock timing: best and median of several runs (the first is a warm-up).
enum Bench {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    static func time(runs: Int = 5, _ body: () throws -> Void) rethrows -> (best: Double, median: Double) {
        try body()
        var times: [Double] = []
        for _ in 0..<runs {
            let t0 = now()
            try body()
            times.append(now() - t0)
        }
        times.sort()
        return (times[0], times[times.count / 2])
    }

    static func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
}
