import ArgumentParser
import Engine
import Foundation
import Generators
import Media

/// `foley generators`: what is installed, and how each generator can be set. Unreadable or
/// mismatched bundles are listed with their reason, never left out.
struct ListGenerators: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generators",
                                                    abstract: "List the installed generators with their parameters, ranges, defaults and inputs.")

    @Option(help: "Folder of model bundles (default: $FOLEY_WEIGHTS, then Weights/ in Foley's data folder).") var weights: String?

    func run() throws {
        let directory = weights ?? ModelBundle.directory()
        let catalog = GeneratorCatalog.load(directory: directory, factories: InstalledGenerators.factories)
        print("weights: \(directory)")
        if let encoder = catalog.visualEncoder {
            print("shared visual encoder: \(encoder.dim)-d features at \(String(format: "%.2f", VideoReader.featureRate)) fps from 64×64 frames")
        }
        for g in catalog.generators {
            print("\n\(g.name)  weights \(g.weightsHash.prefix(12))  window \(String(format: "%.2f", Double(g.windowSamples) / 22050)) s")
            for frontEnd in g.frontEnds {
                print("  input: \(frontEnd.key): " + (frontEnd == .sharedFeatures ? "the shared visual encoder's \(g.featureDim)-d features (one per 1024 samples)" : frontEnd.description))
            }
            for p in g.parameters {
                let flag = p.parameter == .seed ? "  --seed N" : "  --set \(p.parameter.rawValue)=…"
                print(flag.padding(toLength: 28, withPad: " ", startingAt: 0) + "\(p.label): \(p.summary)" + (p.help.isEmpty ? "" : "; \(p.help)"))
            }
        }
        if catalog.generators.isEmpty { print("\nno generator installed") }
        for problem in catalog.problems { print("\nNOT LOADED: \(problem)") }
        if !catalog.problems.isEmpty { throw ExitCode(1) }
    }
}
