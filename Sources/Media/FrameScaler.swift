import CAVUtil
import CSWScale

/// Converts decoded frames to RGB of a requested shape with libswscale (area filter, which
/// averages properly when shrinking HD video to a few dozen pixels).
final class FrameScaler {
    private var context: OpaquePointer? = nil
    private var buffer: [UInt8] = []

    deinit { sws_freeContext(context) }

    func convert(_ frame: UnsafeMutablePointer<AVFrame>, shape: FrameShape, path: String) throws -> RGBImage {
        let w = Int(frame.pointee.width), h = Int(frame.pointee.height)
        guard w > 0, h > 0 else { throw MediaError.noFramesDecoded(path: path) }
        // Display aspect: honour non-square pixels when the stream declares them.
        let sar = frame.pointee.sample_aspect_ratio
        let displayW = sar.num > 0 && sar.den > 0 ? Double(w) * Double(sar.num) / Double(sar.den) : Double(w)
        let (scaledW, scaledH, outW, outH): (Int, Int, Int, Int)
        switch shape {
        case .square(let n):
            guard n > 0 else { throw MediaError.invalidArgument("frame size must be positive, got \(n)") }
            if displayW >= Double(h) {
                scaledH = n; scaledW = max(n, Int((displayW * Double(n) / Double(h)).rounded()))
            } else {
                scaledW = n; scaledH = max(n, Int((Double(h) * Double(n) / displayW).rounded()))
            }
            (outW, outH) = (n, n)
        case .exact(let ew, let eh):
            guard ew > 0, eh > 0 else { throw MediaError.invalidArgument("frame size must be positive, got \(ew)x\(eh)") }
            (scaledW, scaledH, outW, outH) = (ew, eh, ew, eh)
        }
        context = sws_getCachedContext(context, Int32(w), Int32(h), AVPixelFormat(frame.pointee.format),
                                       Int32(scaledW), Int32(scaledH), foley_pix_fmt_rgb24(),
                                       SWS_AREA, nil, nil, nil)
        guard let context else {
            throw MediaError.libav(path: path, function: "sws_getCachedContext", code: -22,
                                   reason: "cannot convert pixel format \(frame.pointee.format) at \(w)x\(h)")
        }
        let stride = scaledW * 3
        if buffer.count < stride * scaledH { buffer = [UInt8](repeating: 0, count: stride * scaledH) }
        try buffer.withUnsafeMutableBufferPointer { out in
            var dst: UnsafeMutablePointer<UInt8>? = out.baseAddress
            var dstStride = Int32(stride)
            let rows = withUnsafePointer(to: &frame.pointee.data) { dataTuple in
                dataTuple.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { src in
                    withUnsafePointer(to: &frame.pointee.linesize) { lsTuple in
                        lsTuple.withMemoryRebound(to: Int32.self, capacity: 8) { ls in
                            sws_scale(context, src, ls, 0, Int32(h), &dst, &dstStride)
                        }
                    }
                }
            }
            try LibAV.check(rows, "sws_scale", path: path)
        }
        // Centre crop (a no-op for .exact).
        let x0 = (scaledW - outW) / 2, y0 = (scaledH - outH) / 2
        var pixels = [UInt8](repeating: 0, count: outW * outH * 3)
        buffer.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outH {
                    let s = src.baseAddress! + (y + y0) * stride + x0 * 3
                    (dst.baseAddress! + y * outW * 3).update(from: s, count: outW * 3)
                }
            }
        }
        return RGBImage(width: outW, height: outH, pixels: pixels)
    }
}
