import ArgumentParser
import Engine
import Foundation
import Generators
import Install
import TestGenerator
import TUI

struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a project in the workstation (terminal UI).",
        discussion: "Keys: Space play, J/K/L shuttle, ←/→ scrub, I/O in/out, g generate, i inpaint, Tab/A/B compare, e export, ? help, q quit.")

    @Argument(help: "The project folder (default: your copy of the bundled demo, made on first use in ~/.local/share/foley/demo).")
    var project: String?
    @Option(help: "Colour theme: a name in Themes/ or a .toml path.") var theme = "dark"
    @Option(help: "ALSA playback device (default: $FOLEY_ALSA_DEVICE, then 'default').") var device: String?
    @Option(help: "Folder of model bundles (default: $FOLEY_WEIGHTS, then Weights/).") var weights: String?
    @Flag(help: "Open without writing anything (to look at a project another Foley has open): play, scrub and compare; no takes, no export.")
    var readOnly = false

    func run() throws {
        let theme = try Theme.load(self.theme)
        let project = try self.project ?? DemoCopy.prepare()
        let store: ProjectStore, lock: ProjectLock?
        if readOnly { (store, lock) = (try ProjectStore.openReadOnly(folder: project), nil) }
        else { let opened = try ProjectStore.openForWriting(folder: project); (store, lock) = (opened.0, opened.1) }
        defer { lock?.release() }
        let catalog = GeneratorCatalog.load(directory: weights ?? ModelBundle.directory(), factories: InstalledGenerators.factories)
        let terminal = try Terminal()
        let player = Player(deviceName: device)
        let engine = Engine(store: store, catalog: catalog, player: player)
        let app = App(engine: engine, theme: theme)
        app.run(terminal: terminal)
        terminal.close()
        engine.shutdown()
        // One more try (the disk may have come back); a project that is still not saved is
        // reported as such, with the reason, and the exit status says so.
        if store.unsavedReason != nil { try? store.save() }
        if let reason = store.unsavedReason {
            FileHandle.standardError.write(Data("\(store.projectFile): NOT saved: \(reason)\nchanges since the last successful save are lost\n".utf8))
            throw ExitCode(1)
        }
        if let reason = store.readOnlyReason {
            print("\(store.projectFile): opened read-only (\(reason)); nothing was written")
            return
        }
        print("saved \(store.projectFile)")
    }
}

/// The bundled demo is never opened in place (it may be read-only, and takes written into an
/// installed share/ folder or a checkout would be lost or committed): each user gets a copy.
enum DemoCopy {
    static func prepare() throws -> String {
        let target = FoleyHome.userDemoFolder()
        if FileManager.default.fileExists(atPath: target + "/" + Project.fileName) { return target }
        let source = try FoleyHome.locate() + "/Projects/demo"
        guard FileManager.default.fileExists(atPath: source + "/" + Project.fileName) else {
            throw ValidationError("\(source): got [no demo project], expected [the bundled demo (project.json and clips/)]")
        }
        let parent = (target as NSString).deletingLastPathComponent
        let partial = parent + "/.demo-copy-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: partial)
            try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: false)
            // Only what makes the project: a checkout's demo may hold takes from earlier sessions.
            for item in [Project.fileName, "clips", "README.md"] where FileManager.default.fileExists(atPath: source + "/" + item) {
                try FileManager.default.copyItem(atPath: source + "/" + item, toPath: partial + "/" + item)
            }
            try FileManager.default.moveItem(atPath: partial, toPath: target)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw ValidationError("cannot copy the demo to \(target): \(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("copied the bundled demo to \(target)\n".utf8))
        return target
    }
}

/// The generator kinds this build can load, by config "kind": SpecVQGAN (once its trained
/// bundle is in Weights/), and the test generator only when FOLEY_TEST_GENERATOR=1.
enum InstalledGenerators {
    static var factories: [String: GeneratorFactory] {
        var f = TestToneGenerator.factories
        f[SpecVQGANGenerator.kind] = { try SpecVQGANGenerator(bundle: $0) }
        f[VisualEchoesGenerator.kind] = { try VisualEchoesGenerator(bundle: $0) }
        f[FrierenGenerator.kind] = { try FrierenGenerator(bundle: $0) }
        return f
    }
}

/// Adds takes as fast as it can, printing each id once it is saved: the kill-during-save
/// fault test kills this at random moments and checks the project still opens.
struct StressSave: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stress-save", shouldDisplay: false)

    @Argument var project: String
    @Option var count = 1000

    func run() throws {
        let store = try ProjectStore.open(folder: project)
        guard let clip = store.project.clips.first?.id else { throw ValidationError("project has no clips") }
        for i in 0..<count {
            let samples = (0..<4410).map { Float(sin(Double($0 + i) * 0.05)) * 0.1 }
            let take = try store.addTake(clip: clip, samples: samples, sampleRate: 22050, generator: "stress", weightsHash: "0",
                                         parameters: ["i": .number(Double(i))], seed: UInt64(i))
            FileHandle.standardOutput.write(Data("saved \(take.id)\n".utf8))
        }
    }
}
