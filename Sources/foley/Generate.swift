import ArgumentParser
import Engine
import Foundation
import DSP
import Evaluation
import Generators
import Media
import Runtime

/// Generates a whole clip (however long) with one generator, window by window, the same way
/// the workstation's `g` does, and writes a float WAV at 22 050 Hz (44 100 Hz with --full-band,
/// through the shared full-band renderer as the workstation's takes are). Several clips with `-o`
/// naming a folder write FOLDER/<clip name>.wav each, which is how `foley eval` rows are made.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a clip's sound with a generator and write it as a WAV.",
        discussion: "Example: foley generate --generator specvqgan --top-x 64 --temperature 1 --seed 7 clip.mp4 -o take.wav")

    @Argument(help: "Video clip(s).") var clips: [String]
    @Option(name: .shortAndLong, help: "Output WAV (one clip) or folder (several clips, or a path ending in /).") var output: String
    @Option(help: "Generator bundle name in the weights folder.") var generator = "specvqgan"
    @Option(help: "Folder of model bundles (default: $FOLEY_WEIGHTS, then Weights/).") var weights: String?
    @Option(name: .customLong("top-x"), help: "Sample from the X most likely tokens (default and range: the generator's, see `foley generators`).") var topX: Int?
    @Option(help: "Sampling temperature (default and range: the generator's, see `foley generators`).") var temperature: Double?
    @Option(name: .customLong("cfg-scale"), help: "Classifier-free guidance scale, for generators that use it (range: `foley generators`).") var cfgScale: Double?
    @Option(help: "Sampling steps, for generators that use them (range: `foley generators`).") var steps: Int?
    @Option(help: "Candidates per window where the picture has hits; the best-synced is kept (1: no ranking; range: `foley generators`).") var candidates: Int?
    @Option(name: .customLong("set"), help: ArgumentHelp("Any parameter of the generator by name, e.g. --set top_x=64 --set draft=1 (repeatable; `foley generators` lists each one's names, ranges and defaults).", valueName: "name=value"))
    var settings: [String] = []
    @Option(help: "Seed, 0…2^64−1: the same seed, settings and weights give the same samples.") var seed: UInt64 = 1
    @Option(help: "SpecVQGAN's waveform renderer (same as --set vocoder=…): melgan (trained vocoder, its mel envelope matched to the decoded mel), melgan-raw (the vocoder alone) or griffin-lim.") var vocoder: String?
    @Option(help: "Text prompt, for generators that read one (same as --set prompt=…).") var prompt: String?
    @Option(name: .customLong("negative-prompt"), help: "What the take should not sound like, for generators that read it.") var negativePrompt: String?
    @Flag(help: "Render with the bundle's smaller draft vocoder (faster; the same seed without --draft gives the same take at full quality).")
    var draft = false
    @Flag(help: "Skip clips whose output already exists.") var resume = false
    @Flag(help: "SpecVQGAN and FRIEREN: pass the clip's own audio through the codec (or VAE) and the vocoder instead of generating (the reconstruction floor).")
    var reconstruct = false
    @Flag(name: .customLong("full-band"), help: "Write 44.1 kHz through the shared full-band renderer (Weights/fullband-vocoder), as the workstation does when it is installed.")
    var fullBand = false
    @Option(name: .customLong("full-band-bundle"), help: "The full-band vocoder's bundle in the weights folder.") var fullBandBundle = "fullband-vocoder"
    @Option(name: .customLong("full-band-mode"), help: "split (the take below 9 kHz, the full-band vocoder above: the workstation's) or vocoder (the full-band vocoder across the whole band, from the take's mel; with --reconstruct, from the codec's mel).")
    var fullBandMode: FullBandRenderer.Mode = .split
    @Flag(name: .customLong("mel-only"), help: "With --reconstruct: skip the codec (or VAE), the clip's own mel straight to the renderer: the renderer's own floor.")
    var melOnly = false
    @Option(name: .customLong("inpaint-middle"), help: ArgumentHelp("Inpaint instead of generating: this many seconds in the middle of each clip regenerated from the clip's own audio on both sides, as `i` does (for `foley inpaint-study`).", valueName: "seconds"))
    var inpaintMiddle: Double?

    func validate() throws {
        if let s = inpaintMiddle, !(s > 0 && s.isFinite) { throw ValidationError("--inpaint-middle: got [\(s)], expected [a positive number of seconds]") }
        if reconstruct && inpaintMiddle != nil { throw ValidationError("--reconstruct and --inpaint-middle: choose one") }
        if melOnly && !reconstruct { throw ValidationError("--mel-only goes with --reconstruct") }
    }

    func run() throws {
        let directory = weights ?? ModelBundle.directory()
        let catalog = GeneratorCatalog.load(directory: directory, factories: InstalledGenerators.factories)
        guard let gen = catalog.generators.first(where: { $0.name == generator }) else {
            let have = catalog.generators.map(\.name)
            throw ValidationError("no generator '\(generator)' in \(directory)"
                + (have.isEmpty ? "" : "; installed: \(have.joined(separator: ", "))")
                + (catalog.problems.isEmpty ? "" : " (\(catalog.problems.joined(separator: "; ")))"))
        }
        guard let encoder = catalog.visualEncoder else { throw ValidationError(catalog.problems.first ?? "no visual encoder in \(directory)") }
        let parameters = try self.parameters(for: gen)
        let renderer = try fullBand ? FullBandRenderer(bundle: ModelBundle(path: directory + "/" + fullBandBundle, kind: FullBandVocoder.kind)) : nil
        let rate = renderer?.rate ?? AudioGeometry.sampleRate
        let analyzer = try MelAnalyzer()                                        // --mel-only: the clip's own mel
        let toFolder = clips.count > 1 || output.hasSuffix("/")
        if toFolder { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) } else { try Self.checkTarget(output) }
        let started = Date()
        var audioSeconds = 0.0
        for (i, clip) in clips.enumerated() {
            let name = ((clip as NSString).lastPathComponent as NSString).deletingPathExtension
            let out = toFolder ? (output as NSString).appendingPathComponent(name + ".wav") : output
            if resume && FileManager.default.fileExists(atPath: out) { continue }
            var info = try MediaInfo.probe(path: clip)
            try info.requireClip()
            if let warning = try info.useDecodablePart() { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
            let total = Int((info.duration * Double(AudioGeometry.sampleRate)).rounded())
            let samples: [Float]
            if reconstruct {
                guard let codec = gen as? Reconstructing else { throw ValidationError("--reconstruct needs a SpecVQGAN or FRIEREN bundle; \(gen.name) is neither") }
                guard let decoded = try AudioReader.read(path: clip, sampleRate: AudioGeometry.sampleRate) else { throw MediaError.invalidArgument("\(clip): has no audio stream to reconstruct") }
                let audio = Array(decoded.samples.prefix(total)) + [Float](repeating: 0, count: max(0, total - decoded.samples.count))
                let kind = parameters[.vocoder]?.text.flatMap(MelRenderer.Kind.init(rawValue:)), draft = parameters[.draft]?.isOn ?? false
                let mel = melOnly ? Self.tensor(analyzer.normalized(audio)) : codec.reconstructedMel(audio)   // [80, ≥ frames]
                let n = total * rate / AudioGeometry.sampleRate
                let out: [Float]
                if let renderer, fullBandMode == .vocoder { out = renderer.vocoder(mel: mel) } else {
                    let floor = codec.melRenderer(mel: mel, seed: 0, draft: draft, kind: kind)
                    out = try renderer?.render(working: Self.fit(floor, total)) ?? floor
                }
                samples = Self.fit(out, n)
            } else {
                let features = try ClipMedia.features(path: clip, encoder: encoder, limit: info.duration)
                var inputs: [FrontEnd: Tensor] = [:]
                for frontEnd in gen.frontEnds where frontEnd != .sharedFeatures {
                    inputs[frontEnd] = try ClipMedia.input(frontEnd, path: clip, encoder: encoder, limit: info.duration)
                }
                let chain = WindowChain(window: gen.windowSamples)
                let working: [Float]
                if let inpaintMiddle {
                    guard let decoded = try AudioReader.read(path: clip, sampleRate: AudioGeometry.sampleRate) else { throw MediaError.invalidArgument("\(clip): has no audio stream to inpaint") }
                    let audio = Array(decoded.samples.prefix(total)) + [Float](repeating: 0, count: max(0, total - decoded.samples.count))
                    let span = SpanStudy.middle(duration: info.duration, length: inpaintMiddle), rate = Double(AudioGeometry.sampleRate)
                    working = try chain.inpaint(generator: gen, features: features, inputs: inputs, original: audio,
                                                span: Int(span.lowerBound * rate)..<Int(span.upperBound * rate), parameters: parameters, seed: seed)
                } else {
                    working = try chain.render(generator: gen, features: features, inputs: inputs, audio: [Float](repeating: 0, count: total),
                                               known: [Bool](repeating: false, count: total), parameters: parameters, seed: seed)
                }
                samples = try renderer?.render(working: working, mode: fullBandMode) ?? working
            }
            try WAVAudio(sampleRate: rate, format: .float32, samples: samples).write(to: out)
            audioSeconds += info.duration
            if toFolder {
                FileHandle.standardError.write(Data("\r\(i + 1)/\(clips.count) \(name)".utf8))
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        FileHandle.standardError.write(Data(String(format: "%@generated %.1f s of audio in %.1f s (%.2f× real time)\n",
                                                   toFolder ? "\n" : "", audioSeconds, elapsed, elapsed / max(audioSeconds, 1e-9)).utf8))
    }

    static func tensor(_ m: MelSpectrogram) -> Tensor { Tensor(shape: [m.bands, m.frames], m.values) }

    /// Trimmed or zero-padded to `n` samples.
    static func fit(_ x: [Float], _ n: Int) -> [Float] { x.count >= n ? Array(x.prefix(n)) : x + [Float](repeating: 0, count: n - x.count) }

    /// Refuses a `-o` file target before any work: its folder must exist, and whatever is there
    /// must be a regular file (a link, FIFO or device is never replaced).
    static func checkTarget(_ path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        guard folder.isEmpty || (FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) && isDir.boolValue) else {
            throw ValidationError("-o \(path): the folder \(folder) does not exist")
        }
        if let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType, type != .typeRegular {
            throw MediaError.notARegularFile(path: path)
        }
    }

    /// The generator's defaults, overridden by the options given; an option the generator
    /// does not read, a value out of range or one given twice is an error naming what is
    /// accepted, never silently ignored or clamped.
    func parameters(for gen: Generator) throws -> ParameterValues {
        var values = gen.defaults
        var given: [(Parameter, String?, String)] = [
            (.topX, topX.map(String.init), "--top-x"), (.temperature, temperature.map { "\($0)" }, "--temperature"),
            (.cfgScale, cfgScale.map { "\($0)" }, "--cfg-scale"), (.steps, steps.map(String.init), "--steps"),
            (.candidates, candidates.map(String.init), "--candidates"), (.draft, draft ? "on" : nil, "--draft"),
            (.vocoder, vocoder, "--vocoder"), (.prompt, prompt, "--prompt"), (.negativePrompt, negativePrompt, "--negative-prompt"),
        ]
        for setting in settings {
            let (parameter, value) = try Self.split(setting, for: gen)
            if given.contains(where: { $0.0 == parameter && $0.1 != nil }) {
                throw ValidationError("--set \(setting): \(parameter) is given twice")
            }
            given.append((parameter, value, "--set \(parameter)"))
        }
        for case let (parameter, text?, flag) in given {
            guard let spec = gen.spec(parameter) else {
                throw ValidationError("\(flag): \(gen.name) does not use \(parameter); it reads \(gen.parameters.map(\.parameter.rawValue).joined(separator: ", "))")
            }
            do { values[parameter] = try spec.parse(text) } catch {
                throw ValidationError("\(flag) for \(gen.name): \(error)")
            }
        }
        return values
    }

    /// "name=value" with a parameter's name (top_x) or label (Top-X).
    static func split(_ setting: String, for gen: Generator) throws -> (Parameter, String) {
        let parts = setting.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let known = gen.parameters.map(\.parameter.rawValue).joined(separator: ", ")
        let key = parts.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard parts.count == 2, !key.isEmpty else {
            throw ValidationError("--set: got [\(setting)], expected [name=value]; \(gen.name) reads \(known)")
        }
        guard let spec = gen.parameters.first(where: { $0.parameter.rawValue == key || $0.label.lowercased() == key }), spec.parameter != .seed else {
            throw ValidationError("--set: got [\(parts[0])], expected [one of \(known)] (the seed is --seed)")
        }
        return (spec.parameter, parts[1])
    }
}

extension FullBandRenderer.Mode: ExpressibleByArgument {}
