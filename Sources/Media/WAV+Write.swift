import Foundation

extension WAVAudio {
    /// Encodes as RIFF/WAVE. Integer formats round to nearest and clip to full scale.
    public func encoded() throws -> [UInt8] {
        var out: [UInt8] = []
        try stream { out.append(contentsOf: $0) }
        return out
    }

    /// Writes the file atomically (temporary file, fsync, rename), a block of samples at a time.
    public func write(to path: String) throws {
        try AtomicFile.write(to: path) { emit in try stream { bytes in try bytes.withUnsafeBytes { try emit($0) } } }
    }

    /// The file's bytes in order: the header, then the samples in blocks of 64 Ki.
    func stream(_ emit: ([UInt8]) throws -> Void) throws {
        guard [.pcm16, .pcm24, .float32].contains(format) else {
            throw MediaError.invalidArgument("WAV writer supports PCM 16/24-bit and float32, got \(format)")
        }
        guard channels > 0, sampleRate > 0, samples.count % channels == 0 else {
            throw MediaError.invalidArgument("WAV writer: \(samples.count) samples do not fill \(channels) channels")
        }
        let width = format.bitsPerSample / 8
        let dataSize = samples.count * width
        let bextBytes = bext?.encoded()
        let isFloat = format == .float32
        let headerSize = 12 + (bextBytes.map { 8 + $0.count + ($0.count & 1) } ?? 0) + 8 + (isFloat ? 18 : 16)
            + (isFloat ? 12 : 0) + 8
        var out: [UInt8] = []
        out.reserveCapacity(headerSize)
        out.append(contentsOf: Array("RIFF".utf8)); out.appendLE(UInt32(headerSize - 8 + dataSize + (dataSize & 1)))
        out.append(contentsOf: Array("WAVE".utf8))
        if let bextBytes {
            // bext goes before fmt so that tools reading only the head find it.
            out.append(contentsOf: Array("bext".utf8)); out.appendLE(UInt32(bextBytes.count))
            out.append(contentsOf: bextBytes)
            if bextBytes.count & 1 == 1 { out.append(0) }
        }
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
        precondition(out.count == headerSize, "WAV header size")
        try emit(out)
        let block = 65536
        var bytes = [UInt8](repeating: 0, count: block * width)
        for start in stride(from: 0, to: samples.count, by: block) {
            let n = min(block, samples.count - start)
            bytes.withUnsafeMutableBytes { raw in
                let p = raw.baseAddress!
                for i in 0..<n {
                    let s = samples[start + i], q = p + i * width
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
            try emit(n == block ? bytes : Array(bytes[..<(n * width)]))
        }
        if dataSize & 1 == 1 { try emit([0]) }
    }
}

@inline(__always)
private func roundedScaled(_ s: Float, _ scale: Double) -> Double {
    guard s.isFinite else { return 0 }
    return (Double(s) * scale).rounded()
}
