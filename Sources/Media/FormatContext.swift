import CAVCodec
import CAVFormat
import CAVUtil

/// Owns an opened container (AVFormatContext) and closes it on deinit.
final class FormatContext {
    let path: String
    let pointer: UnsafeMutablePointer<AVFormatContext>

    init(path: String) throws {
        _ = LibAV.quietLogs
        try FileCheck.regularNonEmptyFile(path)
        var ctx: UnsafeMutablePointer<AVFormatContext>? = nil
        try LibAV.check(avformat_open_input(&ctx, path, nil, nil), "avformat_open_input", path: path)
        guard let ctx else { throw MediaError.noFramesDecoded(path: path) }
        pointer = ctx
        self.path = path
        do {
            try LibAV.check(avformat_find_stream_info(ctx, nil), "avformat_find_stream_info", path: path)
        } catch {
            var p: UnsafeMutablePointer<AVFormatContext>? = ctx
            avformat_close_input(&p)
            throw error
        }
    }

    deinit {
        var p: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&p)
    }

    var streamCount: Int { Int(pointer.pointee.nb_streams) }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> { pointer.pointee.streams[index]! }

    /// The stream libav judges best of a kind, or nil when there is none.
    func bestStream(_ type: AVMediaType) -> Int? {
        let idx = av_find_best_stream(pointer, type, -1, -1, nil, 0)
        return idx >= 0 ? Int(idx) : nil
    }

    /// Container duration in seconds (0 when unknown).
    var duration: Double {
        let d = pointer.pointee.duration
        return d == LibAV.noPTS || d <= 0 ? 0 : Double(d) / Double(foley_av_time_base())
    }

    var formatName: String { String(cString: pointer.pointee.iformat.pointee.name) }
    var formatLongName: String {
        pointer.pointee.iformat.pointee.long_name.map { String(cString: $0) } ?? formatName
    }
}

/// Owns a decoder opened for one stream, plus the packet and frame it decodes through.
final class StreamDecoder {
    let format: FormatContext
    let streamIndex: Int
    let context: UnsafeMutablePointer<AVCodecContext>
    let packet: UnsafeMutablePointer<AVPacket>
    let frame: UnsafeMutablePointer<AVFrame>
    private var drained = false

    init(format: FormatContext, streamIndex: Int) throws {
        self.format = format
        self.streamIndex = streamIndex
        let path = format.path
        let par = format.stream(streamIndex).pointee.codecpar!
        guard let codec = avcodec_find_decoder(par.pointee.codec_id) else {
            throw MediaError.unsupportedCodec(path: path, codec: String(cString: avcodec_get_name(par.pointee.codec_id)))
        }
        guard let ctx = avcodec_alloc_context3(codec) else {
            throw MediaError.libav(path: path, function: "avcodec_alloc_context3", code: -12, reason: "out of memory")
        }
        context = ctx
        packet = av_packet_alloc()
        frame = av_frame_alloc()
        try LibAV.check(avcodec_parameters_to_context(ctx, par), "avcodec_parameters_to_context", path: path)
        ctx.pointee.pkt_timebase = format.stream(streamIndex).pointee.time_base
        // One decoding thread: frame threading adds latency on seek and these VMs gain
        // nothing from a second thread.
        ctx.pointee.thread_count = 1
        try LibAV.check(avcodec_open2(ctx, codec, nil), "avcodec_open2", path: path)
    }

    deinit {
        var c: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&c)
        var p: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&p)
        var f: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&f)
    }

    var timeBase: AVRational { format.stream(streamIndex).pointee.time_base }

    /// Forgets decoder state after a seek.
    func flush() {
        avcodec_flush_buffers(context)
        drained = false
    }

    /// Decodes the next frame of this stream into `frame`; false at the end of the stream.
    /// Packets the decoder rejects as invalid data are skipped (a damaged packet in the middle
    /// of a clip must not lose the rest of it); read errors other than EOF end the stream.
    func next() throws -> Bool {
        while true {
            av_frame_unref(frame)
            let rc = avcodec_receive_frame(context, frame)
            if rc == 0 { return true }
            if rc == LibAV.eof { return false }
            if rc != LibAV.eagain { try LibAV.check(rc, "avcodec_receive_frame", path: format.path) }
            if drained { return false }
            let read = av_read_frame(format.pointer, packet)
            if read < 0 {
                // EOF or a read error (truncated file): drain what the decoder holds.
                drained = true
                _ = avcodec_send_packet(context, nil)
                continue
            }
            defer { av_packet_unref(packet) }
            guard Int(packet.pointee.stream_index) == streamIndex else { continue }
            let sent = avcodec_send_packet(context, packet)
            if sent < 0 && sent != LibAV.eagain && sent != LibAV.eof { continue }
        }
    }

    /// Presentation time of the frame in `frame`, in seconds (nil when it has none).
    var frameTime: Double? {
        var ts = frame.pointee.best_effort_timestamp
        if ts == LibAV.noPTS { ts = frame.pointee.pts }
        return ts == LibAV.noPTS ? nil : LibAV.seconds(ts, timeBase)
    }
}
