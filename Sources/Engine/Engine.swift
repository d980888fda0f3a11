import DSP
import Foundation
import Generators
import Media
import Runtime

/// The engine: the one thing the UI talks to. It owns the project, the loaded generators, the
/// job queue and the player, and runs as an actor in the classic sense: commands go into a
/// mailbox that its own thread drains one at a time, so state is only touched there; the UI
/// sends without waiting and polls `snapshot()`. Heavy compute runs on the job queue's thread.
public final class Engine: @unchecked Sendable {
    public enum Command: Sendable {
        case togglePlay, pause
        /// J/L shuttle: +1 forward, −1 reverse; repeating doubles the speed up to 4×.
        case shuttle(Int)
        case scrub(seconds: Double)
        case seek(Double)
        case seekStart, seekEnd
        case markIn, markOut, clearSelection, toggleLoop
        case nextTake, previousTake
        case compare(EngineSnapshot.Side)
        case nextClip, previousClip, nextTrack
        case nextGenerator
        case adjust(Parameter, steps: Double)
        /// A parameter set outright (a prompt typed in the line editor).
        case set(Parameter, ParameterValue)
        case generate, inpaint, cancelJobs
        /// The picture Visual Echoes imagines for the heard take's sound at the playhead.
        case imagine
        /// The heard draft take again with Draft off (same seed and settings).
        case renderFullQuality
        case export(StemExporter.Format)
        /// Internal: a job has finished on the compute thread.
        case finished(@Sendable (Engine) -> Void)
    }

    let store: ProjectStore
    let catalog: GeneratorCatalog
    let player: Player
    /// The rate generators read and write (their mel's analysis rate); takes are stored at the
    /// full-band renderer's 44 100 Hz where it is installed, and played at the player's rate.
    let workingRate = AudioGeometry.sampleRate
    /// Generation jobs. Set once in init (not lazily: the UI thread and the engine thread both
    /// read it, and a lazy property would race into two queues).
    private(set) var jobs: JobQueue!
    /// Preview proxies decode here, so scrubbing a new clip never waits behind a generation.
    private(set) var media: JobQueue!
    /// Stem export and muxing: their own worker, so neither generation nor playback waits.
    private(set) var exports: JobQueue!

    // Engine-thread state; `lock` guards it against snapshot() readers.
    let lock = NSLock()
    var state = EngineSnapshot()
    var values: [String: ParameterValues] = [:]
    // Caches bounded by bytes as well as entries, so a reel of tens of minutes keeps one or two
    // clips' worth, not eight (a 60-minute take is 317 MB of samples).
    /// Take samples with their rate: as the file holds them (key: take id), and converted for
    /// the player or the generators (key: "id@rate").
    let audio = LRUCache<String, (samples: [Float], rate: Int)>(capacity: 8, budget: 256 << 20) { 4 * $0.samples.count }
    let mels = LRUCache<String, MelSpectrogram>(capacity: 8, budget: 128 << 20) { 4 * $0.values.count }
    let previews = LRUCache<String, ClipMedia>(capacity: 4, budget: 128 << 20) { $0.preview.reduce(0) { $0 + $1.pixels.count } }
    /// Clip inputs per (clip, front end, weights hash): see Engine+FrontEnds.
    let features = LRUCache<String, Tensor>(capacity: 8, budget: 64 << 20) { 4 * $0.count }
    let inputsComputed = FrontEndCounter()
    /// nil only if FFTW cannot plan; takes then play without a picture.
    let analyzer = try? MelAnalyzer()

    private let mailbox = NSCondition()
    private var pending: [Command] = []
    private var busy = false
    private var running = true
    private var thread: Thread?

    public init(store: ProjectStore, catalog: GeneratorCatalog, player: Player) {
        self.store = store
        self.catalog = catalog
        self.player = player
        jobs = JobQueue { [weak self] status, result, cancelled in self?.jobFinished(status, result, cancelled) }
        media = JobQueue { [weak self] status, result, cancelled in self?.jobFinished(status, result, cancelled) }
        exports = JobQueue { [weak self] status, result, cancelled in self?.jobFinished(status, result, cancelled) }
        restore()
        player.onDeviceEvent = { [weak self] text in self?.send(.finished { $0.say(text, error: true) }) }
        let t = Thread { [unowned self] in self.loop() }
        t.name = "foley.engine"
        thread = t
        t.start()
    }

    /// Stops the threads; the project is already saved after every change.
    public func shutdown() {
        jobs.shutdown()
        media.shutdown()
        exports.shutdown()
        mailbox.lock(); running = false; mailbox.broadcast(); mailbox.unlock()
        while let t = thread, !t.isFinished { usleep(1000) }
        thread = nil
        player.stop()
    }

