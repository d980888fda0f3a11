import DSP
import Engine
import Foundation
import Generators
import Media
import TUI

/// A fixed, fully populated engine snapshot for render tests: no engine, no files, no clock.
enum SampleState {
    static let specs: [ParameterSpec] = [
        .number(.topX, "Top-X", range: 1...1024, step: 1, default: 64, integer: true),
        .number(.temperature, "Temperature", range: 0.1...2, step: 0.05, default: 1),
        .choice(.vocoder, "Vocoder", options: [.init("melgan", "MelGAN"), .init("melgan-raw", "MelGAN raw"), .init("griffin-lim", "Griffin-Lim")], default: "melgan"),
        .toggle(.draft, "Draft"),
        .number(.seed, "Seed", range: 0...99_999, step: 1, default: 7, integer: true),
    ]

    /// A generator with every kind of parameter (the test-tone generator's declaration).
    static let promptSpecs: [ParameterSpec] = [
        .number(.steps, "Steps", range: 1...64, step: 1, default: 8, integer: true),
        .number(.temperature, "Temperature", range: 0.1...2, step: 0.05, default: 1),
        .choice("tone", "Tone", options: [.init("sine", "Sine"), .init("square", "Square"), .init("saw", "Saw")], default: "sine"),
        .text(.prompt, "Prompt"),
        .text(.negativePrompt, "Negative"),
        .toggle(.draft, "Draft"),
        .number(.seed, "Seed", range: 0...99_999, step: 1, default: 1, integer: true),
    ]

    /// The sample state with the prompt generator current, a prompt typed and a choice made.
    static func promptSnapshot() -> EngineSnapshot {
        var s = snapshot()
        s.generators = [.init(name: "test-tone", parameters: promptSpecs)]
        s.values = [.steps: 8, .temperature: 1, "tone": "square", .prompt: "a heavy oak door slams, then rattles — ドア", .draft: true, .seed: 3]
        return s
    }

    static func snapshot() -> EngineSnapshot {
        var s = EngineSnapshot()
        s.projectName = "demo"
        s.projectFolder = "/projects/demo"
        s.clips = [
            .init(id: "door-0003", duration: 5.9, takes: 3, missing: false),
            .init(id: "walk-0012", duration: 4.2, takes: 0, missing: false),
            .init(id: "glass-0040", duration: 6.5, takes: 1, missing: true),
        ]
        s.clipIndex = 0
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        s.takes = (1...3).map { (i: Int) -> Project.Take in
            let parameters: [String: ParameterValue] = ["top_x": .number(Double(16 * i)), "temperature": 1]
            let span: ClosedRange<Double>? = i == 3 ? 1.25...2.5 : nil
            let rate: Int? = i == 1 ? nil : 44100                 // the first from before the full-band renderer
            return Project.Take(id: "door-0003-t\(i)", clip: "door-0003", generator: "specvqgan", weightsHash: "abc",
                                parameters: parameters, seed: UInt64(i), file: "takes/t\(i).wav", created: created, span: span, sampleRate: rate)
        }
        s.slotA = "door-0003-t3"
        s.slotB = "door-0003-t2"
        s.side = .a
        s.heard = "door-0003-t3"
        s.cursor = 2.0
        s.playing = true
        s.device = .ready("default")
        s.inPoint = 1.25
        s.outPoint = 2.5
        s.generators = [.init(name: "specvqgan", parameters: specs)]
        s.values = [.topX: 64, .temperature: 0.95, .seed: 8]
        s.mel = MelSpectrogram(bands: 80, frames: 508, values: (0..<(80 * 508)).map { i in
            let band = i / 508, frame = i % 508
            let onset = frame % 86 < 8 ? Float(0.9) : Float(0.25)
            return max(0, min(1, onset - Float(band) / 200))
        })
        s.frame = RGBImage(width: 96, height: 54, pixels: (0..<(96 * 54)).flatMap { p -> [UInt8] in
            let x = p % 96, y = p / 96
            return [UInt8(x * 255 / 95), UInt8(y * 255 / 53), 128]
        })
        s.jobs = [
            .init(id: 4, key: "door-0003", label: "generate door-0003", progress: 0.42, state: .running),
            .init(id: 5, key: "walk-0012", label: "generate walk-0012", progress: 0, state: .queued),
        ]
        s.message = .init(text: "take door-0003-t3 ready in slot A; B holds the previous take", isError: false)
        return s
    }
}
