import Generators
import Testing

/// Declarations of every kind: what a stored value becomes, how the slider keys move it, how
/// a typed value is checked.
@Suite struct ParameterSpecTests {
    static let steps = ParameterSpec.number(.steps, "Steps", range: 1...64, step: 1, default: 25, integer: true)
    static let cfg = ParameterSpec.number(.cfgScale, "CFG", range: 1...6, step: 0.25, default: 2)
    static let solver = ParameterSpec.choice(.solver, "Solver", options: [.init("euler", "Euler"), .init("dopri5", "Dopri5")], default: "euler")
    static let draft = ParameterSpec.toggle(.draft, "Draft")
    static let prompt = ParameterSpec.text(.prompt, "Prompt", maxLength: 10)

    @Test func storedValuesAreNormalisedByKind() {
        #expect(Self.steps.normalized(.number(99.6)) == 64 && Self.steps.normalized(.number(.nan)) == 1 && Self.steps.normalized(.number(3.4)) == 3)
        #expect(Self.steps.normalized("x") == 25 && Self.steps.normalized(nil) == 25 && Self.steps.normalized(true) == 1)
        #expect(Self.cfg.normalized(2.3) == 2.25)
        #expect(Self.solver.normalized("dopri5") == "dopri5" && Self.solver.normalized("rk4") == "euler" && Self.solver.normalized(3) == "euler")
        #expect(Self.draft.normalized(1) == true && Self.draft.normalized(0) == false && Self.draft.normalized("on") == false)
        #expect(Self.prompt.normalized("a\u{7}b\ncd") == "abcd" && Self.prompt.normalized("0123456789abc") == "0123456789")
        #expect(Self.prompt.normalized(4) == "")
    }

    @Test func sliderKeysStepNumbersCycleChoicesFlipSwitches() {
        #expect(Self.steps.adjusted(25, steps: 10) == 35 && Self.steps.adjusted(60, steps: 10) == 64)
        #expect(Self.solver.adjusted("euler", steps: 1) == "dopri5" && Self.solver.adjusted("dopri5", steps: 1) == "euler")
        #expect(Self.solver.adjusted("euler", steps: -10) == "dopri5")
        #expect(Self.draft.adjusted(false, steps: 1) == true && Self.draft.adjusted(nil, steps: -1) == true)
        #expect(Self.prompt.adjusted("abc", steps: 1) == "abc")
    }

    @Test func typedValuesAreCheckedNotClamped() throws {
        #expect(try Self.steps.parse("25") == 25)
        #expect(throws: ParameterSpec.ParseError.self) { try Self.steps.parse("65") }
        #expect(throws: ParameterSpec.ParseError.self) { try Self.steps.parse("2.5") }
        #expect(throws: ParameterSpec.ParseError.self) { try Self.cfg.parse("nan") }
        #expect(try Self.solver.parse("Dopri5") == "dopri5")
        let error = #expect(throws: ParameterSpec.ParseError.self) { try Self.solver.parse("rk4") }
        #expect(error?.description == "solver: got [rk4], expected [one of euler, dopri5]")
        #expect(try Self.draft.parse("on") == true && (try Self.draft.parse("0")) == false)
        #expect(try Self.prompt.parse("dog bark") == "dog bark")
        #expect(throws: ParameterSpec.ParseError.self) { try Self.prompt.parse("much too long a prompt") }
        #expect(throws: ParameterSpec.ParseError.self) { try Self.prompt.parse("two\nlines") }
    }

    @Test func displayAndSummary() {
        #expect(Self.cfg.display(2.25) == "2.25" && Self.steps.display(nil) == "25" && Self.solver.display("dopri5") == "Dopri5")
        #expect(Self.draft.display(true) == "on" && Self.prompt.display("x") == "x")
        #expect(Self.steps.summary == "1…64, default 25")
        #expect(Self.cfg.summary == "1…6 step 0.25, default 2.00")
        #expect(Self.solver.summary == "one of euler|dopri5, default euler")
        #expect(Self.prompt.summary == "text up to 10 characters")
    }
}
