import Engine
import Testing
@testable import TUI

@Suite struct KeyTableTests {
    @Test func theDesignKeysAreBound() {
        let keys: [Key] = [.char(" "), .char("j"), .char("k"), .char("l"), .left, .right, .shiftLeft, .shiftRight,
                           .char("I"), .char("O"), .tab, .char("a"), .char("b"), .char("g"), .char("i"), .char("e"),
                           .char("?"), .char("q"), .up, .down, .char("+"), .char("-")]
        for k in keys { #expect(KeyTable.action(for: k) != nil, "\(k) is not bound") }
    }

    @Test func sliderFocusWrapsAndAdjustTargetsTheFocusedParameter() {
        var ui = UIState()
        let s = SampleState.snapshot()
        _ = ui.apply(.focusSlider(-1), snapshot: s)
        #expect(ui.focused(in: s)?.parameter == .seed)
        guard case .adjust(let p, let steps)? = ui.apply(.adjustSlider(10), snapshot: s) else {
            Issue.record("adjust should go to the engine"); return
        }
        #expect(p == .seed && steps == 10)
    }

    @Test func quitClosesHelpFirst() {
        var ui = UIState()
        _ = ui.apply(.toggleHelp, snapshot: EngineSnapshot())
        _ = ui.apply(.quit, snapshot: EngineSnapshot())
        #expect(!ui.showHelp && !ui.quitting)
        _ = ui.apply(.quit, snapshot: EngineSnapshot())
        #expect(ui.quitting)
    }
}
