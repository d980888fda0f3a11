import Foundation
import Runtime

/// Structured mutations of a JSON file: the document is edited as a tree (fields deleted,
/// duplicated or renamed, values replaced by other types, extreme numbers, hostile strings,
/// empty, huge or deeply nested containers, elements swapped or copied elsewhere), written out
/// pretty or compact, and sometimes damaged at the byte level afterwards.
public struct JSONMutator: Sendable {
    public let payloads: Payloads
    /// Field names worth inserting: the ones Foley's readers know, so that an inserted field is
    /// read rather than ignored.
    public let knownKeys: [String]

    public init(payloads: Payloads, knownKeys: [String] = []) {
        self.payloads = payloads
        self.knownKeys = knownKeys
    }

    /// One case's file: one tree edit (half the cases) to four, then, one case in eight, byte
    /// damage. Few edits keep many files readable, so what Foley does after reading is reached.
    public func file(from base: JSONTree, rng: inout SeededRNG) -> Data {
        var tree = base
        for _ in 0..<(rng.chance(0.5) ? 1 : 2 + rng.below(3)) { tree = edit(tree, rng: &rng) }
        let data = tree.serialized(pretty: rng.chance(0.7))
        return rng.chance(0.125) ? ByteMutator.damage(data, rng: &rng) : data
    }

    public func edit(_ tree: JSONTree, rng: inout SeededRNG) -> JSONTree {
        var tree = tree
        let paths = tree.paths
        let path = rng.pick(paths)
        let node = tree[path]
        let strings = tree.strings
        switch rng.below(16) {
        case 0, 1:                                              // delete a field or an element
            switch node {
            case .object(var ms) where !ms.isEmpty: ms.remove(at: rng.below(ms.count)); tree[path] = .object(ms)
            case .array(var items) where !items.isEmpty: items.remove(at: rng.below(items.count)); tree[path] = .array(items)
            default: tree[path] = .null
            }
        case 2, 3:                                              // a value of another type
            tree[path] = randomValue(&rng, strings: strings, depth: 2)
        case 4:                                                 // an extreme number
            tree[path] = .number(payloads.number(&rng))
        case 5:                                                 // a number nudged: off by one, sign, scale
            if case .number(let text) = node, let v = Double(text) {
                let nudged = rng.pick([v + 1, v - 1, -v, v * 1e6, v / 1e6, v * 2, 0, v.rounded(.down) + 0.5])
                tree[path] = .number(nudged == nudged.rounded() && abs(nudged) < 1e15 ? String(Int64(nudged)) : "\(nudged)")
            } else {
                tree[path] = .number(payloads.number(&rng))
            }
        case 6, 7:                                              // a hostile string
            tree[path] = .string(payloads.string(&rng, reusing: strings))
        case 8:                                                 // a field twice, the second with another value
            if case .object(var ms) = node, !ms.isEmpty {
                let m = ms[rng.below(ms.count)]
                ms.insert(JSONTree.Member(m.key, randomValue(&rng, strings: strings, depth: 1)), at: rng.below(ms.count + 1))
                tree[path] = .object(ms)
            }
        case 9:                                                 // a new field, known or not
            if case .object(var ms) = node {
                let key = rng.chance(0.6) && !knownKeys.isEmpty ? rng.pick(knownKeys) : payloads.string(&rng, reusing: strings)
                ms.append(JSONTree.Member(key, randomValue(&rng, strings: strings, depth: 2)))
                tree[path] = .object(ms)
            }
        case 10:                                                // emptied
            tree[path] = rng.chance(0.5) ? .array([]) : .object([])
        case 11:                                                // elements swapped or copied (duplicate ids)
            if case .array(var items) = node, !items.isEmpty {
                let i = rng.below(items.count), j = rng.below(items.count)
                if rng.chance(0.5) { items.swapAt(i, j) } else { items.insert(items[i], at: j) }
                tree[path] = .array(items)
            }
        case 12:                                                // huge: one element many times
            var item = node
            if case .array(let items) = node, !items.isEmpty { item = rng.pick(items) }
            // Bounded in bytes as well as in count, so one case's file stays a few megabytes.
            let bytes = item.serialized(pretty: false).count
            tree[path] = .array([JSONTree](repeating: item, count: min(rng.size(upTo: 20_000), 4_000_000 / max(1, bytes))))
        case 13:                                                // deep nesting around a value
            var wrapped = node
            for _ in 0..<rng.size(upTo: 600) { wrapped = rng.chance(0.5) ? .array([wrapped]) : .object([JSONTree.Member("x", wrapped)]) }
            tree[path] = wrapped
        case 14:                                                // a subtree copied over another
            tree[path] = tree[rng.pick(paths)]
        default:                                                // a field renamed
            if case .object(var ms) = node, !ms.isEmpty {
                let i = rng.below(ms.count), key = ms[i].key
                ms[i].key = rng.pick([key.uppercased(), key + " ", "", key + "\0", rng.pick(knownKeys.isEmpty ? [key] : knownKeys)])
                tree[path] = .object(ms)
            }
        }
        return tree
    }

    func randomValue(_ rng: inout SeededRNG, strings: [String], depth: Int) -> JSONTree {
        switch rng.below(depth > 0 ? 9 : 6) {
        case 0: return .null
        case 1: return .bool(rng.chance(0.5))
        case 2, 3: return .number(payloads.number(&rng))
        case 4, 5: return .string(payloads.string(&rng, reusing: strings))
        case 6: return .array((0..<rng.below(4)).map { _ in randomValue(&rng, strings: strings, depth: depth - 1) })
        default:
            return .object((0..<rng.below(4)).map { _ in
                JSONTree.Member(rng.chance(0.5) && !knownKeys.isEmpty ? rng.pick(knownKeys) : payloads.string(&rng, reusing: strings),
                                randomValue(&rng, strings: strings, depth: depth - 1))
            })
        }
    }
}

/// Byte-level damage for any text file: what a truncated download, a bad disk or an editor in
/// the wrong encoding leaves.
public enum ByteMutator {
    static let garbage: [[UInt8]] = [[0xFF, 0xFE], [0xEF, 0xBB, 0xBF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0], [0x1B, 0x5B, 0x32, 0x4A],
                                     [0x22], [0x5C], [0x7B], [0x5D], [0x2C, 0x2C], [0x0A, 0x0A], [0x80]]

    public static func damage(_ data: Data, rng: inout SeededRNG) -> Data {
        var bytes = [UInt8](data)
        for _ in 0..<(1 + rng.below(3)) {
            let at = bytes.isEmpty ? 0 : rng.below(bytes.count)
            switch rng.below(6) {
            case 0: bytes.removeSubrange(at...)                                             // truncated
            case 1: for _ in 0..<(1 + rng.below(8)) where !bytes.isEmpty { bytes[rng.below(bytes.count)] ^= UInt8(1 + rng.below(255)) }
            case 2: bytes.insert(contentsOf: rng.pick(garbage), at: at)
            case 3: bytes.insert(contentsOf: (0..<rng.below(64)).map { _ in UInt8(rng.below(256)) }, at: at)
            case 4: bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.below(32)))
            default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + rng.below(64))], at: min(bytes.count, at + rng.below(64)))
            }
        }
        return Data(bytes)
    }
}
