import Foundation

/// A bundle's config.json is input like any file a user is sent: every value is checked when it
/// is read, before anything is sized from it, and refused with the file, the field and the value
/// ("got [n_head 0], expected [a divisor of n_embd 256]").
extension ModelBundle {
    var config: [String: Any] {
        (try? JSONSerialization.jsonObject(with: configData) as? [String: Any]) ?? [:]
    }

    public func has(_ key: String) -> Bool { config[key] != nil }

    /// An integer field within `range`. The default fits every size a bundle holds (widths,
    /// channels, dimensions) and keeps products of a few of them far from overflowing.
    public func int(_ key: String, in range: ClosedRange<Int> = 1...65_536) throws -> Int {
        let value = config[key]
        guard let n = Self.number(value), n.rounded() == n, Double(range.lowerBound) <= n, n <= Double(range.upperBound) else {
            throw GeneratorError.badConfig(path: configPath, reason: "got [\(key) \(Self.shown(value))], expected [an integer \(range.lowerBound)…\(range.upperBound)]")
        }
        return Int(n)
    }

    /// A finite number field within `range`.
    public func double(_ key: String, in range: ClosedRange<Double> = -1e9...1e9) throws -> Double {
        let value = config[key]
        guard let n = Self.number(value), range.contains(n) else {
            throw GeneratorError.badConfig(path: configPath, reason: "got [\(key) \(Self.shown(value))], expected [a number \(range.lowerBound)…\(range.upperBound)]")
        }
        return n
    }

    /// A list of distinct strings (names that become tensor names or labels).
    public func strings(_ key: String, count: ClosedRange<Int> = 1...65_536) throws -> [String] {
        let value = config[key]
        func refuse(_ got: String, _ expected: String) -> GeneratorError {
            .badConfig(path: configPath, reason: "got [\(got)], expected [\(expected)]")
        }
        guard let list = value as? [Any], count.contains(list.count) else {
            throw refuse("\(key) \(Self.shown(value))", "a list of \(count.lowerBound)…\(count.upperBound) strings")
        }
        var seen = Set<String>()
        for (i, item) in list.enumerated() {
            guard let s = item as? String else { throw refuse("\(key)[\(i)] \(Self.shown(item))", "a string") }
            guard seen.insert(s).inserted else { throw refuse("\(key)[\(i)] \(Self.shown(s)) twice", "distinct names") }
        }
        return list.map { $0 as! String }
    }

    /// An optional string field that must be one of `choices`; `fallback` when absent.
    public func choice(_ key: String, of choices: [String], fallback: String) throws -> String {
        guard let value = config[key] else { return fallback }
        guard let s = value as? String, choices.contains(s) else {
            throw GeneratorError.badConfig(path: configPath, reason: "got [\(key) \(Self.shown(value))], expected [one of \(choices.joined(separator: ", "))]")
        }
        return s
    }

    /// A JSON number (not a boolean, which JSONSerialization also gives as an NSNumber).
    static func number(_ value: Any?) -> Double? {
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
        return n.doubleValue
    }

    /// A value as the error shows it: short, with its JSON type when it is not a number.
    static func shown(_ value: Any?) -> String {
        switch value {
        case nil: return "missing"
        case let n as NSNumber: return String(cString: n.objCType) == "c" ? (n.boolValue ? "true" : "false") : n.stringValue
        case let s as String: return "\"\(s.prefix(40))\"" + (s.count > 40 ? "…" : "")
        case let a as [Any]: return "a list of \(a.count)"
        case is [String: Any]: return "an object"
        default: return "null"
        }
    }
}

/// Checks of sizes decoded from a config, each "got [field value], expected [range]" or nil.
public enum ConfigCheck {
    public static func range(_ field: String, _ value: Int, _ allowed: ClosedRange<Int>) -> String? {
        allowed.contains(value) ? nil : "got [\(field) \(value)], expected [\(allowed.lowerBound)…\(allowed.upperBound)]"
    }

    public static func list(_ field: String, _ values: [Int], count: ClosedRange<Int>, each: ClosedRange<Int>) -> String? {
        guard count.contains(values.count), values.allSatisfy(each.contains) else {
            return "got [\(field) \(values.prefix(8))\(values.count > 8 ? "…" : "")], expected [\(count.lowerBound)…\(count.upperBound) values, each \(each.lowerBound)…\(each.upperBound)]"
        }
        return nil
    }

    /// The first problem of several, in the order the config lists its fields.
    public static func first(_ problems: String?...) -> String? { problems.lazy.compactMap { $0 }.first }

    /// A decoding failure as "field: what", with the field's path (codec.ch_mult[2]).
    public static func describe(_ error: Error) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.reduce("") { s, k in k.intValue.map { "\(s)[\($0)]" } ?? (s.isEmpty ? k.stringValue : "\(s).\(k.stringValue)") }
        }
        switch error {
        case DecodingError.keyNotFound(let k, let c): return "got [no \(path(c.codingPath + [k]))], expected [the field]"
        case DecodingError.typeMismatch(let t, let c): return "got [\(path(c.codingPath)) of another type], expected [\(jsonType(t))]"
        case DecodingError.valueNotFound(let t, let c): return "got [\(path(c.codingPath)) null], expected [\(jsonType(t))]"
        case DecodingError.dataCorrupted(let c):
            return c.codingPath.isEmpty ? "not valid JSON (\(c.debugDescription))" : "got [\(path(c.codingPath)) out of its type's range or unreadable], expected [a value of its type]"
        default: return "\(error)"
        }
    }

    /// A decoded type as a config's author knows it.
    static func jsonType(_ t: Any.Type) -> String {
        switch t {
        case is Int.Type, is UInt64.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(t)"
            return name.hasPrefix("Array") ? "a list" : name.hasPrefix("Dictionary") ? "an object" : name
        }
    }
}
