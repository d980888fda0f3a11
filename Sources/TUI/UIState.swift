import Engine
import Generators

/// What the UI holds beyond the engine's snapshot: overlays and focus.
public struct UIState: Sendable {
    public var showHelp = false
    /// Index into `Parameter.allCases`.
    public var focusedSlider = 0
    public var quitting = false

    public init() {}

    public var focusedParameter: Parameter { Parameter.allCases[focusedSlider] }

    /// Applies a UI action; returns the engine command to send, if any.
    public mutating func apply(_ action: Action, snapshot: EngineSnapshot) -> Engine.Command? {
        switch action {
        case .engine(let command):
            return command
        case .focusSlider(let delta):
            focusedSlider = (focusedSlider + delta + Parameter.allCases.count) % Parameter.allCases.count
        case .adjustSlider(let steps):
            return .adjust(focusedParameter, steps: steps)
        case .export(let mux):
            return .export(StemExporter.Format(mux: mux))
        case .toggleHelp:
            showHelp.toggle()
        case .quit:
            if showHelp { showHelp = false } else { quitting = true }
        }
        return nil
    }
}
