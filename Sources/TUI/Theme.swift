import Foundation
import Install
import TOMLKit

/// The semantic roles views draw with. Themes map each to colours; no view names a colour.
public enum Role: String, CaseIterable, Sendable {
    case background, border, title, label, value, dim
    case timeline, timelineCurrent = "timeline_current", playhead, selection
    case sliderFill = "slider_fill", sliderEmpty = "slider_empty", sliderFocus = "slider_focus", inactive
    case take, takeHeard = "take_heard", slotA = "slot_a", slotB = "slot_b"
    case progress, progressTrack = "progress_track"
    case status, statusError = "status_error", key, help
}

public enum ThemeError: Error, Equatable, CustomStringConvertible {
    case notFound(name: String, searched: String, available: [String])
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let n, let dir, let a):
            return "theme '\(n)' not found in \(dir); available: \(a.isEmpty ? "none" : a.joined(separator: ", "))"
        case .unreadable(let p, let r): return "\(p): cannot read theme: \(r)"
        case .invalid(let p, let r): return "\(p): bad theme: \(r)"
        }
    }
}

/// A colour theme, read from a TOML file in Themes/:
///
///     name = "Dark"
///     ramp = [16, 17, 18, …]          # spectrogram, quiet → loud (256-colour indices)
///     [roles.playhead]
///     fg = 226                       # 0–255, a colour name, or "default"
///     bold = true
///
/// Every role must be present, so a theme never silently falls back to unreadable defaults.
public struct Theme: Sendable {
    public let name: String
    public let ramp: [Color]
    private let styles: [Role: Style]

    public subscript(role: Role) -> Style { styles[role] ?? Style() }

    public func rampColor(_ value: Float) -> Color {
        ramp[max(0, min(ramp.count - 1, Int(value * Float(ramp.count))))]
    }

    static let names: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright_black": 8, "bright_red": 9, "bright_green": 10, "bright_yellow": 11, "bright_blue": 12,
        "bright_magenta": 13, "bright_cyan": 14, "bright_white": 15,
    ]

    public init(toml: String, path: String) throws {
        if let (line, start) = Self.unparsableHeader(toml) {
            throw ThemeError.invalid(path: path, reason: "line \(line): got [a table header starting with \(start)], expected [a key: letters, digits, _, - or a quoted name]")
        }
        let table: TOMLTable
        do { table = try TOMLTable(string: toml) } catch let e as TOMLParseError {
            throw ThemeError.invalid(path: path, reason: "\(e.description) at line \(e.source.begin.line)")
        }
        guard let name = table["name"]?.string else { throw ThemeError.invalid(path: path, reason: "missing 'name'") }
        guard let rampArray = table["ramp"]?.array, rampArray.count >= 2 else {
            throw ThemeError.invalid(path: path, reason: "got [no 'ramp' list], expected [at least 2 colours]")
        }
        var ramp: [Color] = []
        for (i, v) in rampArray.enumerated() { ramp.append(try Self.color(v, path: path, at: "ramp[\(i)]")) }
        guard let roles = table["roles"]?.table else { throw ThemeError.invalid(path: path, reason: "missing [roles]") }
        var styles: [Role: Style] = [:]
        for key in roles.keys where Role(rawValue: key) == nil {
            throw ThemeError.invalid(path: path, reason: "unknown role '\(key)'; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for role in Role.allCases {
            guard let entry = roles[role.rawValue]?.table else { throw ThemeError.invalid(path: path, reason: "missing [roles.\(role.rawValue)]") }
            var style = Style()
            if let v = entry["fg"] { style.fg = try Self.color(v, path: path, at: "roles.\(role.rawValue).fg") }
            if let v = entry["bg"] { style.bg = try Self.color(v, path: path, at: "roles.\(role.rawValue).bg") }
            style.bold = entry["bold"]?.bool ?? false
            style.reverse = entry["reverse"]?.bool ?? false
            styles[role] = style
        }
        self.name = name
        self.ramp = ramp
        self.styles = styles
    }

    static func color(_ v: TOMLValueConvertible, path: String, at key: String) throws -> Color {
        if let i = v.int {
            guard (0...255).contains(i) else { throw ThemeError.invalid(path: path, reason: "\(key): got [\(i)], expected [0–255]") }
            return .index(UInt8(i))
        }
        if let s = v.string {
            if s == "default" { return .default }
            if let i = names[s] { return .index(i) }
            throw ThemeError.invalid(path: path, reason: "\(key): got [\"\(s)\"], expected [0–255, a colour name or \"default\"]")
        }
        throw ThemeError.invalid(path: path, reason: "\(key): expected a colour")
    }

    /// Themes/ in Foley's data folder (FoleyHome), or $FOLEY_THEMES.
    public static func directory() -> String {
        if let d = ProcessInfo.processInfo.environment["FOLEY_THEMES"] { return d }
        return FoleyHome.directory + "/Themes"
    }

    public static func available(in directory: String = directory()) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads Themes/NAME.toml, or a path to a .toml file.
    public static func load(_ name: String, directory: String = directory()) throws -> Theme {
        let path = name.hasSuffix(".toml") ? name : "\(directory)/\(name).toml"
        guard FileManager.default.fileExists(atPath: path) else {
            throw ThemeError.notFound(name: name, searched: directory, available: available(in: directory))
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ThemeError.unreadable(path: path, reason: "not UTF-8 text")
        }
        return try Theme(toml: text, path: path)
    }
}

extension Theme {
    /// toml++ (inside TOMLKit) asserts, aborting the process, on a table header whose key
    /// begins with a character no key can begin with ("[=", "[[[1]]]", "[é]", "[" then the
    /// line's end): such a file is refused before it reaches the parser. Lines are split on
    /// bytes, so a CRLF file is read line by line too.
    static func unparsableHeader(_ toml: String) -> (line: Int, start: String)? {
        let keyStart = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-\"'".utf8)
        for (i, line) in toml.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            var rest = line.drop { $0 == 0x20 || $0 == 0x09 }
            guard rest.first == UInt8(ascii: "[") else { continue }
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: "[") { rest = rest.dropFirst() }
            rest = rest.drop { $0 == 0x20 || $0 == 0x09 }
            guard let c = rest.first, c != 0x0D else { return (i + 1, "the line's end") }
            if c != UInt8(ascii: "]"), !keyStart.contains(c) {
                return (i + 1, c < 0x80 ? "'\(Character(Unicode.Scalar(c)))'" : "a non-ASCII character")
            }
        }
        return nil
    }
}
