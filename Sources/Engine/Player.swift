import Foundation

/// Playback of takes through ALSA on its own thread. The UI reads `snapshot()` and never
/// blocks on audio. Without a usable device the player reports `.unavailable` and every
/// command still updates the transport state, so the rest of the workstation works.
public final class Player: @unchecked Sendable {
    public enum Device: Equatable, Sendable {
        case ready(String)
        case unavailable(String)
    }

    public struct Snapshot: Sendable, Equatable {
        public var playing: Bool
        /// The playhead in seconds: frames rendered minus those still queued in the device.
        public var position: Double
        public var device: Device
        public var loop: ClosedRange<Double>?
        /// Shuttle speed: 1 normal, 2 and 4 fast, negative for reverse.
        public var rate: Int
    }

    /// Transport state, guarded by `lock`; `render` is the only place samples are produced.
    struct Transport {
        var source: [Float] = []
        /// Frames of silence to run for when there is no take (the clip's length), never
        /// allocated: a 60-minute clip's would be 317 MB.
        var silence = 0
        /// Frames past the source's end (silence, or a loop past a short take) play as zeros.
        var length: Int { max(source.count, silence) }
        var frame = 0
        var playing = false
        var loop: Range<Int>?
        var rate = 1

        /// Fills `out` from the current source and advances; stops at the end (or wraps in the loop).
        mutating func render(into out: UnsafeMutableBufferPointer<Float>) -> Int {
            guard playing else { return 0 }
            if rate != 1 { return renderShuttle(into: out) }
            var n = 0
            while n < out.count {
                if let loop, frame >= loop.upperBound { frame = loop.lowerBound }
                let end = loop?.upperBound ?? length
                guard frame < end else { playing = false; break }
                let take = min(out.count - n, end - frame)
                let real = max(0, min(take, source.count - frame))
                if real > 0 { source.withUnsafeBufferPointer { src in (out.baseAddress! + n).update(from: src.baseAddress! + frame, count: real) } }
                if real < take { (out.baseAddress! + n + real).update(repeating: 0, count: take - real) }
                n += take
                frame += take
            }
            return n
        }

        /// Fast or reverse shuttle: steps `rate` source frames per output frame (a scrub
        /// sound, like a tape shuttle, not a pitch-preserving stretch).
        private mutating func renderShuttle(into out: UnsafeMutableBufferPointer<Float>) -> Int {
            let lower = loop?.lowerBound ?? 0, upper = loop?.upperBound ?? length
            var n = 0
            while n < out.count {
                if frame >= upper || frame < lower {
                    guard loop != nil else { playing = false; frame = max(0, min(frame, length)); break }
                    frame = rate > 0 ? lower : upper - 1
                }
                out[n] = frame >= 0 && frame < source.count ? source[frame] : 0
                n += 1
                frame += rate
            }
            return n
        }
    }

    public let sampleRate: Int
    public let deviceName: String
    private let lock = NSLock()
    private var transport = Transport()
    private var sink: AudioSink?
    private var deviceState: Device
    private let openSink: @Sendable (String, Int) throws -> AudioSink
    private var thread: Thread?
    private var running = true
    private let chunk = 512
    /// Told (from the player thread) when playback fails and whether the device came back;
    /// the engine puts it on the status line.
    public var onDeviceEvent: (@Sendable (String) -> Void)? {
        get { lock.lock(); defer { lock.unlock() }; return eventHandler }
        set { lock.lock(); eventHandler = newValue; lock.unlock() }
    }
    private var eventHandler: (@Sendable (String) -> Void)?

    /// The device as last opened, written or reopened.
    public var device: Device { lock.lock(); defer { lock.unlock() }; return deviceState }

    /// `deviceName` defaults to $FOLEY_ALSA_DEVICE, then "default". `openSink` is how a device
    /// is opened (ALSA; tests pass a sink that fails on cue).
    public init(deviceName: String? = nil, sampleRate: Int = 44100,
                openSink: @escaping @Sendable (String, Int) throws -> AudioSink = Player.openALSA) {
        self.sampleRate = sampleRate
        self.openSink = openSink
        let name = deviceName ?? ProcessInfo.processInfo.environment["FOLEY_ALSA_DEVICE"] ?? "default"
        self.deviceName = name
        do {
            sink = try openSink(name, sampleRate)
            deviceState = .ready(name)
        } catch {
            sink = nil
            deviceState = .unavailable("\(error)")
        }
        do {
            let t = Thread { [weak self] in self?.loop() }
            t.name = "foley.player"
            t.qualityOfService = .userInteractive
            thread = t
            t.start()
        }
    }

