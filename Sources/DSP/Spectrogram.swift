/// A complex spectrogram, frame-major: value (t, k) is at index t * bins + k.
public struct Spectrogram: Sendable, Equatable {
    public var frames: Int
    public var bins: Int
    public var re: [Float]
    public var im: [Float]

    public init(frames: Int, bins: Int, re: [Float], im: [Float]) {
        precondition(re.count == frames * bins && im.count == frames * bins)
        self.frames = frames
        self.bins = bins
        self.re = re
        self.im = im
    }

    public init(frames: Int, bins: Int) {
        self.init(frames: frames, bins: bins, re: .init(repeating: 0, count: frames * bins),
                  im: .init(repeating: 0, count: frames * bins))
    }

    /// |X|, frame-major like the spectrogram.
    public func magnitude() -> [Float] {
        var out = [Float](repeating: 0, count: re.count)
        for i in out.indices { out[i] = (re[i] * re[i] + im[i] * im[i]).squareRoot() }
        return out
    }
}

/// A mel spectrogram, band-major (bands × frames, as the models see it): value (m, t) is at
/// index m * frames + t.
public struct MelSpectrogram: Sendable, Equatable {
    public var bands: Int
    public var frames: Int
    public var values: [Float]

    public init(bands: Int, frames: Int, values: [Float]) {
        precondition(values.count == bands * frames, "mel: got \(values.count) values, expected \(bands * frames)")
        self.bands = bands
        self.frames = frames
        self.values = values
    }

    public subscript(band: Int, frame: Int) -> Float { values[band * frames + frame] }
}
