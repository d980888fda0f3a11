import Foundation
import Generators
import Media
import Runtime

/// Front-end inputs of a project's clips on disk, in the project's `cache/` folder, so that
/// reopening a project does not decode and encode its clips again. One safetensors file per
/// (clip, front end, weights hash); its metadata records the clip file it was computed from
/// (size and modification time) and the seconds read, and a file that does not match — the
/// clip was replaced, the file is damaged or another shape — is ignored and recomputed.
public struct FrontEndCache: Sendable {
    /// <project>/cache/frontends
    public let folder: String
    /// False in a read-only project: cached files are read, never written.
    public let writable: Bool

    public init(projectFolder: String, writable: Bool) {
        folder = projectFolder + "/cache/frontends"
        self.writable = writable
    }

    /// What a cached input was computed from; a mismatch means "compute again".
    public struct Source: Equatable, Sendable {
        public var size: UInt64
        public var modified: Double
        public var limit: Double

        public init(path: String, limit: Double) throws {
            let a = try FileManager.default.attributesOfItem(atPath: path)
            size = (a[.size] as? NSNumber)?.uint64Value ?? 0
            modified = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            self.limit = limit
        }

        var metadata: [String: String] {
            ["source_size": String(size), "source_modified": String(format: "%.3f", modified), "limit": String(format: "%.4f", limit)]
        }
    }

    /// `cache/frontends/<clip>/<front end>-<hash>.safetensors`, every component sanitised.
    public func path(clip: String, frontEnd: FrontEnd, weightsHash: String) -> String {
        let hash = ProjectPaths.fileComponent(String(weightsHash.prefix(16)))
        return folder + "/" + ProjectPaths.fileComponent(clip) + "/" + ProjectPaths.fileComponent(frontEnd.key) + "-" + hash + ".safetensors"
    }

    /// The cached input, when there is one computed from this very source with the expected
    /// row shape (`row`: the tensor's shape after its first axis).
    public func load(clip: String, frontEnd: FrontEnd, weightsHash: String, source: Source, row: [Int]) -> Tensor? {
        let file = path(clip: clip, frontEnd: frontEnd, weightsHash: weightsHash)
        guard FileManager.default.fileExists(atPath: file), let st = try? SafeTensorsFile(path: file),
              st.metadata["front_end"] == frontEnd.key, st.metadata["weights_hash"] == weightsHash,
              source.metadata.allSatisfy({ st.metadata[$0.key] == $0.value }),
              let entry = st.entries["input"], entry.dtype == .f32, entry.shape.count == row.count + 1,
              Array(entry.shape.dropFirst()) == row, entry.shape[0] > 0,
              let t = try? st.tensor("input") else { return nil }
        return t
    }

    /// Writes the input atomically (a crash leaves the old file or none). Errors are
    /// returned, not thrown: a cache that cannot be written costs time, never work.
    @discardableResult
    public func store(_ input: Tensor, clip: String, frontEnd: FrontEnd, weightsHash: String, source: Source) -> String? {
        guard writable else { return nil }
        let file = path(clip: clip, frontEnd: frontEnd, weightsHash: weightsHash)
        do {
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try SafeTensorsFile.write(["input": input], metadata: source.metadata.merging(["front_end": frontEnd.key, "weights_hash": weightsHash]) { $1 }, to: file)
            return nil
        } catch {
            return "\(file): could not cache the clip's \(frontEnd.key): \(error)"
        }
    }
}
