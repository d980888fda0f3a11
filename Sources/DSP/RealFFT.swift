import CFFTW
import Foundation

/// A real-to-complex / complex-to-real FFT of one size on FFTW (single precision).
/// Plans are made once per instance; planning is serialised because FFTW's planner is not
/// thread-safe. An instance owns scratch buffers: use one per thread.
public final class RealFFT {
    public let size: Int
    public var bins: Int { size / 2 + 1 }
    private let forwardPlan: fftwf_plan
    private let inversePlan: fftwf_plan
    /// Scratch buffers owned by this instance (SIMD-aligned by fftwf_malloc).
    private let real: UnsafeMutablePointer<Float>
    private let complex: UnsafeMutablePointer<fftwf_complex>

    private static let plannerLock = NSLock()

    public init(size: Int) throws {
        guard size >= 2, size % 2 == 0 else {
            throw DSPError.invalidParameter(name: "FFT size", got: "\(size)", expected: "an even number >= 2")
        }
        self.size = size
        let real = fftwf_alloc_real(size)!
        let complex = fftwf_alloc_complex(size / 2 + 1)!
        self.real = real
        self.complex = complex
        Self.plannerLock.lock()
        let f = fftwf_plan_dft_r2c_1d(Int32(size), real, complex, foley_fftw_estimate())
        let i = fftwf_plan_dft_c2r_1d(Int32(size), complex, real, foley_fftw_estimate())
        Self.plannerLock.unlock()
        guard let f, let i else { throw DSPError.fftwPlanFailed(size: size) }
        forwardPlan = f
        inversePlan = i
    }

    deinit {
        Self.plannerLock.lock()
        fftwf_destroy_plan(forwardPlan)
        fftwf_destroy_plan(inversePlan)
        Self.plannerLock.unlock()
        fftwf_free(real)
        fftwf_free(complex)
    }

    /// Forward transform of `size` real samples into `bins` complex values (re, im split).
    public func forward(_ input: UnsafePointer<Float>, re: UnsafeMutablePointer<Float>, im: UnsafeMutablePointer<Float>) {
        real.update(from: input, count: size)
        fftwf_execute_dft_r2c(forwardPlan, real, complex)
        let c = UnsafeMutableRawPointer(complex).assumingMemoryBound(to: Float.self)
        for k in 0..<bins {
            re[k] = c[2 * k]
            im[k] = c[2 * k + 1]
        }
    }

    /// Inverse transform, normalised (divides by size) so inverse(forward(x)) == x.
    public func inverse(re: UnsafePointer<Float>, im: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let c = UnsafeMutableRawPointer(complex).assumingMemoryBound(to: Float.self)
        for k in 0..<bins {
            c[2 * k] = re[k]
            c[2 * k + 1] = im[k]
        }
        fftwf_execute_dft_c2r(inversePlan, complex, real)
        let scale = 1 / Float(size)
        for n in 0..<size { output[n] = real[n] * scale }
    }
}
