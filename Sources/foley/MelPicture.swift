import DSP
import Foundation

/// A normalised mel rendered for a terminal: low frequencies at the bottom, time left to
/// right, two mel rows per character cell with the upper half block (256-colour ANSI), and a
/// time axis in seconds underneath.
struct MelPicture {
    let cells: [[Float]]   // rows × columns, each a pair of sub-rows packed top-first
    let duration: Double
    let columns: Int
    let rows: Int

    init(mel: MelSpectrogram, duration: Double, columns: Int, rows: Int) {
        self.duration = duration
        self.columns = columns
        self.rows = rows
        // Pool (max) mel bins into 2*rows sub-rows and frames into columns.
        let subRows = rows * 2
        var grid = [[Float]](repeating: [Float](repeating: 0, count: columns), count: subRows)
        for r in 0..<subRows {
            let b0 = r * mel.bands / subRows, b1 = max(b0 + 1, (r + 1) * mel.bands / subRows)
            for c in 0..<columns {
                let f0 = c * mel.frames / columns, f1 = max(f0 + 1, (c + 1) * mel.frames / columns)
                var v: Float = 0
                for b in b0..<min(b1, mel.bands) { for f in f0..<min(f1, mel.frames) { v = max(v, mel[b, f]) } }
                grid[subRows - 1 - r][c] = v  // flip: high bands on top
            }
        }
        cells = grid
    }

    /// A dark-to-bright ramp in the 256-colour cube's greyscale + warm tones.
    static let ramp: [Int] = [16, 17, 18, 19, 55, 91, 127, 163, 199, 205, 209, 215, 221, 227, 229, 231]

    private static func colour(_ v: Float) -> Int {
        ramp[min(ramp.count - 1, max(0, Int(v * Float(ramp.count))))]
    }

    func renderColour() -> String {
        var s = ""
        for r in 0..<rows {
            s += axisLabel(row: r)
            for c in 0..<columns {
                s += "\u{1B}[38;5;\(Self.colour(cells[2 * r][c]))m\u{1B}[48;5;\(Self.colour(cells[2 * r + 1][c]))m▀"
            }
            s += "\u{1B}[0m\n"
        }
        return s + timeAxis()
    }

    func renderPlain() -> String {
        let chars = Array(" .:-=+*#%@")
        var s = ""
        for r in 0..<rows {
            s += axisLabel(row: r)
            for c in 0..<columns {
                let v = max(cells[2 * r][c], cells[2 * r + 1][c])
                s.append(chars[min(chars.count - 1, Int(v * Float(chars.count)))])
            }
            s += "\n"
        }
        return s + timeAxis()
    }

    private func axisLabel(row: Int) -> String {
        if row == 0 { return " 7.6kHz " }
        if row == rows - 1 { return " 125 Hz " }
        return "        "
    }

    /// Tick marks at "nice" second intervals, labels where they fit.
    func timeAxis() -> String {
        let steps: [Double] = [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600]
        let secondsPerColumn = max(duration, 1e-6) / Double(columns)
        let step = steps.first { $0 / secondsPerColumn >= 10 } ?? steps.last!
        var ticks = [Character](repeating: "─", count: columns)
        var labels = [Character](repeating: " ", count: columns + 8)
        var t = 0.0
        while t <= duration + 1e-9 {
            let c = min(columns - 1, Int(t / secondsPerColumn))
            ticks[c] = "┬"
            let text = step < 1 ? String(format: "%.2fs", t) : String(format: "%gs", t)
            if c + text.count <= labels.count { for (i, ch) in text.enumerated() { labels[c + i] = ch } }
            t += step
        }
        return "        " + String(ticks) + "\n        " + String(labels).trimmingCharacters(in: .whitespaces) + "\n"
    }
}
