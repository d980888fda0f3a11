import Engine
import Foundation
import Generators
import TUI

/// What the workstation does with an opened project before any media is decoded, run on the
/// case's project: the path policy on every take file, the file name a new take would get,
/// the snapshot `Engine.restore` and `selectClip` build for each clip, drawn by the real
/// `Screen.render`. Values the engine or export convert to integers later must have been
/// refused at load; those checks name the line that would trap.
extension ProjectCorpus {
    func exercise(_ store: ProjectStore) -> [String] {
        var problems: [String] = []
        let p = store.project
        let root = URL(fileURLWithPath: folder).resolvingSymlinksInPath().standardizedFileURL.path
        for take in p.takes {
            do {
                let path = try store.owned(take.file)
                if !path.hasPrefix(root + "/") { problems.append("take file \(take.file.debugDescription.prefix(120)) resolved outside: \(path)") }
            } catch {
                if !"\(error)".contains(file) { problems.append("take file refusal does not name \(file): \("\(error)".prefix(300))") }
            }
        }
        for (i, clip) in p.clips.enumerated() {
            let name = ProjectPaths.fileComponent("\(clip.id)-0a1b2c3d")
            if name.contains("/") || name == "." || name == ".." || name.utf8.count > 255 {
                problems.append("clip id \(clip.id.debugDescription.prefix(80)) gives the take file name \(name.debugDescription.prefix(80))")
            }
            if let t = clip.startOfDay, !(t.isFinite && t >= 0 && t <= 86_400) {
                problems.append("accepted clips[\(i)].startOfDay \(t): export's BWF time reference (StemExporter.swift, UInt64(startOfDay × rate)) traps on it")
            }
            if let s = p.selections[clip.id], !(s.start >= 0 && s.start <= s.end && s.end <= clip.duration) {
                problems.append("accepted selections[\(clip.id.prefix(40))] \(s.start)…\(s.end) outside its \(clip.duration) s clip: inpainting (Engine+Jobs.swift, Int(span × rate)) and the timeline index by it")
            }
        }
        guard problems.isEmpty else { return problems }
        // Every clip of a small project, the first and last few of a large one.
        let shown = p.clips.count <= 8 ? Array(p.clips.indices) : Array(p.clips.indices.prefix(4)) + Array(p.clips.indices.suffix(4))
        for i in shown {
            _ = Screen.render(snapshot(store, clip: i), UIState(), theme: theme, width: 100, height: 30)
        }
        return problems
    }

    /// The snapshot the engine holds after `restore()` and `selectClip(i)`, without a player,
    /// generators or media (the previews and the heard take's audio are decoded later, on jobs).
    func snapshot(_ store: ProjectStore, clip index: Int) -> EngineSnapshot {
        let p = store.project
        var s = EngineSnapshot()
        s.projectName = p.name
        s.projectFolder = store.folder
        s.tracks = p.trackNames
        s.clips = p.clips.map { c in
            EngineSnapshot.ClipRow(id: c.id, duration: c.duration, takes: p.takes(for: c.id).count, missing: store.missingClips.contains(c.id))
        }
        if !store.missingClips.isEmpty {
            s.message = .init(text: "missing clip file(s): \(store.missingClips.joined(separator: ", ")); their takes still play", isError: true)
        }
        let clip = p.clips[index]
        s.clipIndex = index
        s.takes = p.takes(for: clip.id, track: s.track)
        let chosen = p.chosen?[Project.chosenKey(clip: clip.id, track: s.track)].flatMap { id in s.takes.contains { $0.id == id } ? id : nil }
            ?? s.takes.last?.id
        s.slotA = chosen
        s.slotB = s.takes.last { $0.id != chosen }?.id
        s.heard = chosen
        s.inPoint = p.selections[clip.id]?.start
        s.outPoint = p.selections[clip.id]?.end
        return s
    }
}
