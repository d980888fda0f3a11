import CAVCodec
import CAVFormat
import CAVUtil
import Foundation

/// Writes a clip's picture with a new soundtrack: the video stream is copied packet for
/// packet (no re-encode, no quality loss) and the audio is 24-bit PCM, interleaved by time.
/// The file is written under a temporary name, synced, then renamed into place.
public enum VideoMuxer {
    /// `output`'s extension picks the container: .mov (default for NLEs) or .mkv.
    public static func mux(video: String, audio samples: [Float], sampleRate: Int, to output: String) throws {
        _ = LibAV.quietLogs
        let input = try FormatContext(path: video)
        guard let vIndex = input.bestStream(AVMEDIA_TYPE_VIDEO) else { throw MediaError.noVideoStream(path: video) }
        let inStream = input.stream(vIndex)
        let ext = (output as NSString).pathExtension.lowercased()
        let container: String
        switch ext {
        case "mov": container = "mov"
        case "mkv": container = "matroska"
        default: throw MediaError.invalidArgument("\(output): got [.\(ext)], expected [.mov or .mkv] for a muxed clip")
        }
        let folder = (output as NSString).deletingLastPathComponent
        let temporary = "\(folder.isEmpty ? "." : folder)/.\((output as NSString).lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).\(ext)"

        var ctx: UnsafeMutablePointer<AVFormatContext>?
        try LibAV.check(avformat_alloc_output_context2(&ctx, nil, container, temporary), "avformat_alloc_output_context2", path: output)
        guard let out = ctx else { throw MediaError.invalidArgument("\(output): cannot create a \(container) muxer") }
        var opened = false
        defer {
            if opened { avio_closep(&out.pointee.pb) }
            avformat_free_context(out)
        }

        // Video: the clip's stream parameters, copied.
        guard let vs = avformat_new_stream(out, nil) else { throw MediaError.invalidArgument("\(output): avformat_new_stream failed") }
        try LibAV.check(avcodec_parameters_copy(vs.pointee.codecpar, inStream.pointee.codecpar), "avcodec_parameters_copy", path: output)
        vs.pointee.codecpar.pointee.codec_tag = 0
        vs.pointee.time_base = inStream.pointee.time_base

        // Audio: mono PCM s24le at `sampleRate`.
        guard let au = avformat_new_stream(out, nil) else { throw MediaError.invalidArgument("\(output): avformat_new_stream failed") }
        let par = au.pointee.codecpar!
        par.pointee.codec_type = foley_media_type_audio()
        par.pointee.codec_id = foley_codec_id_pcm_s24le()
        par.pointee.sample_rate = Int32(sampleRate)
        av_channel_layout_default(&par.pointee.ch_layout, 1)
        par.pointee.bits_per_coded_sample = 24
        par.pointee.block_align = 3
        par.pointee.bit_rate = Int64(sampleRate * 24)
        au.pointee.time_base = AVRational(num: 1, den: Int32(sampleRate))

        if out.pointee.oformat.pointee.flags & foley_avfmt_nofile() == 0 {
            try LibAV.check(avio_open(&out.pointee.pb, temporary, foley_avio_flag_write()), "avio_open", path: temporary)
            opened = true
        }
        do {
            try LibAV.check(avformat_write_header(out, nil), "avformat_write_header", path: output)
            try copyPackets(input: input, videoIndex: vIndex, out: out, audio: samples, sampleRate: sampleRate, path: output)
            try LibAV.check(av_write_trailer(out), "av_write_trailer", path: output)
            avio_closep(&out.pointee.pb)
            opened = false
            let fd = open(temporary, O_RDONLY)
            if fd >= 0 { fsync(fd); close(fd) }
            guard rename(temporary, output) == 0 else {
                throw MediaError.io(path: output, function: "rename", errno: errno, reason: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Copies video packets in file order, writing the audio due before each one first, so
    /// the muxer never has to buffer more than a packet or two.
    private static func copyPackets(input: FormatContext, videoIndex: Int, out: UnsafeMutablePointer<AVFormatContext>,
                                    audio samples: [Float], sampleRate: Int, path: String) throws {
        let inTB = input.stream(videoIndex).pointee.time_base
        let outVideo = out.pointee.streams[0]!, outAudio = out.pointee.streams[1]!
        // Separate packets: audio is written while a video packet is held.
        guard let packet = av_packet_alloc(), let audioPacket = av_packet_alloc() else {
            throw MediaError.invalidArgument("\(path): av_packet_alloc failed")
        }
        var p: UnsafeMutablePointer<AVPacket>? = packet, q: UnsafeMutablePointer<AVPacket>? = audioPacket
        defer { av_packet_free(&p); av_packet_free(&q) }
        let start = input.stream(videoIndex).pointee.start_time
        let startSeconds = start == LibAV.noPTS ? 0 : LibAV.seconds(start, inTB)
        var written = 0
        let chunk = 1024

        func writeAudio(until seconds: Double) throws {
            while written < samples.count && Double(written) / Double(sampleRate) <= seconds {
                let n = min(chunk, samples.count - written)
                try LibAV.check(av_new_packet(audioPacket, Int32(3 * n)), "av_new_audioPacket", path: path)
                for i in 0..<n {
                    let v = Int32((max(-1, min(1, samples[written + i])) * 8_388_607).rounded())
                    audioPacket.pointee.data[3 * i] = UInt8(truncatingIfNeeded: v)
                    audioPacket.pointee.data[3 * i + 1] = UInt8(truncatingIfNeeded: v >> 8)
                    audioPacket.pointee.data[3 * i + 2] = UInt8(truncatingIfNeeded: v >> 16)
                }
                let pts = Int64(written) + Int64((startSeconds * Double(sampleRate)).rounded())
                audioPacket.pointee.pts = av_rescale_q(pts, AVRational(num: 1, den: Int32(sampleRate)), outAudio.pointee.time_base)
                audioPacket.pointee.dts = audioPacket.pointee.pts
                audioPacket.pointee.duration = av_rescale_q(Int64(n), AVRational(num: 1, den: Int32(sampleRate)), outAudio.pointee.time_base)
                audioPacket.pointee.stream_index = 1
                try LibAV.check(av_interleaved_write_frame(out, audioPacket), "av_interleaved_write_frame", path: path)
                written += n
            }
        }

        while true {
            let rc = av_read_frame(input.pointer, packet)
            if rc == LibAV.eof { break }
            try LibAV.check(rc, "av_read_frame", path: input.path)
            guard Int(packet.pointee.stream_index) == videoIndex else { av_packet_unref(packet); continue }
            let ts = packet.pointee.dts != LibAV.noPTS ? packet.pointee.dts : packet.pointee.pts
            if ts != LibAV.noPTS { try writeAudio(until: LibAV.seconds(ts, inTB) - startSeconds) }
            av_packet_rescale_ts(packet, inTB, outVideo.pointee.time_base)
            packet.pointee.stream_index = 0
            packet.pointee.pos = -1
            try LibAV.check(av_interleaved_write_frame(out, packet), "av_interleaved_write_frame", path: path)
        }
        try writeAudio(until: .infinity)
    }
}
