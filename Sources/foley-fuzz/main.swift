import ArgumentParser
import Foundation
import Fuzzing

/// The fuzz suite of issue 25: structured mutations of the demo's project.json, of every
/// shipped bundle's config.json and of the themes, each read the way Foley reads it. Exits
/// non-zero on any broken rule; a trap kills the process, and `last-case` in the printed
/// folder names the case to replay with --case.
struct FoleyFuzz: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "foley-fuzz", abstract: "Fuzz Foley's readers of project, bundle and theme files.")

    @Option(help: "Cases per corpus (1…100000000).") var cases = 100_000
    @Option(help: "Seed of the run: the same seed gives the same cases.") var seed: UInt64 = 1
    @Option(help: "Only this corpus: project, bundle or theme.") var only: String?
    @Option(name: .customLong("case"), help: "Replay one case: print its input's path and bytes, run it, print the outcome.") var replay: Int?
    @Option(help: "With --only: read this file as the corpus's input (case --case, default 0, picks the bundle or theme).") var input: String?
    @Option(help: "Folder for the run's sandboxes (default: /dev/shm, else the system temporary folder).") var dir: String?

    func validate() throws {
        guard (1...100_000_000).contains(cases) else { throw ValidationError("got [--cases \(cases)], expected [1…100000000]") }
        if let only, !Fuzz.corpusNames.contains(only) {
            throw ValidationError("got [--only \(only)], expected [one of \(Fuzz.corpusNames.joined(separator: ", "))]")
        }
        if let replay, replay < 0 { throw ValidationError("got [--case \(replay)], expected [0 or more]") }
        if input != nil, only == nil { throw ValidationError("got [--input without --only], expected [--only project, bundle or theme]") }
    }

    func run() throws {
        let root = try dir.map { try Fuzz.makeRoot(in: $0) } ?? Fuzz.makeRoot()
        let corpora = try Fuzz.corpora(root: root, only: only.map { [$0] })
        if let input {
            let data = try Data(contentsOf: URL(fileURLWithPath: input))
            for corpus in corpora { print("\(corpus.name) \(input): \(corpus.run(data, case: replay ?? 0))") }
            try? FileManager.default.removeItem(atPath: root)
            return
        }
        if let replay {
            for corpus in corpora {
                let (path, data) = corpus.input(case: replay, seed: seed)
                print("\(corpus.name) case \(replay) seed \(seed): \(path), \(data.count) bytes")
                FileHandle.standardOutput.write(data.prefix(4000))
                print("\n→ \(corpus.run(case: replay, seed: seed))")
            }
            try? FileManager.default.removeItem(atPath: root)
            return
        }
        print("fuzz root \(root) (seed \(seed))")
        var failed = false
        for corpus in corpora {
            let report = Fuzz.run(corpus, cases: cases, seed: seed, root: root) { done in
                FileHandle.standardError.write(Data("\r\(corpus.name): \(done)/\(cases)".utf8))
            }
            FileHandle.standardError.write(Data("\r".utf8))
            print(report.summary)
            for line in report.kindLines { print(line) }
            failed = failed || report.violationCount > 0
        }
        try? FileManager.default.removeItem(atPath: root)
        if failed { throw ExitCode(1) }
    }
}

FoleyFuzz.main()
