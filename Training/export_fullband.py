"""Exports DATA/fullband.ckpt (Training/train_fullband.py) as Weights/fullband-vocoder: float16
weights, its config and a card whose metrics are measured on the rounded weights, on the
held-out test-split recordings (never heard in training), against today's renderer (the
shipped SpecVQGAN MelGAN at 22.05 kHz, upsampled) and against the 22.05 kHz truth itself.

Metric: log-spectral distance (dB, RMS over STFT bins, 2048/512 at 44.1 kHz) per band, over
the frames where the truth is within 60 dB of its loudest, per recording; the mean over
recordings with a 95% bootstrap interval (1000 resamples of recordings).
  /usr/bin/python3 Training/export_fullband.py [--data DIR] [--out Weights]
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import sources                                                  # noqa: E402
from export_models import card, write_bundle                               # noqa: E402
from foleytrain import audio, bundle, fullband                             # noqa: E402
from foleytrain.loop import arguments                                      # noqa: E402
from foleytrain.torch_util import single_thread                            # noqa: E402
from train_fullband import Recordings                                      # noqa: E402

BANDS = {"125–7600 Hz": (125, 7600), "7.6–11 kHz": (7600, 11025), "11–20 kHz": (11025, 20000)}
SECONDS = 8                                                                 # at most this much of each recording


def log_spectrum(x):
    s = np.abs(torch.stft(torch.from_numpy(np.ascontiguousarray(x, np.float32)), 2048, 512, window=torch.hann_window(2048),
                          return_complex=True).numpy())
    return 20 * np.log10(s + 1e-5)                                          # (1025, frames)


def upsample2(x):
    """22.05 → 44.1 kHz by zero-padding the spectrum (what a 22.05 kHz take plays as)."""
    return (np.fft.irfft(np.fft.rfft(x), 2 * len(x)) * 2).astype(np.float32)


def lsd(gen, truth):
    """Per band: RMS dB difference over the bins of the truth's active frames."""
    n = min(len(gen), len(truth))
    g, t = log_spectrum(gen[:n]), log_spectrum(truth[:n])
    active = t.max(axis=0) > t.max() - 60
    freqs = np.arange(1025) * fullband.RATE / 2048
    return {name: float(np.sqrt(np.mean((g[(freqs >= lo) & (freqs < hi)][:, active] - t[(freqs >= lo) & (freqs < hi)][:, active]) ** 2)))
            for name, (lo, hi) in BANDS.items()}


def interval(values, rng=np.random.default_rng(2026)):
    v = np.asarray(values)
    boot = [v[rng.integers(0, len(v), len(v))].mean() for _ in range(1000)]
    return v.mean(), np.percentile(boot, 2.5), np.percentile(boot, 97.5)


def measure(model, melgan, held):
    rows = {"full-band vocoder (44.1 kHz)": [], "MelGAN of Weights/specvqgan (22.05 kHz, upsampled)": [],
            "the 22.05 kHz truth itself, upsampled": []}
    with torch.no_grad():
        for x44, x22 in held.items:
            x44, x22 = x44[:SECONDS * fullband.RATE], x22[:SECONDS * fullband.RATE // 2]
            mel = torch.from_numpy(audio.normalized_mel(x22))[None]
            frames = len(x22) // audio.HOP
            mel = mel[..., :frames]
            truth = x44[:frames * fullband.HOP]
            rows["full-band vocoder (44.1 kHz)"].append(lsd(model(mel)[0, 0].numpy(), truth))
            rows["MelGAN of Weights/specvqgan (22.05 kHz, upsampled)"].append(lsd(upsample2(melgan(mel)[0, 0].numpy()), truth))
            rows["the 22.05 kHz truth itself, upsampled"].append(lsd(upsample2(x22[:frames * audio.HOP]), truth))
    return rows


def main():
    ap = arguments(steps=0)
    ap.add_argument("--pkgs", default=None)
    ap.add_argument("--name", default="fullband.ckpt")
    ap.add_argument("--codec-from", type=int, help="the step the run went on with --codec-bundle (said on the card)")
    args = ap.parse_args()
    single_thread()
    state = torch.load(os.path.join(args.data, args.name), map_location="cpu")
    config = state["config"]
    model = fullband.FullBandVocoder(dim=config["dim"], inter=config["inter"], layers=config["layers"]).eval()
    model.load_state_dict(state["model"])
    with torch.no_grad():                                                   # measured as shipped: float16-rounded
        for p in model.parameters():
            p.copy_(p.half().float())
    root = args.pkgs or sources.data_dir()
    held = Recordings(root, "test")
    melgan = bundle.load(os.path.join(args.out, "specvqgan"))["vocoder"]
    rows = measure(model, melgan, held)
    metrics = {}
    for row, values in rows.items():
        for band in BANDS:
            m, lo, hi = interval([v[band] for v in values])
            metrics[f"LSD {band}, {row}"] = f"{m:.2f} dB [{lo:.2f}, {hi:.2f}]"
    ours, melgan_row = rows["full-band vocoder (44.1 kHz)"], rows["MelGAN of Weights/specvqgan (22.05 kHz, upsampled)"]
    for band in BANDS:                                                      # paired: the same recordings
        m, lo, hi = interval([a[band] - b[band] for a, b in zip(ours, melgan_row)])
        metrics[f"LSD {band}, full-band vocoder − MelGAN (paired)"] = f"{m:+.2f} dB [{lo:+.2f}, {hi:+.2f}]"
    train = Recordings(root, "train")
    text = card("Full-band vocoder (the shared renderer, demo scale)",
                "Our fixed 80-band mel (22.05 kHz analysis, 125–7600 Hz, 86.13 frames/s) → 44.1 kHz waveform, hop 512: "
                "a Vocos network (ConvNeXt backbone at the frame rate, a head predicting each frame's log-magnitude and phase, "
                "one inverse FFT per frame). It restores the band above 7.6 kHz from what is below; every mel generator can "
                "render through it.",
                f"The corpus recordings themselves at their own full band: {len(train.items)} train-split recordings recorded at "
                f"44.1 kHz or more ({len(train.skipped)} lower-rate ones left out), mels computed the corpus way from a 22.05 kHz "
                "copy (symmetric low-pass, every other sample); levels −30…0 dB, a second recording mixed in for 30% of the "
                f"segments. Metrics on the {len(held.items)} held-out test-split recordings (first {SECONDS} s of each).",
                f"{state['step']} steps of 8 segments × 16384 samples, one CPU thread: 45 × full-band log-mel L1 (0–22.05 kHz, "
                "128 bands) + multi-resolution STFT term; hinge GAN with feature matching over foleytrain/melgan.py's "
                "multi-scale waveform discriminator (on 4096-sample crops) from step 3000. None of these is the evaluation's "
                "network. AdamW 5e-4, betas (0.8, 0.9)."
                + (f" From step {args.codec_from}, half the batches' mels went through Weights/specvqgan's codec first "
                   "(encode, quantise, decode, 128 frames of context), as a generator's mel reaches the renderer."
                   if args.codec_from else ""),
                metrics, f"{config}; periodic Hann window; |S| = min(exp(m), 100).")
    tensors = {k: v.numpy().astype(np.float16) for k, v in model.state_dict().items()}
    write_bundle("fullband-vocoder", tensors, {**{k: v for k, v in config.items()}, "kind": "fullband-vocoder"}, text, args.out)
    print(text)


if __name__ == "__main__":
    main()
