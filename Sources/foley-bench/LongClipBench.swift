#if canImport(Glibc)
import Glibc
#endif
import Engine
import Foundation
import Generators
import Runtime
import TestHelpers

/// Peak memory against clip length (issue 25): a long 1080p lavfi clip is generated at bench
/// time and the release `foley generate` (CLI) and the engine as the workstation drives it
/// (open, select, generate, play; no terminal) each run in a child process whose peak RSS comes
/// from wait4. A 2-minute clip gives the slope. Length: $FOLEY_BENCH_LONG_MINUTES (default 60;
/// at 0.6× real time that is about 35 minutes of generation on these VMs, plus ~5 to make it).
enum LongClipBench {
    static let childFlag = "--long-clip-engine-child"

    static func run() throws {
        let minutes = Int(ProcessInfo.processInfo.environment["FOLEY_BENCH_LONG_MINUTES"] ?? "") ?? 60
        print("== long: peak RSS of generate and play against clip length (1080p, 10 fps), 2 and \(minutes) minutes")
        fflush(nil)
        let foley = Fixtures.repositoryRoot + "/.build/release/foley"
        guard FileManager.default.isExecutableFile(atPath: foley) else { print("  no release foley at \(foley); skipped"); return }
        let dir = try TempDirectory("foley-bench-long")
        defer { dir.remove() }
        var rows: [(Int, Double, Double, Double)] = []
        for length in Array(Set([2, minutes])).sorted() {
            let clip = try Self.clip(minutes: length)
            let t0 = Bench.now()
            let cli = try peakRSS(foley, ["generate", clip, "-o", dir.file("cli-\(length).wav")])
            let seconds = Bench.now() - t0
            let engine = try peakRSS(CommandLine.arguments[0], [childFlag, clip, dir.file("P\(length)")])
            rows.append((length, cli, engine, seconds / Double(length * 60)))
            defer { fflush(nil) }                     // each row as soon as it is measured (this section runs for an hour)
            print("  \(length) min: CLI peak \(Bench.fmt(cli, 0)) MB, engine peak \(Bench.fmt(engine, 0)) MB, generation \(Bench.fmt(seconds / Double(length * 60), 2))× real time")
        }
        if let short = rows.first, let long = rows.last, long.0 > short.0 {
            let slope = (long.1 - short.1) / Double(long.0 - short.0)
            print("  CLI: \(Bench.fmt(slope, 1)) MB per extra minute; target < 1024 MB at 60 min: \(long.0 >= 60 ? (max(long.1, long.2) < 1024 ? "met" : "NOT met") : "not measured at 60 min")")
        }
    }

    /// testsrc2 at 1920×1080, 10 fps, cached between runs (a 60-minute clip takes minutes to encode).
    static func clip(minutes: Int) throws -> String {
        let cache = (ProcessInfo.processInfo.environment["FOLEY_CACHE"] ?? NSHomeDirectory() + "/.cache/foley") + "/bench"
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let path = "\(cache)/long-\(minutes)min-1080p.mp4"
        if FileManager.default.fileExists(atPath: path) { return path }
        let partial = path + ".part.mp4"
        _ = try Subprocess.check("/usr/bin/ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=10",
                                                     "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "\(minutes * 60)",
                                                     "-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", "-g", "100",
                                                     "-c:a", "aac", "-shortest", partial])
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        return path
    }

    /// Runs a child to completion and returns its peak resident set in MB.
    static func peakRSS(_ executable: String, _ arguments: [String]) throws -> Double {
        var pid: pid_t = 0
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, executable, nil, nil, argv, environ) == 0 else { throw BenchError.spawn(executable) }
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid, status == 0 else { throw BenchError.child(executable, arguments, status) }
        return Double(usage.ru_maxrss) / 1024
    }

    enum BenchError: Error { case spawn(String), child(String, [String], Int32) }

    /// The child: what the workstation does with a long clip, minus the terminal.
    static func engineChild(clip: String, project: String) throws {
        BLAS.configure()
        let store = try ProjectStore.create(folder: project, clips: [clip])
        let weights = ModelBundle.directory()
        let catalog = GeneratorCatalog.load(directory: weights, factories: [SpecVQGANGenerator.kind: { try SpecVQGANGenerator(bundle: $0) }])
        let engine = Engine(store: store, catalog: catalog, player: Player(deviceName: "null"))
        defer { engine.shutdown() }
        engine.waitIdle()
        engine.send(.generate)
        engine.waitIdle()
        guard !engine.snapshot().takes.isEmpty else { throw BenchError.child("engine", [clip, engine.snapshot().message?.text ?? ""], -1) }
        engine.send(.togglePlay)
        usleep(500_000)
        engine.send(.pause)
        engine.waitIdle()
    }
}
