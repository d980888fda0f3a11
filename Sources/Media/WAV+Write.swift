import Foundation

extension WAVAudio {
    /// Encodes as RIFF/WAVE. Integer formats round to nearest and clip to full scale.
    public func encoded() throws -> [UInt8] {
        guard [.pcm16, .pcm24, .float32].contains(format) else {
            throw MediaError.invalidArgument("WAV writer supports PCM 16/24-bit and float32, got \(format)")
        }
        guard channels > 0, sampleRate > 0, samples.count % channels == 0 else {
            throw MediaError.invalidArgument("WAV writer: \(samples.count) samples do not fill \(channels) channels")
        }
        let width = format.bitsPerSample / 8
        let dataSize = samples.count * width
        let bextBytes = bext?.encoded()
        var out: [UInt8] = []
        out.reserveCapacity(dataSize + 128 + (bextBytes?.count ?? 0))
        out.append(contentsOf: Array("RIFF".utf8)); out.appendLE(UInt32(0))  // size patched below
        out.append(contentsOf: Array("WAVE".utf8))
        if let bextBytes {
            // bext goes before fmt so that tools reading only the head find it.
            out.append(contentsOf: Array("bext".utf8)); out.appendLE(UInt32(bextBytes.count))
            out.append(contentsOf: bextBytes)
            if bextBytes.count & 1 == 1 { out.append(0) }
        }
        let isFloat = format == .float32
        out.append(contentsOf: Array("fmt ".utf8)); out.appendLE(UInt32(isFloat ? 18 : 16))
        out.appendLE(format.formatTag)
        out.appendLE(UInt16(channels))
        out.appendLE(UInt32(sampleRate))
        out.appendLE(UInt32(sampleRate * channels * width))
        out.appendLE(UInt16(channels * width))
        out.appendLE(UInt16(format.bitsPerSample))
        if isFloat {
            out.appendLE(UInt16(0))
            out.append(contentsOf: Array("fact".utf8)); out.appendLE(UInt32(4)); out.appendLE(UInt32(frameCount))
        }
        out.append(contentsOf: Array("data".utf8)); out.appendLE(UInt32(dataSize))
        let base = out.count
        out.append(contentsOf: repeatElement(0, count: dataSize))
        out.withUnsafeMutableBytes { raw in
            let p = raw.baseAddress! + base
            for (i, s) in samples.enumerated() {
                let q = p + i * width
                switch format {
                case .pcm16:
                    let v = Int16(clamping: Int(roundedScaled(s, 32768)))
                    q.storeBytes(of: v.littleEndian, as: Int16.self)
                case .pcm24:
                    let v = Int32(clamping: max(-8_388_608, min(8_388_607, Int(roundedScaled(s, 8_388_608)))))
                    q.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
                    (q + 1).storeBytes(of: UInt8(truncatingIfNeeded: v >> 8), as: UInt8.self)
                    (q + 2).storeBytes(of: UInt8(truncatingIfNeeded: v >> 16), as: UInt8.self)
                default:
                    q.storeBytes(of: s.bitPattern.littleEndian, as: UInt32.self)
                }
            }
        }
        if dataSize & 1 == 1 { out.append(0) }
        let riffSize = UInt32(out.count - 8)
        withUnsafeBytes(of: riffSize.littleEndian) { for k in 0..<4 { out[4 + k] = $0[k] } }
        return out
    }

    /// Writes the file atomically (temporary file, fsync, rename).
    public func write(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }
}

@inline(__always)
private func roundedScaled(_ s: Float, _ scale: Double) -> Double {
    guard s.isFinite else { return 0 }
    return (Double(s) * scale).rounded()
}
