/// The fixed audio geometry every generator shares (DESIGN.md, "Fixed geometry"). It follows
/// SpecVQGAN's spectrogram settings so its official checkpoints stay loadable.
public enum AudioGeometry {
    public static let sampleRate = 22050
    public static let nFFT = 1024
    public static let winLength = 1024
    public static let hopLength = 256
    public static let nMels = 80
    public static let fMin: Double = 125
    public static let fMax: Double = 7600
    /// Mel frames per second: 86.13.
    public static let melFrameRate = Double(sampleRate) / Double(hopLength)
    /// Visual features per second: one per 4 mel frames, 21.53.
    public static let visualFrameRate = melFrameRate / 4
}
