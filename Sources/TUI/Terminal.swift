import CNcursesw
import Foundation

public enum TerminalError: Error, Equatable, CustomStringConvertible {
    case notATerminal
    case cannotInitialise(term: String)

    public var description: String {
        switch self {
        case .notATerminal: return "standard input/output is not a terminal: run foley open in a terminal (or tmux)"
        case .cannotInitialise(let t): return "cannot start the terminal UI for TERM=\(t) (it cannot address the cursor, or newterm failed); run Foley in a terminal such as xterm or tmux, e.g. TERM=xterm-256color"
        }
    }
}

/// The checked wrapper for the ncurses call family: start/stop, keys, and drawing a cell grid.
/// Only cells that changed since the last frame are sent; colour pairs are allocated on demand.
public final class Terminal {
    private var screen: OpaquePointer?
    private var previous: CellGrid?
    private var pairs: [PairKey: Int32] = [:]
    private var colors: Int32 = 8
    private var maxPairs: Int32 = 64

    private struct PairKey: Hashable { var fg: Color; var bg: Color }

    /// `requireTTY: false` lets a benchmark drive ncurses into a pipe or /dev/null.
    public init(requireTTY: Bool = true) throws {
        if requireTTY { guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else { throw TerminalError.notATerminal } }
        // A terminal without cursor addressing (TERM=dumb, emacs' shell) would draw a blank screen.
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard !["", "dumb", "unknown"].contains(term) else { throw TerminalError.cannotInitialise(term: term.isEmpty ? "(unset)" : term) }
        guard let s = foley_newterm_stdio() else {
            throw TerminalError.cannotInitialise(term: ProcessInfo.processInfo.environment["TERM"] ?? "(unset)")
        }
        screen = s
        // A parent may have started us with SIGWINCH blocked (signal masks are inherited);
        // ncurses learns of resizes only through it.
        var winch = sigset_t()
        sigemptyset(&winch)
        sigaddset(&winch, SIGWINCH)
        pthread_sigmask(SIG_UNBLOCK, &winch, nil)
        set_escdelay(25)
        raw()   // Ctrl-C arrives as a key (quit cleanly), not a signal that leaves the terminal raw
        noecho()
        nonl()
        keypad(foley_stdscr(), true)
        curs_set(0)
        if has_colors() {
            start_color()
            use_default_colors()
            colors = foley_colors()
            maxPairs = min(foley_color_pairs(), 32767)
        }
    }

    deinit { close() }

    public func close() {
        guard screen != nil else { return }
        endwin()
        delscreen(screen)
        screen = nil
    }

    public var size: (width: Int, height: Int) { (Int(foley_cols()), Int(foley_lines())) }

    /// Waits up to `milliseconds` for a key.
    public func read(timeout milliseconds: Int32) -> Key? {
        wtimeout(foley_stdscr(), milliseconds)
        var ch: wint_t = 0
        let rc = wget_wch(foley_stdscr(), &ch)
        if rc == foley_err() { return nil }
        if rc == foley_key_code_yes() {
            switch Int32(ch) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_SLEFT: return .shiftLeft
            case KEY_SRIGHT: return .shiftRight
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_BTAB: return .backTab
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_RESIZE: previous = nil; return .resize
            default: return nil
            }
        }
        switch ch {
        case 9: return .tab
        case 27: return .escape
        case 10, 13: return .enter
        case 8, 127: return .backspace
        default: return Unicode.Scalar(UInt32(ch)).map { .char(Character($0)) }
        }
    }

    /// Sends the grid; only changed cells are written (a resize redraws everything).
    public func draw(_ grid: CellGrid) {
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { werase(foley_stdscr()) }
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if !full, let p = previous, p[x, y] == cell { continue }
                if cell.char == CellGrid.wideRight { continue }   // covered by the wide character to its left
                // The bottom-right cell scrolls some terminals when written; ncurses reports ERR there, harmlessly.
                var attrs = foley_a_normal()
                if cell.style.bold { attrs |= foley_a_bold() }
                if cell.style.reverse { attrs |= foley_a_reverse() }
                let scalar = cell.char.unicodeScalars.first.map { wchar_t(bitPattern: $0.value) } ?? 32
                _ = foley_put_cell(Int32(y), Int32(x), scalar, attrs, pair(cell.style.fg, cell.style.bg))
            }
        }
        wnoutrefresh(foley_stdscr())
        doupdate()
        previous = grid
    }

    private func pair(_ fg: Color, _ bg: Color) -> Int32 {
        let key = PairKey(fg: fg, bg: bg)
        if let p = pairs[key] { return p }
        guard colors > 0, maxPairs > 1 else { return 0 }
        if Int32(pairs.count) + 1 >= maxPairs {
            // Out of pairs (many picture colours): start over; cells drawn earlier keep theirs
            // until they are next redrawn.
            pairs.removeAll()
        }
        let n = Int32(pairs.count + 1)
        init_pair(Int16(n), terminalColor(fg), terminalColor(bg))
        pairs[key] = n
        return n
    }

    private func terminalColor(_ c: Color) -> Int16 {
        switch c {
        case .default: return -1
        case .index(let i): return colors >= 256 ? Int16(i) : Int16(Int32(Self.basic(i)) % max(colors, 1))
        }
    }

    /// Nearest of the 8 basic colours for terminals without 256 (approximate).
    static func basic(_ i: UInt8) -> UInt8 {
        if i < 16 { return i % 8 }
        if i >= 232 { return i < 244 ? 0 : 7 }
        let v = Int(i) - 16
        let r = v / 36 >= 3 ? 1 : 0, g = (v / 6) % 6 >= 3 ? 1 : 0, b = v % 6 >= 3 ? 1 : 0
        return UInt8(r | g << 1 | b << 2)
    }
}
