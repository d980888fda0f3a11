import DSP
import Foundation
import Generators
import Media

extension Engine {
    /// One visual frame: the ←/→ scrub step.
    static let frameStep = 1024.0 / 22050.0

    func handle(_ command: Command) {
        switch command {
        case .togglePlay:
            if player.snapshot().playing { player.pause() } else { player.play() }
        case .pause:
            player.pause()
        case .shuttle(let direction):
            let now = player.snapshot()
            let rate = now.playing && now.rate.signum() == direction ? max(-4, min(4, now.rate * 2)) : direction
            player.play(rate: rate)
        case .scrub(let seconds):
            player.seek(to: max(0, min(clipDuration, player.snapshot().position + seconds)))
        case .seek(let t):
            player.seek(to: max(0, min(clipDuration, t)))
        case .seekStart:
            player.seek(to: 0)
        case .seekEnd:
            player.seek(to: clipDuration)
        case .markIn, .markOut:
            mark(command)
        case .clearSelection:
            mutate { $0.inPoint = nil; $0.outPoint = nil }
            player.setLoop(nil)
            persist { $0.selections[self.currentClipID] = nil }
        case .toggleLoop:
            if player.snapshot().loop != nil { player.setLoop(nil) } else if let sel = state.selection { player.setLoop(sel) } else {
                say("set in and out points (I, O) to loop a span")
            }
        case .nextTake, .previousTake:
            stepTake(command)
        case .compare(let side):
            compare(side)
        case .nextClip:
            selectClip(state.clipIndex + 1)
        case .previousClip:
            selectClip(state.clipIndex - 1)
        case .nextTrack:
            mutate { $0.trackIndex = ($0.trackIndex + 1) % max(1, $0.tracks.count) }
            selectClip(state.clipIndex)
            say("track \(state.track): new takes go here; stems are written per track")
        case .nextGenerator:
            guard !state.generators.isEmpty else { return say(catalog.unavailableReason ?? "no generator installed", error: true) }
            mutate {
                $0.generatorIndex = ($0.generatorIndex + 1) % $0.generators.count
                $0.values = self.values[$0.generators[$0.generatorIndex].name] ?? [:]
            }
        case .adjust(let parameter, let steps):
            adjust(parameter, steps)
        case .set(let parameter, let value):
            set(parameter, value)
        case .generate:
            generate(span: nil)
        case .renderFullQuality:
            renderFullQuality()
        case .inpaint:
            guard let span = state.selection else { return say("select a span with I and O first, then press i", error: true) }
            generate(span: span)
        case .imagine:
            imagine()
        case .cancelJobs:
            jobs.cancelAll()
            exports.cancelAll()
        case .export(let format):
            export(format)
        case .finished(let body):
            body(self)
        }
    }

    var currentClipID: String { state.clip?.id ?? "" }
    var clipDuration: Double { state.clip?.duration ?? 0 }

    /// Reads the project into the snapshot: clips, generators, remembered choices and sliders.
    func restore() {
        let project = store.project
        var s = EngineSnapshot()
        s.projectName = project.name
        s.projectFolder = store.folder
        s.unsaved = store.unsavedReason
        s.readOnly = store.readOnlyReason
        s.tracks = project.trackNames
        s.generators = catalog.generators.map { .init(name: $0.name, parameters: $0.parameters) }
        s.generatorUnavailable = catalog.unavailableReason
        for g in catalog.generators {
            var v: ParameterValues = [:]
            for spec in g.parameters { v[spec.parameter] = spec.defaultValue }
            for (key, value) in project.settings?[g.name] ?? [:] {
                if let spec = g.spec(Parameter(key)) { v[spec.parameter] = spec.normalized(value) }
            }
            values[g.name] = v
        }
        s.values = s.generators.first.map { values[$0.name] ?? [:] } ?? [:]
        if !store.missingClips.isEmpty {
            s.message = .init(text: "missing clip file(s): \(store.missingClips.joined(separator: ", ")); their takes still play", isError: true)
        }
        lock.lock(); state = s; lock.unlock()
        refreshClips()
        selectClip(0)
    }

    func refreshClips() {
        let project = store.project
        let rows = project.clips.map { c in
            EngineSnapshot.ClipRow(id: c.id, duration: c.duration, takes: project.takes(for: c.id).count,
                                   missing: !FileManager.default.fileExists(atPath: store.resolve(c.path)))
        }
        mutate { $0.clips = rows }
    }

    func selectClip(_ index: Int) {
        let clips = store.project.clips
        guard !clips.isEmpty else { return }
        let i = max(0, min(clips.count - 1, index))
        let clip = clips[i]
        player.pause()
        player.setLoop(nil)
        refreshClips()
        let takes = store.project.takes(for: clip.id, track: state.track)
        let chosen = store.project.chosen?[Project.chosenKey(clip: clip.id, track: state.track)].flatMap { id in takes.contains { $0.id == id } ? id : nil } ?? takes.last?.id
        let other = takes.last { $0.id != chosen }?.id
        let selection = store.project.selections[clip.id]
        mutate {
            $0.clipIndex = i
            $0.takes = takes
            $0.slotA = chosen
            $0.slotB = other
            $0.side = .a
            $0.inPoint = selection?.start
            $0.outPoint = selection?.end
        }
        hear(chosen, keepPosition: false)
        loadPreview(clip)
    }

