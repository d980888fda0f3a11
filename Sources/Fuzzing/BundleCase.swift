import Evaluation
import Foundation
import Generators
import Runtime

/// Bundle config.json cases: each shipped bundle's config mutated, beside a link to its real
/// weights, and loaded the way Foley loads that kind (the catalog reads the kind first).
public final class BundleCorpus: Corpus {
    public let name = "bundle"

    struct Target {
        let name: String
        let folder: String
        let base: JSONTree
        let load: @Sendable (String) throws -> Void
    }

    let sandbox: Sandbox
    let targets: [Target]
    let mutator: JSONMutator

    /// The loader of each kind, as the workstation (catalog) and `foley eval` call it.
    static let loaders: [String: @Sendable (String) throws -> Void] = [
        SpecVQGANGenerator.kind: { path in
            let g = try SpecVQGANGenerator(bundle: ModelBundle(path: path, kind: SpecVQGANGenerator.kind))
            _ = g.parameters                                    // read by the UI right after loading
        },
        "visual-encoder": { _ = try VisualEncoder(bundle: ModelBundle(path: $0, kind: "visual-encoder")) },
        FullBandVocoder.kind: { _ = try FullBandVocoder(bundle: ModelBundle(path: $0, kind: FullBandVocoder.kind)) },
        "av-sync": { _ = try AVSync(bundle: ModelBundle(path: $0, kind: "av-sync")) },
        "eval-classifier": { _ = try EvalClassifier(bundle: ModelBundle(path: $0, kind: "eval-classifier")) },
        "sfx-probe": { _ = try SFXClassProbe(bundle: ModelBundle(path: $0, kind: "sfx-probe")) },
        "sfx-embedding": { _ = try SFXEmbedding(path: $0) },
    ]

    /// Every bundle in `weights` (default: Weights/) whose kind has a loader, plus the
    /// evaluation's sound-effects embedding when it is installed.
    public init(root: String, weights: String = ModelBundle.directory(), sfxModel: String? = SFXEmbedding.defaultPath(),
                only kinds: Set<String>? = nil) throws {
        sandbox = try Sandbox(root: root, name: "bundle")
        var sources = ((try? FileManager.default.contentsOfDirectory(atPath: weights)) ?? []).sorted().map { weights + "/" + $0 }
        if let sfxModel, FileManager.default.fileExists(atPath: sfxModel + "/config.json") { sources.append(sfxModel) }
        var targets: [Target] = []
        var keys = Set<String>()
        for source in sources {
            guard let kind = ModelBundle.kind(at: source), let load = Self.loaders[kind], kinds?.contains(kind) ?? true,
                  FileManager.default.fileExists(atPath: source + "/weights.safetensors") else { continue }
            let name = "\(targets.count)-\(kind)"
            let folder = sandbox.path + "/" + name
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: folder + "/weights.safetensors",
                                                       withDestinationPath: URL(fileURLWithPath: source + "/weights.safetensors").standardizedFileURL.path)
            let data = try Data(contentsOf: URL(fileURLWithPath: source + "/config.json"))
            try data.write(to: URL(fileURLWithPath: folder + "/config.json"))
            let base = try JSONTree(parsing: data)
            keys.formUnion(base.strings)
            targets.append(Target(name: name, folder: folder, base: base, load: load))
        }
        guard !targets.isEmpty else { throw GeneratorError.missingBundle(path: weights) }
        self.targets = targets
        mutator = JSONMutator(payloads: Payloads(sandbox: sandbox.path), knownKeys: keys.sorted() + Array(Self.loaders.keys).sorted())
        sandbox.record()
    }

    public var bundleNames: [String] { targets.map(\.name) }

    func target(_ index: Int) -> Target { targets[index % targets.count] }

    public func input(case index: Int, seed: UInt64) -> (path: String, data: Data) {
        var rng = SeededRNG.forCase(seed: seed, index: index)
        let t = target(index)
        return (t.folder + "/config.json", mutator.file(from: t.base, rng: &rng))
    }

    public func run(_ data: Data, case index: Int) -> Outcome {
        let t = target(index)
        return check(data, at: t.folder + "/config.json", in: sandbox) {
            _ = try ModelBundle.readKind(at: t.folder)
            try t.load(t.folder)
            return []
        }
    }
}
