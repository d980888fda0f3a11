import CAVUtil
import CSWResample

/// Mono Float32 sample-rate conversion with libswresample (export to 44.1/48/96 kHz stems).
public enum SampleRateConverter {
    public static func convert(_ samples: [Float], from source: Int, to target: Int) throws -> [Float] {
        guard source > 0, target > 0 else { throw MediaError.invalidArgument("sample rates must be positive, got \(source) → \(target)") }
        if source == target || samples.isEmpty { return samples }
        var swr: OpaquePointer? = nil
        var layout = AVChannelLayout()
        av_channel_layout_default(&layout, 1)
        var outLayout = AVChannelLayout()
        av_channel_layout_default(&outLayout, 1)
        defer { swr_free(&swr); av_channel_layout_uninit(&layout); av_channel_layout_uninit(&outLayout) }
        let where_ = "sample rate conversion \(source) → \(target) Hz"
        try LibAV.check(swr_alloc_set_opts2(&swr, &outLayout, foley_sample_fmt_flt(), Int32(target), &layout, foley_sample_fmt_flt(),
                                            Int32(source), 0, nil), "swr_alloc_set_opts2", path: where_)
        try LibAV.check(swr_init(swr), "swr_init", path: where_)
        let expected = Int((Double(samples.count) * Double(target) / Double(source)).rounded())
        var out = [Float](repeating: 0, count: expected + 256)
        var produced = 0
        try samples.withUnsafeBytes { inRaw in
            try out.withUnsafeMutableBytes { outRaw in
                var inPtr: UnsafePointer<UInt8>? = inRaw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                var outPtr: UnsafeMutablePointer<UInt8>? = outRaw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                produced = Int(try LibAV.check(swr_convert(swr, &outPtr, Int32(expected + 256), &inPtr, Int32(samples.count)), "swr_convert", path: where_))
                // Drain the filter's delay line.
                var tail: UnsafeMutablePointer<UInt8>? = outRaw.baseAddress!.assumingMemoryBound(to: UInt8.self) + produced * 4
                produced += Int(try LibAV.check(swr_convert(swr, &tail, Int32(expected + 256 - produced), nil, 0), "swr_convert", path: where_))
            }
        }
        // Exactly the duration of the input: trim or pad the last few samples.
        out.removeLast(out.count - min(out.count, produced))
        if out.count < expected { out += [Float](repeating: 0, count: expected - out.count) }
        return Array(out.prefix(expected))
    }
}
