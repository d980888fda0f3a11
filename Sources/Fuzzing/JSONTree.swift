import Foundation

/// A JSON document as a tree the mutator can edit. Objects keep their keys in order and may
/// hold a key twice; numbers keep their text, so values no Double or Int can hold (1e999,
/// 2^64) can be written back out exactly as hostile files spell them.
public indirect enum JSONTree: Sendable, Equatable {
    case object([Member])
    case array([JSONTree])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONTree
        public init(_ key: String, _ value: JSONTree) { self.key = key; self.value = value }
    }

    /// Parses with JSONSerialization; object keys are sorted so that a seed gives the same
    /// cases in every process (dictionary order is not stable across runs).
    public init(parsing data: Data) throws {
        self = Self.from(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    static func from(_ any: Any) -> JSONTree {
        switch any {
        case let d as [String: Any]: return .object(d.keys.sorted().map { Member($0, from(d[$0]!)) })
        case let a as [Any]: return .array(a.map(from))
        case let s as String: return .string(s)
        case let n as NSNumber:
            // JSONSerialization gives booleans as NSNumbers of type char; no JSON number is one.
            if String(cString: n.objCType) == "c" { return .bool(n.boolValue) }
            return .number(n.stringValue)
        default: return .null
        }
    }

    /// The document as text: pretty (two-space indent, like the files Foley writes) or compact.
    /// Indentation stops growing past 32 levels, so deeply nested cases stay linear in size.
    public func serialized(pretty: Bool = true) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(to: &out, pretty: pretty, indent: 0)
        return Data(out)
    }

    /// A newline and the indentation of each level (prepared once: serializing is most of a case's time).
    static let newlines: [[UInt8]] = (0...32).map { [0x0A] + [UInt8](repeating: 0x20, count: 2 * $0) }

    func write(to out: inout [UInt8], pretty: Bool, indent: Int) {
        func newline(_ level: Int) {
            if pretty { out += Self.newlines[min(level, 32)] }
        }
        switch self {
        case .object(let members):
            guard !members.isEmpty else { out += Array("{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                Self.quote(m.key, into: &out)
                out += pretty ? Array(" : ".utf8) : [UInt8(ascii: ":")]
                m.value.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            guard !items.isEmpty else { out += Array("[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, v) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                v.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "]"))
        case .string(let s): Self.quote(s, into: &out)
        case .number(let text): out += Array(text.utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .null: out += Array("null".utf8)
        }
    }

    /// A JSON string literal: control characters (NUL included) escaped, everything else as is.
    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        defer { out.append(UInt8(ascii: "\"")) }
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { out += s.utf8; return }
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), b]
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0..<0x20: out += Array(String(format: "\\u%04x", Int(b)).utf8)
            default: out.append(b)
            }
        }
    }
}

extension JSONTree {
    /// A step from a container to one of its children.
    enum Step: Sendable { case member(Int), item(Int) }

    /// Every node's path, the root first (pre-order), so a mutation can pick any of them.
    var paths: [[Step]] {
        var all: [[Step]] = []
        func walk(_ node: JSONTree, _ path: [Step]) {
            all.append(path)
            switch node {
            case .object(let ms): for (i, m) in ms.enumerated() { walk(m.value, path + [.member(i)]) }
            case .array(let items): for (i, v) in items.enumerated() { walk(v, path + [.item(i)]) }
            default: break
            }
        }
        walk(self, [])
        return all
    }

    subscript(path: [Step]) -> JSONTree {
        get {
            guard let first = path.first else { return self }
            let rest = Array(path.dropFirst())
            switch (self, first) {
            case (.object(let ms), .member(let i)): return ms[i].value[rest]
            case (.array(let items), .item(let i)): return items[i][rest]
            default: return self
            }
        }
        set {
            guard let first = path.first else { self = newValue; return }
            let rest = Array(path.dropFirst())
            switch (self, first) {
            case (.object(var ms), .member(let i)): ms[i].value[rest] = newValue; self = .object(ms)
            case (.array(var items), .item(let i)): items[i][rest] = newValue; self = .array(items)
            default: break
            }
        }
    }

    /// Every string in the document (ids, paths, names): mutations reuse them so that edits
    /// still refer to things the file has (a take naming an existing clip).
    var strings: [String] {
        switch self {
        case .object(let ms): return ms.flatMap { [$0.key] + $0.value.strings }
        case .array(let items): return items.flatMap(\.strings)
        case .string(let s): return [s]
        default: return []
        }
    }
}
