import ArgumentParser
import CALSA
import CAVCodec
import CAVFormat
import CAVUtil
import CFFTW
import CNcursesw
import COpenBLAS
import CSWResample
import CSWScale
import Foundation

/// Reports the C libraries Foley runs on and whether an audio device opens: the first thing
/// to paste into a bug report.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the libraries and the audio device Foley uses.")

    @Option(help: "ALSA device to try (default: $FOLEY_ALSA_DEVICE or 'default').")
    var device: String?

    func run() throws {
        func v(_ x: UInt32) -> String { "\(x >> 16).\((x >> 8) & 0xFF).\(x & 0xFF)" }
        print("libavformat  \(v(avformat_version()))")
        print("libavcodec   \(v(avcodec_version()))")
        print("libavutil    \(v(avutil_version()))")
        print("libswscale   \(v(swscale_version()))")
        print("libswresample \(v(swresample_version()))")
        print("FFTW         \(String(cString: foley_fftw_version()))")
        print("OpenBLAS     \(String(cString: openblas_get_config()))")
        print("ncursesw     \(String(cString: curses_version()))")
        print("ALSA         \(String(cString: snd_asoundlib_version()))")
        let name = device ?? ProcessInfo.processInfo.environment["FOLEY_ALSA_DEVICE"] ?? "default"
        foley_alsa_silence_errors()
        var pcm: OpaquePointer? = nil
        let rc = snd_pcm_open(&pcm, name, SND_PCM_STREAM_PLAYBACK, Int32(SND_PCM_NONBLOCK))
        if rc == 0 {
            print("audio device '\(name)': opens for playback")
            snd_pcm_close(pcm)
        } else {
            print("audio device '\(name)': cannot open (\(String(cString: snd_strerror(rc)))); "
                  + "playback will be unavailable, everything else works")
        }
    }
}
