import CALSA

/// The checked wrapper for the snd_pcm_* call family: negative returns become errors carrying
/// the device name, the C function and snd_strerror's text.
public enum PlayerError: Error, Equatable, CustomStringConvertible {
    case device(name: String, function: String, reason: String)

    public var description: String {
        switch self {
        case .device(let n, let f, let r): return "audio device '\(n)': \(r) (\(f))"
        }
    }
}

/// Where the player's samples go: ALSA in the workstation, a scripted sink in tests.
public protocol AudioSink: AnyObject {
    /// Writes all frames or throws (after recovering what can be recovered, e.g. underruns).
    func write(_ frames: UnsafePointer<Float>, count: Int) throws
    /// Frames written but not yet heard.
    func delay() -> Int
    func close()
}

final class ALSADevice: AudioSink {
    let name: String
    private var pcm: OpaquePointer?
    let sampleRate: Int

    private static let quiet: Void = { foley_alsa_silence_errors() }()

    init(name: String, sampleRate: Int) throws {
        _ = Self.quiet
        self.name = name
        self.sampleRate = sampleRate
        try check(snd_pcm_open(&pcm, name, SND_PCM_STREAM_PLAYBACK, 0), "snd_pcm_open")
        // Mono float at the engine's rate; ALSA's plug layer converts for the hardware.
        // 60 ms of latency keeps the playhead close to what is heard.
        do {
            try check(snd_pcm_set_params(pcm, SND_PCM_FORMAT_FLOAT_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                                         UInt32(sampleRate), 1, 60_000), "snd_pcm_set_params")
        } catch {
            snd_pcm_close(pcm)
            pcm = nil
            throw error
        }
    }

    deinit { close() }

    func close() {
        if let pcm {
            snd_pcm_drain(pcm)
            snd_pcm_close(pcm)
        }
        pcm = nil
    }

    /// Writes all frames, recovering from underruns.
    func write(_ frames: UnsafePointer<Float>, count: Int) throws {
        var done = 0
        while done < count {
            let n = snd_pcm_writei(pcm, frames + done, snd_pcm_uframes_t(count - done))
            if n < 0 {
                try check(snd_pcm_recover(pcm, Int32(n), 1), "snd_pcm_writei")
                continue
            }
            done += Int(n)
        }
    }

    /// Frames written but not yet heard.
    func delay() -> Int {
        var d: snd_pcm_sframes_t = 0
        return snd_pcm_delay(pcm, &d) == 0 ? max(0, Int(d)) : 0
    }

    private func check(_ rc: Int32, _ function: String) throws {
        if rc < 0 { throw PlayerError.device(name: name, function: function, reason: String(cString: snd_strerror(rc))) }
    }
}
