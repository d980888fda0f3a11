import Foundation

// Benchmarks (never timed unit tests). Each section prints ratios measured in this run.
// Usage: foley-bench [section ...]   sections: media dsp runtime ui specvqgan visual-echoes frieren fullband eval long (default: all)

let all = ["media", "dsp", "runtime", "ui", "specvqgan", "visual-echoes", "frieren", "fullband", "eval", "long"]
if CommandLine.arguments.count == 4, CommandLine.arguments[1] == LongClipBench.childFlag {
    try LongClipBench.engineChild(clip: CommandLine.arguments[2], project: CommandLine.arguments[3])
    exit(0)
}
let chosen = CommandLine.arguments.dropFirst().isEmpty ? all : Array(CommandLine.arguments.dropFirst())
for section in chosen {
    switch section {
    case "media": try MediaBench.run()
    case "dsp": try DSPBench.run()
    case "runtime": try RuntimeBench.run()
    case "ui": try UIBench.run()
    case "specvqgan": try SpecVQGANBench.run()
    case "visual-echoes": try VisualEchoesBench.run()
    case "frieren": try FrierenBench.run()
    case "fullband": try FullBandBench.run()
    case "eval": try EvalBench.run()
    case "long": try LongClipBench.run()
    default: print("unknown section '\(section)'; known: \(all.joined(separator: " "))")
    }
}
