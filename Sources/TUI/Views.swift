import DSP
import Engine
import Foundation
import Generators
import Media

/// The panels of the main screen, each drawing one part of the snapshot into its rectangle.
enum Views {
    typealias Rect = Screen.Rect

    static func clips(_ g: inout CellGrid, _ r: Rect, _ s: EngineSnapshot, theme: Theme) {
        g.box(x: r.x, y: r.y, width: r.width, height: r.height, title: "Clips \(s.clips.count)", border: theme[.border], titleStyle: theme[.title])
        let inner = r.inner
        let first = max(0, min(s.clipIndex - inner.height / 2, s.clips.count - inner.height))
        for (row, i) in (first..<min(s.clips.count, first + inner.height)).enumerated() {
            let c = s.clips[i]
            let current = i == s.clipIndex
            let style = current ? theme[.timelineCurrent] : (c.missing ? theme[.statusError] : theme[.label])
            let right = c.missing ? "MISSING" : String(format: "%4.1fs %2d", c.duration, c.takes)
            let name = (current ? "▸" : " ") + c.id
            g.fill(x: inner.x, y: inner.y + row, width: inner.width, height: 1, style: style)
            g.put(name, x: inner.x, y: inner.y + row, style: style, limit: inner.width - right.count - 1)
            g.put(right, x: inner.x + inner.width - right.count, y: inner.y + row, style: style)
        }
    }

    /// The frame under the playhead in colour half-blocks (two pixels per cell), letterboxed.
    static func preview(_ g: inout CellGrid, _ r: Rect, _ s: EngineSnapshot, theme: Theme) {
        let title = s.imagined != nil ? "Imagined from the take \(Format.time(s.cursor))" : "Picture \(Format.time(s.cursor))"
        g.box(x: r.x, y: r.y, width: r.width, height: r.height, title: title, border: theme[.border], titleStyle: theme[.title])
        let inner = r.inner
        guard let image = s.imagined?.image ?? s.frame, image.width > 0, image.height > 0 else {
            let text = s.clip?.missing == true ? "clip file missing" : "decoding preview…"
            g.put(text, x: inner.x + max(0, (inner.width - text.count) / 2), y: inner.y + inner.height / 2, style: theme[.dim])
            return
        }
        // Fit the picture (pixels: cells wide, 2 per cell high) keeping its aspect.
        let aspect = Double(image.width) / Double(image.height)
        var w = inner.width, h = Int(Double(w) / aspect / 2)
        if h > inner.height { h = inner.height; w = min(inner.width, Int(Double(h) * 2 * aspect)) }
        let x0 = inner.x + (inner.width - w) / 2, y0 = inner.y + (inner.height - h) / 2
        for cy in 0..<h {
            for cx in 0..<w {
                let px = cx * image.width / max(1, w)
                let top = image.pixel(x: px, y: (2 * cy) * image.height / max(1, 2 * h))
                let bottom = image.pixel(x: px, y: (2 * cy + 1) * image.height / max(1, 2 * h))
                g[x0 + cx, y0 + cy] = Cell(char: "▀", style: Style(fg: .rgb(top.r, top.g, top.b), bg: .rgb(bottom.r, bottom.g, bottom.b)))
            }
        }
    }

    /// The project's clips end to end, widths proportional to duration, each with its take count;
    /// the playhead marked in the current clip.
    static func timeline(_ g: inout CellGrid, _ r: Rect, _ s: EngineSnapshot, theme: Theme) {
        g.box(x: r.x, y: r.y, width: r.width, height: r.height, title: "Timeline", border: theme[.border], titleStyle: theme[.title])
        let inner = r.inner
        let total = s.clips.reduce(0) { $0 + max($1.duration, 0.1) }
        guard total > 0, inner.width > 0 else { return }
        var x = inner.x
        var elapsed = 0.0
        for (i, c) in s.clips.enumerated() {
            elapsed += max(c.duration, 0.1)
            let end = inner.x + Int((elapsed / total * Double(inner.width)).rounded())
            let w = max(1, end - x)
            let style = i == s.clipIndex ? theme[.timelineCurrent] : theme[.timeline]
            g.fill(x: x, y: inner.y, width: w, height: 1, style: style)
            let label = c.takes > 0 ? "\(c.id) ·\(c.takes)" : c.id
            g.put(label, x: x + (w > 2 ? 1 : 0), y: inner.y, style: style, limit: max(0, w - 2))
            if w > 1 { g.put("▕", x: x + w - 1, y: inner.y, style: style) }
            if i == s.clipIndex, c.duration > 0 {
                let px = x + min(w - 1, Int(s.cursor / c.duration * Double(w)))
                g[px, inner.y] = Cell(char: "┃", style: Style(fg: theme[.playhead].fg, bg: style.bg, bold: true))
            }
            x = end
        }
    }

