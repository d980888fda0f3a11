import Engine
import Generators

/// A key press, independent of ncurses (tests and benchmarks make them directly).
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right, shiftLeft, shiftRight
    case home, end, pageUp, pageDown, tab, backTab, escape, enter, backspace, delete, resize
}

/// What a key does: a command for the engine, or something the UI handles itself.
public enum Action: Sendable {
    case engine(Engine.Command)
    case focusSlider(Int)
    case adjustSlider(Double)
    /// Opens the line editor on the focused text parameter (or a number, to type its value).
    case editParameter
    case export(mux: Bool)
    case toggleHelp
    case quit
}

/// The key table: the one place keys are bound. The help overlay is generated from it.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var label: String
    public var action: Action
    public var help: String
    public var group: String
    /// Set on the first of a pair shown as one help line ("+ -"); the second is then hidden.
    public var helpLabel: String? = nil
    public var inHelp = true
}

public enum KeyTable {
    static let frame = 1024.0 / 22050.0

    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.char(" ")], label: "Space", action: .engine(.togglePlay), help: "play / stop", group: "Transport"),
        KeyBinding(keys: [.char("j"), .char("J")], label: "J", action: .engine(.shuttle(-1)), help: "shuttle back (again: faster)", group: "Transport"),
        KeyBinding(keys: [.char("k"), .char("K")], label: "K", action: .engine(.pause), help: "pause", group: "Transport"),
        KeyBinding(keys: [.char("l"), .char("L")], label: "L", action: .engine(.shuttle(1)), help: "shuttle forward (again: faster)", group: "Transport"),
        KeyBinding(keys: [.left], label: "←", action: .engine(.scrub(seconds: -frame)), help: "scrub back one frame", group: "Transport"),
        KeyBinding(keys: [.right], label: "→", action: .engine(.scrub(seconds: frame)), help: "scrub forward one frame", group: "Transport"),
        KeyBinding(keys: [.shiftLeft], label: "Shift ←", action: .engine(.scrub(seconds: -1)), help: "back 1 s", group: "Transport"),
        KeyBinding(keys: [.shiftRight], label: "Shift →", action: .engine(.scrub(seconds: 1)), help: "forward 1 s", group: "Transport"),
        KeyBinding(keys: [.home], label: "Home", action: .engine(.seekStart), help: "go to start", group: "Transport"),
        KeyBinding(keys: [.end], label: "End", action: .engine(.seekEnd), help: "go to end", group: "Transport"),
        KeyBinding(keys: [.char("r"), .char("R")], label: "R", action: .engine(.toggleLoop), help: "loop the in/out span", group: "Transport"),

        KeyBinding(keys: [.char("I")], label: "I", action: .engine(.markIn), help: "set in point at playhead", group: "Selection"),
        KeyBinding(keys: [.char("O"), .char("o")], label: "O", action: .engine(.markOut), help: "set out point at playhead", group: "Selection"),
        KeyBinding(keys: [.escape, .char("c"), .char("C")], label: "Esc", action: .engine(.clearSelection), help: "clear in/out", group: "Selection"),

        KeyBinding(keys: [.char("g")], label: "g", action: .engine(.generate), help: "generate a take for this clip", group: "Takes"),
        KeyBinding(keys: [.char("f"), .char("F")], label: "F", action: .engine(.renderFullQuality), help: "heard draft take again at full quality", group: "Takes"),
        KeyBinding(keys: [.char("i")], label: "i", action: .engine(.inpaint), help: "inpaint the in/out span as a new take", group: "Takes"),
        KeyBinding(keys: [.tab], label: "Tab", action: .engine(.nextTake), help: "next / previous take", group: "Takes", helpLabel: "Tab S-Tab"),
        KeyBinding(keys: [.backTab], label: "Shift Tab", action: .engine(.previousTake), help: "previous take", group: "Takes", inHelp: false),
        KeyBinding(keys: [.char("a"), .char("A")], label: "A", action: .engine(.compare(.a)), help: "hear slot A (same position)", group: "Takes"),
        KeyBinding(keys: [.char("b"), .char("B")], label: "B", action: .engine(.compare(.b)), help: "hear slot B (same position)", group: "Takes"),
        KeyBinding(keys: [.char("v"), .char("V")], label: "v", action: .engine(.imagine), help: "picture imagined from the take's sound",
                   group: "Takes"),
        KeyBinding(keys: [.char("x"), .char("X")], label: "X", action: .engine(.cancelJobs), help: "cancel running jobs", group: "Takes"),
        KeyBinding(keys: [.char("e")], label: "e", action: .export(mux: false), help: "export stems (BWF 48 kHz 24-bit)", group: "Takes"),
        KeyBinding(keys: [.char("E")], label: "E", action: .export(mux: true), help: "stems + video with the take (.mov)", group: "Takes"),

        KeyBinding(keys: [.up], label: "↑", action: .focusSlider(-1), help: "previous / next parameter", group: "Generator", helpLabel: "↑ ↓"),
        KeyBinding(keys: [.down], label: "↓", action: .focusSlider(1), help: "next parameter", group: "Generator", inHelp: false),
        KeyBinding(keys: [.char("+"), .char("=")], label: "+", action: .adjustSlider(1), help: "up or down a step or option; flip",
                   group: "Generator", helpLabel: "+ -"),
        KeyBinding(keys: [.char("-"), .char("_")], label: "-", action: .adjustSlider(-1), help: "lower one step", group: "Generator", inHelp: false),
        KeyBinding(keys: [.char("]")], label: "]", action: .adjustSlider(10), help: "ten steps up / down", group: "Generator", helpLabel: "] ["),
        KeyBinding(keys: [.char("[")], label: "[", action: .adjustSlider(-10), help: "ten steps down", group: "Generator", inHelp: false),
        KeyBinding(keys: [.enter], label: "Enter", action: .editParameter, help: "edit a prompt, or type a value", group: "Generator"),
        KeyBinding(keys: [.char("G")], label: "G", action: .engine(.nextGenerator), help: "next generator", group: "Generator"),

        KeyBinding(keys: [.char("n"), .char("N"), .pageDown], label: "N", action: .engine(.nextClip), help: "next clip", group: "Project"),
        KeyBinding(keys: [.char("p"), .char("P"), .pageUp], label: "P", action: .engine(.previousClip), help: "previous clip", group: "Project"),
        KeyBinding(keys: [.char("t"), .char("T")], label: "T", action: .engine(.nextTrack), help: "next track (a stem per track)", group: "Project"),
        KeyBinding(keys: [.char("?"), .char("h")], label: "?", action: .toggleHelp, help: "this help", group: "Project"),
        KeyBinding(keys: [.char("q"), .char("Q")], label: "q", action: .quit, help: "quit (everything is already saved)", group: "Project"),
    ]

    static let index: [Key: Action] = {
        var map: [Key: Action] = [:]
        for b in bindings { for k in b.keys { precondition(map[k] == nil, "key bound twice: \(k)"); map[k] = b.action } }
        return map
    }()

    public static func action(for key: Key) -> Action? { index[key] }
}
