import Foundation
import Runtime
import TestHelpers
import Testing

/// The reader must turn every malformed file into a clear RuntimeError, never a crash.
@Suite final class SafeTensorsTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-safetensors") }
    deinit { dir.remove() }

    /// A hand-built file: header JSON + raw bytes, as other writers would produce it.
    func raw(_ header: String, _ data: [UInt8], headerLength: UInt64? = nil) -> [UInt8] {
        var h = Array(header.utf8)
        while h.count % 8 != 0 { h.append(0x20) }
        var out: [UInt8] = []
        withUnsafeBytes(of: (headerLength ?? UInt64(h.count)).littleEndian) { out += $0 }
        return out + h + data
    }

    func valid() throws -> [UInt8] {
        [UInt8](try SafeTensorsFile.encode(["a.weight": Tensor(shape: [2, 3], [1, 2, 3, 4, 5, 6]), "b": Tensor(shape: [4], [-1, 0.5, 7, 8])],
                                            metadata: ["model": "test"]))
    }

    func open(_ bytes: [UInt8], _ name: String = "x.safetensors") throws -> SafeTensorsFile {
        try SafeTensorsFile(path: dir.write(name, bytes))
    }

    @Test func readsF32F16AndBF16() throws {
        let f = try open(try valid())
        #expect(f.metadata == ["model": "test"])
        #expect(try f.tensor("a.weight").values == [1, 2, 3, 4, 5, 6])
        #expect(try f.tensor("b", shape: [4]).values == [-1, 0.5, 7, 8])
        // 1.5 in F16 is 0x3E00, -2 is 0xC000; in BF16 1.5 is 0x3FC0, -2 is 0xC000.
        let half = raw(#"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}"#,
                       [0x00, 0x3E, 0x00, 0xC0, 0xC0, 0x3F, 0x00, 0xC0])
        let h = try open(half, "half.safetensors")
        #expect(try h.tensor("h").values == [1.5, -2])
        #expect(try h.tensor("b").values == [1.5, -2])
    }

    @Test func everyTruncationIsAClearError() throws {
        let bytes = try valid()
        for n in 0..<bytes.count {
            let p = dir.write("t\(n).safetensors", bytes[0..<n])
            #expect(throws: RuntimeError.self, "truncated to \(n) bytes") { try SafeTensorsFile(path: p) }
        }
    }

    @Test func truncatedDataNamesTheTensor() throws {
        let bytes = try valid()
        let error = #expect(throws: RuntimeError.self) { try self.open(Array(bytes.dropLast(3))) }
        #expect("\(error!)".contains("truncated"))
        #expect("\(error!)".contains("tensor '"))
    }

    @Test func randomCorruptionNeverCrashes() throws {
        let bytes = try valid()
        var rng = SeededRNG(seed: 7)
        var rejected = 0
        for i in 0..<600 {
            var b = bytes
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(min(b.count, 8 + 160)))  // mostly the header
                b[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            do {
                let f = try open(b, "c\(i % 8).safetensors")
                for name in f.names { _ = try f.tensor(name) }
            } catch is RuntimeError {
                rejected += 1
            }
        }
        #expect(rejected > 300)
    }

    @Test func oversizedAndInconsistentHeaders() throws {
        let body = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        for length: UInt64 in [UInt64.max, 1 << 40, 1 << 27, 1000, 1] {
            let error = #expect(throws: RuntimeError.self) { try self.open(self.raw(body, [0, 0, 0, 0], headerLength: length)) }
            #expect("\(error!)".contains("header"))
        }
        let cases: [(String, [UInt8], String)] = [
            ("[1,2,3]", [], "not a JSON object"),
            ("{not json", [], "not a JSON object"),
            (#"{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0], "got [dtype Q4]"),
            (#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0], "shape"),
            (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, [0, 0, 0, 0], "got [4 bytes], expected [8]"),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, [0, 0, 0, 0], "data_offsets"),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}"#, [UInt8](repeating: 0, count: 8), "overlaps"),
            (#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, [0, 0, 0, 0], "expected"),
            (#"{"__metadata__":[1],"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0], "__metadata__"),
        ]
        for (header, data, fragment) in cases {
            let error = #expect(throws: RuntimeError.self, "\(header)") { try self.open(self.raw(header, data)) }
            #expect("\(error!)".contains(fragment), "'\(error!)' lacks '\(fragment)'")
        }
    }

    @Test func bindingReportsMissingUnexpectedAndMisshapenTensors() throws {
        let p = dir.write("w.safetensors", try valid())
        var table = WeightTable()
        table.add("a.weight", [2, 3])
        table.add("b", [4])
        let bound = try BoundWeights(path: p, table: table)
        #expect(bound["b"].values == [-1, 0.5, 7, 8])

        var missing = table
        missing.add("c", [1])
        #expect(throws: RuntimeError.missingTensor(path: p, tensor: "c")) { try BoundWeights(path: p, table: missing) }

        var short = WeightTable()
        short.add("a.weight", [2, 3])
        #expect(throws: RuntimeError.unexpectedTensors(path: p, tensors: ["b"])) { try BoundWeights(path: p, table: short) }

        var wrong = WeightTable()
        wrong.add("a.weight", [3, 2])
        wrong.add("b", [4])
        let error = #expect(throws: RuntimeError.self) { try BoundWeights(path: p, table: wrong) }
        #expect("\(error!)" == "tensor 'a.weight' has shape [2, 3], expected [3, 2]")
    }

    @Test func notAFile() throws {
        #expect(throws: RuntimeError.self) { try SafeTensorsFile(path: self.dir.file("missing.safetensors")) }
        #expect(throws: RuntimeError.self) { try SafeTensorsFile(path: self.dir.path) }
        let error = #expect(throws: RuntimeError.self) { try SafeTensorsFile(path: self.dir.write("empty.safetensors", [UInt8]())) }
        #expect("\(error!)".contains("got [0 bytes], expected [at least 8]"))
    }
}
