import Foundation

extension WAVAudio {
    /// Reads RIFF/WAVE: PCM 8/16/24/32-bit, IEEE float 32/64-bit, WAVE_FORMAT_EXTENSIBLE,
    /// and the `bext` chunk. Unknown chunks are skipped.
    public static func read(path: String) throws -> WAVAudio {
        try FileCheck.regularNonEmptyFile(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AtomicFile.posixError(path, "open")
        }
        return try decode([UInt8](data), path: path)
    }

    public static func decode(_ bytes: [UInt8], path: String) throws -> WAVAudio {
        let b = bytes[...]
        guard b.count >= 12, b.fixedASCII(0, 4) == "RIFF", b.fixedASCII(8, 4) == "WAVE" else {
            throw MediaError.invalidWAV(path: path, reason: "no RIFF/WAVE header")
        }
        var pos = 12
        var fmt: (tag: Int, channels: Int, rate: Int, bits: Int, blockAlign: Int)? = nil
        var dataRange: Range<Int>? = nil
        var bext: BroadcastExtension? = nil
        while pos + 8 <= b.count {
            let id = b.fixedASCII(pos, 4)
            let size = Int(b.readLE32(pos + 4))
            let body = pos + 8
            let end = min(b.count, body + size)
            switch id {
            case "fmt ":
                guard size >= 16, end - body >= 16 else { throw MediaError.invalidWAV(path: path, reason: "fmt chunk too short (\(size) bytes)") }
                var tag = Int(b.readLE16(body))
                if tag == 0xFFFE, size >= 40 { tag = Int(b.readLE16(body + 24)) }  // extensible: sub-format GUID
                fmt = (tag, Int(b.readLE16(body + 2)), Int(b.readLE32(body + 4)),
                       Int(b.readLE16(body + 14)), Int(b.readLE16(body + 12)))
            case "data":
                dataRange = body..<end  // a truncated data chunk keeps the samples that are there
            case "bext":
                bext = BroadcastExtension.decode(b[body..<end])
            default: break
            }
            pos = body + size + (size & 1)
        }
        guard let fmt else { throw MediaError.invalidWAV(path: path, reason: "no fmt chunk") }
        guard let dataRange else { throw MediaError.invalidWAV(path: path, reason: "no data chunk") }
        guard fmt.channels > 0, fmt.rate > 0 else {
            throw MediaError.invalidWAV(path: path, reason: "got [\(fmt.channels) channels, \(fmt.rate) Hz], expected positive values")
        }
        let format: WAVSampleFormat
        switch (fmt.tag, fmt.bits) {
        case (1, 8): format = .pcm8
        case (1, 16): format = .pcm16
        case (1, 24): format = .pcm24
        case (1, 32): format = .pcm32
        case (3, 32): format = .float32
        case (3, 64): format = .float64
        default: throw MediaError.unsupportedWAV(path: path, formatTag: fmt.tag, bitsPerSample: fmt.bits)
        }
        let width = format.bitsPerSample / 8
        let count = (dataRange.count / (width * fmt.channels)) * fmt.channels
        var samples = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            let p = raw.baseAddress! + dataRange.lowerBound
            samples.withUnsafeMutableBufferPointer { out in
                for i in 0..<count {
                    let q = p + i * width
                    switch format {
                    case .pcm8: out[i] = (Float(q.load(as: UInt8.self)) - 128) / 128
                    case .pcm16: out[i] = Float(Int16(littleEndian: q.loadUnaligned(as: Int16.self))) / 32768
                    case .pcm24:
                        let u = q.assumingMemoryBound(to: UInt8.self)
                        let v = Int32(u[0]) | Int32(u[1]) << 8 | Int32(Int8(bitPattern: u[2])) << 16
                        out[i] = Float(v) / 8_388_608
                    case .pcm32: out[i] = Float(Double(Int32(littleEndian: q.loadUnaligned(as: Int32.self))) / 2_147_483_648)
                    case .float32: out[i] = Float(bitPattern: UInt32(littleEndian: q.loadUnaligned(as: UInt32.self)))
                    case .float64: out[i] = Float(Double(bitPattern: UInt64(littleEndian: q.loadUnaligned(as: UInt64.self))))
                    }
                }
            }
        }
        return WAVAudio(sampleRate: fmt.rate, channels: fmt.channels, format: format, samples: samples, bext: bext)
    }
}
