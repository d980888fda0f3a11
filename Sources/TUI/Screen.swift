import Engine
import Foundation
import Generators

/// Pure rendering: (engine snapshot, UI state, theme, size) → cell grid. No terminal needed,
/// so every screen is testable as text.
public enum Screen {
    public static let minWidth = 80
    public static let minHeight = 24

    public struct Layout: Equatable {
        var clips, preview, sliders, timeline, spectrogram, takes, jobs: Rect
    }

    struct Rect: Equatable {
        var x, y, width, height: Int
        var inner: Rect { Rect(x: x + 1, y: y + 1, width: max(0, width - 2), height: max(0, height - 2)) }
    }

    public static func render(_ s: EngineSnapshot, _ ui: UIState, theme: Theme, width: Int, height: Int) -> CellGrid {
        var g = CellGrid(width: width, height: height, style: theme[.background])
        guard width >= minWidth, height >= minHeight else {
            tooSmall(&g, theme: theme)
            return g
        }
        let l = layout(width: width, height: height)
        header(&g, s, theme: theme)
        Views.clips(&g, l.clips, s, theme: theme)
        Views.preview(&g, l.preview, s, theme: theme)
        Views.parameters(&g, l.sliders, s, ui, theme: theme)
        Views.timeline(&g, l.timeline, s, theme: theme)
        Views.spectrogram(&g, l.spectrogram, s, theme: theme)
        Views.takes(&g, l.takes, s, theme: theme)
        Views.jobs(&g, l.jobs, s, theme: theme)
        status(&g, s, theme: theme)
        if ui.showHelp { help(&g, theme: theme) }
        if let e = ui.editor { Views.editor(&g, e, generator: s.generator?.name ?? "", theme: theme) }
        return g
    }

    static func layout(width: Int, height: Int) -> Layout {
        let rows = height - 2
        // The generator panel scrolls, so the top row takes a share of the height and the
        // spectrogram keeps its room at the minimum size.
        let top = max(7, rows * 35 / 100), timeline = 3, bottom = max(5, rows * 22 / 100)
        let spectrogram = rows - top - timeline - bottom
        let clipsW = max(24, width * 22 / 100), slidersW = max(36, width * 30 / 100)
        let previewW = width - clipsW - slidersW
        let jobsW = max(30, width * 35 / 100)
        var y = 1
        let clips = Rect(x: 0, y: y, width: clipsW, height: top)
        let preview = Rect(x: clipsW, y: y, width: previewW, height: top)
        let sliders = Rect(x: clipsW + previewW, y: y, width: slidersW, height: top)
        y += top
        let tl = Rect(x: 0, y: y, width: width, height: timeline)
        y += timeline
        let spec = Rect(x: 0, y: y, width: width, height: spectrogram)
        y += spectrogram
        let takes = Rect(x: 0, y: y, width: width - jobsW, height: bottom)
        let jobs = Rect(x: width - jobsW, y: y, width: jobsW, height: bottom)
        return Layout(clips: clips, preview: preview, sliders: sliders, timeline: tl, spectrogram: spec, takes: takes, jobs: jobs)
    }

    static func header(_ g: inout CellGrid, _ s: EngineSnapshot, theme: Theme) {
        g.fill(x: 0, y: 0, width: g.width, height: 1, style: theme[.status])
        var left = " Foley · \(s.projectName)"
        if let c = s.clip { left += " · clip \(s.clipIndex + 1)/\(s.clips.count) \(c.id)" }
        g.put(left, x: 0, y: 0, style: theme[.status])
        let transport = s.playing ? (s.rate == 1 ? "▶ PLAY" : (s.rate > 0 ? "▶▶ \(s.rate)×" : "◀◀ \(-s.rate)×")) : "■ STOP"
        let right = "\(transport)\(s.looping ? " ⟲ LOOP" : "")  \(Format.time(s.cursor)) / \(Format.time(s.clip?.duration ?? 0)) "
        g.put(right, x: g.width - right.count, y: 0, style: Style(fg: theme[.status].fg, bg: theme[.status].bg, bold: true))
    }

