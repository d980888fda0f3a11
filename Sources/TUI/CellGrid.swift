/// A colour as the terminal gets it: the terminal's default, or one of the 256 indexed colours.
public enum Color: Hashable, Sendable {
    case `default`
    case index(UInt8)

    /// The nearest colour of xterm's 6×6×6 cube or grey ramp (video and picture cells).
    public static func rgb(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Color {
        func level(_ v: UInt8) -> Int { v < 48 ? 0 : v < 115 ? 1 : (Int(v) - 35) / 40 }
        let (lr, lg, lb) = (level(r), level(g), level(b))
        let cube = [0, 95, 135, 175, 215, 255]
        let cubeError = sq(cube[lr] - Int(r)) + sq(cube[lg] - Int(g)) + sq(cube[lb] - Int(b))
        let mean = (Int(r) + Int(g) + Int(b)) / 3
        let grey = max(0, min(23, (mean - 3) / 10))
        let greyValue = 8 + 10 * grey
        let greyError = sq(greyValue - Int(r)) + sq(greyValue - Int(g)) + sq(greyValue - Int(b))
        return .index(UInt8(greyError < cubeError ? 232 + grey : 16 + 36 * lr + 6 * lg + lb))
    }

    private static func sq(_ x: Int) -> Int { x * x }
}

/// How a cell is drawn.
public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var bold: Bool
    public var reverse: Bool

    public init(fg: Color = .default, bg: Color = .default, bold: Bool = false, reverse: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.reverse = reverse
    }
}

public struct Cell: Hashable, Sendable {
    public var char: Character
    public var style: Style
}

/// The screen as data: what the render functions produce and what the terminal (or a test)
/// consumes. Writes outside the grid are clipped, so views never need bounds checks.
public struct CellGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, style: Style = Style()) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(char: " ", style: style), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { if x >= 0, y >= 0, x < width, y < height { cells[y * width + x] = newValue } }
    }

    /// Writes `text` from (x, y), one cell per character (two for a wide one: CJK, emoji),
    /// clipped at `limit` columns; a wide character that would be cut in half is left out.
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, limit: Int? = nil) {
        guard y >= 0, y < height else { return }
        var cx = x
        let end = min(width, limit.map { x + $0 } ?? width)
        for ch in text {
            let w = Self.columns(ch)
            if cx + w > end { break }
            if cx >= 0 { cells[y * width + cx] = Cell(char: ch, style: style) }
            if w == 2, cx + 1 >= 0 { cells[y * width + cx + 1] = Cell(char: Self.wideRight, style: style) }
            cx += w
        }
    }

    /// The right half of a wide character: the terminal skips it (the character covers it).
    public static let wideRight: Character = "\u{0}"

    /// Terminal columns a character takes: 2 for East Asian wide and fullwidth forms and
    /// emoji, else 1. A fixed table, not wcwidth, so rendering does not depend on the locale.
    public static func columns(_ ch: Character) -> Int {
        guard let v = ch.unicodeScalars.first?.value, v >= 0x1100 else { return 1 }
        let wide: [ClosedRange<UInt32>] = [0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                                           0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                                           0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD]
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    /// Columns `text` takes when put.
    public static func columns(_ text: String) -> Int { text.reduce(0) { $0 + columns($1) } }

    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, char: Character = " ", style: Style) {
        for row in max(0, y)..<max(max(0, y), min(height, y + h)) {
            for col in max(0, x)..<max(max(0, x), min(width, x + w)) { cells[row * width + col] = Cell(char: char, style: style) }
        }
    }

    /// Changes only the style (keeps characters): selections, highlights.
    public mutating func restyle(x: Int, y: Int, width w: Int, _ change: (inout Style) -> Void) {
        guard y >= 0, y < height else { return }
        for col in max(0, x)..<max(max(0, x), min(width, x + w)) { change(&cells[y * width + col].style) }
    }

    /// A box with a title in its top border.
    public mutating func box(x: Int, y: Int, width w: Int, height h: Int, title: String, border: Style, titleStyle: Style) {
        guard w >= 2, h >= 2 else { return }
        put("┌" + String(repeating: "─", count: w - 2) + "┐", x: x, y: y, style: border)
        for r in 1..<(h - 1) {
            put("│", x: x, y: y + r, style: border)
            put("│", x: x + w - 1, y: y + r, style: border)
        }
        put("└" + String(repeating: "─", count: w - 2) + "┘", x: x, y: y + h - 1, style: border)
        if !title.isEmpty { put(" \(title) ", x: x + 2, y: y, style: titleStyle, limit: w - 4) }
    }

    /// The characters, one line per row (trailing spaces kept): for snapshot tests.
    public var text: String {
        (0..<height).map { y in String((0..<width).map { self[$0, y].char }.filter { $0 != Self.wideRight }) }.joined(separator: "\n")
    }
}