    /// The heard take's mel (two bands per cell, quiet → loud on the theme's ramp), with the
    /// in/out selection and playhead on a ruler underneath.
    static func spectrogram(_ g: inout CellGrid, _ r: Rect, _ s: EngineSnapshot, theme: Theme) {
        let heard = s.takes.firstIndex { $0.id == s.heard }
        let title = heard.map { "Take \($0 + 1) · \(s.takes[$0].generator) · \(rateLabel(s.takes[$0].rate)) · slot \(s.side.rawValue)" } ?? "Spectrogram"
        g.box(x: r.x, y: r.y, width: r.width, height: r.height, title: title, border: theme[.border], titleStyle: theme[.title])
        let inner = r.inner
        let rows = inner.height - 1, width = inner.width
        let duration = max(s.clip?.duration ?? 0, 1e-3)
        func column(_ t: Double) -> Int {
            let x = t / duration * Double(width)             // bounded in Double first: a damaged time never traps
            return inner.x + (x.isFinite ? Int(max(0, min(Double(width - 1), x))) : 0)
        }
        if let mel = s.mel, mel.frames > 0, rows > 0 {
            let framesPerSecond = 22050.0 / 256.0
            for cx in 0..<width {
                let f0 = Int(Double(cx) / Double(width) * duration * framesPerSecond)
                let f1 = max(f0 + 1, Int(Double(cx + 1) / Double(width) * duration * framesPerSecond))
                for cy in 0..<rows {
                    func level(_ sub: Int) -> Float {   // sub-row 0 = top = highest bands
                        let b1 = mel.bands - sub * mel.bands / (2 * rows), b0 = max(0, b1 - max(1, mel.bands / (2 * rows)))
                        var v: Float = 0
                        // A take shorter than its clip (a truncated file, an edited duration) ends early: blank.
                        let end = min(f1, mel.frames)
                        guard f0 < end else { return 0 }
                        for b in b0..<b1 { for f in f0..<end { v = max(v, mel.values[b * mel.frames + f]) } }
                        return v
                    }
                    g[inner.x + cx, inner.y + cy] = Cell(char: "▀", style: Style(fg: theme.rampColor(level(2 * cy)), bg: theme.rampColor(level(2 * cy + 1))))
                }
            }
        } else {
            let text = s.generatorUnavailable.map { "No take yet. \($0)" } ?? "No take yet: press g to generate one"
            for (i, line) in wrap(text, width: width - 4).enumerated() where i < rows {
                g.put(line, x: inner.x + 2, y: inner.y + rows / 2 + i, style: theme[.dim])
            }
        }
        // Ruler: selection span, in/out marks, playhead.
        let ruler = inner.y + inner.height - 1
        g.fill(x: inner.x, y: ruler, width: width, height: 1, char: "─", style: theme[.dim])
        if let sel = s.selection {
            let a = column(sel.lowerBound), b = column(sel.upperBound)
            g.fill(x: a, y: ruler, width: b - a + 1, height: 1, char: "═", style: theme[.selection])
            for cy in 0..<max(0, rows) { g.restyle(x: a, y: inner.y + cy, width: 1) { $0 = Style(fg: theme[.selection].bg, bg: $0.bg) } }
            for cy in 0..<max(0, rows) { g.restyle(x: b, y: inner.y + cy, width: 1) { $0 = Style(fg: theme[.selection].bg, bg: $0.bg) } }
            g.put(String(format: "[%.2f–%.2f s]", sel.lowerBound, sel.upperBound), x: inner.x + 1, y: ruler, style: theme[.selection])
        } else {
            if let i = s.inPoint { g.put("[", x: column(i), y: ruler, style: theme[.selection]) }
            if let o = s.outPoint { g.put("]", x: column(o), y: ruler, style: theme[.selection]) }
        }
        let p = column(s.cursor)
        g.put("▲", x: p, y: ruler, style: theme[.playhead])
        guard s.mel != nil else { return }
        for cy in 0..<max(0, rows) { g.put("│", x: p, y: inner.y + cy, style: Style(fg: theme[.playhead].fg, bg: g[p, inner.y + cy].style.bg, bold: true)) }
    }

