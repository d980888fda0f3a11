import Foundation
import Fuzzing
import TestHelpers
import Testing

/// The fuzz suite of issue 25, a few thousand cases per `make test` (`make fuzz` runs 100 000
/// project files): every mutated project.json, bundle config.json and theme either opens or is
/// refused with an error naming the file, is left byte for byte as it was, and nothing appears
/// beside it. Each corpus runs in `foley-fuzz`, built beside the tests, so that a trap ends that
/// process (and fails here, naming the case to replay) instead of the whole test run.
@Suite struct FuzzTests {
    static let seed = 25

    func fuzz(_ corpus: String, cases: Int) throws {
        let parent = try Fuzz.makeRoot()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let r = try Subprocess.run(BuiltProducts.path("foley-fuzz"),
                                   ["--cases", "\(cases)", "--seed", "\(Self.seed)", "--only", corpus, "--dir", parent])
        let roots = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        // A run that ends normally removes its folder; one that traps leaves it, naming the case.
        let trapped = roots.compactMap { try? String(contentsOfFile: "\(parent)/\($0)/last-case", encoding: .utf8) }.first
        let crash = r.stderr.split(separator: "\n").filter { $0.contains("Fatal error") || $0.contains("Assertion") || $0.contains(" at /") }.prefix(4)
        let trap = trapped.map { "trapped at \($0.trimmingCharacters(in: .whitespacesAndNewlines)) (replay with --case N)\n" } ?? ""
        #expect(r.status == 0, "foley-fuzz --only \(corpus) --seed \(Self.seed) exited \(r.status): \(trap)\(r.stdout.suffix(3000))\n\(crash.joined(separator: "\n"))")
        guard r.status == 0 else { return }
        let numbers = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("\(corpus): ") }).split(separator: " ").compactMap { Int($0) }
        try #require(numbers.count == 4, "\(r.stdout)")
        let (total, opened, refused, violations) = (numbers[0], numbers[1], numbers[2], numbers[3])
        #expect(total == cases && violations == 0)
        // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
        #expect(opened > 0 && refused > 0, "\(r.stdout)")
    }

    @Test func projectFiles() throws { try fuzz("project", cases: 2000) }

    // Fewer: an accepted config loads real weights (tens of megabytes, converted in a debug build).
    @Test func bundleConfigs() throws { try fuzz("bundle", cases: 200) }

    @Test func themes() throws { try fuzz("theme", cases: 2000) }

    /// A seed and a case index give the same file on every run, so a failure can be replayed.
    @Test func casesAreReproducible() throws {
        let root = try Fuzz.makeRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for corpus in try Fuzz.corpora(root: root) {
            let inputs = (0..<20).map { corpus.input(case: $0, seed: 7).data }
            #expect(inputs == (0..<20).map { corpus.input(case: $0, seed: 7).data }, "\(corpus.name)")
            #expect(Set(inputs).count > 15, "\(corpus.name): cases barely differ")
        }
    }
}
