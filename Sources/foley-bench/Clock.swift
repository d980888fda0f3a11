import Foundation
import TestHelpers

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

    /// The shipped bundle `name` (FOLEY_WEIGHTS, else the checkout's Weights/), or nil with a
    /// line saying the section is skipped.
    static func bundle(_ name: String, section: String) -> String? {
        let weights = ProcessInfo.processInfo.environment["FOLEY_WEIGHTS"] ?? Fixtures.repositoryRoot + "/Weights"
        let path = weights + "/" + name
        guard FileManager.default.fileExists(atPath: path + "/config.json") else {
            print("== \(section): no bundle at \(path); skipped")
            return nil
        }
        return path
    }

    static func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
}
