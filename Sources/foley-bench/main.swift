import Foundation

// Benchmarks (never timed unit tests). Each section prints ratios measured in this run.
// Usage: foley-bench [section ...]   sections: media dsp runtime ui specvqgan eval (default: all)

let all = ["media", "dsp", "runtime", "ui", "specvqgan", "eval"]
let chosen = CommandLine.arguments.dropFirst().isEmpty ? all : Array(CommandLine.arguments.dropFirst())
for section in chosen {
    switch section {
    case "media": try MediaBench.run()
    case "dsp": try DSPBench.run()
    case "runtime": try RuntimeBench.run()
    case "ui": try UIBench.run()
    case "specvqgan": try SpecVQGANBench.run()
    case "eval": try EvalBench.run()
    default: print("unknown section '\(section)'; known: \(all.joined(separator: " "))")
    }
}
