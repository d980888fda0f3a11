import Foundation
import Generators
import Media
import Runtime

extension Engine {
    /// The project's on-disk cache of clip inputs (read-only projects read it, never write).
    var frontEndCache: FrontEndCache { FrontEndCache(projectFolder: store.folder, writable: store.readOnlyReason == nil) }

    /// Everything `generator` reads from a clip, on the compute thread: the shared visual
    /// features and each further front end it declares, from memory, else from the project's
    /// cache folder, else computed there and then (and cached). `progress` spans all of them.
    func clipInputs(_ id: String, path: String, limit: Double, generator: Generator, encoder: VisualEncoder,
                    progress: (Double) -> Bool) throws -> (features: Tensor, inputs: [FrontEnd: Tensor]) {
        let wanted = [FrontEnd.sharedFeatures] + generator.frontEnds.filter { $0 != .sharedFeatures }
        var out: [FrontEnd: Tensor] = [:]
        for (k, frontEnd) in wanted.enumerated() {
            out[frontEnd] = try input(frontEnd, clip: id, path: path, limit: limit, encoder: encoder) {
                progress((Double(k) + $0) / Double(wanted.count))
            }
        }
        return (out[.sharedFeatures]!, out.filter { $0.key != .sharedFeatures })
    }

    /// The weights a front end's values depend on: the encoder's for its features, none for pictures.
    static func weightsHash(_ frontEnd: FrontEnd, encoder: VisualEncoder) -> String {
        frontEnd == .sharedFeatures ? encoder.weightsHash : "none"
    }

    func input(_ frontEnd: FrontEnd, clip id: String, path: String, limit: Double, encoder: VisualEncoder,
               progress: (Double) -> Bool) throws -> Tensor {
        let hash = Self.weightsHash(frontEnd, encoder: encoder)
        let key = Self.inputKey(clip: id, frontEnd, hash)
        if let t = features[key] { return t }
        let row = ClipMedia.rowShape(frontEnd, encoder: encoder)
        let source = try? FrontEndCache.Source(path: path, limit: limit)
        if let source, let t = frontEndCache.load(clip: id, frontEnd: frontEnd, weightsHash: hash, source: source, row: row) {
            features[key] = t
            inputsComputed.increment(loaded: true)
            return t
        }
        let t = try ClipMedia.input(frontEnd, path: path, encoder: encoder, limit: limit, progress: progress)
        inputsComputed.increment(loaded: false)
        if let source, let problem = frontEndCache.store(t, clip: id, frontEnd: frontEnd, weightsHash: hash, source: source) {
            send(.finished { $0.say(problem, error: true) })
        }
        features[key] = t
        return t
    }

    static func inputKey(clip: String, _ frontEnd: FrontEnd, _ hash: String) -> String { "\(clip)|\(frontEnd.key)|\(hash)" }

    /// Drops a clip's inputs held in memory (tests: a clip file replaced or deleted under the
    /// engine); the disk cache checks the file itself.
    public func features(forget clip: String) { features.removeAll { $0.hasPrefix(clip + "|") } }

    /// How often clip inputs were computed and loaded from the project's cache (tests).
    public var frontEndCounts: (computed: Int, loaded: Int) { inputsComputed.counts }
}

/// Counts of front-end work, safe from any thread.
final class FrontEndCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var computed = 0, loaded = 0
    func increment(loaded wasLoaded: Bool) { lock.lock(); if wasLoaded { loaded += 1 } else { computed += 1 }; lock.unlock() }
    var counts: (computed: Int, loaded: Int) { lock.lock(); defer { lock.unlock() }; return (computed, loaded) }
}
