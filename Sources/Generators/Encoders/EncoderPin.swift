import Foundation

/// A generator bundle names the shared visual encoder it was trained on:
///
///     "visual_encoder": {"weights_hash": "cdd7a502a30b…"}
///
/// Features of another encoder (retrained, or framed otherwise) mean nothing to it: it would
/// play sound for a picture it cannot read. So a mismatch keeps the generator out of the
/// catalogue with both hashes named, instead of letting it run. Bundles exported before pins
/// existed have no key and are not checked.
extension ModelBundle {
    /// The pinned encoder's weights hash, nil when the config has no pin.
    public func visualEncoderPin() throws -> String? {
        guard let value = config["visual_encoder"] else { return nil }
        guard let pin = value as? [String: Any], let hash = pin["weights_hash"] as? String, hash.count >= 12, hash.allSatisfy(\.isHexDigit) else {
            throw GeneratorError.badConfig(path: configPath, reason: "got [visual_encoder \(Self.shown(value))], expected [{\"weights_hash\": the visual encoder's weights hash (12 or more hex digits)}]")
        }
        return hash.lowercased()
    }

    /// Why this generator cannot run on `encoder`'s features, or nil when it can.
    public func visualEncoderMismatch(_ encoder: VisualEncoder) throws -> String? {
        guard let pin = try visualEncoderPin(), !encoder.weightsHash.hasPrefix(pin) else { return nil }
        return "got [visual encoder weights \(encoder.weightsHash)], expected [weights \(pin), the encoder this generator was trained on: "
            + "install the generator and the visual encoder it was exported with together]"
    }
}
