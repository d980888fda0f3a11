import Engine
import Generators

/// What the UI holds beyond the engine's snapshot: overlays, focus and the line editor.
public struct UIState: Sendable {
    public var showHelp = false
    /// Index into the current generator's parameters.
    public var focusedSlider = 0
    public var quitting = false
    /// Open while a prompt (or a typed value) is being edited: it takes every key.
    public var editor: LineEditor?

    public init() {}

    /// The focused parameter of the current generator (the index is kept in range when the
    /// generator changes to one with fewer parameters).
    public func focused(in s: EngineSnapshot) -> ParameterSpec? {
        guard let ps = s.generator?.parameters, !ps.isEmpty else { return nil }
        return ps[min(max(0, focusedSlider), ps.count - 1)]
    }

    /// Applies a UI action; returns the engine command to send, if any.
    public mutating func apply(_ action: Action, snapshot: EngineSnapshot) -> Engine.Command? {
        let count = snapshot.generator?.parameters.count ?? 0
        if count > 0 { focusedSlider = min(max(0, focusedSlider), count - 1) }
        switch action {
        case .engine(let command):
            return command
        case .focusSlider(let delta):
            guard count > 0 else { return nil }
            focusedSlider = (focusedSlider + delta % count + count) % count
        case .adjustSlider(let steps):
            guard let spec = focused(in: snapshot) else { return nil }
            return .adjust(spec.parameter, steps: steps)
        case .editParameter:
            guard let spec = focused(in: snapshot) else { return nil }
            switch spec.kind {
            case .text(let maxLength):
                editor = LineEditor(parameter: spec.parameter, title: spec.label, text: spec.display(snapshot.values[spec.parameter]), maxLength: maxLength)
            case .number:
                editor = LineEditor(parameter: spec.parameter, title: spec.label, text: spec.display(snapshot.values[spec.parameter]), maxLength: 24)
            case .choice, .toggle:
                return .adjust(spec.parameter, steps: 1)
            }
        case .export(let mux):
            return .export(StemExporter.Format(mux: mux))
        case .toggleHelp:
            showHelp.toggle()
        case .quit:
            if showHelp { showHelp = false } else { quitting = true }
        }
        return nil
    }

    /// A key while the editor is open. Enter parses the text by the parameter's declaration:
    /// a valid value closes the editor and is sent; an invalid one keeps it open with the
    /// reason. Esc closes it and changes nothing.
    public mutating func edit(_ key: Key, snapshot: EngineSnapshot) -> Engine.Command? {
        guard var e = editor else { return nil }
        switch e.handle(key) {
        case .editing:
            editor = e
        case .cancel:
            editor = nil
        case .commit(let text):
            guard let spec = snapshot.generator?.parameters.first(where: { $0.parameter == e.parameter }) else { editor = nil; return nil }
            do {
                let value = try spec.parse(text)
                editor = nil
                return .set(spec.parameter, value)
            } catch {
                e.error = "\(error)"
                editor = e
            }
        }
        return nil
    }
}
