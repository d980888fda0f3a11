import Engine
import Foundation

/// The interactive loop, htop-style: read a key (or time out), turn it into an action for the
/// engine or the UI, then render the engine's snapshot and send the changed cells.
public final class App {
    let engine: Engine
    let theme: Theme
    public private(set) var ui = UIState()
    /// Frame budget: keys are read with this timeout, so the playhead moves at ~60 fps.
    static let tick: Int32 = 16

    public init(engine: Engine, theme: Theme) {
        self.engine = engine
        self.theme = theme
    }

    /// Handles one key: returns false once the user has quit.
    @discardableResult
    public func press(_ key: Key) -> Bool {
        if key == .char("\u{3}") { ui.quitting = true; return false }   // Ctrl-C in raw mode
        if key == .resize { return true }
        if ui.editor != nil {
            // Modal: no binding fires while text is being typed (q is a letter here).
            if let command = ui.edit(key, snapshot: engine.snapshot()) { engine.send(command) }
            return true
        }
        if ui.showHelp {
            // Any key closes the help overlay (q too, without quitting).
            ui.showHelp = false
            return true
        }
        guard let action = KeyTable.action(for: key) else { return true }
        if let command = ui.apply(action, snapshot: engine.snapshot()) { engine.send(command) }
        return !ui.quitting
    }

    public func frame(width: Int, height: Int) -> CellGrid {
        Screen.render(engine.snapshot(), ui, theme: theme, width: width, height: height)
    }

    /// What decides whether the screen must be redrawn: cheap to compare, unlike the grid.
    struct Signature: Equatable {
        var version: Int
        var cursor: Int
        var playing: Bool
        var rate: Int
        var looping: Bool
        var jobs: [JobQueue.Status]
        var device: Player.Device
        var help: Bool
        var slider: Int
        var editor: LineEditor?
        var width: Int
        var height: Int

        init(_ s: EngineSnapshot, _ ui: UIState, _ width: Int, _ height: Int) {
            version = s.version
            cursor = Int(s.cursor * 1000)
            playing = s.playing
            rate = s.rate
            looping = s.looping
            jobs = s.jobs
            device = s.device
            help = ui.showHelp
            slider = ui.focusedSlider
            editor = ui.editor
            self.width = width
            self.height = height
        }
    }

    /// Redraws only when something visible changed, so an idle workstation costs no CPU.
    public func run(terminal: Terminal) {
        var last: Signature?
        while !ui.quitting {
            if let key = terminal.read(timeout: Self.tick) {
                guard press(key) else { break }
                engine.flush()
            }
            let size = terminal.size
            let snapshot = engine.snapshot()
            let signature = Signature(snapshot, ui, size.width, size.height)
            guard signature != last else { continue }
            terminal.draw(Screen.render(snapshot, ui, theme: theme, width: size.width, height: size.height))
            last = signature
        }
    }
}
