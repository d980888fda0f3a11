import Foundation

/// How one parameter of one generator may be set: what kind of control it is, its bounds and
/// its default. The workstation draws its panel from these, `--set` parses by them, and every
/// value that comes back from a project file goes through `normalized` before a generator
/// sees it.
public struct ParameterSpec: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        /// Written in take records and typed after `--set name=`.
        public var key: String
        public var label: String
        public init(_ key: String, _ label: String? = nil) { self.key = key; self.label = label ?? key }
    }

    public enum Kind: Sendable, Equatable {
        /// A slider; `step` is the fine increment, coarse adjustment moves ten steps.
        case number(range: ClosedRange<Double>, step: Double, integer: Bool)
        case toggle
        case choice([Option])
        /// A line of text (a prompt), at most `maxLength` characters, no control characters.
        case text(maxLength: Int)
    }

    public var parameter: Parameter
    public var label: String
    public var kind: Kind
    public var defaultValue: ParameterValue
    /// One line for `foley generators` and the workstation's status line.
    public var help: String

    public init(_ parameter: Parameter, label: String, kind: Kind, default value: ParameterValue, help: String = "") {
        self.parameter = parameter
        self.label = label
        self.kind = kind
        self.defaultValue = value
        self.help = help
    }

    public static func number(_ p: Parameter, _ label: String, range: ClosedRange<Double>, step: Double, default value: Double,
                              integer: Bool = false, help: String = "") -> ParameterSpec {
        ParameterSpec(p, label: label, kind: .number(range: range, step: step, integer: integer), default: .number(value), help: help)
    }

    public static func toggle(_ p: Parameter, _ label: String, default value: Bool = false, help: String = "") -> ParameterSpec {
        ParameterSpec(p, label: label, kind: .toggle, default: .flag(value), help: help)
    }

    public static func choice(_ p: Parameter, _ label: String, options: [Option], default key: String, help: String = "") -> ParameterSpec {
        precondition(options.contains { $0.key == key }, "default \(key) of \(p) is not one of its options")
        return ParameterSpec(p, label: label, kind: .choice(options), default: .text(key), help: help)
    }

    public static func text(_ p: Parameter, _ label: String, maxLength: Int = 400, default value: String = "", help: String = "") -> ParameterSpec {
        ParameterSpec(p, label: label, kind: .text(maxLength: maxLength), default: .text(value), help: help)
    }

    public var range: ClosedRange<Double>? { if case .number(let r, _, _) = kind { return r } else { return nil } }
    public var options: [Option] { if case .choice(let o) = kind { return o } else { return [] } }
    public var isText: Bool { if case .text = kind { return true } else { return false } }

    /// Any stored value made valid for this parameter: numbers clamped (NaN to the bottom) and
    /// rounded to the step, a schema-1 number read as a switch, an unknown option or a value of
    /// the wrong kind replaced by the default, text cut to length and cleaned of control
    /// characters. Values come from project files, so nothing here may trap.
    public func normalized(_ value: ParameterValue?) -> ParameterValue {
        guard let value else { return defaultValue }
        switch kind {
        case .number(let range, let step, let integer):
            guard let v = value.number else { return defaultValue }
            let c = v.isNaN ? range.lowerBound : min(range.upperBound, max(range.lowerBound, v))
            let r = integer ? c.rounded() : step > 0 ? (c / step).rounded() * step : c
            return .number(min(range.upperBound, max(range.lowerBound, r)))
        case .toggle:
            if case .text = value { return defaultValue }
            return .flag(value.isOn)
        case .choice(let options):
            guard let key = value.text, options.contains(where: { $0.key == key }) else { return defaultValue }
            return value
        case .text(let maxLength):
            guard let s = value.text else { return defaultValue }
            return .text(Self.clean(s, maxLength: maxLength))
        }
    }

    /// The control moved by `steps` (the slider keys): a number by steps × step, a switch
    /// flipped, a choice to the next or previous option (wrapping). Text is edited, not stepped.
    public func adjusted(_ value: ParameterValue?, steps: Double) -> ParameterValue {
        let current = normalized(value)
        switch kind {
        case .number(_, let step, _):
            return normalized(.number((current.number ?? 0) + steps * step))
        case .toggle:
            return steps == 0 ? current : .flag(!current.isOn)
        case .choice(let options):
            let i = options.firstIndex { $0.key == current.text } ?? 0
            let move = steps > 0 ? 1 : steps < 0 ? -1 : 0
            return .text(options[(i + move + options.count) % options.count].key)
        case .text:
            return current
        }
    }

    /// The value as the panel shows it.
    public func display(_ value: ParameterValue?) -> String {
        let v = normalized(value)
        switch kind {
        case .number(_, let step, let integer):
            let n = v.number ?? 0
            // As many decimals as the step has (CFG 2.25 is not "2.2"), at least one.
            let decimals = (1...4).first { d in let x = step * pow(10, Double(d)); return abs(x - x.rounded()) < 1e-6 } ?? 4
            return integer ? String(Int64(n)) : String(format: "%.\(decimals)f", n)
        case .toggle: return v.isOn ? "on" : "off"
        case .choice(let options): return options.first { $0.key == v.text }?.label ?? v.description
        case .text: return v.text ?? ""
        }
    }

    /// Ranges and default, for `foley generators`.
    public var summary: String {
        switch kind {
        case .number(let r, let step, let integer):
            let f: (Double) -> String = { integer ? String(Int64($0)) : String(format: "%g", $0) }
            return "\(f(r.lowerBound))…\(f(r.upperBound))" + (integer ? "" : " step \(f(step))") + ", default \(display(defaultValue))"
        case .toggle: return "on/off, default \(display(defaultValue))"
        case .choice(let options): return "one of \(options.map(\.key).joined(separator: "|")), default \(defaultValue.description)"
        case .text(let n): return "text up to \(n) characters" + (defaultValue.text?.isEmpty == false ? ", default \"\(defaultValue.description)\"" : "")
        }
    }

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// A value typed by a person (`--set name=value`): strict, an out-of-range number or an
    /// unknown option is an error naming what is accepted, never clamped silently.
    public func parse(_ typed: String) throws -> ParameterValue {
        let t = typed.trimmingCharacters(in: .whitespaces)
        let fail = { (expected: String) in ParseError(description: "\(parameter): got [\(typed)], expected [\(expected)]") }
        switch kind {
        case .number(let range, _, let integer):
            guard let v = Double(t), v.isFinite else { throw fail(summary) }
            guard range.contains(v) else { throw fail(summary) }
            if integer && v != v.rounded() { throw fail("a whole number, " + summary) }
            return normalized(.number(v))
        case .toggle:
            switch t.lowercased() {
            case "on", "true", "yes", "1": return .flag(true)
            case "off", "false", "no", "0": return .flag(false)
            default: throw fail("on or off")
            }
        case .choice(let options):
            guard let o = options.first(where: { $0.key == t.lowercased() || $0.label.lowercased() == t.lowercased() }) else {
                throw fail("one of \(options.map(\.key).joined(separator: ", "))")
            }
            return .text(o.key)
        case .text(let maxLength):
            guard typed.count <= maxLength else { throw fail("at most \(maxLength) characters, got \(typed.count)") }
            guard typed == Self.clean(typed, maxLength: maxLength) else { throw fail("one line of text without control characters") }
            return .text(typed)
        }
    }

    static func clean(_ s: String, maxLength: Int) -> String {
        let kept = String(String.UnicodeScalarView(s.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }))
        return String(kept.prefix(maxLength))
    }
}
