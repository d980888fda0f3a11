import Foundation
import Generators
import Media
import Runtime

extension Engine {
    /// Queues a generation for the current clip (the whole clip, or `span` as an inpaint of the
    /// heard take). A newer request for the same clip supersedes this one. The new take lands in
    /// slot A and the previous A moves to B, so regenerate-and-compare is one key away.
    /// `again` re-renders a take: its generator, seed and parameters instead of the sliders'
    /// (the seed slider then stays where it is).
    func generate(span: ClosedRange<Double>?, again: (generator: String, seed: UInt64, parameters: ParameterValues)? = nil) {
        if let reason = state.generatorUnavailable { return say(reason, error: true) }
        do { try store.requireWritable() } catch { return say("\(error)", error: true) }
        guard let name = again?.generator ?? state.generator?.name, let generator = catalog.generators.first(where: { $0.name == name }),
              let encoder = catalog.visualEncoder, let clip = store.project.clips.first(where: { $0.id == currentClipID }) else {
            return say("nothing to generate", error: true)
        }
        let path = store.resolve(clip.path)
        guard FileManager.default.fileExists(atPath: path) else {
            refreshClips()
            return say("\(path): no such file (moved or deleted?); cannot read its pictures", error: true)
        }
        // An inpaint reads the heard take at the working rate and keeps it, outside the span,
        // as its file holds it: at its own rate, bit for bit.
        var base: (working: [Float], file: [Float], rate: Int)?
        if span != nil {
            guard let id = state.heard, let take = state.takes.first(where: { $0.id == id }) else {
                return say("inpainting needs a take to repair: generate one first", error: true)
            }
            do {
                let file = try takeFile(take)
                base = (try takeAudio(take, rate: workingRate), file.samples, file.rate)
            } catch { return say("take \(id): \(error)", error: true) }
        }
        let seed = again?.seed ?? UInt64(state.values[.seed]?.number ?? 1)
        let given = again?.parameters ?? state.values
        // Every declared parameter, normalised: the take records what the generator read.
        let parameters = generator.parameters.reduce(into: ParameterValues()) { if $1.parameter != .seed { $0[$1.parameter] = $1.normalized(given[$1.parameter]) } }
        let original = base, fullBand = catalog.fullBand, working = workingRate
        let clipID = clip.id, track = state.track, total = Int((clip.duration * Double(workingRate)).rounded())
        let label = again != nil ? "full quality \(clipID)" : span == nil ? "generate \(clipID)" : String(format: "inpaint %@ %.2f–%.2f s", clipID, span!.lowerBound, span!.upperBound)
        let rate = Double(workingRate)
        jobs.submit(key: clipID, label: label) { [weak self] context in
            guard let self else { return }
            let (feats, inputs) = try self.clipInputs(clipID, path: path, limit: clip.duration, generator: generator, encoder: encoder) {
                context.progress(0.1 * $0)
            }
            let chain = WindowChain(window: generator.windowSamples)
            let progress: (Double) -> Bool = { context.progress(0.1 + 0.9 * $0) }
            let samples: [Float], takeRate: Int
            var renderer: String?                 // the full-band renderer's weights, where the take went through it
            if let span, let base = original {
                let range = Int(span.lowerBound * rate)..<Int(span.upperBound * rate)
                let out = try chain.inpaint(generator: generator, features: feats, inputs: inputs, original: base.working, span: range,
                                            parameters: parameters, seed: seed, progress: progress, status: { context.detail($0) })
                if base.rate == working {
                    (samples, takeRate) = (out, working)
                } else {
                    context.detail("rendering the span at \(base.rate) Hz")
                    samples = try WindowChain.splice(working: out, span: range, into: base.file, rate: base.rate) { part in
                        if let fullBand, fullBand.rate == base.rate { renderer = fullBand.weightsHash; return try fullBand.render(working: part) }
                        return try SampleRateConverter.convert(part, from: working, to: base.rate)
                    }
                    takeRate = base.rate
                }
            } else {
                let out = try chain.render(generator: generator, features: feats, inputs: inputs, audio: [Float](repeating: 0, count: total),
                                           known: [Bool](repeating: false, count: total), parameters: parameters,
                                           seed: seed, progress: progress, status: { context.detail($0) })
                if let fullBand {
                    context.detail("full-band renderer")
                    guard !context.isCancelled else { throw GenerationCancelled() }
                    (samples, takeRate, renderer) = (try fullBand.render(working: out), fullBand.rate, fullBand.weightsHash)
                } else {
                    (samples, takeRate) = (out, working)
                }
            }
            guard !context.isCancelled else { throw GenerationCancelled() }
            let record = parameters.reduce(into: [String: ParameterValue]()) { $0[$1.key.rawValue] = $1.value }
            let rendered = renderer
            self.send(.finished { engine in
                engine.addTake(clip: clipID, track: track, samples: samples, rate: takeRate, renderer: rendered, generator: generator,
                               parameters: record, seed: seed, span: span)
            })
        }
        // The next press of g makes a different take; the one just queued keeps its seed.
        if again == nil, let spec = generator.spec(.seed) {
            setValue(spec.normalized(.number(Double(seed) + 1)), for: .seed, of: generator.name)
        }
    }

