import Foundation
import Install
import Runtime

/// Failures of the generator layer, each naming the file or model at fault.
public enum GeneratorError: Error, Equatable, CustomStringConvertible {
    case missingBundle(path: String)
    /// `path` is the config.json at fault; `reason` names the field and value.
    case badConfig(path: String, reason: String)
    case wrongKind(path: String, got: String, expected: String)
    case invalidInput(String)

    public var description: String {
        switch self {
        case .missingBundle(let p): return "\(p): model bundle not found (expected weights.safetensors and config.json there)"
        case .badConfig(let p, let r): return "\(p): \(r)"
        case .wrongKind(let p, let g, let e): return "\(p): got [model kind \(g)], expected [\(e)]"
        case .invalidInput(let m): return m
        }
    }
}

/// A shipped model: `Weights/NAME/` with weights.safetensors, config.json and card.md.
public struct ModelBundle: Sendable {
    public let path: String
    /// The raw config.json (parsed on access: bundles are opened once).
    public let configData: Data
    public let weights: SafeTensorsFile

    /// Where bundles live: $FOLEY_WEIGHTS, else Weights/ in Foley's data folder (FoleyHome).
    public static func directory() -> String {
        if let d = ProcessInfo.processInfo.environment["FOLEY_WEIGHTS"] { return d }
        return FoleyHome.directory + "/Weights"
    }

    public init(path: String, kind: String) throws {
        let weightsPath = path + "/weights.safetensors", configPath = path + "/config.json"
        guard FileManager.default.fileExists(atPath: weightsPath), FileManager.default.fileExists(atPath: configPath) else {
            throw GeneratorError.missingBundle(path: path)
        }
        guard let data = FileManager.default.contents(atPath: configPath),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw GeneratorError.badConfig(path: configPath, reason: "got [not a JSON object], expected [the bundle's config]")
        }
        let got = object["kind"] as? String ?? "(none)"
        guard got == kind else { throw GeneratorError.wrongKind(path: configPath, got: got, expected: kind) }
        self.path = path
        self.configData = data
        self.weights = try SafeTensorsFile(path: weightsPath)
    }

    public init(named name: String, kind: String) throws {
        try self.init(path: Self.directory() + "/" + name, kind: kind)
    }

    public var configPath: String { path + "/config.json" }

    /// The weights bound against `table`, built from the config's sizes: a mismatch is the
    /// config's fault as often as the weights', so the error names both files.
    public func bind(_ table: WeightTable) throws -> BoundWeights {
        do { return try BoundWeights(file: weights, table: table) } catch {
            throw GeneratorError.badConfig(path: configPath, reason: "its sizes do not match weights.safetensors: \(error)")
        }
    }
}

/// Conv + GroupNorm + SiLU, the block the encoders are built from.
struct ConvNormAct {
    let weight: Tensor, bias: Tensor, normWeight: Tensor, normBias: Tensor
    let stride: Int, groups: Int

    init(_ w: BoundWeights, conv: String, norm: String, stride: Int, groups: Int = 8) {
        weight = w[conv + ".weight"]; bias = w[conv + ".bias"]
        normWeight = w[norm + ".weight"]; normBias = w[norm + ".bias"]
        self.stride = stride; self.groups = groups
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let y = Conv.conv2d(x, weight: weight, bias: bias, stride: (stride, stride), padding: (1, 1))
        return Norm.group(y, groups: groups, weight: normWeight, bias: normBias, silu: true)
    }

    static func table(_ t: inout WeightTable, conv: String, norm: String, cin: Int, cout: Int) {
        t.add(conv + ".weight", [cout, cin, 3, 3]); t.add(conv + ".bias", [cout])
        t.add(norm + ".weight", [cout]); t.add(norm + ".bias", [cout])
    }
}

extension ModelBundle {
    /// The "kind" in a bundle folder's config.json, or why it cannot be read: no config.json,
    /// not JSON (with the parser's reason), not an object, or no "kind".
    public static func readKind(at path: String) throws -> String {
        let file = path + "/config.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw GeneratorError.missingBundle(path: path)
        }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
            throw GeneratorError.badConfig(path: file, reason: "not valid JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"))")
        }
        guard let object = parsed as? [String: Any] else { throw GeneratorError.badConfig(path: file, reason: "got [\(type(of: parsed))], expected [a JSON object]") }
        guard let kind = object["kind"] as? String else { throw GeneratorError.badConfig(path: file, reason: "got [no \"kind\"], expected [the bundle's model kind, e.g. \"specvqgan\"]") }
        return kind
    }

    /// The "kind" in a bundle folder's config.json, or nil when there is no readable config.
    public static func kind(at path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path + "/config.json"),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["kind"] as? String
    }

    /// FNV-1a 64 of the weights file, as 16 hex digits: identifies the exact weights a take
    /// was made with (an identity check, not a security one).
    public var weightsHash: String { weights.withBytes { FNV1a.hex($0) } }

    /// FNV-1a 64 of config.json, as 16 hex digits (sizes and parameters that change outputs).
    public var configHash: String { FNV1a.hex(configData) }
}

/// FNV-1a 64, as 16 hex digits: identity checks of weights, configs and cache keys.
public enum FNV1a {
    public static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
