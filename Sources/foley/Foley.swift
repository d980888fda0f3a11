import ArgumentParser
import DSP
import Engine
import Evaluation
import Generators
import Runtime
import Foundation
import Media
import TUI

@main
struct Foley: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "foley",
        abstract: "A terminal foley workstation: generate synchronised sound effects for video.",
        subcommands: [Open.self, New.self, Generate.self, FullBand.self, ListGenerators.self, Imagine.self, Export.self, Info.self, Mel.self, Eval.self, InpaintStudy.self, Reference.self, Doctor.self, StressSave.self])

    static func main() {
        setlocale(LC_ALL, "")
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // Our own errors already name the file and the problem: print them plainly.
            if error is MediaError || error is DSPError || error is EvaluationError || error is RuntimeError || error is GeneratorError || error is ProjectError
                || error is ThemeError || error is TerminalError || error is PlayerError {
                FileHandle.standardError.write(Data("foley: \(error)\n".utf8))
                Foundation.exit(1)
            }
            exit(withError: error)
        }
    }
}
