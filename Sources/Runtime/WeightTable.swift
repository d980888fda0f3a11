/// A model's expected tensors: name → shape, one table per architecture (the arch table).
public struct WeightTable: Sendable {
    public private(set) var shapes: [String: [Int]] = [:]
    public private(set) var order: [String] = []

    public init() {}

    public mutating func add(_ name: String, _ shape: [Int]) {
        precondition(shapes[name] == nil, "weight '\(name)' listed twice")
        shapes[name] = shape
        order.append(name)
    }
}

/// Tensors bound from a file against a table: every expected name present with its shape,
/// no name left over. Fails with the first problem in the table's order.
public struct BoundWeights: @unchecked Sendable {
    public let path: String
    public let metadata: [String: String]
    private let tensors: [String: Tensor]

    /// `ignoring` names a prefix of tensors that may sit beside the weights (test vectors in
    /// golden files) and are neither bound nor reported as unexpected. `within`: only names
    /// under these prefixes are this table's business (one component of another bundle's file).
    public init(file: SafeTensorsFile, table: WeightTable, ignoring: String? = nil, within: [String]? = nil) throws {
        path = file.path
        metadata = file.metadata
        // Every name and shape is checked before any tensor is converted, so a table that does not
        // fit the file (a config with wrong sizes) is refused without copying the weights.
        for name in table.order {
            let expected = table.shapes[name]!
            guard let entry = file.entries[name] else { throw RuntimeError.missingTensor(path: file.path, tensor: name) }
            guard entry.shape == expected else { throw RuntimeError.shapeMismatch(tensor: name, got: entry.shape, expected: expected) }
        }
        let unexpected = file.names.filter { name in
            table.shapes[name] == nil && !(ignoring.map(name.hasPrefix) ?? false) && (within.map { $0.contains(where: name.hasPrefix) } ?? true)
        }
        guard unexpected.isEmpty else { throw RuntimeError.unexpectedTensors(path: file.path, tensors: unexpected) }
        var bound: [String: Tensor] = [:]
        for name in table.order { bound[name] = try file.tensor(name) }
        tensors = bound
    }

    public init(path: String, table: WeightTable) throws {
        try self.init(file: try SafeTensorsFile(path: path), table: table)
    }

    public subscript(_ name: String) -> Tensor {
        guard let t = tensors[name] else { preconditionFailure("weight '\(name)' is not in the table it was bound with") }
        return t
    }
}

extension WeightTable {
    /// Adds every entry of `other` under `prefix` (one file holding several models).
    public mutating func add(_ other: WeightTable, prefix: String) {
        for name in other.order { add(prefix + name, other.shapes[name]!) }
    }
}

extension BoundWeights {
    /// The tensors under `prefix`, with the prefix removed: one model's view of a shared file.
    public func scoped(_ prefix: String) -> BoundWeights {
        var inner: [String: Tensor] = [:]
        for (name, t) in tensors where name.hasPrefix(prefix) { inner[String(name.dropFirst(prefix.count))] = t }
        return BoundWeights(path: path, metadata: metadata, tensors: inner)
    }

    private init(path: String, metadata: [String: String], tensors: [String: Tensor]) {
        self.path = path
        self.metadata = metadata
        self.tensors = tensors
    }
}
