import Foundation
import Runtime

/// Hostile values a sent file may hold. Path payloads aim at `sandbox`, the folder the case's
/// project or bundle lives in, so that anything they made Foley write or read outside the case
/// folder lands where the case's check looks (and never elsewhere on the machine).
public struct Payloads: Sendable {
    public let sandbox: String

    public init(sandbox: String) { self.sandbox = sandbox }

    static let numbers = [
        "0", "-0", "1", "-1", "2", "3", "7", "0.5", "-0.5", "1.5", "1e-320", "4.9e-324", "0.0001",
        "1e308", "-1e308", "1.7976931348623157e308", "1e6", "-1e6", "1E2", "256", "257", "65536", "65537",
        "86400", "86400.5", "1e9", "4e9", "4000000000", "2147483647", "2147483648", "-2147483649",
        "9007199254740993", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "18446744073709551615", "18446744073709551616", "123456789012345678901234567890", "1e999",
    ]

    /// Strings that look like numbers or special floats to a lenient reader.
    static let numberLike = ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e308", "0x10", "", " 1", "1,5", "true"]

    /// File names and paths: traversal, absolute, devices, the project's own files, control
    /// characters, Unicode tricks, limits of the file system.
    public var paths: [String] {
        let rel = String(sandbox.drop { $0 == "/" })
        return [
            "../escape/EVIL", "../escape/EVIL.wav", "../outside.wav", "../../../../../../../../\(rel)/escape/EVIL",
            "\(sandbox)/escape/EVIL", "\(sandbox)/outside.wav", "takes/../../escape/x.wav", "takes/../../outside.wav",
            "takes/../project.json", "project.json", "config.json", "weights.safetensors", "clips/test-00013.mp4", "clips",
            "/etc/passwd", "/dev/null", "/dev/zero", "/dev/full", "/proc/self/mem", "/", ".", "..", "", " ", "takes/", "takes//x.wav",
            "\0", "a\0b.wav", "takes/\0.wav", "a\nb", "line\r\n", "\t", "🎬", "\u{202E}vaw.exe", "e\u{301}", "\u{FEFF}", "\u{FFFF}",
            "C:\\Windows\\x", "~/x", "$HOME/x", "%s%n%x", "-rf", "*", "?", "x:y", "con", "nul",
            String(repeating: "a", count: 256), String(repeating: "a/", count: 2100), String(repeating: "../", count: 1000),
        ]
    }

    func number(_ rng: inout SeededRNG) -> String { rng.pick(Self.numbers) }

    func string(_ rng: inout SeededRNG, reusing existing: [String]) -> String {
        switch rng.below(10) {
        case 0...3: return rng.pick(paths)
        case 4: return rng.pick(Self.numberLike)
        case 5: return String(repeating: rng.pick(["a", "é", "🎬", "\\", "\"", "/"]), count: rng.size(upTo: 200_000))
        case 6, 7: return existing.isEmpty ? "x" : rng.pick(existing)
        case 8: return (existing.isEmpty ? "x" : rng.pick(existing)) + rng.pick(["-2", "/..", "\0", " ", "X", "/EVIL"])
        default: return String((0..<rng.below(12)).map { _ in Character(Unicode.Scalar(UInt8(32 + rng.below(95)))) })
        }
    }
}

