import Foundation
import Runtime

/// Where a bundle's component (codec, vocoder) comes from. A bundle may carry it (its config
/// section and its tensors under `key.`) or name another bundle in the same weights folder
/// that does, with that bundle's weights hash:
///
///     "codec": {"bundle": "specvqgan", "weights_hash": "da1c3a90f058…"}
///
/// so a second generator trained on SpecVQGAN's tokens loads SpecVQGAN's codec and vocoder
/// instead of shipping copies. A missing, different or itself-referring bundle is a load error
/// that names both bundles.
public struct ComponentSource {
    public let key: String
    /// The component's config section, as JSON.
    public let section: Any
    /// The bundle whose weights hold the component's tensors (under `key.`).
    public let bundle: ModelBundle
    /// True when `bundle` is another bundle than the one being loaded.
    public let isReference: Bool

    /// The component's tensors, bound against `table` (names without the `key.` prefix); the
    /// referenced bundle's other tensors are not this component's business.
    public func bind(_ table: WeightTable) throws -> BoundWeights {
        var full = WeightTable()
        full.add(table, prefix: key + ".")
        do { return try BoundWeights(file: bundle.weights, table: full, within: [key + "."]).scoped(key + ".") } catch {
            throw GeneratorError.badConfig(path: bundle.configPath, reason: "\(key): its sizes do not match weights.safetensors: \(error)")
        }
    }
}

extension ModelBundle {
    /// The source of component `key`, nil when the config has no such section.
    public func component(_ key: String) throws -> ComponentSource? {
        guard let section = config[key] else { return nil }
        guard let ref = section as? [String: Any], let name = ref["bundle"] else {
            return ComponentSource(key: key, section: section, bundle: self, isReference: false)
        }
        func refuse(_ got: String, _ expected: String) -> GeneratorError {
            .badConfig(path: configPath, reason: "\(key): got [\(got)], expected [\(expected)]")
        }
        guard let name = name as? String, !name.isEmpty, BundleName.isPlain(name) else {
            throw refuse("bundle \(Self.shown(name))", "the name of a bundle folder beside this one")
        }
        guard let hash = ref["weights_hash"] as? String, hash.count >= 12, hash.allSatisfy(\.isHexDigit) else {
            throw refuse("weights_hash \(Self.shown(ref["weights_hash"]))", "the referenced bundle's weights hash (12 or more hex digits)")
        }
        let folder = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
        let other: ModelBundle
        do { other = try ModelBundle(path: folder, kind: try ModelBundle.readKind(at: folder)) } catch {
            throw refuse("bundle \(name): \(error)", "a bundle holding this bundle's \(key)")
        }
        guard other.weightsHash.hasPrefix(hash.lowercased()) else {
            throw refuse("\(name) with weights \(other.weightsHash)", "weights \(hash), the ones this bundle was trained with")
        }
        guard let theirs = other.config[key], !((theirs as? [String: Any])?["bundle"] != nil) else {
            throw refuse("\(name) without its own \(key)", "a bundle that carries the \(key) it is named for")
        }
        return ComponentSource(key: key, section: theirs, bundle: other, isReference: true)
    }
}

/// A bundle reference is a folder name, never a path: nothing outside the weights folder is
/// read because a config says so.
enum BundleName {
    static func isPlain(_ name: String) -> Bool {
        !name.contains("/") && name != "." && name != ".." && !name.hasPrefix(".") && !name.contains("\0")
    }
}