    /// Makes `takeID` the heard take: loads its audio and mel; at the same position, without a
    /// gap, when `keepPosition` (A/B compare, Tab while playing).
    func hear(_ takeID: String?, keepPosition: Bool) {
        var samples: [Float]?
        var mel: MelSpectrogram?
        if let id = takeID, let take = state.takes.first(where: { $0.id == id }) {
            do {
                samples = try takeAudio(take, rate: player.sampleRate)
                // The mel view is the models' mel, analysed at the working rate.
                mel = try mels[id] ?? analyzer?.normalized(takeAudio(take, rate: workingRate))
                mels[id] = mel
            } catch {
                say("take \(id): \(error)", error: true)
            }
        }
        // No take (or an unreadable one): silence as long as the clip, so the picture still plays.
        if let samples { if keepPosition { player.switchSource(samples) } else { player.load(samples) } }
        else { player.loadSilence(seconds: clipDuration, keepPosition: keepPosition) }
        mutate { $0.heard = takeID; $0.mel = mel }
    }

    /// The take's samples as its file holds them, and their rate (the WAV header's: a take
    /// from before the full-band renderer is 22 050 Hz, one after it 44 100 Hz).
    func takeFile(_ take: Project.Take) throws -> (samples: [Float], rate: Int) {
        if let cached = audio[take.id] { return cached }
        let wav = try WAVAudio.read(path: try store.owned(take.file))
        let file = (samples: wav.mono, rate: wav.sampleRate)
        audio[take.id] = file
        return file
    }

    /// The take at `rate` (the player's, or the working rate generators read), converted by
    /// swresample where its file is at another, and cached.
    func takeAudio(_ take: Project.Take, rate: Int) throws -> [Float] {
        let file = try takeFile(take)
        guard file.rate != rate else { return file.samples }
        let key = "\(take.id)@\(rate)"
        if let cached = audio[key] { return cached.samples }
        let converted = try SampleRateConverter.convert(file.samples, from: file.rate, to: rate)
        audio[key] = (converted, rate)
        return converted
    }

    func loadPreview(_ clip: Project.Clip) {
        guard previews[clip.id] == nil else { return }
        let path = store.resolve(clip.path), limit = clip.duration
        media.submit(key: "preview", label: "preview \(clip.id)") { [weak self] _ in
            let proxy = try ClipMedia.preview(path: path, limit: limit)
            self?.previews[clip.id] = proxy
            self?.send(.finished { $0.mutate { _ in } })
        }
    }

    func mark(_ command: Command) {
        let t = player.snapshot().position
        mutate {
            if case .markIn = command { $0.inPoint = t; if let o = $0.outPoint, o <= t { $0.outPoint = nil } }
            else { $0.outPoint = t; if let i = $0.inPoint, i >= t { $0.inPoint = nil } }
        }
        if let sel = state.selection {
            persist { $0.selections[self.currentClipID] = .init(start: sel.lowerBound, end: sel.upperBound) }
            if player.snapshot().loop != nil { player.setLoop(sel) }
        }
    }

    func stepTake(_ command: Command) {
        let takes = state.takes
        guard !takes.isEmpty else { return say("no takes yet for this clip: press g to generate") }
        let current = takes.firstIndex { $0.id == state.heard } ?? takes.count - 1
        let next = (current + (command.isNext ? 1 : takes.count - 1)) % takes.count
        let id = takes[next].id
        mutate { if $0.side == .a { $0.slotA = id } else { $0.slotB = id } }
        choose(id)
    }

    func compare(_ side: EngineSnapshot.Side) {
        guard let id = side == .a ? state.slotA : state.slotB else { return say("slot \(side.rawValue) is empty: generate another take to compare") }
        mutate { $0.side = side }
        choose(id)
    }

    /// Hears `id` at the same position and records it as the clip's chosen take.
    func choose(_ id: String) {
        hear(id, keepPosition: true)
        persist { p in
            var chosen = p.chosen ?? [:]
            chosen[Project.chosenKey(clip: self.currentClipID, track: self.state.track)] = id
            p.chosen = chosen
        }
    }

    func adjust(_ parameter: Parameter, _ steps: Double) {
        guard let g = state.generator, let spec = g.parameters.first(where: { $0.parameter == parameter }) else {
            return say("\(parameter) is not used by \(state.generator?.name ?? "any installed generator")")
        }
        guard !spec.isText else { return say("\(spec.label): press Enter to edit the text") }
        setValue(spec.adjusted(state.values[parameter], steps: steps), for: parameter, of: g.name)
    }

    func set(_ parameter: Parameter, _ value: ParameterValue) {
        guard let g = state.generator, let spec = g.parameters.first(where: { $0.parameter == parameter }) else {
            return say("\(parameter) is not used by \(state.generator?.name ?? "any installed generator")")
        }
        setValue(spec.normalized(value), for: parameter, of: g.name)
    }

    /// A parameter value for one generator, shown at once and autosaved with the project.
    func setValue(_ value: ParameterValue, for parameter: Parameter, of generator: String) {
        values[generator, default: [:]][parameter] = value
        if state.generator?.name == generator { mutate { $0.values[parameter] = value } }
        persist { p in
            var settings = p.settings ?? [:]
            settings[generator, default: [:]][parameter.rawValue] = value
            p.settings = settings
        }
    }

    /// Autosave: applies the change to the project and saves; a failed save is reported, and
    /// the in-memory project still holds the change for the next save.
    func persist(_ change: (inout Project) -> Void) {
        do { try store.update(change) } catch { say("could not save project: \(error)", error: true) }
    }
}

extension Engine.Command {
    var isNext: Bool { if case .nextTake = self { return true } else { return false } }
}
