import Foundation

/// A Float32 tensor: a shape and contiguous row-major storage.
///
/// Storage is a reference-counted buffer with copy-on-write: `update` copies first when the
/// buffer is shared, so a `Tensor` behaves as a value. Raw pointers are only reachable inside
/// the scoped `read` / `update` closures.
public struct Tensor: @unchecked Sendable {
    public private(set) var shape: [Int]
    private var storage: TensorStorage

    public var count: Int { storage.count }
    public var rank: Int { shape.count }

    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        let n = shape.reduce(1, *)
        storage = TensorStorage(count: n)
        storage.pointer.initialize(repeating: value, count: n)
        self.shape = shape
    }

    public init(shape: [Int], _ values: [Float]) {
        let n = shape.reduce(1, *)
        precondition(values.count == n, "Tensor: got \(values.count) values, expected \(n) for shape \(shape)")
        let s = TensorStorage(count: n)
        values.withUnsafeBufferPointer { s.pointer.initialize(from: $0.baseAddress!, count: n) }
        storage = s
        self.shape = shape
    }

    /// Zero-initialised storage handed to `fill` (for ops that accumulate into it).
    public init(shape: [Int], fill: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        let n = shape.reduce(1, *)
        let s = TensorStorage(count: n)
        s.pointer.initialize(repeating: 0, count: n)
        try fill(UnsafeMutableBufferPointer(start: s.pointer, count: n))
        storage = s
        self.shape = shape
    }

    /// Storage handed to `fill` without zeroing: `fill` must write every element (ops whose
    /// last step is a beta = 0 sgemm or a copy). Saves a full pass over large outputs.
    public init(overwriting shape: [Int], fill: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        let n = shape.reduce(1, *)
        let s = TensorStorage(count: n)
        try fill(UnsafeMutableBufferPointer(start: s.pointer, count: n))
        storage = s
        self.shape = shape
    }

    public func read<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    public mutating func update<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    public var values: [Float] { read { Array($0) } }

    /// Scoped access to an optional tensor's storage (nil when there is no tensor).
    public static func read<R>(_ t: Tensor?, _ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
        guard let t else { return try body(nil) }
        return try t.read { try body($0.baseAddress) }
    }

    public subscript(flat i: Int) -> Float { read { $0[i] } }

    /// Same storage, new shape (element count must match).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var s = newShape
        if let inferred = s.firstIndex(of: -1) {
            let known = s.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            s[inferred] = known == 0 ? 0 : count / known
        }
        precondition(s.reduce(1, *) == count, "reshape \(shape) -> \(newShape): element count differs")
        var t = self
        t.shape = s
        return t
    }

    public func dim(_ i: Int) -> Int { shape[i < 0 ? shape.count + i : i] }
}

final class TensorStorage {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
    }

    deinit { pointer.deallocate() }

    func copy() -> TensorStorage {
        let c = TensorStorage(count: count)
        c.pointer.initialize(from: pointer, count: count)
        return c
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = read { Array($0.prefix(6)) }.map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(\(shape), [\(head)\(count > 6 ? ", …" : "")])"
    }
}
