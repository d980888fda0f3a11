import Foundation
import Runtime
import TUI

/// Theme cases: each shipped theme mutated line by line and loaded as `--theme PATH` loads it.
public final class ThemeCorpus: Corpus {
    public let name = "theme"
    let sandbox: Sandbox
    let themes: [(file: String, text: String)]
    let mutator = TOMLMutator()

    public init(root: String, directory: String = Theme.directory()) throws {
        let sandbox = try Sandbox(root: root, name: "theme")
        self.sandbox = sandbox
        themes = try Theme.available(in: directory).map { name in
            (sandbox.path + "/\(name).toml", try String(contentsOfFile: "\(directory)/\(name).toml", encoding: .utf8))
        }
        guard !themes.isEmpty else { throw ThemeError.notFound(name: "*", searched: directory, available: []) }
        for t in themes { try t.text.write(toFile: t.file, atomically: false, encoding: .utf8) }
        sandbox.record()
    }

    public func input(case index: Int, seed: UInt64) -> (path: String, data: Data) {
        var rng = SeededRNG.forCase(seed: seed, index: index)
        let t = themes[index % themes.count]
        return (t.file, mutator.file(from: t.text, rng: &rng))
    }

    public func run(_ data: Data, case index: Int) -> Outcome {
        let file = themes[index % themes.count].file
        return check(data, at: file, in: sandbox) {
            let theme = try Theme.load(file)
            // What drawing reads: every role, and the spectrogram ramp across its range.
            for role in Role.allCases { _ = theme[role] }
            for v: Float in [0, 0.25, 0.5, 0.999, 1, -1, 2] { _ = theme.rampColor(v) }
            return []
        }
    }
}
