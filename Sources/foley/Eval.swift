import ArgumentParser
import Evaluation
import Foundation

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score generated audio (WAVs named by clip id) against a corpus split.",
        discussion: "Prints FD, mean paired KL, IS, class accuracy, onset recall/precision (±50 ms) and the sync judge's alignment accuracy, and writes them as JSON.")

    @Argument(help: "Folder of generated WAVs, one per clip id (e.g. test-00012.wav).") var generated: String
    @Option(help: "Corpus split folder (mp4, wav and json per clip).") var split: String
    @Option(help: "Name for this row (default: the folder name).") var label: String?
    @Option(help: "Write the report as JSON here (default: GENERATED/eval.json).") var json: String?

    func run() throws {
        let evaluator = try Evaluator()
        let interactive = isatty(STDERR_FILENO) == 1
        let report = try evaluator.evaluate(generated: generated, split: split, label: label ?? (generated as NSString).lastPathComponent) { i, n in
            if interactive { FileHandle.standardError.write(Data("\rscoring \(i + 1)/\(n)".utf8)) }
        }
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        print(EvalTable.header)
        print(EvalTable.row(report))
        if !report.missing.isEmpty { print("missing \(report.missing.count) clips, e.g. \(report.missing.prefix(3).joined(separator: ", "))") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: URL(fileURLWithPath: json ?? "\(generated)/eval.json"))
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
    static let columns = [("row", 18), ("clips", 6), ("FD", 9), ("KL", 8), ("IS", 7), ("class", 8), ("onset R", 9), ("onset P", 9), ("sync", 8)]
    static var header: String { columns.enumerated().map { pad($1.0, $1.1, left: $0 == 0) }.joined() }
    static func row(_ r: EvalReport) -> String {
        func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", 100 * $0) } ?? "—" }
        let cells = [r.label, "\(r.clips)", String(format: "%.2f", r.fd), String(format: "%.3f", r.meanKL), String(format: "%.2f", r.inceptionScore),
                     pct(r.classAccuracy), pct(r.onsetRecall), pct(r.onsetPrecision), pct(r.alignmentAccuracy)]
        return zip(cells, columns).enumerated().map { pad($1.0, $1.1.1, left: $0 == 0) }.joined()
    }
}
