import Engine
import Generators

/// The generator panel: the current generator's parameters, one row each, drawn by kind
/// (slider, switch, choice, text). It scrolls to keep the focused row visible when the
/// parameters do not fit, with ↑n / ↓n in its border counting the rows out of sight.
extension Views {
    static func parameters(_ g: inout CellGrid, _ r: Rect, _ s: EngineSnapshot, _ ui: UIState, theme: Theme) {
        let title = s.generator.map { "Generator: \($0.name)" } ?? "Generator: none installed"
        g.box(x: r.x, y: r.y, width: r.width, height: r.height, title: title, border: theme[.border], titleStyle: theme[.title])
        let inner = r.inner
        let specs = s.generator?.parameters ?? []
        var rows = inner.height
        if let reason = s.generatorUnavailable {
            let lines = wrap(reason, width: inner.width)
            for (i, line) in lines.prefix(inner.height).enumerated() {
                g.put(line, x: inner.x, y: inner.y + i, style: theme[.statusError])
            }
            rows = max(0, inner.height - lines.count)
            if rows == 0 { return }
        }
        guard !specs.isEmpty else { return }
        let focus = ui.focused(in: s).flatMap { f in specs.firstIndex { $0.parameter == f.parameter } } ?? 0
        let first = focus < rows ? 0 : focus - rows + 1
        let top = inner.y + inner.height - rows
        for (row, i) in (first..<min(specs.count, first + rows)).enumerated() {
            Self.parameterRow(&g, x: inner.x, y: top + row, width: inner.width, spec: specs[i], value: s.values[specs[i].parameter],
                              focused: i == focus, theme: theme)
        }
        if first > 0 { g.put(" ↑\(first) ", x: r.x + r.width - 7, y: r.y, style: theme[.dim]) }
        let below = specs.count - min(specs.count, first + rows)
        if below > 0 { g.put(" ↓\(below) ", x: r.x + r.width - 7, y: r.y + r.height - 1, style: theme[.dim]) }
    }

    static func parameterRow(_ g: inout CellGrid, x: Int, y: Int, width: Int, spec: ParameterSpec, value: ParameterValue?,
                             focused: Bool, theme: Theme) {
        let labelW = 13
        g.put((focused ? "›" : " ") + spec.label, x: x, y: y, style: focused ? theme[.sliderFocus] : theme[.label], limit: labelW)
        let fieldX = x + labelW + 1, fieldW = max(4, width - labelW - 1)
        let v = spec.normalized(value)
        switch spec.kind {
        case .number(let range, _, _):
            let text = spec.display(v)
            let barW = max(4, fieldW - 8)
            let span = range.upperBound - range.lowerBound
            let filled = span > 0 ? min(barW, max(0, Int((((v.number ?? 0) - range.lowerBound) / span * Double(barW)).rounded()))) : 0
            g.put(String(repeating: "█", count: filled), x: fieldX, y: y, style: theme[.sliderFill])
            g.put(String(repeating: "─", count: barW - filled), x: fieldX + filled, y: y, style: theme[.sliderEmpty])
            g.put(text, x: x + width - text.count, y: y, style: theme[.value])
        case .toggle:
            g.put(v.isOn ? "[x] on" : "[ ] off", x: fieldX, y: y, style: v.isOn ? theme[.value] : theme[.dim])
        case .choice(let options):
            let i = options.firstIndex { $0.key == v.text } ?? 0
            let count = " \(i + 1)/\(options.count)"
            g.put("‹ " + options[i].label + " ›", x: fieldX, y: y, style: theme[.value], limit: fieldW - count.count)
            g.put(count, x: x + width - count.count, y: y, style: theme[.dim])
        case .text:
            let text = v.text ?? ""
            if text.isEmpty {
                g.put(focused ? "(empty: Enter to type)" : "(empty)", x: fieldX, y: y, style: theme[.inactive], limit: fieldW)
            } else {
                let shown = CellGrid.columns(text) + 2 > fieldW ? fitted(text, columns: fieldW - 3) + "…" : text
                g.put("\"" + shown + "\"", x: fieldX, y: y, style: theme[.value], limit: fieldW)
            }
        }
    }

    /// The longest prefix of `text` within `columns` terminal columns.
    static func fitted(_ text: String, columns: Int) -> String {
        var out = "", used = 0
        for ch in text {
            let w = CellGrid.columns(ch)
            if used + w > columns { break }
            out.append(ch); used += w
        }
        return out
    }

    /// The line editor, a box over the middle of the screen: the text scrolled so the cursor
    /// is in view (the cursor cell drawn reversed), the reason a value was refused, the keys.
    static func editor(_ g: inout CellGrid, _ e: LineEditor, generator: String, theme: Theme) {
        let w = min(g.width - 4, 100), h = e.error == nil ? 5 : 6
        let x = (g.width - w) / 2, y = (g.height - h) / 2
        g.fill(x: x, y: y, width: w, height: h, style: theme[.help])
        g.box(x: x, y: y, width: w, height: h, title: "\(e.title) · \(generator)", border: theme[.border], titleStyle: theme[.title])
        let fieldW = w - 4
        // Scroll by characters until the cursor's column fits.
        var start = 0
        while CellGrid.columns(String(e.text[start..<e.cursor])) >= fieldW { start += 1 }
        let visible = fitted(String(e.text[start...]), columns: fieldW)
        g.put(visible, x: x + 2, y: y + 1, style: theme[.value])
        let cursorX = x + 2 + CellGrid.columns(String(e.text[start..<e.cursor]))
        let under = e.cursor < e.text.count ? e.text[e.cursor] : " "
        g.put(String(under), x: cursorX, y: y + 1, style: Style(fg: theme[.value].fg, bg: theme[.value].bg, bold: true, reverse: true))
        g.put("\(e.text.count)/\(e.maxLength)", x: x + w - 3 - "\(e.text.count)/\(e.maxLength)".count, y: y + 2, style: theme[.dim])
        if let error = e.error { g.put(error, x: x + 2, y: y + 3, style: theme[.statusError], limit: fieldW) }
        g.put("Enter keeps · Esc cancels · ← → Home End · ⌫ Del · ^U clears", x: x + 2, y: y + h - 2, style: theme[.dim], limit: fieldW)
    }
}
