import Foundation
import Engine
import Generators
import TestHelpers
import Testing

/// A bundle's config.json is input: impossible sizes are refused at load with the field and
/// value, before anything is allocated from them (no trap, no runaway allocation).
@Suite final class BundleConfigValidationTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-bundle-config") }
    deinit { dir.remove() }

    /// The tiny SpecVQGAN bundle with one sampler field replaced.
    func bundle(sampler key: String, _ value: Int) throws -> String {
        let src = Fixtures.path("models/specvqgan-tiny"), out = dir.file("b-\(key)-\(value)")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: src + "/weights.safetensors", toPath: out + "/weights.safetensors")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: src + "/config.json"))) as! [String: Any]
        var sampler = config["sampler"] as! [String: Any]
        sampler[key] = value
        config["sampler"] = sampler
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: out + "/config.json"))
        return out
    }

    func loadError(_ path: String) -> String? {
        do { _ = try SpecVQGANGenerator(bundle: ModelBundle(path: path, kind: SpecVQGANGenerator.kind)); return nil } catch { return "\(error)" }
    }

    @Test func impossibleTransformerSizesAreRefusedWithFieldAndValue() throws {
        let width = try #require((try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("models/specvqgan-tiny/config.json")))) as? [String: Any])?["sampler"] as? [String: Any])["n_embd"] as! Int
        for (key, value, expected) in [("n_head", 0, "got [n_head 0], expected [a divisor of n_embd \(width)]"),
                                       ("n_head", 3, "got [n_head 3], expected [a divisor of n_embd \(width)]"),
                                       ("n_layer", 4_000_000_000, "got [n_layer 4000000000], expected [1…64]"),
                                       ("n_embd", -1, "got [n_embd -1], expected [1…8192]")] {
            let error = try #require(loadError(try bundle(sampler: key, value)), "\(key) \(value) was accepted")
            #expect(error.contains(expected) && error.contains("config.json"), "\(error)")
        }
    }
}

/// A bundle folder whose config.json is missing, not JSON or without a kind is listed among the
/// catalog's problems with the reason, never skipped in silence.
@Suite final class CatalogProblemTests {
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-catalog") }
    deinit { dir.remove() }

    @Test func unreadableBundleConfigsAreReportedWithTheReason() throws {
        let fm = FileManager.default
        for (name, config) in [("broken", "{ not json"), ("nokind", "{\"n\": 1}"), ("array", "[1]"), ("noconfig", nil)] as [(String, String?)] {
            try fm.createDirectory(atPath: dir.file(name), withIntermediateDirectories: true)
            fm.createFile(atPath: dir.file("\(name)/weights.safetensors"), contents: Data())
            if let config { try config.write(toFile: dir.file("\(name)/config.json"), atomically: true, encoding: .utf8) }
        }
        try fm.createDirectory(atPath: dir.file("notes"), withIntermediateDirectories: true)   // not a bundle: ignored
        let problems = GeneratorCatalog.load(directory: dir.path, factories: [:]).problems.filter { !$0.hasPrefix("visual encoder") }
        #expect(problems.count == 4, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("broken: ") && $0.contains("not valid JSON") })
        #expect(problems.contains { $0.hasPrefix("nokind: ") && $0.contains("no \"kind\"") })
        #expect(problems.contains { $0.hasPrefix("array: ") && $0.contains("expected [a JSON object]") })
        #expect(problems.contains { $0.hasPrefix("noconfig: ") && $0.contains("model bundle not found") })
    }

    /// A weights folder that is missing or cannot be listed is a problem, never an empty catalog.
    @Test func aMissingOrUnreadableWeightsFolderIsReported() throws {
        let missing = GeneratorCatalog.load(directory: "/nonexistent/foley-weights", factories: [:])
        #expect(missing.problems.first?.hasPrefix("/nonexistent/foley-weights: cannot read the weights folder") == true, "\(missing.problems)")
        #expect(missing.unavailableReason?.contains("cannot read the weights folder") == true)
        let dir = try TempDirectory("foley-unreadable")
        defer { chmod(dir.path, 0o755); dir.remove() }
        chmod(dir.path, 0)
        // Root reads any folder whatever its mode: then there is nothing to refuse.
        guard getuid() != 0 else { return }
        let unreadable = GeneratorCatalog.load(directory: dir.path, factories: [:])
        #expect(unreadable.problems.first?.contains("cannot read the weights folder") == true, "\(unreadable.problems)")
    }
}