    /// The workstation's sink: the named ALSA device.
    public static let openALSA: @Sendable (String, Int) throws -> AudioSink = { try ALSADevice(name: $0, sampleRate: $1) }

    deinit { stop() }

    /// Ends playback and closes the device (waits for queued audio to drain).
    public func stop() {
        lock.lock(); running = false; transport.playing = false; lock.unlock()
        while let t = thread, !t.isFinished { usleep(1000) }
        sink?.close()
    }

    public func load(_ samples: [Float], at seconds: Double = 0) {
        lock.lock(); defer { lock.unlock() }
        transport.source = samples
        transport.silence = 0
        transport.frame = min(samples.count, frames(seconds))
    }

    /// A/B compare: the other take continues from the same frame, no gap, no restart.
    public func switchSource(_ samples: [Float]) {
        lock.lock(); defer { lock.unlock() }
        transport.source = samples
        transport.silence = 0
        transport.frame = min(transport.frame, samples.count)
    }

    /// Starts playback; a device that is missing or was lost is tried again first (a sound
    /// designer who plugs headphones in after a failure presses play again).
    /// Silence `seconds` long (a clip with no take yet: the picture still plays).
    public func loadSilence(seconds: Double, keepPosition: Bool) {
        lock.lock(); defer { lock.unlock() }
        transport.source = []
        transport.silence = max(0, Int(min(seconds, 86_400) * Double(sampleRate)))
        transport.frame = keepPosition ? min(transport.frame, transport.silence) : 0
    }

    public func play(rate: Int = 1) {
        lock.lock(); defer { lock.unlock() }
        if sink == nil { reopenLocked() }
        transport.rate = rate == 0 ? 1 : rate
        if transport.frame >= transport.length && rate > 0 && transport.loop == nil { transport.frame = 0 }
        transport.playing = transport.length > 0
    }
    public func pause() { lock.lock(); transport.playing = false; lock.unlock() }
    public func seek(to seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        transport.frame = min(transport.length, frames(seconds))
    }

    /// Loops between two times while playing (nil to stop looping).
    public func setLoop(_ span: ClosedRange<Double>?) {
        lock.lock(); defer { lock.unlock() }
        transport.loop = span.map { frames($0.lowerBound)..<max(frames($0.lowerBound) + 1, frames($0.upperBound)) }
    }

    /// Seconds → frames, bounded to a day (a time from a damaged file never traps).
    private func frames(_ seconds: Double) -> Int {
        seconds.isFinite ? Int(max(0, min(seconds, 86_400)) * Double(sampleRate)) : 0
    }

    public func snapshot() -> Snapshot {
        lock.lock(); defer { lock.unlock() }
        let queued = transport.playing ? (sink?.delay() ?? 0) : 0
        let loop = transport.loop.map { Double($0.lowerBound) / Double(sampleRate)...Double($0.upperBound) / Double(sampleRate) }
        let heard = min(transport.length, max(0, transport.frame - queued * transport.rate))
        return Snapshot(playing: transport.playing, position: Double(heard) / Double(sampleRate),
                        device: deviceState, loop: loop, rate: transport.rate)
    }

    private func loop() {
        var buffer = [Float](repeating: 0, count: chunk)
        while true {
            lock.lock()
            if !running { lock.unlock(); return }
            let n = buffer.withUnsafeMutableBufferPointer { transport.render(into: $0) }
            let out = sink
            lock.unlock()
            if n == 0 { usleep(5000); continue }
            // Without a device the transport still runs, paced by the clock, so the playhead
            // moves and everything but sound works.
            guard let out else { usleep(UInt32(n * 1_000_000 / sampleRate)); continue }
            do { try buffer.withUnsafeBufferPointer { try out.write($0.baseAddress!, count: n) } } catch {
                lock.lock()
                transport.playing = false
                out.close()
                sink = nil
                reopenLocked(after: "\(error)")
                lock.unlock()
            }
        }
    }

    /// Under `lock`: opens the device again. After a write error the event says what failed
    /// and whether the device is back, so the status line never shows a dead device as ready.
    private func reopenLocked(after failure: String? = nil) {
        do {
            sink = try openSink(deviceName, sampleRate)
            deviceState = .ready(deviceName)
            if let failure { eventHandler?("playback stopped: \(failure); the device was reopened, press play to go on") }
        } catch {
            sink = nil
            deviceState = .unavailable(failure.map { "\($0); reopening failed: \(error)" } ?? "\(error)")
            if failure != nil { eventHandler?("playback stopped and the device cannot be reopened: \(error)") }
        }
    }
}
