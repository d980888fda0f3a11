import Foundation
import Generators
import Media

/// Ground-truth features per clip on disk, so a second evaluation of the same split recomputes
/// only the generated side. Keyed by the evaluation networks' weights hashes and by each source
/// file's path, size and modification time; a stale or unreadable entry is recomputed.
public struct FeatureCache: Sendable {
    let root: String
    let weightsKey: String

    /// Foley's cache folder (as Scripts/fetch-sfx-model.sh finds it): $FOLEY_CACHE, else
    /// ${XDG_CACHE_HOME:-~/.cache}/foley.
    public static func foleyCache() -> String {
        let env = ProcessInfo.processInfo.environment
        func set(_ k: String) -> String? { env[k].flatMap { $0.isEmpty ? nil : $0 } }
        return set("FOLEY_CACHE") ?? ((set("XDG_CACHE_HOME") ?? (NSHomeDirectory() + "/.cache")) + "/foley")
    }

    /// CACHE/eval; nil when FOLEY_EVAL_CACHE=0.
    public static func defaultRoot() -> String? {
        ProcessInfo.processInfo.environment["FOLEY_EVAL_CACHE"] == "0" ? nil : foleyCache() + "/eval"
    }

    /// A file's identity for cache keys: "size/mtime", nil when it cannot be read.
    public static func stamp(_ path: String) -> String? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return "\((a[.size] as? NSNumber)?.intValue ?? -1)/\((a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1)"
    }

    func key(clip: ClipAnnotation, files: [String]) -> String? {
        var text = "\(weightsKey)|\(clip.id)|\(clip.duration)"
        for f in files {
            guard let stamp = Self.stamp(f) else { return nil }
            text += "|\(URL(fileURLWithPath: f).standardizedFileURL.path)|\(stamp)"
        }
        return FNV1a.hex(text.utf8)
    }

    func path(_ key: String, clip: ClipAnnotation) -> String { "\(root)/\(clip.id)-\(key).json" }

    func load(clip: ClipAnnotation, files: [String]) -> TruthFeatures? {
        guard let k = key(clip: clip, files: files), let data = FileManager.default.contents(atPath: path(k, clip: clip)) else { return nil }
        return try? JSONDecoder().decode(TruthFeatures.self, from: data)
    }

    /// Best effort: an unwritable cache only costs time.
    func store(_ t: TruthFeatures, clip: ClipAnnotation, files: [String]) {
        guard let k = key(clip: clip, files: files), let data = try? JSONEncoder().encode(t) else { return }
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try? AtomicFile.write([UInt8](data), to: path(k, clip: clip))
    }
}
