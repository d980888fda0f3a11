import DSP
import Engine
import Generators
import Foundation
import TestHelpers
import Testing
@testable import TUI

/// Snapshot tests: each screen rendered into a cell grid and compared, as text (characters)
/// and as a style map (one letter per distinct style, with a legend), with files in
/// Tests/Fixtures/ui. FOLEY_UPDATE_SNAPSHOTS=1 rewrites them after a deliberate change.
@Suite struct ScreenTests {
    static let dark = try! Theme.load("dark")

    static func check(_ grid: CellGrid, _ name: String, styles: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var text = grid.text
        if styles { text += "\n--- styles ---\n" + styleMap(grid) }
        let path = Fixtures.path("ui/\(name).txt")
        if ProcessInfo.processInfo.environment["FOLEY_UPDATE_SNAPSHOTS"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        if text != expected {
            let a = text.split(separator: "\n", omittingEmptySubsequences: false)
            let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            Issue.record("snapshot \(name) differs at line \(line + 1):\n got: \(line < a.count ? a[line] : "")\nwant: \(line < b.count ? b[line] : "")",
                         sourceLocation: sourceLocation)
        }
    }

    /// One letter per distinct style in order of first appearance, then the legend.
    static func styleMap(_ grid: CellGrid) -> String {
        var letters: [Style: Character] = [:]
        var legend: [String] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var rows: [String] = []
        for y in 0..<grid.height {
            var row = ""
            for x in 0..<grid.width {
                let style = grid[x, y].style
                if letters[style] == nil {
                    let letter = letters.count < alphabet.count ? alphabet[letters.count] : "*"
                    letters[style] = letter
                    legend.append("\(letter) fg=\(style.fg) bg=\(style.bg)\(style.bold ? " bold" : "")\(style.reverse ? " reverse" : "")")
                }
                row.append(letters[style]!)
            }
            rows.append(row)
        }
        return rows.joined(separator: "\n") + "\n" + legend.joined(separator: "\n")
    }

    @Test func mainScreen() throws {
        let grid = Screen.render(SampleState.snapshot(), UIState(), theme: Self.dark, width: 120, height: 40)
        try Self.check(grid, "main-120x40")
        // The pieces a sound designer looks for are all there.
        let text = grid.text
        for needle in ["Clips 3", "▸door-0003", "MISSING", "Generator: specvqgan", "Top-X", "64", "0.95",
                       "Timeline", "Take 3 · specvqgan · 44.1 kHz · slot A", "[1.25–2.50 s]", "Takes 3", "inpaint 1.25–2.50 s",
                       "generate door-0003", " 42%", "queued", "Draft", "off", "▶ PLAY", "0:02.00 / 0:05.90", "audio: default"] {
            #expect(text.contains(needle), "main screen lacks '\(needle)'")
        }
    }

    /// A take shorter than its clip (a truncated file or an edited duration) draws blank where it
    /// ends instead of trapping, and a take longer than its clip is cut at the clip's end.
    @Test func aTakeShorterOrLongerThanItsClipStillRenders() {
        for frames in [1, 40, 5000] {
            var s = SampleState.snapshot()
            s.mel = MelSpectrogram(bands: 80, frames: frames, values: [Float](repeating: 0.7, count: 80 * frames))
            let grid = Screen.render(s, UIState(), theme: Self.dark, width: 120, height: 40)
            #expect(grid.text.contains("Take 3 · specvqgan"))
        }
    }

    @Test func aLongErrorGetsTheStatusLineAheadOfTheDeviceName() {
        var s = SampleState.snapshot()
        let reason = String(repeating: "x", count: 90) + " THE-END"
        s.message = .init(text: reason, isError: true)
        s.device = .unavailable("no card")
        let text = Screen.render(s, UIState(), theme: Self.dark, width: 120, height: 40).text
        #expect(text.contains("THE-END") && text.contains("NO AUDIO"))
    }

    @Test func aFailedSaveStaysOnTheStatusLine() {
        var s = SampleState.snapshot()
        s.message = nil
        s.unsaved = "/p/project.json: permission denied"
        let text = Screen.render(s, UIState(), theme: Self.dark, width: 120, height: 40).text
        #expect(text.contains("NOT SAVED") && text.contains("could not save the project: /p/project.json: permission denied"))
    }

    @Test func aReadOnlyProjectSaysSoAndWhy() {
        var s = SampleState.snapshot()
        s.message = nil
        s.readOnly = "pid 42 on host has it open since 2026-12-01T10:00:00Z"
        let text = Screen.render(s, UIState(), theme: Self.dark, width: 120, height: 40).text
        #expect(text.contains("READ-ONLY") && text.contains("read-only: pid 42 on host"))
    }

    @Test func mainScreenAtTheMinimumSize() throws {
        let grid = Screen.render(SampleState.snapshot(), UIState(), theme: Self.dark, width: 80, height: 24)
        try Self.check(grid, "main-80x24")
        // Five rows fit at the minimum size (more scroll: ParameterPanelTests).
        for p in SampleState.specs { #expect(grid.text.contains(p.label), "the \(p.label) row is cut off at 80×24") }
    }

    @Test func aDraftTakeIsMarkedInTheTakesList() {
        func take(_ draft: ParameterValue?) -> Project.Take {
            Project.Take(id: "t", clip: "c", generator: "specvqgan", weightsHash: "abc",
                         parameters: ["top_x": ParameterValue.number(64)].merging(draft.map { ["draft": $0] } ?? [:]) { $1 }, seed: 2, file: "takes/t.wav",
                         created: Date(timeIntervalSince1970: 0), span: nil)
        }
        #expect(Views.describe(take(.flag(true)), number: 1) == " 1 specvqgan [draft]  top_x=64 seed=2")
        #expect(Views.describe(take(.flag(false)), number: 1) == " 1 specvqgan  top_x=64 seed=2")
        #expect(Views.describe(take(1), number: 1) == " 1 specvqgan [draft]  top_x=64 seed=2", "a schema-1 draft (a number)")
        #expect(Views.describe(take(nil), number: 1) == " 1 specvqgan  top_x=64 seed=2")
    }

    @Test func helpOverlayListsEveryKey() throws {
        var ui = UIState()
        ui.showHelp = true
        let grid = Screen.render(SampleState.snapshot(), ui, theme: Self.dark, width: 120, height: 40)
        try Self.check(grid, "help-120x40")
        for binding in KeyTable.bindings where binding.inHelp { #expect(grid.text.contains(binding.help), "help lacks '\(binding.help)'") }
        for (keys, what) in LineEditor.help { #expect(grid.text.contains(keys) && grid.text.contains(what), "help lacks the editor's \(keys)") }
        // At the minimum size every key is still there (descriptions may be shortened).
        let small = Screen.render(SampleState.snapshot(), ui, theme: Self.dark, width: 80, height: 24).text
        for binding in KeyTable.bindings where binding.inHelp {
            #expect(small.contains(String(binding.help.prefix(20))), "help at 80×24 lacks '\(binding.help)'")
        }
    }

    @Test func aRunningJobShowsWhatItIsDoing() throws {
        var s = SampleState.snapshot()
        s.jobs[0].detail = "window 2/3, Dopri5 step 7, t 0.62"
        let grid = Screen.render(s, UIState(), theme: Self.dark, width: 140, height: 40)
        let rows = grid.text.split(separator: "\n").map(String.init)
        let i = try #require(rows.firstIndex { $0.contains("generate door-0003") })
        #expect(rows[i + 1].contains("window 2/3, Dopri5 step 7, t 0.62") && rows[i + 2].contains("generate walk-0012"), "\(rows[i...(i + 2)])")
    }

    @Test func tooSmallTerminalSaysSo() throws {
        let grid = Screen.render(SampleState.snapshot(), UIState(), theme: Self.dark, width: 60, height: 20)
        try Self.check(grid, "too-small-60x20")
        #expect(grid.text.contains("Terminal too small: 60×20"))
        #expect(grid.text.contains("at least 80×24"))
    }

    @Test func noGeneratorInstalledIsSaidPlainly() throws {
        var s = SampleState.snapshot()
        s.generators = []
        s.takes = []
        s.heard = nil
        s.mel = nil
        s.jobs = []
        s.generatorUnavailable = "no generator installed in Weights/"
        s.device = .unavailable("audio device 'default': No such file or directory (snd_pcm_open)")
        let grid = Screen.render(s, UIState(), theme: Self.dark, width: 100, height: 30)
        try Self.check(grid, "no-generator-100x30")
        #expect(grid.text.contains("Generator: none installed"))
        #expect(grid.text.contains("No take yet. no generator installed"))
        #expect(grid.text.contains("NO AUDIO DEVICE"))
    }

    @Test(arguments: Theme.available())
    func eachThemeRendersEveryRole(_ name: String) throws {
        let theme = try Theme.load(name)
        var ui = UIState()
        ui.focusedSlider = 1
        // Picture and spectrogram cells take their colours from the media, not the roles: leave
        // them out so the style map shows only what the theme decides.
        var s = SampleState.snapshot()
        s.frame = nil
        s.mel = nil
        let grid = Screen.render(s, ui, theme: theme, width: 100, height: 30)
        try Self.check(grid, "theme-\(name)", styles: true)
        #expect(!Self.styleMap(grid).contains("*"), "more styles than the map has letters")
        #expect(theme.rampColor(0) != theme.rampColor(1))
    }
}
