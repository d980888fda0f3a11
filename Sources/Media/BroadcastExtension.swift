/// The Broadcast WAV `bext` chunk (EBU Tech 3285, version 2).
public struct BroadcastExtension: Sendable, Equatable {
    public var description: String = ""          // 256 bytes
    public var originator: String = ""           // 32 bytes
    public var originatorReference: String = ""  // 32 bytes
    public var originationDate: String = ""      // "yyyy-mm-dd"
    public var originationTime: String = ""      // "hh:mm:ss"
    /// Sample count since midnight of the first sample, at the file's sample rate.
    public var timeReference: UInt64 = 0
    public var version: UInt16 = 2
    public var codingHistory: String = ""

    public init(description: String = "", originator: String = "", originatorReference: String = "",
                originationDate: String = "", originationTime: String = "", timeReference: UInt64 = 0,
                codingHistory: String = "") {
        self.description = description
        self.originator = originator
        self.originatorReference = originatorReference
        self.originationDate = originationDate
        self.originationTime = originationTime
        self.timeReference = timeReference
        self.codingHistory = codingHistory
    }

    /// Fixed part of the chunk, before the coding history.
    static let fixedSize = 602

    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.fixedSize + codingHistory.utf8.count)
        out.appendFixedASCII(description, 256)
        out.appendFixedASCII(originator, 32)
        out.appendFixedASCII(originatorReference, 32)
        out.appendFixedASCII(originationDate, 10)
        out.appendFixedASCII(originationTime, 8)
        out.appendLE(UInt32(truncatingIfNeeded: timeReference))
        out.appendLE(UInt32(truncatingIfNeeded: timeReference >> 32))
        out.appendLE(version)
        out.append(contentsOf: repeatElement(0, count: 64))   // UMID
        out.append(contentsOf: repeatElement(0, count: 10))   // loudness fields (unset)
        out.append(contentsOf: repeatElement(0, count: 180))  // reserved
        out.append(contentsOf: Array(codingHistory.utf8))
        return out
    }

    static func decode(_ b: ArraySlice<UInt8>) -> BroadcastExtension? {
        guard b.count >= fixedSize else { return nil }
        let s = b.startIndex
        var r = BroadcastExtension()
        r.description = b.fixedASCII(s, 256)
        r.originator = b.fixedASCII(s + 256, 32)
        r.originatorReference = b.fixedASCII(s + 288, 32)
        r.originationDate = b.fixedASCII(s + 320, 10)
        r.originationTime = b.fixedASCII(s + 330, 8)
        r.timeReference = UInt64(b.readLE32(s + 338)) | (UInt64(b.readLE32(s + 342)) << 32)
        r.version = UInt16(b[s + 346]) | (UInt16(b[s + 347]) << 8)
        r.codingHistory = b.fixedASCII(s + fixedSize, b.count - fixedSize)
        return r
    }
}

extension Array where Element == UInt8 {
    mutating func appendLE<T: FixedWidthInteger>(_ v: T) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }
    mutating func appendFixedASCII(_ s: String, _ width: Int) {
        // Cut at a character boundary: a UTF-8 prompt must not end in half a character.
        var bytes: [UInt8] = []
        for c in s {
            guard bytes.count + c.utf8.count <= width else { break }
            bytes += c.utf8
        }
        append(contentsOf: bytes)
        append(contentsOf: repeatElement(0, count: width - bytes.count))
    }
}

extension ArraySlice where Element == UInt8 {
    func readLE16(_ i: Int) -> UInt16 { UInt16(self[i]) | UInt16(self[i + 1]) << 8 }
    func readLE32(_ i: Int) -> UInt32 {
        UInt32(self[i]) | UInt32(self[i + 1]) << 8 | UInt32(self[i + 2]) << 16 | UInt32(self[i + 3]) << 24
    }
    /// A NUL-padded text field.
    func fixedASCII(_ i: Int, _ width: Int) -> String {
        let field = self[i..<(i + width)]
        let end = field.firstIndex(of: 0) ?? field.endIndex
        return String(decoding: field[field.startIndex..<end], as: UTF8.self)
    }
}
