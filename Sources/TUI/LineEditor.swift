import Generators

/// The modal one-line editor for a text parameter (a prompt) or a typed value. While it is
/// open every key goes to it and no binding fires; Enter keeps the text, Esc cancels.
public struct LineEditor: Sendable, Equatable {
    public var parameter: Parameter
    public var title: String
    /// Characters (grapheme clusters), so the cursor never stands inside a UTF-8 sequence.
    public private(set) var text: [Character]
    public private(set) var cursor: Int
    public var maxLength: Int
    /// Why the last Enter was refused (a value out of range), shown under the line.
    public var error: String?

    public init(parameter: Parameter, title: String, text: String, maxLength: Int) {
        self.parameter = parameter
        self.title = title
        self.text = Array(text.prefix(maxLength))
        self.cursor = self.text.count
        self.maxLength = maxLength
    }

    public enum Outcome: Equatable { case editing, commit(String), cancel }

    public var string: String { String(text) }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .enter: return .commit(string)
        case .escape: return .cancel
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .up: cursor = 0
        case .end, .down: cursor = text.count
        case .backspace:
            if cursor > 0 { text.remove(at: cursor - 1); cursor -= 1 }
        case .delete:
            if cursor < text.count { text.remove(at: cursor) }
        case .char(let c):
            // Ctrl-U clears (as in a shell); other control characters are not text.
            if c == "\u{15}" { text.removeAll(); cursor = 0 }
            else if !c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }), text.count < maxLength {
                text.insert(c, at: cursor); cursor += 1
            }
        default: break
        }
        error = nil
        return .editing
    }

    /// The keys the help overlay lists for the editor.
    static let help: [(String, String)] = [
        ("type", "insert at the cursor (UTF-8)"),
        ("←→ Home End", "move the cursor"),
        ("⌫ Del ^U", "delete back / forward / all"),
        ("Enter Esc", "keep the text / cancel"),
    ]
}