    /// The heard take again with Draft off: same generator, seed and settings, so the same
    /// tokens through the full vocoder — the auditioned take at delivery quality.
    func renderFullQuality() {
        guard let id = state.heard, let take = state.takes.first(where: { $0.id == id }) else {
            return say("no take to render: generate one with Draft on first", error: true)
        }
        guard take.isDraft else { return say("take \(id) is already at full quality") }
        guard take.span == nil else {
            return say("take \(id) inpainted a span of another take: inpaint it again with Draft off", error: true)
        }
        var parameters: ParameterValues = [:]
        for (key, value) in take.parameters { parameters[Parameter(key)] = value }
        parameters[.draft] = .flag(false)
        generate(span: nil, again: (take.generator, take.seed, parameters))
    }

    /// Engine thread: the take's audio goes to disk, then into the project (autosaved).
    func addTake(clip: String, track: String, samples: [Float], rate: Int, renderer: String?, generator: Generator,
                 parameters: [String: ParameterValue], seed: UInt64, span: ClosedRange<Double>?) {
        let take: Project.Take
        do {
            take = try store.addTake(clip: clip, samples: samples, sampleRate: rate, generator: generator.name,
                                     weightsHash: generator.weightsHash, parameters: parameters, seed: seed, span: span, track: track,
                                     fullBandWeights: renderer)
        } catch {
            return say("could not save the new take: \(error)", error: true)
        }
        audio[take.id] = (samples, rate)
        refreshClips()
        guard clip == currentClipID, track == state.track else { return say("take \(take.id) ready for \(clip) (\(track))") }
        let previousA = state.slotA
        mutate {
            $0.takes = self.store.project.takes(for: clip, track: track)
            $0.slotA = take.id
            $0.slotB = previousA ?? $0.slotB
            $0.side = .a
            $0.message = .init(text: "take \(take.id) ready in slot A\(previousA == nil ? "" : "; B holds the previous take")", isError: false)
        }
        choose(take.id)
    }

    /// Export (and mux) on the export worker, with progress in the Jobs panel, so play, stop
    /// and scrubbing never wait behind a long reel. The worker gets a copy of the project as it
    /// is now; the store's files are only read, and stem versions are chosen under the lock.
    func export(_ format: StemExporter.Format) {
        do { try store.requireWritable() } catch { return say("\(error)", error: true) }
        let store = self.store, project = store.project
        let label = format.mux ? "export stems + movies" : "export stems"
        // A unique key: a second export queues behind the first instead of superseding it.
        exports.submit(key: "export-\(UUID().uuidString)", label: label) { [weak self] context in
            let text: String
            do {
                let result = try StemExporter.export(store, project: project, format: format, progress: context.progress)
                let names = result.written.map { ($0 as NSString).lastPathComponent }
                text = names.isEmpty ? "nothing to export: no clip has a take yet"
                    : "exported \(names.count) file(s) to stems/: \(names.joined(separator: ", "))"
            } catch let stopped as StemExporter.ExportCancelled {
                text = "export cancelled after \(stopped.written.count) complete file(s)"
            } catch {
                self?.send(.finished { $0.say("export failed: \(error)", error: true) })
                return
            }
            self?.send(.finished { $0.say(text) })
        }
    }
}

extension Engine {
    /// Visual Echoes' audio-to-image direction on the heard take at the playhead, on the
    /// compute thread; the picture panel shows it until the playhead moves.
    func imagine() {
        let echoes = (catalog.generators.first { $0.name == state.generator?.name } as? VisualEchoesGenerator)
            ?? catalog.generators.lazy.compactMap { $0 as? VisualEchoesGenerator }.first
        guard let g = echoes else { return say("no Visual Echoes generator installed: it is the one that imagines pictures from sound", error: true) }
        guard let id = state.heard, let take = state.takes.first(where: { $0.id == id }) else {
            return say("no take to imagine a picture from: generate one first", error: true)
        }
        let samples: [Float]
        do { samples = try takeAudio(take, rate: workingRate) } catch { return say("take \(id): \(error)", error: true) }
        let at = player.snapshot().position
        jobs.submit(key: "imagine", label: String(format: "imagine %.2f s", at)) { [weak self] _ in
            let image = RGBImage(planes: g.imagine(audio: samples, at: at))
            self?.send(.finished { engine in
                engine.mutate { $0.imagined = .init(image: image, at: at, take: id) }
                engine.say(String(format: "%@ imagines this picture for take %@ at %.2f s (move the playhead for the clip's)", g.name, id, at))
            })
        }
    }
}

extension RGBImage {
    /// [3, H, W] planes in 0…1 → interleaved RGB bytes.
    public init(planes t: Tensor) {
        let h = t.dim(1), w = t.dim(2), n = h * w
        let v = t.values
        var pixels = [UInt8](repeating: 0, count: 3 * n)
        for i in 0..<n { for c in 0..<3 { pixels[3 * i + c] = UInt8(max(0, min(255, (v[c * n + i] * 255).rounded()))) } }
        self.init(width: w, height: h, pixels: pixels)
    }
}
