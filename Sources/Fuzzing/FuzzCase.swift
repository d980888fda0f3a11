import Foundation
import Runtime

/// What one case showed. A trap shows as the process dying, so it never reaches here.
public enum Outcome: Sendable, Equatable {
    /// The file was accepted (and what Foley does right after reading it went through).
    case opened
    /// The file was refused with an error naming it (the error's text).
    case refused(String)
    /// A rule was broken: an error that does not name the file, the file's bytes changed, a
    /// file appeared or vanished where the case did not put it, a path resolved outside.
    case violation(String)
}

/// A family of inputs (project files, bundle configs, themes): each case writes one mutated
/// file into its sandbox, has Foley read it the way the app does, and checks the rules.
public protocol Corpus: AnyObject {
    var name: String { get }
    /// The file case `index` writes and its bytes (to replay or keep a failing case).
    func input(case index: Int, seed: UInt64) -> (path: String, data: Data)
    /// Reads `data` as case `index`'s file (the index picks the bundle or theme it stands for).
    func run(_ data: Data, case index: Int) -> Outcome
}

extension Corpus {
    public func run(case index: Int, seed: UInt64) -> Outcome { run(input(case: index, seed: seed).data, case: index) }
}

/// The folder a corpus's cases live in. Its tree (names and kinds, symbolic links not followed)
/// is recorded once; after every case it must be the same, so a write or a delete that a file's
/// paths steered anywhere in it is seen.
final class Sandbox {
    let path: String
    private var baseline: [String: String] = [:]

    init(root: String, name: String) throws {
        path = URL(fileURLWithPath: root + "/" + name).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func record() { baseline = tree() }

    func tree() -> [String: String] {
        var out: [String: String] = [:]
        func walk(_ dir: String, _ prefix: String) {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []) {
                let full = dir + "/" + name, rel = prefix + name
                let type = (try? FileManager.default.attributesOfItem(atPath: full))?[.type] as? FileAttributeType
                switch type {
                case .typeDirectory?: out[rel] = "dir"; walk(full, rel + "/")
                case .typeSymbolicLink?: out[rel] = "link"
                case .typeRegular?: out[rel] = "file"
                default: out[rel] = "\(type.map { $0.rawValue } ?? "gone")"
                }
            }
        }
        walk(path, "")
        return out
    }

    /// What changed since `record()`, undone so that later cases start clean; nil if nothing.
    func strays() -> String? {
        let now = tree()
        guard now != baseline else { return nil }
        let added = now.keys.filter { baseline[$0] == nil }.sorted()
        let lost = baseline.keys.filter { now[$0] == nil }.sorted()
        for rel in added.reversed() { try? FileManager.default.removeItem(atPath: path + "/" + rel) }
        return "files appeared [\(added.joined(separator: ", "))], vanished [\(lost.joined(separator: ", "))]"
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The rules every case checks, whatever it reads: `file` holds `data`; `load` reads it the
/// app's way and returns broken rules it saw on an accepted file (empty: none).
func check(_ data: Data, at file: String, in sandbox: Sandbox, load: () throws -> [String]) -> Outcome {
    var problems: [String] = []
    do {
        try data.write(to: URL(fileURLWithPath: file))
    } catch {
        return .violation("cannot write the case's input: \(error)")
    }
    var refusal: String?
    do {
        problems += try load()
    } catch {
        let text = "\(error)"
        refusal = text
        if !text.contains(file) { problems.append("error does not name \(file): \(text.prefix(400))") }
    }
    if FileManager.default.contents(atPath: file) != data { problems.append("\(file) was changed by reading it") }
    if let strays = sandbox.strays() { problems.append(strays) }
    guard problems.isEmpty else { return .violation(problems.joined(separator: "; ")) }
    return refusal.map(Outcome.refused) ?? .opened
}

/// The repository's own files (the demo project, shipped bundles, themes), found from here.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
}
