import Foundation

/// Sample encodings Foley reads and writes in WAV files.
public enum WAVSampleFormat: Sendable, Equatable {
    case pcm8, pcm16, pcm24, pcm32, float32, float64

    public var bitsPerSample: Int {
        switch self { case .pcm8: 8; case .pcm16: 16; case .pcm24: 24; case .pcm32: 32; case .float32: 32; case .float64: 64 }
    }
    var formatTag: UInt16 { self == .float32 || self == .float64 ? 3 : 1 }
}

/// A WAV file in memory: interleaved samples as Float (integer PCM scaled to [-1, 1)).
/// 16- and 24-bit PCM and 32-bit float survive a read/write round trip bit for bit.
public struct WAVAudio: Sendable, Equatable {
    public var sampleRate: Int
    public var channels: Int
    public var format: WAVSampleFormat
    public var samples: [Float]
    public var bext: BroadcastExtension?

    public init(sampleRate: Int, channels: Int = 1, format: WAVSampleFormat = .float32,
                samples: [Float], bext: BroadcastExtension? = nil) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.format = format
        self.samples = samples
        self.bext = bext
    }

    public var frameCount: Int { samples.count / max(1, channels) }
    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    /// Mean of the channels.
    public var mono: [Float] {
        guard channels > 1 else { return samples }
        var out = [Float](repeating: 0, count: frameCount)
        let scale = 1 / Float(channels)
        for i in 0..<frameCount {
            var s: Float = 0
            for c in 0..<channels { s += samples[i * channels + c] }
            out[i] = s * scale
        }
        return out
    }
}
