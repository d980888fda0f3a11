/// A parameter's stable name, as take records, project settings and `--set` write it. A
/// generator declares its own; the ones several generators share are named here so they are
/// spelled once.
public struct Parameter: RawRepresentable, Hashable, Comparable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
    public static func < (a: Parameter, b: Parameter) -> Bool { a.rawValue < b.rawValue }

    public static let cfgScale: Parameter = "cfg_scale"
    public static let steps: Parameter = "steps"
    public static let topX: Parameter = "top_x"
    public static let temperature: Parameter = "temperature"
    /// Takes sampled per window, the best-synced one kept (generators that rank candidates).
    public static let candidates: Parameter = "candidates"
    /// On: render with the bundle's smaller vocoder, for fast auditioning. The tokens do not
    /// depend on it, so the same seed with Draft off gives the same take at full quality.
    public static let draft: Parameter = "draft"
    /// Every generator's seed; the engine moves it on after each take.
    public static let seed: Parameter = "seed"
    public static let prompt: Parameter = "prompt"
    public static let negativePrompt: Parameter = "negative_prompt"
    public static let solver: Parameter = "solver"
    public static let vocoder: Parameter = "vocoder"
}

/// A parameter's value. Choices hold their option's key as text; a switch is a flag. In JSON a
/// value is a plain number, boolean or string, so a take record reads as it would be typed.
public enum ParameterValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case number(Double)
    case flag(Bool)
    case text(String)

    /// A number, or a flag as 1/0 (schema-1 projects stored switches as numbers).
    public var number: Double? {
        switch self {
        case .number(let v): return v
        case .flag(let b): return b ? 1 : 0
        case .text: return nil
        }
    }

    public var isOn: Bool {
        switch self {
        case .flag(let b): return b
        case .number(let v): return v >= 0.5
        case .text(let s): return ["on", "true", "yes", "1"].contains(s.lowercased())
        }
    }

    public var text: String? { if case .text(let s) = self { return s } else { return nil } }

    public var description: String {
        switch self {
        case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .flag(let b): return b ? "on" : "off"
        case .text(let s): return s
        }
    }

    public init(from decoder: any Swift.Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .flag(b) }
        else if let v = try? c.decode(Double.self) { self = .number(v) }
        else if let s = try? c.decode(String.self) { self = .text(s) }
        else {
            throw DecodingError.typeMismatch(ParameterValue.self, .init(codingPath: c.codingPath, debugDescription: "expected a number, a boolean or a string"))
        }
    }

    public func encode(to encoder: any Swift.Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let v): try c.encode(v)
        case .flag(let b): try c.encode(b)
        case .text(let s): try c.encode(s)
        }
    }
}

/// Values by parameter, as a window, a take or the sliders hold them.
public typealias ParameterValues = [Parameter: ParameterValue]

extension ParameterValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByStringLiteral {
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .flag(value) }
    public init(stringLiteral value: String) { self = .text(value) }
}
