import ArgumentParser
import Evaluation
import Foundation
import Media

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score generated audio (WAVs named by clip id) against a corpus split, or compare two folders.",
        discussion: """
        Headline metrics: FD_sfx and KL_sfx in a pretrained sound-effects embedding (aisfx, 44.1 kHz, full band), \
        class accuracy of our probe on that embedding, onset recall/precision/F1 (±50 ms) of an onset detector \
        no generator uses, and the sync judge's alignment accuracy. Secondary: FD/KL/IS/class accuracy of the mel \
        classifier and the spectral-flux onsets. Every metric has a bootstrap 95% interval over clips. \
        --compare A B scores both folders on their common clips and says, per metric, whether B − A is larger \
        than its interval. Writes GENERATED/eval.json and the per-clip GENERATED/eval-clips.json.
        """)

    @Argument(help: "Folder of generated WAVs, one per clip id (e.g. test-00012.wav); two with --compare.") var folders: [String]
    @Option(help: "Corpus split folder (mp4, wav and json per clip).") var split: String
    @Option(help: "Name for this row (default: the folder name).") var label: String?
    @Option(help: "Write the report as JSON here (default: GENERATED/eval.json).") var json: String?
    @Option(help: "Bootstrap resamples for the intervals (100…100000).") var resamples: Int = 1000
    @Flag(help: "Compare two folders, paired by clip.") var compare = false

    func validate() throws {
        guard (100...100_000).contains(resamples) else { throw ValidationError("--resamples: got [\(resamples)], expected [100…100000]") }
        guard folders.count == (compare ? 2 : 1) else {
            throw ValidationError(compare ? "--compare needs two folders, got \(folders.count)" : "expected one folder of generated WAVs, got \(folders.count)")
        }
    }

    func run() throws {
        let evaluator = try Evaluator()
        evaluator.bootstrap = Bootstrap(resamples: resamples)
        if compare {
            let a = try scores(folders[0], evaluator).scores, b = try scores(folders[1], evaluator).scores
            let c = try Comparison((name(folders[0]), a), (name(folders[1]), b), bootstrap: evaluator.bootstrap)
            print(EvalTable.comparison(c))
            if let json { try write(c, to: json) }
            return
        }
        let (s, missing) = try scores(folders[0], evaluator)
        let report = try EvalReport(label: label ?? name(folders[0]), split: split, scores: s, missing: missing, bootstrap: evaluator.bootstrap)
        print(EvalTable.report(report))
        if !report.missing.isEmpty { print("missing \(report.missing.count) clips, e.g. \(report.missing.prefix(3).joined(separator: ", "))") }
        try write(report, to: json ?? "\(folders[0])/eval.json")
    }

    func name(_ folder: String) -> String { (folder as NSString).lastPathComponent }
    func clipsFile(_ folder: String) -> String { "\(folder)/eval-clips.json" }

    /// The folder's per-clip scores: reused from eval-clips.json when it was written by these
    /// evaluation networks and code for this split and the folder's WAVs are the same files
    /// (names, sizes, times), else measured and saved (best effort: a read-only folder still scores).
    func scores(_ folder: String, _ evaluator: Evaluator) throws -> (scores: [ClipScores], missing: [String]) {
        let file = clipsFile(folder), files = SavedScores.fingerprint(folder)
        if let data = FileManager.default.contents(atPath: file), let saved = try? JSONDecoder().decode(SavedScores.self, from: data),
           saved.split == split, saved.evaluator == evaluator.identity, saved.files == files {
            return (saved.scores, saved.missing)
        }
        let interactive = isatty(STDERR_FILENO) == 1
        let (s, missing) = try evaluator.scores(generated: folder, split: split) { i, n in
            if interactive { FileHandle.standardError.write(Data("\rscoring \(name(folder)) \(i + 1)/\(n)".utf8)) }
        }
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        if let data = try? JSONEncoder().encode(SavedScores(split: split, evaluator: evaluator.identity, scores: s, missing: missing, files: files)) {
            do { try AtomicFile.write([UInt8](data), to: file) } catch {
                FileHandle.standardError.write(Data("note: per-clip scores not saved (\(error)); --compare will score this folder again\n".utf8))
            }
        }
        return (s, missing)
    }

    func write<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write([UInt8](try encoder.encode(value)), to: path)
    }
}

struct Reference: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a reference set of WAVs for a split (ground-truth, griffin-lim or retrieval).")

    @Argument(help: "ground-truth, griffin-lim or retrieval") var kind: String
    @Option(help: "Corpus split folder to make references for.") var split: String
    @Option(help: "Training split folder (for retrieval).") var train: String?
    @Option(help: "Output folder.") var out: String
    @Option(help: "Seed for Griffin-Lim phases and retrieval choices.") var seed: UInt64 = 0

    func run() throws {
        guard let k = ReferenceTakes.Kind(rawValue: kind) else {
            throw ValidationError("unknown reference '\(kind)'; expected \(ReferenceTakes.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try ReferenceTakes.write(k, split: split, train: train, out: out, seed: seed)
    }
}

enum EvalTable {
    static func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
        s.count >= n ? s : (left ? s + String(repeating: " ", count: n - s.count) : String(repeating: " ", count: n - s.count) + s)
    }

    static func format(_ m: Metric, _ x: Double) -> String {
        m.isPercentage ? String(format: "%.1f%%", 100 * x) : String(format: m == .klSFX || m == .klMel ? "%.3f" : "%.2f", x)
    }

    static func interval(_ m: Metric, _ e: Estimate) -> String { "\(format(m, e.value)) [\(format(m, e.low)), \(format(m, e.high))]" }

    /// One line per metric: value and its 95% interval; headline metrics first.
    static func report(_ r: EvalReport) -> String {
        var lines = ["\(r.label): \(r.clips) clips, 95% bootstrap intervals over clips (\(r.bootstrapResamples) resamples)"]
        for headline in [true, false] {
            lines.append(headline ? "headline (aisfx embedding, independent onsets, sync judge):" : "secondary (our mel classifier, spectral-flux onsets):")
            for m in Metric.allCases where m.isHeadline == headline {
                lines.append("  " + pad(m.title, 10, left: true) + (r[m].map { interval(m, $0) } ?? "—"))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func comparison(_ c: Comparison) -> String {
        var lines = ["A = \(c.labels[0]), B = \(c.labels[1]): \(c.clips) common clips; B − A with its 95% paired bootstrap interval",
                     pad("metric", 11, left: true) + pad("A", 10) + pad("B", 10) + "   B − A [95% interval]             verdict"]
        for l in c.lines {
            guard let m = Metric(rawValue: l.metric) else { continue }
            let d = l.difference
            func signed(_ x: Double) -> String { m.isPercentage ? String(format: "%+.1f pt", 100 * x) : String(format: "%+.3f", x) }
            lines.append(pad(m.title, 11, left: true) + pad(format(m, l.a), 10) + pad(format(m, l.b), 10)
                         + "   " + pad("\(signed(d.value)) [\(signed(d.low)), \(signed(d.high))]", 32, left: true) + " " + l.verdict)
        }
        return lines.joined(separator: "\n")
    }
}
