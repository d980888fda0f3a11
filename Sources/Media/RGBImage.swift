/// An 8-bit RGB picture, rows top to bottom, pixels interleaved R, G, B.
public struct RGBImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "RGBImage: got \(pixels.count) bytes, expected \(width * height * 3)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public func pixel(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Mean luma (BT.601), 0…255: handy for tests and thumbnails.
    public var meanLuma: Double {
        var sum = 0.0
        for i in stride(from: 0, to: pixels.count, by: 3) {
            sum += 0.299 * Double(pixels[i]) + 0.587 * Double(pixels[i + 1]) + 0.114 * Double(pixels[i + 2])
        }
        return sum / Double(max(1, width * height))
    }
}

/// How decoded frames are resized.
public enum FrameShape: Sendable, Equatable {
    /// Keep aspect, scale the short side to N, crop the centre N×N square (the models' input).
    case square(Int)
    /// Scale to exactly width × height (previews that already account for aspect).
    case exact(width: Int, height: Int)

    /// A model's N×N input: the centre square, or the whole picture scaled (aspect not kept).
    public static func modelInput(_ n: Int, centreCrop: Bool) -> FrameShape {
        centreCrop ? .square(n) : .exact(width: n, height: n)
    }
}
