import ArgumentParser
import Evaluation
import Foundation

/// `foley inpaint-study`: how inpainted spans join the audio around them (the seams) and what is
/// inside them, for takes made by `foley generate --inpaint-middle S`; with two folders, B − A
/// per quantity on the same clips with its paired bootstrap interval.
struct InpaintStudy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inpaint-study",
        abstract: "Score inpainted takes at the span's edges (level and spectral jumps) and inside it (mel L1, onsets).",
        discussion: "Example: foley generate --generator frieren --inpaint-middle 1 data/foleyworld/test/*.mp4 -o ip/ && foley inpaint-study ip --split data/foleyworld/test --span 1")

    @Argument(help: "Folder of inpainted takes (WAVs named by clip id); two to compare.") var folders: [String]
    @Option(help: "Corpus split folder the takes were made from.") var split: String
    @Option(help: "The span's length in seconds, centred on each clip's middle (as given to --inpaint-middle).") var span: Double = 1
    @Option(help: "Bootstrap resamples (100…100000).") var resamples: Int = 1000
    @Option(help: "Write the per-clip scores and the summary as JSON here.") var json: String?

    func validate() throws {
        guard (1...2).contains(folders.count) else { throw ValidationError("expected one or two folders of inpainted takes, got \(folders.count)") }
        guard span > 0, span.isFinite else { throw ValidationError("--span: got [\(span)], expected [a positive number of seconds]") }
        guard (100...100_000).contains(resamples) else { throw ValidationError("--resamples: got [\(resamples)], expected [100…100000]") }
    }

    func run() throws {
        let bootstrap = Bootstrap(resamples: resamples)
        var rows = try folders.map { try SpanStudy.scores(folder: $0, split: split, length: span) }
        if rows.count == 2 {                                        // the clips both folders have, in one order
            let common = Set(rows[0].map(\.id)).intersection(rows[1].map(\.id))
            rows = rows.map { $0.filter { common.contains($0.id) } }
        }
        guard let first = rows.first, !first.isEmpty else { throw ValidationError("\(folders[0]): no takes named by the clips of \(split)") }
        func show(_ e: Estimate?) -> String { e.map { String(format: "%.3f [%.3f, %.3f]", $0.value, $0.low, $0.high) } ?? "—" }
        var out: [String: Any] = [:]
        for (folder, s) in zip(folders, rows) {
            print("\(folder): \(s.count) clips, \(String(format: "%g", span)) s span in the middle")
            for (name, e) in SpanStudy.summary(s, bootstrap: bootstrap) { print("  " + name.padding(toLength: 30, withPad: " ", startingAt: 0) + show(e)) }
            out[folder] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(s))
        }
        if rows.count == 2 {
            print("B − A (B = \(folders[1]), A = \(folders[0])), paired over \(rows[0].count) clips:")
            for (name, e) in SpanStudy.summary(rows[1], baseline: rows[0], bootstrap: bootstrap) where !name.hasPrefix("truth") {
                let verdict = e.map { $0.excludes(0) ? ($0.value < 0 ? "B lower" : "B higher") : "no difference" } ?? ""
                print("  " + name.padding(toLength: 30, withPad: " ", startingAt: 0) + show(e) + "  " + verdict)
            }
        }
        if let json { try JSONSerialization.data(withJSONObject: out, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: json)) }
    }
}
