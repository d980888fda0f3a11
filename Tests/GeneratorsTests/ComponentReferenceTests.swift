import Foundation
@testable import Generators
import Runtime
import TestHelpers
import Testing

/// A bundle that names another bundle's codec and vocoder loads them from there, and gives
/// the same takes as the bundle that carries them; a wrong reference is an error naming both.
@Suite final class ComponentReferenceTests {
    let dir: TempDirectory
    let source = Fixtures.path("models/specvqgan-tiny")
    init() throws { dir = try TempDirectory("foley-components") }
    deinit { dir.remove() }

    /// weights/carrier (the tiny fixture) and weights/user (its sampler and onset head only,
    /// codec and vocoder by reference with `hash`).
    func bundles(hash: String? = nil, name: String = "carrier", edit: (inout [String: Any]) -> Void = { _ in }) throws -> (carrier: String, user: String) {
        let carrier = dir.file("weights/carrier"), user = dir.file("weights/user")
        try? FileManager.default.removeItem(atPath: dir.file("weights"))
        try FileManager.default.createDirectory(atPath: carrier, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: user, withIntermediateDirectories: true)
        for f in ["config.json", "weights.safetensors"] { try FileManager.default.copyItem(atPath: source + "/" + f, toPath: carrier + "/" + f) }
        let file = try SafeTensorsFile(path: source + "/weights.safetensors")
        var kept: [String: Tensor] = [:]
        for n in file.names where !n.hasPrefix("codec.") && !n.hasPrefix("vocoder.") { kept[n] = try file.tensor(n) }
        try SafeTensorsFile.write(kept, to: user + "/weights.safetensors")
        let carrierHash = try ModelBundle(path: carrier, kind: "specvqgan").weightsHash
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: source + "/config.json"))) as! [String: Any]
        config["codec"] = ["bundle": name, "weights_hash": hash ?? String(carrierHash.prefix(16))]
        config["vocoder"] = ["bundle": name, "weights_hash": hash ?? carrierHash]
        edit(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: user + "/config.json"))
        return (carrier, user)
    }

    func window(_ g: Generator) -> GenerationWindow {
        var rng = SeededRNG(seed: 9)
        let t = g.windowSamples / 1024
        return GenerationWindow(features: Tensor(shape: [t, g.featureDim], (0..<(t * g.featureDim)).map { _ in rng.normal() }),
                                context: [Float](repeating: 0, count: g.windowSamples), known: [Bool](repeating: false, count: g.windowSamples),
                                parameters: [.topX: 8, .temperature: 1], seed: 3)
    }

    @Test func aReferencedCodecAndVocoderGiveTheCarriersTakes() throws {
        let (carrier, user) = try bundles()
        let a = try SpecVQGANGenerator(bundle: ModelBundle(path: carrier, kind: "specvqgan"), renderer: .melganRaw)
        let b = try SpecVQGANGenerator(bundle: ModelBundle(path: user, kind: "specvqgan"), renderer: .melganRaw)
        let same = try a.generate(window(a)) { _ in true } == b.generate(window(b)) { _ in true }
        #expect(same)
    }

    @Test func aWrongOrMissingReferenceNamesBothBundles() throws {
        var (_, user) = try bundles(hash: "0123456789abcdef")
        #expect { try SpecVQGANGenerator(bundle: ModelBundle(path: user, kind: "specvqgan")) } throws: { e in
            "\(e)".contains(user + "/config.json") && "\(e)".contains("carrier with weights") && "\(e)".contains("expected [weights 0123456789abcdef")
        }
        (_, user) = try bundles(name: "elsewhere")
        #expect { try SpecVQGANGenerator(bundle: ModelBundle(path: user, kind: "specvqgan")) } throws: { "\($0)".contains("bundle elsewhere") }
        (_, user) = try bundles(name: "../carrier")
        #expect { try SpecVQGANGenerator(bundle: ModelBundle(path: user, kind: "specvqgan")) } throws: { "\($0)".contains("a bundle folder beside this one") }
        // The carrier must carry what it is named for: no chains.
        (_, user) = try bundles { $0["vocoder_draft"] = ["bundle": "user", "weights_hash": "000000000000"] }
        #expect(throws: GeneratorError.self) { try SpecVQGANGenerator(bundle: ModelBundle(path: user, kind: "specvqgan")) }
    }
}