    static func takes(_ g: inout CellGrid, _ r: Rect, _ s: EngineSnapshot, theme: Theme) {
        guard let inner = panel(&g, r, title: "Takes \(s.takes.count) · track \(s.track)", theme: theme,
                                placeholder: s.takes.isEmpty ? "none yet" : nil) else { return }
        let heard = s.takes.firstIndex { $0.id == s.heard } ?? s.takes.count - 1
        let first = max(0, min(heard - inner.height / 2, s.takes.count - inner.height))
        for (row, i) in (first..<min(s.takes.count, first + inner.height)).enumerated() {
            let t = s.takes[i], y = inner.y + row
            let style = t.id == s.heard ? theme[.takeHeard] : theme[.take]
            g.fill(x: inner.x, y: y, width: inner.width, height: 1, style: style)
            if t.id == s.slotA { g.put("A", x: inner.x, y: y, style: theme[.slotA]) }
            if t.id == s.slotB { g.put("B", x: inner.x + 1, y: y, style: theme[.slotB]) }
            g.put(describe(t, number: i + 1), x: inner.x + 3, y: y, style: style, limit: inner.width - 3)
        }
    }

    /// One line per take. A draft take says so up front: it is the one to render again with
    /// Draft off once chosen.
    static func describe(_ t: Project.Take, number: Int) -> String {
        // Prompts first (they say most about a take), then the rest by name.
        let first = [Parameter.prompt.rawValue, Parameter.negativePrompt.rawValue]
        let keys = first.filter { t.parameters[$0] != nil } + t.parameters.keys.filter { !first.contains($0) && $0 != Parameter.draft.rawValue }.sorted()
        let params = keys.compactMap { k -> String? in
            switch t.parameters[k]! {
            case .number(let v): return "\(k)=\(String(format: "%g", v))"
            case .flag(let b): return "\(k)=\(b ? "on" : "off")"
            case .text(let s): return s.isEmpty ? nil : first.contains(k) ? "\(k)=\"\(s)\"" : "\(k)=\(s)"
            }
        }.joined(separator: " ")
        var text = String(format: "%2d ", number) + "\(t.generator)\(t.isDraft ? " [draft]" : "")  \(params) seed=\(t.seed)"
        if let span = t.span { text += String(format: "  inpaint %.2f–%.2f s", span.lowerBound, span.upperBound) }
        return text
    }

    /// 44100 → "44.1 kHz", 22050 → "22.05 kHz": a take's band at a glance (the mel below is
    /// the models' working-rate mel either way).
    static func rateLabel(_ rate: Int) -> String { String(format: "%g kHz", Double(rate) / 1000) }

    static func jobs(_ g: inout CellGrid, _ r: Rect, _ s: EngineSnapshot, theme: Theme) {
        guard let inner = panel(&g, r, title: "Jobs", theme: theme, placeholder: s.jobs.isEmpty ? "idle" : nil) else { return }
        var y = inner.y
        for job in s.jobs {
            guard y < inner.y + inner.height else { break }
            defer { y += 1 }
            let percent = job.state == .queued ? "queued" : String(format: "%3d%%", Int(job.progress * 100))
            let barW = max(4, inner.width / 3)
            let filled = Int(job.progress * Double(barW))
            g.put(job.label, x: inner.x, y: y, style: theme[.label], limit: inner.width - barW - percent.count - 2)
            let bx = inner.x + inner.width - barW - percent.count - 1
            g.fill(x: bx, y: y, width: filled, height: 1, char: " ", style: theme[.progress])
            g.fill(x: bx + filled, y: y, width: barW - filled, height: 1, char: "·", style: theme[.progressTrack])
            g.put(percent, x: inner.x + inner.width - percent.count, y: y, style: theme[.value])
            // What the job is doing (a solver's steps), on its own line when there is room.
            if let detail = job.detail, y + 1 < inner.y + inner.height {
                y += 1
                g.put("  " + detail, x: inner.x, y: y, style: theme[.dim], limit: inner.width)
            }
        }
    }

    /// A titled box; with a placeholder, writes it inside and returns nil (nothing to list).
    static func panel(_ g: inout CellGrid, _ r: Rect, title: String, theme: Theme, placeholder: String?) -> Rect? {
        g.box(x: r.x, y: r.y, width: r.width, height: r.height, title: title, border: theme[.border], titleStyle: theme[.title])
        guard let placeholder else { return r.inner }
        g.put(placeholder, x: r.inner.x + 1, y: r.inner.y, style: theme[.dim])
        return nil
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
