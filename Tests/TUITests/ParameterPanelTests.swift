import Engine
import Foundation
import Generators
import Testing
@testable import TUI

/// The generator panel drawn from each generator's declarations, and the line editor.
@Suite struct ParameterPanelTests {
    static let dark = ScreenTests.dark

    @Test func specvqganPanelAt160x50() throws {
        let grid = Screen.render(SampleState.snapshot(), UIState(), theme: Self.dark, width: 160, height: 50)
        try ScreenTests.check(grid, "panel-specvqgan-160x50")
        for label in ["Top-X", "Temperature", "Vocoder", "‹ MelGAN ›", "Draft", "[ ] off", "Seed"] {
            #expect(grid.text.contains(label), "\(label) is missing at 160×50")
        }
    }

    @Test func promptGeneratorPanelScrolledAt80x24() throws {
        var ui = UIState()
        let s = SampleState.promptSnapshot()
        for _ in 0..<5 { _ = ui.apply(.focusSlider(1), snapshot: s) }   // focus Draft, the sixth row
        let grid = Screen.render(s, ui, theme: Self.dark, width: 80, height: 24)
        try ScreenTests.check(grid, "panel-prompt-80x24-scrolled")
        #expect(grid.text.contains("›Draft") && grid.text.contains("↑"), "scrolled to the focused row, with what is above counted")
        #expect(grid.text.contains("Take 3 · specvqgan"), "the spectrogram keeps its place at 80×24")
    }

    @Test func promptGeneratorPanelAt160x50() throws {
        let grid = Screen.render(SampleState.promptSnapshot(), UIState(), theme: Self.dark, width: 160, height: 50)
        try ScreenTests.check(grid, "panel-prompt-160x50")
        for label in ["Steps", "‹ Square ›", "\"a heavy oak door", "(empty)", "[x] on"] { #expect(grid.text.contains(label), "\(label) missing") }
    }

    @Test func openEditorSnapshot() throws {
        var ui = UIState()
        let s = SampleState.promptSnapshot()
        for _ in 0..<3 { _ = ui.apply(.focusSlider(1), snapshot: s) }
        _ = ui.apply(.editParameter, snapshot: s)
        #expect(ui.editor?.string == "a heavy oak door slams, then rattles — ドア")
        for _ in 0..<3 { _ = ui.edit(.left, snapshot: s) }
        let grid = Screen.render(s, ui, theme: Self.dark, width: 100, height: 30)
        try ScreenTests.check(grid, "editor-prompt-100x30", styles: true)
        #expect(grid.text.contains("Prompt · test-tone") && grid.text.contains("Enter keeps · Esc cancels"))
    }

    @Test func typingUTF8CursorKeysEnterKeepsEscCancels() {
        var ui = UIState()
        let s = SampleState.promptSnapshot()
        for _ in 0..<4 { _ = ui.apply(.focusSlider(1), snapshot: s) }   // Negative (empty)
        _ = ui.apply(.editParameter, snapshot: s)
        for c in "rain ☂ on tin" { _ = ui.edit(.char(c), snapshot: s) }
        _ = ui.edit(.home, snapshot: s)
        for c in "no " { _ = ui.edit(.char(c), snapshot: s) }
        _ = ui.edit(.end, snapshot: s)
        _ = ui.edit(.backspace, snapshot: s)
        _ = ui.edit(.left, snapshot: s)
        _ = ui.edit(.delete, snapshot: s)
        #expect(ui.editor?.string == "no rain ☂ on t")
        // q is a letter here, not quit; Esc cancels and sends nothing.
        _ = ui.edit(.char("q"), snapshot: s)
        #expect(!ui.quitting && ui.editor?.string == "no rain ☂ on tq")
        _ = ui.edit(.escape, snapshot: s)
        #expect(ui.editor == nil)
        // Open again: Enter keeps it as the parameter's value.
        _ = ui.apply(.editParameter, snapshot: s)
        for c in "wind" { _ = ui.edit(.char(c), snapshot: s) }
        guard case .set(let p, let v)? = ui.edit(.enter, snapshot: s) else { Issue.record("Enter should send the text"); return }
        #expect(p == .negativePrompt && v == .text("wind") && ui.editor == nil)
    }

    @Test func aTypedNumberIsCheckedAndARefusedOneKeepsTheEditorOpen() {
        var ui = UIState()
        let s = SampleState.promptSnapshot()
        _ = ui.apply(.editParameter, snapshot: s)                    // Steps, 1…64
        #expect(ui.editor?.string == "8")
        _ = ui.edit(.backspace, snapshot: s)
        for c in "99" { _ = ui.edit(.char(c), snapshot: s) }
        _ = ui.edit(.enter, snapshot: s)
        #expect(ui.editor?.error?.contains("expected [1…64") == true, "\(ui.editor?.error ?? "no error")")
        let grid = Screen.render(s, ui, theme: Self.dark, width: 100, height: 30)
        #expect(grid.text.contains("got [99]"))
        _ = ui.edit(.backspace, snapshot: s)
        guard case .set(.steps, .number(9))? = ui.edit(.enter, snapshot: s) else { Issue.record("9 is in range"); return }
    }

    @Test func choicesAndSwitchesUseTheSliderKeysAndEnter() {
        var ui = UIState()
        let s = SampleState.promptSnapshot()
        for _ in 0..<2 { _ = ui.apply(.focusSlider(1), snapshot: s) }   // Tone
        guard case .adjust("tone", 1)? = ui.apply(.adjustSlider(1), snapshot: s) else { Issue.record("+ steps a choice"); return }
        guard case .adjust("tone", 1)? = ui.apply(.editParameter, snapshot: s) else { Issue.record("Enter steps a choice"); return }
        #expect(ui.editor == nil)
        let tone = SampleState.promptSpecs[2]
        #expect(tone.adjusted("square", steps: 1) == "saw" && tone.adjusted("saw", steps: 1) == "sine" && tone.adjusted("sine", steps: -10) == "saw")
        let draft = SampleState.promptSpecs[5]
        #expect(draft.adjusted(true, steps: -1) == false && draft.adjusted(false, steps: 10) == true)
    }

    @Test func wideCharactersTakeTwoCellsAndAreNeverCutInHalf() {
        var g = CellGrid(width: 6, height: 1)
        g.put("aドアb", x: 0, y: 0, style: Style())
        #expect(g.text == "aドアb")
        var h = CellGrid(width: 6, height: 1)
        h.put("ドアドア", x: 1, y: 0, style: Style(), limit: 4)
        #expect(h.text == " ドア ", "the third wide character would need columns 5–6 of a 4-column limit")
    }
}
