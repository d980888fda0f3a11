import DSP
import Runtime

/// The shared last stage of every mel-spectrogram generator: a normalised [80, frames] mel to
/// a 22 050 Hz waveform. `melgan` is the trained vocoder with its output's mel envelope
/// matched to the mel it was given (MelEnvelopeMatch); `melgan-raw` the vocoder alone;
/// `griffin-lim` no vocoder weights at all (phasey, but shows what the mel alone gives). A
/// draft vocoder, when the bundle has one, renders the same mel faster.
public final class MelRenderer: @unchecked Sendable {
    public enum Kind: String, Sendable, CaseIterable { case melgan, melganRaw = "melgan-raw", griffinLim = "griffin-lim" }

    public let kind: Kind

    /// The kinds as a generator's Vocoder choice.
    public static let options: [ParameterSpec.Option] = [
        .init(Kind.melgan.rawValue, "MelGAN"), .init(Kind.melganRaw.rawValue, "MelGAN raw"), .init(Kind.griffinLim.rawValue, "Griffin-Lim"),
    ]
    public let vocoder: MelGANVocoder
    public let draftVocoder: MelGANVocoder?
    let analyzer: MelAnalyzer
    /// The default kind's last step, its filterbank spread prepared once.
    let envelopeMatch: MelEnvelopeMatch

    public init(kind: Kind, vocoder: MelGANVocoder, draftVocoder: MelGANVocoder?, analyzer: MelAnalyzer) {
        self.kind = kind
        self.vocoder = vocoder
        self.draftVocoder = draftVocoder
        self.analyzer = analyzer
        envelopeMatch = MelEnvelopeMatch(analyzer: analyzer)
    }

    /// Whether a Draft switch means anything: the bundle has a draft vocoder (it renders the
    /// melgan kinds only).
    public var hasDraft: Bool { draftVocoder != nil }

    /// The parameters every mel generator ends with: the Vocoder choice, Draft where there is
    /// a draft vocoder, and the Seed.
    public func parameters(vocoderHelp: String = "mel to waveform: the shared renderer's kinds",
                           draftHelp: String = "the smaller vocoder, for fast auditioning") -> [ParameterSpec] {
        [.choice(.vocoder, "Vocoder", options: Self.options, default: kind.rawValue, help: vocoderHelp)]
            + (hasDraft ? [.toggle(.draft, "Draft", help: draftHelp)] : [])
            + [.number(.seed, "Seed", range: 0...99_999, step: 1, default: 1, integer: true, help: "the same seed and settings give the same take")]
    }

    /// [80, frames] normalised mel → waveform with `kind` (default: the one this renderer was
    /// made with); `draft` picks the smaller vocoder where there is one; `seed` drives
    /// Griffin-Lim's initial phases.
    public func callAsFunction(mel: Tensor, seed: UInt64, draft: Bool = false, kind: Kind? = nil) -> [Float] {
        let kind = kind ?? self.kind
        switch kind {
        case .melgan, .melganRaw:
            let audio = (draft ? draftVocoder ?? vocoder : vocoder)(mel: mel)
            guard kind == .melgan else { return audio }
            return envelopeMatch.apply(audio, toNormalizedMel: MelSpectrogram(bands: mel.dim(0), frames: mel.dim(1), values: mel.values))
        case .griffinLim:
            let m = MelSpectrogram(bands: mel.dim(0), frames: mel.dim(1), values: mel.values)
            return GriffinLim(iterations: 32, seed: seed).waveform(fromNormalizedMel: m, analyzer: analyzer)
        }
    }
}
