import ArgumentParser
import Engine
import Foundation
import Generators
import Media
import Runtime

/// `foley imagine`: the frame Visual Echoes imagines for a sound at a moment, as a PNG (the
/// paper's audio-to-image direction). The sound is a project's take or any audio file.
struct Imagine: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the picture Visual Echoes imagines for a take's sound at a moment (64×64 PNG).",
        discussion: "Examples: foley imagine PROJECT --take test-00013-1a2b3c4d --at 2.5 -o frame.png;  foley imagine --audio take.wav --at 1 -o frame.png")

    @Argument(help: "Project folder (with --take).") var project: String?
    @Option(help: "Take id in the project.") var take: String?
    @Option(help: "Or an audio file (any format FFmpeg reads).") var audio: String?
    @Option(help: "Seconds into the sound.") var at: Double = 0
    @Option(name: .shortAndLong, help: "Output PNG.") var output: String
    @Option(help: "Generator bundle name (a Visual Echoes bundle).") var generator = "visual-echoes"
    @Option(help: "Folder of model bundles (default: $FOLEY_WEIGHTS, then Weights/).") var weights: String?
    @Option(help: "Unmasking steps (paper: 15).") var steps = 15
    @Option(help: "Seed.") var seed: UInt64 = 1

    func run() throws {
        let path: String
        if let take {
            guard let project else { throw ValidationError("--take needs the project folder as the argument") }
            let store = try ProjectStore.openReadOnly(folder: project)
            guard let t = store.project.takes.first(where: { $0.id == take }) else {
                throw ValidationError("\(project): no take '\(take)'; takes: \(store.project.takes.map(\.id).joined(separator: ", "))")
            }
            path = try store.owned(t.file)
        } else if let audio {
            path = audio
        } else {
            throw ValidationError("give a project and --take ID, or --audio FILE")
        }
        guard let sound = try AudioReader.read(path: path, sampleRate: 22050) else { throw MediaError.invalidArgument("\(path): has no audio stream") }
        guard at.isFinite, at >= 0, at <= Double(sound.samples.count) / 22050 else {
            throw ValidationError("--at \(at): got [\(at) s], expected [0…\(String(format: "%.2f", Double(sound.samples.count) / 22050)) s, the sound's length]")
        }
        let directory = weights ?? ModelBundle.directory()
        let catalog = GeneratorCatalog.load(directory: directory, factories: InstalledGenerators.factories)
        guard let g = catalog.generators.first(where: { $0.name == generator }) as? VisualEchoesGenerator else {
            throw ValidationError("no Visual Echoes generator '\(generator)' in \(directory)"
                + (catalog.problems.isEmpty ? "" : " (\(catalog.problems.joined(separator: "; ")))"))
        }
        try Generate.checkTarget(output)
        let picture = g.imagine(audio: sound.samples, at: at, steps: steps, seed: seed)            // [3, 64, 64]
        try PNG.write(RGBImage(planes: picture), to: output)
        FileHandle.standardError.write(Data("imagined \(output) for \(String(format: "%.2f", at)) s of \(path)\n".utf8))
    }
}
