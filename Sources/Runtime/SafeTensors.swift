import Foundation

/// A safetensors file, memory-mapped, with its header validated up front: every entry's dtype,
/// shape and byte range is checked against the file before any tensor is read, so a damaged
/// or truncated file fails at open with a message naming the file and the tensor.
public final class SafeTensorsFile: @unchecked Sendable {
    public enum DType: String, Sendable {
        case f32 = "F32", f16 = "F16", bf16 = "BF16", f64 = "F64", i64 = "I64", i32 = "I32", u8 = "U8", i8 = "I8"
        var size: Int {
            switch self { case .f32, .i32: 4; case .f16, .bf16: 2; case .f64, .i64: 8; case .u8, .i8: 1 }
        }
    }

    public struct Entry: Sendable {
        public var name: String
        public var dtype: DType
        public var shape: [Int]
        var begin: Int
        var end: Int
    }

    /// Headers above this size are refused: real ones are kilobytes.
    public static let maxHeaderSize = 64 << 20

    public let path: String
    public let entries: [String: Entry]
    public let metadata: [String: String]
    private let file: MappedFile
    private let dataStart: Int

    public var names: [String] { entries.keys.sorted() }

    /// The whole file's bytes, header included (for content hashes).
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try file.read(body) }

    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path: path)
        let size = file.count
        guard size >= 8 else { throw RuntimeError.fileTooSmall(path: path, size: size) }
        let headerSize = file.read { raw in UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) }
        guard headerSize <= UInt64(Self.maxHeaderSize) else {
            throw RuntimeError.badHeader(path: path, reason: "got [header length \(headerSize)], expected [at most \(Self.maxHeaderSize)]")
        }
        guard headerSize >= 2, Int(headerSize) <= size - 8 else {
            throw RuntimeError.badHeader(path: path, reason: "got [header length \(headerSize)], expected [2…\(size - 8)] for a \(size)-byte file")
        }
        let headerBytes = file.read { Data($0[8..<(8 + Int(headerSize))]) }
        guard let json = try? JSONSerialization.jsonObject(with: headerBytes), let object = json as? [String: Any] else {
            throw RuntimeError.badHeader(path: path, reason: "header is not a JSON object")
        }
        dataStart = 8 + Int(headerSize)
        let dataSize = size - dataStart
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in object {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw RuntimeError.badHeader(path: path, reason: "__metadata__ is not an object") }
                for (k, v) in m { metadata[k] = v as? String ?? "\(v)" }
                continue
            }
            entries[name] = try Self.parseEntry(name: name, value: value, dataSize: dataSize, path: path)
        }
        // Byte ranges may not overlap (a corrupted header could alias two tensors).
        let ranges = entries.values.sorted { $0.begin < $1.begin }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.begin < a.end {
            throw RuntimeError.badEntry(path: path, tensor: b.name, reason: "byte range overlaps tensor '\(a.name)'")
        }
        self.entries = entries
        self.metadata = metadata
    }

    private static func parseEntry(name: String, value: Any, dataSize: Int, path: String) throws -> Entry {
        guard let info = value as? [String: Any] else { throw RuntimeError.badEntry(path: path, tensor: name, reason: "entry is not an object") }
        guard let dtypeName = info["dtype"] as? String else { throw RuntimeError.badEntry(path: path, tensor: name, reason: "no dtype") }
        guard let dtype = DType(rawValue: dtypeName) else { throw RuntimeError.unsupportedDType(path: path, tensor: name, dtype: dtypeName) }
        guard let shapeAny = info["shape"] as? [Any], let shape = Optional(shapeAny.compactMap { ($0 as? NSNumber)?.intValue }),
              shape.count == shapeAny.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw RuntimeError.badEntry(path: path, tensor: name, reason: "shape is not a list of non-negative integers")
        }
        guard let offsets = info["data_offsets"] as? [Any], offsets.count == 2,
              let begin = (offsets[0] as? NSNumber)?.intValue, let end = (offsets[1] as? NSNumber)?.intValue,
              begin >= 0, end >= begin else {
            throw RuntimeError.badEntry(path: path, tensor: name, reason: "data_offsets is not [begin, end] with 0 <= begin <= end")
        }
        let (elements, overflow) = shape.reduce((1, false)) { acc, d in
            let r = acc.0.multipliedReportingOverflow(by: d)
            return (r.partialValue, acc.1 || r.overflow)
        }
        guard !overflow, elements.multipliedReportingOverflow(by: dtype.size).overflow == false,
              elements * dtype.size == end - begin else {
            throw RuntimeError.badEntry(path: path, tensor: name,
                                        reason: "got [\(end - begin) bytes], expected [\(overflow ? -1 : elements * dtype.size)] for \(dtype.rawValue) \(shape)")
        }
        guard end <= dataSize else {
            throw RuntimeError.badEntry(path: path, tensor: name,
                                        reason: "file is truncated: got [data section of \(dataSize) bytes], expected [at least \(end)]")
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// The tensor converted to Float32 (F16 and BF16 are widened; F32 is copied).
    public func tensor(_ name: String) throws -> Tensor {
        guard let e = entries[name] else { throw RuntimeError.missingTensor(path: path, tensor: name) }
        let n = e.shape.reduce(1, *)
        return try file.read { raw in
            let p = raw.baseAddress! + dataStart + e.begin
            return try Tensor(shape: e.shape) { out in
                switch e.dtype {
                case .f32: for i in 0..<n { out[i] = Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                case .f16: for i in 0..<n { out[i] = Float(Float16(bitPattern: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))) }
                case .bf16: for i in 0..<n { out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
                case .f64: for i in 0..<n { out[i] = Float(Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
                case .i64: for i in 0..<n { out[i] = Float(Int64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) }
                case .i32: for i in 0..<n { out[i] = Float(Int32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))) }
                case .u8: for i in 0..<n { out[i] = Float(p.load(fromByteOffset: i, as: UInt8.self)) }
                case .i8: for i in 0..<n { out[i] = Float(p.load(fromByteOffset: i, as: Int8.self)) }
                }
            }
        }
    }

    /// The tensor, checked against an expected shape.
    public func tensor(_ name: String, shape expected: [Int]) throws -> Tensor {
        guard let e = entries[name] else { throw RuntimeError.missingTensor(path: path, tensor: name) }
        guard e.shape == expected else { throw RuntimeError.shapeMismatch(tensor: name, got: e.shape, expected: expected) }
        return try tensor(name)
    }
}
