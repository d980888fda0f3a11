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

    /// The PyTorch side of a section: `Training/bench/SCRIPT --bundle PATH` on one thread, its
    /// last stdout line's JSON numbers (`keys`), or nil with the reason printed.
    static func pytorch(_ script: String, bundle path: String, keys: [String]) throws -> [Double]? {
        let r = try Subprocess.run("/usr/bin/python3", [Fixtures.repositoryRoot + "/Training/bench/" + script, "--bundle", path],
                                   environment: ["OMP_NUM_THREADS": "1"])
        guard r.status == 0, let line = r.stdout.split(separator: "\n").last,
              let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            print("  PyTorch reference failed:\n\(r.stderr)")
            return nil
        }
        let values = keys.compactMap { obj[$0] as? Double }
        guard values.count == keys.count else { print("  PyTorch reference printed no \(keys): \(line)"); return nil }
        return values
    }

    static func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
}
