import Foundation
import Runtime

/// Line-level mutations of a TOML file (a theme): lines dropped, doubled (duplicate keys and
/// tables) or swapped, values changed to other types or out of range, table headers broken,
/// garbage and control characters inserted, huge numbers and lists.
public struct TOMLMutator: Sendable {
    public init() {}

    static let values = [
        "256", "-1", "1000", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e400", "nan", "inf", "-inf",
        "1.5", "0x100", "0o777", "0b1", "1_000", "+1", "true", "false", "\"\"", "\"default\"", "\"DEFAULT\"", "\"bright_pink\"",
        "\"red\"", "\"\\u0000\"", "\"\\uD800\"", "'literal'", "\"\"\"multi\nline\"\"\"", "[]", "[1]", "[[1, 2], [3]]", "[1, \"red\", true]",
        "{}", "{ fg = 1 }", "1979-05-27T07:32:00Z", "07:32:00", "", "=", "\"unterminated", "[1, 2", "🎬", "\"\(String(repeating: "x", count: 100_000))\"",
    ]
    static let headers = [
        "[roles]", "[roles.unknown]", "[roles.playhead.fg]", "[[roles.playhead]]", "[roles.\"playhead\"]", "[roles.playhead]",
        "[roles.background]", "[ramp]", "[name]", "[]", "[roles.", "[[ramp]]", "[roles.status_error]", "roles.playhead.fg = 3",
        "roles = 1", "ramp = []", "ramp = [1]", "name = 1", "name = \"\"",
    ]

    public func file(from text: String, rng: inout SeededRNG) -> Data {
        var lines = text.components(separatedBy: "\n")
        for _ in 0..<(1 + rng.below(4)) { edit(&lines, rng: &rng) }
        let data = Data(lines.joined(separator: rng.chance(0.9) ? "\n" : "\r\n").utf8)
        return rng.chance(0.15) ? ByteMutator.damage(data, rng: &rng) : data
    }

    func edit(_ lines: inout [String], rng: inout SeededRNG) {
        guard !lines.isEmpty else { lines = [rng.pick(Self.headers)]; return }
        let i = rng.below(lines.count)
        switch rng.below(10) {
        case 0: lines.remove(at: i)
        case 1: lines.insert(lines[i], at: rng.below(lines.count + 1))                 // duplicate key or table
        case 2: lines.swapAt(i, rng.below(lines.count))
        case 3, 4, 5:                                                                  // a value replaced
            if let eq = lines[i].firstIndex(of: "=") {
                lines[i] = lines[i][..<eq] + "= " + rng.pick(Self.values)
            } else {
                lines.insert(rng.pick(["fg", "bg", "bold", "reverse", "name", "ramp"]) + " = " + rng.pick(Self.values), at: i)
            }
        case 6: lines.insert(rng.pick(Self.headers), at: i)
        case 7:                                                                        // ramp of a strange length
            let n = rng.size(upTo: 100_000)
            lines.insert("ramp = [" + (0..<n).map { _ in String(rng.below(300) - 20) }.joined(separator: ", ") + "]", at: i)
        case 8:                                                                        // key renamed
            if let eq = lines[i].firstIndex(of: "=") {
                lines[i] = rng.pick(["FG", "fg ", "f g", "\"fg\"", "fg.x", "", "🎬", "bold.fg"]) + " " + lines[i][eq...]
            }
        default:                                                                       // control characters and garbage
            let junk = rng.pick(["\0", "\u{1B}[2J", "\t", "\r", "#", "\"", "\\", "[", "]", "\u{FEFF}", "\u{202E}", "= ="])
            var line = lines[i]
            line.insert(contentsOf: junk, at: line.index(line.startIndex, offsetBy: rng.below(line.count + 1)))
            lines[i] = line
        }
    }
}
