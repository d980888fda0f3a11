"""Writes Tests/Fixtures/dsp/mel_golden.safetensors with librosa as the reference.

Run with `make golden` (a venv with PyPI's librosa); the output is committed, so neither CI
nor the Swift tests need librosa. Signals are deterministic (fixed seed).
"""
import os
import sys

import librosa
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain import safetensors_io  # noqa: E402

SR, N_FFT, HOP, N_MELS, FMIN, FMAX = 22050, 1024, 256, 80, 125, 7600


def signal():
    rng = np.random.default_rng(1234)
    t = np.arange(int(SR * 1.5)) / SR
    chirp = 0.3 * np.sin(2 * np.pi * (200 * t + 1500 * t ** 2))
    clicks = np.zeros_like(t)
    clicks[rng.integers(0, len(t), 12)] = 0.8
    noise = 0.05 * rng.standard_normal(len(t))
    return (chirp + clicks + noise).astype(np.float32)


def main(out_dir):
    x = signal()
    fb = librosa.filters.mel(sr=SR, n_fft=N_FFT, n_mels=N_MELS, fmin=FMIN, fmax=FMAX, htk=False, norm="slaney")
    stft = librosa.stft(x, n_fft=N_FFT, hop_length=HOP, win_length=N_FFT, window="hann", center=True, pad_mode="reflect")
    mel = librosa.feature.melspectrogram(S=np.abs(stft), sr=SR, n_fft=N_FFT, hop_length=HOP, power=1.0,
                                         n_mels=N_MELS, fmin=FMIN, fmax=FMAX, htk=False, norm="slaney")
    db = 20 * np.log10(np.maximum(1e-5, mel)) - 20
    norm = np.clip((db + 100) / 100, 0, 1)
    os.makedirs(out_dir, exist_ok=True)
    safetensors_io.save({
        "signal": x,
        "filterbank": fb.astype(np.float32),
        "stft_magnitude": np.abs(stft).astype(np.float32),       # (513, frames)
        "mel_magnitude": mel.astype(np.float32),                  # (80, frames)
        "mel_normalized": norm.astype(np.float32),                # (80, frames)
    }, os.path.join(out_dir, "mel_golden.safetensors"),
        metadata={"generator": "librosa " + librosa.__version__, "pad_mode": "reflect"})
    print("wrote", os.path.join(out_dir, "mel_golden.safetensors"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "dsp"))
