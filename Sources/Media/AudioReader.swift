import CAVCodec
import CAVFormat
import CAVUtil
import CSWResample

/// Decoded audio: mono Float32 at `sampleRate`.
public struct DecodedAudio: Sendable {
    public var samples: [Float]
    public var sampleRate: Int
    /// The source stream's own rate, channel count and codec, for reports.
    public var sourceSampleRate: Int
    public var sourceChannels: Int
    public var codec: String
    /// First presentation timestamp of the audio stream, seconds.
    public var startTime: Double

    public var duration: Double { Double(samples.count) / Double(sampleRate) }
}

/// Reads the first (best) audio stream of any container as mono Float32.
///
/// A file with no audio stream is a normal case for a foley tool (most clips arrive silent):
/// `read` then returns nil rather than throwing. Mono is the mean of the source channels.
public enum AudioReader {
    public static func read(path: String, sampleRate: Int = 22050) throws -> DecodedAudio? {
        guard sampleRate > 0 else { throw MediaError.invalidArgument("sample rate must be positive, got \(sampleRate)") }
        let format = try FormatContext(path: path)
        guard let idx = format.bestStream(AVMEDIA_TYPE_AUDIO) else { return nil }
        let decoder = try StreamDecoder(format: format, streamIndex: idx)
        let st = format.stream(idx)
        let start = st.pointee.start_time
        var resampler: Resampler? = nil
        var mono: [Float] = []
        while try decoder.next() {
            let frame = decoder.frame
            if resampler == nil || !resampler!.matches(frame) {
                if let r = resampler { try r.flush(into: &mono) }
                resampler = try Resampler(for: frame, outputRate: sampleRate, path: path)
            }
            try resampler!.convert(frame, into: &mono)
        }
        if let r = resampler { try r.flush(into: &mono) }
        let ctx = decoder.context.pointee
        return DecodedAudio(samples: mono, sampleRate: sampleRate, sourceSampleRate: Int(ctx.sample_rate),
                            sourceChannels: Int(ctx.ch_layout.nb_channels),
                            codec: String(cString: avcodec_get_name(ctx.codec_id)),
                            startTime: start == LibAV.noPTS ? 0 : LibAV.seconds(start, st.pointee.time_base))
    }
}

/// libswresample set up for one input format: any sample format and channel layout in,
/// planar float at the output rate out (channels kept, averaged to mono here).
private final class Resampler {
    private var swr: OpaquePointer?
    private let inRate: Int32
    private let inFormat: Int32
    private let channels: Int32
    private let outRate: Int32
    private let path: String
    private var planes: [UnsafeMutablePointer<Float>] = []
    private var planeCapacity = 0

    init(for frame: UnsafeMutablePointer<AVFrame>, outputRate: Int, path: String) throws {
        self.path = path
        inRate = frame.pointee.sample_rate
        inFormat = frame.pointee.format
        channels = max(1, frame.pointee.ch_layout.nb_channels)
        outRate = Int32(outputRate)
        var layout = AVChannelLayout()
        if frame.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || frame.pointee.ch_layout.nb_channels == 0 {
            av_channel_layout_default(&layout, channels)
        } else {
            try LibAV.check(av_channel_layout_copy(&layout, &frame.pointee.ch_layout), "av_channel_layout_copy", path: path)
        }
        var outLayout = AVChannelLayout()
        try LibAV.check(av_channel_layout_copy(&outLayout, &layout), "av_channel_layout_copy", path: path)
        defer {
            av_channel_layout_uninit(&layout)
            av_channel_layout_uninit(&outLayout)
        }
        try LibAV.check(swr_alloc_set_opts2(&swr, &outLayout, foley_sample_fmt_fltp(), outRate,
                                            &layout, AVSampleFormat(inFormat), inRate, 0, nil),
                        "swr_alloc_set_opts2", path: path)
        try LibAV.check(swr_init(swr), "swr_init", path: path)
    }

    deinit {
        swr_free(&swr)
        for p in planes { p.deallocate() }
    }

    func matches(_ frame: UnsafeMutablePointer<AVFrame>) -> Bool {
        frame.pointee.sample_rate == inRate && frame.pointee.format == inFormat
            && max(1, frame.pointee.ch_layout.nb_channels) == channels
    }

    func convert(_ frame: UnsafeMutablePointer<AVFrame>, into mono: inout [Float]) throws {
        // extended_data points at the plane pointers for any channel count (it is `data` up to 8).
        let src = UnsafeMutableRawPointer(frame.pointee.extended_data).assumingMemoryBound(to: UnsafePointer<UInt8>?.self)
        try run(input: src, count: frame.pointee.nb_samples, into: &mono)
    }

    func flush(into mono: inout [Float]) throws { try run(input: nil, count: 0, into: &mono) }

    private func run(input: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, count: Int32, into mono: inout [Float]) throws {
        let capacity = Int(swr_get_out_samples(swr, count)) + 32
        if capacity > planeCapacity {
            for p in planes { p.deallocate() }
            planes = (0..<Int(channels)).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: capacity) }
            planeCapacity = capacity
        }
        var outPtrs: [UnsafeMutablePointer<UInt8>?] = planes.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: UInt8.self) }
        let produced = try LibAV.check(swr_convert(swr, &outPtrs, Int32(capacity), input, count), "swr_convert", path: path)
        let n = Int(produced)
        guard n > 0 else { return }
        let scale = 1 / Float(channels)
        let base = mono.count
        mono.append(contentsOf: repeatElement(0, count: n))
        mono.withUnsafeMutableBufferPointer { dst in
            for plane in planes {
                for i in 0..<n { dst[base + i] += plane[i] * scale }
            }
        }
    }
}
