import Foundation
import Runtime

/// The shared components a generator's bundle carries or names (codec, vocoders), resolved
/// once: the config with each component's section read from where it lives, and the weights
/// of each, from this bundle's own tensors or bound in the referenced bundle.
struct BundleComponents {
    let sources: [String: ComponentSource]
    /// The bundle's config with every component's section merged in.
    let config: [String: Any]

    init(_ bundle: ModelBundle, keys: [String]) throws {
        var sources: [String: ComponentSource] = [:], merged = bundle.config
        for key in keys {
            guard let source = try bundle.component(key) else { continue }
            sources[key] = source
            merged[key] = source.section
        }
        self.sources = sources
        config = merged
    }

    /// The merged config checked as one (a decoding failure names the field).
    func decode<T: Decodable>(_ type: T.Type, path: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: try JSONSerialization.data(withJSONObject: config)) } catch {
            throw GeneratorError.badConfig(path: path, reason: ConfigCheck.describe(error))
        }
    }

    /// True when the bundle carries component `key` itself (its tensors go in the bundle's table).
    func isLocal(_ key: String) -> Bool { sources[key].map { !$0.isReference } ?? false }

    /// Component `key`'s weights: scoped out of the bundle's own bound `weights`, or bound in
    /// the bundle it names.
    func weights(_ key: String, _ table: WeightTable, own weights: BoundWeights) throws -> BoundWeights {
        guard let source = sources[key], source.isReference else { return weights.scoped(key + ".") }
        return try source.bind(table)
    }
}
