import Foundation

/// A corpus's tally after a run.
public struct FuzzReport: Sendable {
    public var corpus: String
    public var cases = 0
    public var opened = 0
    public var refused = 0
    /// Broken rules: (case index, what), the first `keep` of them.
    public var violations: [(index: Int, message: String)] = []
    public var violationCount = 0
    /// Broken rules grouped by kind (the message without its numbers): count, first case, message.
    public var kinds: [String: (count: Int, index: Int, message: String)] = [:]
    public var seconds = 0.0

    public init(corpus: String) { self.corpus = corpus }

    public var summary: String {
        "\(corpus): \(cases) cases, \(opened) opened, \(refused) refused, \(violationCount) violations (\(String(format: "%.1f", seconds)) s)"
    }

    /// One line per kind of broken rule, most frequent first.
    public var kindLines: [String] {
        kinds.values.sorted { ($0.count, $1.index) > ($1.count, $0.index) }.map { "  \($0.count)× (first: case \($0.index)) \($0.message.prefix(300))" }
    }

    nonisolated(unsafe) static let numbers = try! NSRegularExpression(pattern: "-?[0-9][0-9.e+-]*")

    mutating func record(_ index: Int, _ message: String, keep: Int) {
        violationCount += 1
        if violations.count < keep { violations.append((index, message)) }
        let kind = String(Self.numbers.stringByReplacingMatches(in: message, range: NSRange(location: 0, length: message.utf16.count), withTemplate: "#").prefix(100))
        let seen = kinds[kind]
        kinds[kind] = ((seen?.count ?? 0) + 1, seen?.index ?? index, seen?.message ?? message)
    }
}

public enum Fuzz {
    public static let corpusNames = ["project", "bundle", "theme"]

    /// The corpora named (all when nil), each set up in its own folder under `root`.
    public static func corpora(root: String, only: [String]? = nil) throws -> [Corpus] {
        try (only ?? corpusNames).map { name -> Corpus in
            switch name {
            case "project": return try ProjectCorpus(root: root)
            case "bundle": return try BundleCorpus(root: root)
            case "theme": return try ThemeCorpus(root: root)
            default: throw FuzzError.unknownCorpus(name)
            }
        }
    }

    /// Runs cases `first..<first + cases`. Before each case its index is written to
    /// `root/last-case`, so a case that traps (killing the process) can be replayed.
    public static func run(_ corpus: Corpus, cases: Int, first: Int = 0, seed: UInt64, root: String? = nil, keep: Int = 20,
                           progress: ((Int) -> Void)? = nil) -> FuzzReport {
        var report = FuzzReport(corpus: corpus.name)
        let start = Date()
        for index in first..<(first + cases) {
            if let root { try? "\(corpus.name) \(index) seed \(seed)\n".write(toFile: root + "/last-case", atomically: false, encoding: .utf8) }
            switch corpus.run(case: index, seed: seed) {
            case .opened: report.opened += 1
            case .refused: report.refused += 1
            case .violation(let message): report.record(index, message, keep: keep)
            }
            report.cases += 1
            if (index - first + 1) % 1000 == 0 { progress?(index - first + 1) }
        }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }

    /// Where sandboxes go by default: memory (/dev/shm) where there is one, since every case
    /// takes the project lock, which is synced to disk, and the suite tests reading, not disks.
    public static var defaultParent: String {
        FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    }

    /// A fresh folder for a run's sandboxes.
    public static func makeRoot(in parent: String = Fuzz.defaultParent) throws -> String {
        let path = URL(fileURLWithPath: parent).appendingPathComponent("foley-fuzz-\(UUID().uuidString.prefix(8))").standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

public enum FuzzError: Error, CustomStringConvertible {
    case unknownCorpus(String)
    public var description: String {
        switch self {
        case .unknownCorpus(let n): return "got [corpus \(n)], expected [one of \(Fuzz.corpusNames.joined(separator: ", "))]"
        }
    }
}
