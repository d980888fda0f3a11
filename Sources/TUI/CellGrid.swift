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

    /// Writes `text` from (x, y), one cell per character, clipped at `limit` columns.
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, limit: Int? = nil) {
        guard y >= 0, y < height else { return }
        var cx = x
        let end = min(width, limit.map { x + $0 } ?? width)
        for ch in text {
            if cx >= end { break }
            if cx >= 0 { cells[y * width + cx] = Cell(char: ch, style: style) }
            cx += 1
        }
    }

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
        (0..<height).map { y in String((0..<width).map { self[$0, y].char }) }.joined(separator: "\n")
    }
}