    static func status(_ g: inout CellGrid, _ s: EngineSnapshot, theme: Theme) {
        let y = g.height - 1
        var device: String
        switch s.device {
        case .ready(let name): device = "audio: \(name)"
        case .unavailable: device = "NO AUDIO DEVICE (silent; see foley doctor)"
        }
        // Messages matter more than a long device name (ALSA file: paths): clip the name, and
        // for an error that does not fit, shrink the badge to a word so the reason is readable.
        let room = max(16, g.width / 4)
        if device.count > room { device = String(device.prefix(room - 1)) + "…" }
        if let m = s.message, m.isError, m.text.count + 1 > g.width - device.count - 3 {
            if case .ready = s.device { device = "audio" } else { device = "NO AUDIO" }
        }
        // A failed save stays on screen until a save succeeds: work is never silently unsaved.
        if s.unsaved != nil { device = "NOT SAVED · " + device }
        if s.readOnly != nil { device = "READ-ONLY · " + device }
        let style = s.message?.isError == true || s.unsaved != nil ? theme[.statusError] : theme[.status]
        g.fill(x: 0, y: y, width: g.width, height: 1, style: style)
        let text = s.message?.text ?? s.unsaved.map { "could not save the project: \($0)" }
            ?? s.readOnly.map { "read-only: \($0); play, scrub and compare; g and e are off" } ?? "Space play · g generate · I/O in/out · i inpaint · Tab take · A/B compare · e export · ? help · q quit"
        g.put(" " + text, x: 0, y: y, style: style, limit: g.width - device.count - 3)
        g.put(device + " ", x: g.width - device.count - 1, y: y, style: style)
    }

    static func tooSmall(_ g: inout CellGrid, theme: Theme) {
        let lines = [
            "Terminal too small: \(g.width)×\(g.height)",
            "Foley needs at least \(minWidth)×\(minHeight).",
            "Enlarge the window, or press q to quit.",
        ]
        for (i, line) in lines.enumerated() {
            let y = g.height / 2 - 1 + i
            g.put(line, x: max(0, (g.width - line.count) / 2), y: y, style: i == 0 ? theme[.statusError] : theme[.label])
        }
    }

    static func help(_ g: inout CellGrid, theme: Theme) {
        // Two columns of about the same length (22 and 22 lines), so at the minimum size, where
        // the overlay takes the whole height, no key is cut off.
        let columns = [["Transport", "Selection", "Project"], ["Takes", "Generator", Self.editorGroup]]
        /// A group heading (keys nil) followed by its (keys, what they do) lines.
        func entries(_ names: [String]) -> [(String, String?)] {
            names.flatMap { name -> [(String, String?)] in
                let lines = name == Self.editorGroup ? LineEditor.help.map { ($0.0, Optional($0.1)) }
                    : KeyTable.bindings.filter { $0.group == name && $0.inHelp }.map { ($0.helpLabel ?? $0.label, Optional($0.help)) }
                return [(name, nil)] + lines
            }
        }
        let left = entries(columns[0]), right = entries(columns[1])
        let w = min(g.width - 2, 108), h = min(g.height, max(left.count, right.count) + 2)
        let x = (g.width - w) / 2, y = (g.height - h) / 2
        g.fill(x: x, y: y, width: w, height: h, style: theme[.help])
        g.box(x: x, y: y, width: w, height: h, title: "Keys — any key closes", border: theme[.border], titleStyle: theme[.title])
        for (col, entries) in [left, right].enumerated() {
            let cx = x + 2 + col * (w / 2)
            for (i, entry) in entries.enumerated() where y + 1 + i < y + h - 1 {
                if let help = entry.1 {
                    let keyW = 12
                    g.put(entry.0, x: cx + 1, y: y + 1 + i, style: theme[.key], limit: keyW)
                    g.put(help, x: cx + 1 + keyW, y: y + 1 + i, style: theme[.help], limit: w / 2 - 4 - keyW)
                } else {
                    g.put(entry.0, x: cx, y: y + 1 + i, style: theme[.title])
                }
            }
        }
    }

    static let editorGroup = "Text editor (Enter opens)"
}

enum Format {
    static func time(_ t: Double) -> String {
        let t = max(0, t)
        let m = Int(t) / 60
        return String(format: "%d:%05.2f", m, t - Double(m * 60))
    }

}
