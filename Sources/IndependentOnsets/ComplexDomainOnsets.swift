import CFFTW
import Foundation

/// The evaluation's own onset detector, independent of everything a generator uses: it shares
/// no code and no parameter with DSP's spectral-flux detector (which SpecVQGAN's candidate
/// ranking maximises). Its module depends on FFTW alone, and a test fails if it imports more.
///
/// - Onset function: rectified complex-domain deviation (Duxbury et al. 2003; Bello et al.
///   2004): each bin is predicted from the two frames before it (magnitude kept, phase
///   extrapolated), and the distance to the observed value is summed over bins whose
///   magnitude rose. Unlike flux on a mel it hears phase, so a stationary noise bed whose
///   magnitude fluctuates scores low while a transient that breaks phase continuity scores high.
/// - Resolution: 44.1 kHz, 1024-sample Hann frames every 441 samples (100 frames/s).
/// - Peak picking: `PeakPicker` (local maximum, moving-mean threshold, minimum spacing).
public final class ComplexDomainOnsets: @unchecked Sendable {
    public static let sampleRate = 44_100
    public let frameSize = 1024, hop = 441
    public var framesPerSecond: Double { Double(Self.sampleRate) / Double(hop) }
    public let picker: PeakPicker
    private let plan: OpaquePointer
    private let input: UnsafeMutablePointer<Float>
    private let output: UnsafeMutablePointer<fftwf_complex>
    private let window: [Float]
    private let lock = NSLock()   // one FFTW plan, buffers shared by calls

    public init(picker: PeakPicker = PeakPicker()) {
        self.picker = picker
        input = fftwf_alloc_real(frameSize)
        output = fftwf_alloc_complex(frameSize / 2 + 1)
        plan = fftwf_plan_dft_r2c_1d(Int32(frameSize), input, output, foley_fftw_estimate())
        window = (0..<frameSize).map { Float(0.5 - 0.5 * cos(2 * Double.pi * (Double($0) + 0.5) / 1024)) }   // half-sample-shifted Hann
    }

    deinit {
        fftwf_destroy_plan(plan)
        fftwf_free(input)
        fftwf_free(output)
    }

    /// The onset function of mono 44.1 kHz samples, one value per frame; frame t is centred on
    /// sample t·hop. Scale-free: divided by the clip's mean spectral magnitude per frame, so
    /// the threshold does not depend on level. Only frames whose window and both predecessors'
    /// lie wholly inside the signal score: the clip's own start and end are edits, not events.
    public func onsetFunction(_ x: [Float]) -> [Float] {
        lock.lock(); defer { lock.unlock() }
        let bins = frameSize / 2 + 1, half = frameSize / 2
        let frames = x.isEmpty ? 0 : 1 + x.count / hop
        var mag1 = [Float](repeating: 0, count: bins), phase1 = [Float](repeating: 0, count: bins), phase2 = phase1
        var odf = [Float](repeating: 0, count: frames)
        var total: Double = 0, inside = 0
        for t in 0..<frames {
            let start = t * hop - half
            guard start >= 0, start + frameSize <= x.count else { inside = 0; continue }
            inside += 1
            for n in 0..<frameSize { input[n] = x[start + n] * window[n] }
            fftwf_execute(plan)
            var sum: Float = 0, frameMagnitude: Float = 0
            for k in 0..<bins {
                let (re, im) = (output[k].0, output[k].1)
                let mag = (re * re + im * im).squareRoot(), phase = atan2(im, re)
                frameMagnitude += mag
                if inside >= 3 && mag > mag1[k] {
                    let predicted = 2 * phase1[k] - phase2[k]
                    let dr = re - mag1[k] * cos(predicted), di = im - mag1[k] * sin(predicted)
                    sum += (dr * dr + di * di).squareRoot()
                }
                phase2[k] = phase1[k]; phase1[k] = phase; mag1[k] = mag
            }
            odf[t] = sum
            total += Double(frameMagnitude)
        }
        let meanMagnitude = Float(total / Double(max(frames, 1)))
        guard meanMagnitude > 1e-9 else { return [Float](repeating: 0, count: frames) }
        return odf.map { $0 / meanMagnitude }
    }

    /// Onset times in seconds.
    public func detect(_ samples44k: [Float]) -> [Double] {
        picker.peaks(onsetFunction(samples44k)).map { Double($0) / framesPerSecond }
    }
}
