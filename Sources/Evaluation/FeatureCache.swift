import Foundation
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

    func key(clip: ClipAnnotation, files: [String]) -> String? {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ s: String) { for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 } }
        mix(weightsKey); mix(clip.id); mix("\(clip.duration)")
        for f in files {
            guard let a = try? FileManager.default.attributesOfItem(atPath: f) else { return nil }
            mix(URL(fileURLWithPath: f).standardizedFileURL.path)
            mix("\((a[.size] as? NSNumber)?.intValue ?? -1)/\((a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1)")
        }
        return String(h, radix: 16)
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