    /// Queues a command; never blocks on engine work.
    public func send(_ command: Command) {
        mailbox.lock(); pending.append(command); mailbox.signal(); mailbox.unlock()
    }

    /// Waits (at most `timeout` seconds) until every command sent so far has been handled, so
    /// the frame drawn after a key press shows its effect.
    @discardableResult
    public func flush(timeout: Double = 0.01) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        mailbox.lock(); defer { mailbox.unlock() }
        while !pending.isEmpty || busy {
            if !mailbox.wait(until: deadline) { return false }
        }
        return true
    }

    /// Blocks until the mailbox and both job queues are empty (tests and benchmarks).
    public func waitIdle() {
        while true {
            mailbox.lock()
            while !pending.isEmpty || busy { mailbox.wait() }
            mailbox.unlock()
            jobs.waitIdle()
            media.waitIdle()
            exports.waitIdle()
            mailbox.lock()
            let done = pending.isEmpty && !busy
            mailbox.unlock()
            if done && jobs.statuses.isEmpty && media.statuses.isEmpty && exports.statuses.isEmpty { return }
        }
    }

    /// The state the UI draws, with the live playhead and the preview frame under it.
    public func snapshot() -> EngineSnapshot {
        let transport = player.snapshot()
        lock.lock()
        var s = state
        lock.unlock()
        s.jobs = jobs.statuses + exports.statuses
        s.device = transport.device
        s.playing = transport.playing
        s.rate = transport.rate
        s.looping = transport.loop != nil
        s.cursor = transport.position
        if let id = s.clip?.id { s.frame = previews[id]?.frame(at: s.cursor) }
        // An imagined picture stands for its moment: moving the playhead brings the clip's back.
        if let im = s.imagined, abs(im.at - s.cursor) > 0.5 / 21.5 { s.imagined = nil }
        return s
    }

    private func loop() {
        while true {
            mailbox.lock()
            while running && pending.isEmpty { mailbox.wait() }
            guard running else { mailbox.unlock(); return }
            let command = pending.removeFirst()
            busy = true
            mailbox.unlock()
            handle(command)
            mailbox.lock()
            busy = false
            mailbox.broadcast()
            mailbox.unlock()
        }
    }

    /// Changes engine state under the lock and bumps the version the UI watches.
    func mutate(_ change: (inout EngineSnapshot) -> Void) {
        lock.lock()
        change(&state)
        state.version += 1
        lock.unlock()
    }

    func say(_ text: String, error: Bool = false) {
        mutate { $0.message = .init(text: text, isError: error) }
    }

    func jobFinished(_ status: JobQueue.Status, _ result: Result<Void, Error>, _ cancelled: Bool) {
        if case .failure(let error) = result, !(error is GenerationCancelled) {
            send(.finished { $0.say("\(status.label) failed: \(error)", error: true) })
        } else if cancelled && status.key != "preview" {
            send(.finished { $0.say("\(status.label): cancelled") })
        }
    }
}

/// A small least-recently-used cache, safe to read from any thread. It keeps at most
/// `capacity` entries and, beyond the newest one, at most `budget` in total `cost`.
final class LRUCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Key: (value: Value, cost: Int)] = [:]
    private var order: [Key] = []
    private var total = 0
    let capacity: Int, budget: Int
    private let cost: (Value) -> Int

    init(capacity: Int, budget: Int = .max, cost: @escaping (Value) -> Int = { _ in 1 }) {
        self.capacity = capacity; self.budget = budget; self.cost = cost
    }

    func removeAll(where matches: (Key) -> Bool) {
        lock.lock(); defer { lock.unlock() }
        for key in order where matches(key) { total -= entries.removeValue(forKey: key)?.cost ?? 0 }
        order.removeAll(where: matches)
    }

    subscript(key: Key) -> Value? {
        get {
            lock.lock(); defer { lock.unlock() }
            guard let entry = entries[key] else { return nil }
            order.removeAll { $0 == key }
            order.append(key)
            return entry.value
        }
        set {
            lock.lock(); defer { lock.unlock() }
            order.removeAll { $0 == key }
            total -= entries.removeValue(forKey: key)?.cost ?? 0
            guard let newValue else { return }
            let c = cost(newValue)
            entries[key] = (newValue, c)
            total += c
            order.append(key)
            while order.count > capacity || (total > budget && order.count > 1) {
                total -= entries.removeValue(forKey: order.removeFirst())?.cost ?? 0
            }
        }
    }
}
