import Foundation
import Generators
import Install

/// The generators installed in a weights folder, plus the shared visual encoder they read.
/// Bundles that fail to load are kept as problems (named file and reason) for the UI to show,
/// never silently skipped.
public final class GeneratorCatalog: @unchecked Sendable {
    /// Builds a generator from its bundle; keyed by the bundle's config "kind".
    public typealias Factory = GeneratorFactory

    public let directory: String
    public let generators: [Generator]
    public let visualEncoder: VisualEncoder?
    /// The shared full-band renderer every take ends in (44.1 kHz); nil when the weights folder
    /// has none, and takes are then written at the working rate.
    public let fullBand: FullBandRenderer?
    public let problems: [String]

    public init(generators: [Generator], visualEncoder: VisualEncoder?, fullBand: FullBandRenderer? = nil, problems: [String] = [],
                directory: String = "") {
        self.generators = generators
        self.visualEncoder = visualEncoder
        self.fullBand = fullBand
        self.problems = problems
        self.directory = directory
    }

    /// Scans `directory` (default: `ModelBundle.directory()`) for bundles whose kind has a factory.
    public static func load(directory: String = ModelBundle.directory(), factories: [String: Factory]) -> GeneratorCatalog {
        var generators: [Generator] = [], problems: [String] = []
        var encoder: VisualEncoder?
        do {
            encoder = try VisualEncoder(bundle: ModelBundle(path: directory + "/visual-encoder", kind: "visual-encoder"))
        } catch {
            problems.append("visual encoder: \(error)")
        }
        var fullBand: FullBandRenderer?
        do { fullBand = try FullBandRenderer.installed(in: directory) } catch {
            problems.append("\(FullBandRenderer.bundleName): \(error) (takes are written at 22.05 kHz until it is fixed)")
        }
        // An unreadable or missing weights folder is said (with where Foley looked for its data
        // when no folder was given), never taken for an empty one.
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted() } catch {
            var why = "\(directory.isEmpty ? "(no weights folder)" : directory): cannot read the weights folder: \((error as NSError).localizedFailureReason ?? error.localizedDescription)"
            if ProcessInfo.processInfo.environment["FOLEY_WEIGHTS"] == nil {
                do { _ = try FoleyHome.locate() } catch { why += "; \(error)" }
            }
            problems.insert(why, at: 0)
            names = []
        }
        for name in names where !name.hasPrefix(".") {
            let path = directory + "/" + name
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { continue }
            // A folder that looks like a bundle but whose config cannot be read is reported, never skipped.
            let kind: String
            do { kind = try ModelBundle.readKind(at: path) } catch {
                let looksLikeBundle = ["weights.safetensors", "config.json"].contains { FileManager.default.fileExists(atPath: path + "/" + $0) }
                if looksLikeBundle { problems.append("\(name): \(error)") }
                continue
            }
            guard let make = factories[kind] else { continue }
            do {
                let bundle = try ModelBundle(path: path, kind: kind)
                if let encoder, let mismatch = try bundle.visualEncoderMismatch(encoder) {
                    problems.append("\(name): \(mismatch)")
                    continue
                }
                generators.append(try make(bundle))
            } catch {
                problems.append("\(name): \(error)")
            }
        }
        return GeneratorCatalog(generators: generators, visualEncoder: encoder, fullBand: fullBand, problems: problems, directory: directory)
    }

    /// What the UI says when nothing can generate.
    public var unavailableReason: String? {
        if generators.isEmpty {
            let folder = directory.isEmpty ? "the weights folder" : directory
            let failed = problems.filter { !$0.hasPrefix("visual encoder") }
            return "no generator installed in \(folder)"
                + (failed.isEmpty ? ": its bundles are encoders only; generators ship with their trained weights" : " (\(failed.joined(separator: "; ")))")
        }
        if visualEncoder == nil { return problems.first ?? "no visual encoder" }
        return nil
    }
}
