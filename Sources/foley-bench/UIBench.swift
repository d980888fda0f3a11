import Engine
import Foundation
import Generators
import TestGenerator
import TestHelpers
import TUI

/// The workstation's responsiveness: key press → redrawn screen while a generation job keeps
/// the compute thread busy, through real ncurses into /dev/null; and memory across many
/// generate/play cycles.
enum UIBench {
    static func run() throws {
        print("== ui: key press → redrawn screen while generating, and memory over 100 generate/play cycles")
        let dir = try TempDirectory("foley-bench-ui")
        defer { dir.remove() }
        let clip = Fixtures.repositoryRoot + "/Projects/demo/clips/test-00013.mp4"
        let encoder = try VisualEncoder(bundle: ModelBundle(named: "visual-encoder", kind: "visual-encoder"))
        try latency(dir: dir, clip: clip, encoder: encoder)
        try memory(dir: dir, clip: clip, encoder: encoder)
    }

    static func latency(dir: TempDirectory, clip: String, encoder: VisualEncoder) throws {
        let store = try ProjectStore.create(folder: dir.file("Latency"), clips: [clip])
        // A slow generator (50 ms of busy work per step, 64 steps per window) keeps a job running.
        let slow = TestToneGenerator(windowSamples: 131072, workPerStep: 0.05)
        let engine = Engine(store: store, catalog: GeneratorCatalog(generators: [slow], visualEncoder: encoder),
                            player: Player(deviceName: "null"))
        defer { engine.shutdown() }
        engine.send(.adjust(.steps, steps: 64))
        engine.send(.generate)
        engine.waitIdle()
        engine.send(.generate)
        let app = App(engine: engine, theme: try Theme.load("dark"))

        // ncurses into /dev/null (stdout restored afterwards), as a 160×50 terminal.
        setenv("TERM", "xterm-256color", 0)
        setenv("COLUMNS", "160", 1)
        setenv("LINES", "50", 1)
        fflush(nil)
        let saved = dup(STDOUT_FILENO)
        let null = open("/dev/null", O_WRONLY)
        dup2(null, STDOUT_FILENO)
        let terminal = try Terminal(requireTTY: false)
        let keys: [Key] = [.right, .right, .left, .shiftRight, .shiftLeft, .down, .up, .char("+"), .char("-"), .char("I")]
        var times: [Double] = []
        var busy = 0
        for i in 0..<400 {
            if engine.snapshot().jobs.isEmpty { engine.send(.generate) } else { busy += 1 }
            let t0 = Bench.now()
            app.press(keys[i % keys.count])
            engine.flush()
            terminal.draw(app.frame(width: 160, height: 50))
            times.append(Bench.now() - t0)
            usleep(4000)
        }
        terminal.close()
        fflush(nil)
        dup2(saved, STDOUT_FILENO)
        close(null)
        close(saved)
        times.sort()
        let median = times[times.count / 2] * 1000, p99 = times[times.count * 99 / 100] * 1000
        print("key → redraw (160×50, real ncurses, \(busy)/400 presses during a generation job): median \(Bench.fmt(median)) ms, p99 \(Bench.fmt(p99)) ms, worst \(Bench.fmt(times.last! * 1000)) ms (target < 16 ms)")
    }

    static func memory(dir: TempDirectory, clip: String, encoder: VisualEncoder) throws {
        let store = try ProjectStore.create(folder: dir.file("Memory"), clips: [clip])
        let engine = Engine(store: store, catalog: GeneratorCatalog(generators: [TestToneGenerator(windowSamples: 32768)], visualEncoder: encoder),
                            player: Player(deviceName: "null"))
        defer { engine.shutdown() }
        var marks: [Int: Double] = [:]
        for cycle in 1...100 {
            engine.send(.generate)
            engine.waitIdle()
            engine.send(.togglePlay)
            engine.send(.scrub(seconds: 1))
            engine.send(.togglePlay)
            engine.send(.compare(.b))
            engine.waitIdle()
            if [10, 50, 100].contains(cycle) { marks[cycle] = residentMB() }
        }
        let takes = engine.snapshot().takes.count
        print("resident memory after 10 / 50 / 100 generate+play cycles (\(takes) takes on disk): \(Bench.fmt(marks[10]!, 1)) / \(Bench.fmt(marks[50]!, 1)) / \(Bench.fmt(marks[100]!, 1)) MB → growth 10→100: \(Bench.fmt(marks[100]! - marks[10]!, 1)) MB")
    }

    static func residentMB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let pages = text.split(separator: " ").compactMap { Double($0) }
        return pages.count > 1 ? pages[1] * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576 : 0
    }
}
