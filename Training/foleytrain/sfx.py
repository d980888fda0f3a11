"""The external sound-effects embedding (PyPI's aisfx 0.1.2, CC BY 4.0) as `foley eval` uses it.

Nothing here was trained by us: the network and its weights are the package's. This module
finds the package in the cache that Scripts/fetch-sfx-model.sh fills, builds the model with the
package's own classes, and computes the package's librosa-path input (documented in
aisfx/spectrogram/spectrogram_librosa.py) in numpy, so training-side code needs no librosa:
  peak-normalised 44.1 kHz audio → |STFT|² (n_fft 2048 = win, hop 1024, periodic Hann, centred
  with zero padding) → 96 HTK-mel triangles on 0–22050 Hz, each of unit L1 norm →
  log10(1e4·x + 1) / 9.457798957824707 (the package's 'original' min–max) → blocks of 100
  frames (~2.3 s) at a hop of 50, the last partial block dropped, at least one block.
"""
import os
import sys

import numpy as np

SR = 44100
N_FFT, HOP, N_MELS, F_MIN, F_MAX = 2048, 1024, 96, 0.0, 22050.0
NORM_MAX = 9.457798957824707
BLOCK, BLOCK_HOP = 100, 50
VERSION = "0.1.2"


def cache_dir():
    root = os.environ.get("FOLEY_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "foley")
    return os.path.join(root, f"aisfx-{VERSION}")


def package_dir():
    d = os.path.join(cache_dir(), "pkg")
    if not os.path.isfile(os.path.join(d, "aisfx", "models", "checkpoint.pth")):
        raise FileNotFoundError(f"{d}: aisfx {VERSION} is not installed there; run Scripts/fetch-sfx-model.sh")
    return d


def htk_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def htk_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


def filterbank():
    """[96, 1025] triangles on the HTK mel scale, each row scaled to unit L1 norm (librosa's norm=1)."""
    freqs = np.linspace(0, SR / 2, N_FFT // 2 + 1)
    edges = htk_hz(np.linspace(htk_mel(F_MIN), htk_mel(F_MAX), N_MELS + 2))
    fdiff = np.diff(edges)
    ramps = edges[:, None] - freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    w = np.maximum(0, np.minimum(lower, upper))
    return w / np.maximum(np.sum(np.abs(w), axis=1, keepdims=True), np.finfo(np.float32).tiny)


def mel(y):
    """Normalised log-mel [frames, 96] of mono 44.1 kHz audio (the model's input layout)."""
    y = np.asarray(y, dtype=np.float32)
    peak = float(np.max(np.abs(y))) if y.size else 0.0
    y = y / (peak if peak > 0 else 1.0)
    padded = np.pad(y, N_FFT // 2)
    frames = 1 + len(y) // HOP
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(frames)[:, None]
    power = np.abs(np.fft.rfft(padded[idx] * window, axis=1)) ** 2              # [frames, 1025]
    m = power @ filterbank().T                                                   # [frames, 96]
    return (np.log10(m * 10000.0 + 1) / NORM_MAX).astype(np.float32)


def blocks(spec):
    """[n, 100, 96]: the package's blocking (hop 0.5 block, partial block dropped, ≥ 1 block)."""
    t = spec.shape[0]
    n = int(np.ceil((t - BLOCK) / BLOCK_HOP + 1))
    if (t - BLOCK) % BLOCK_HOP != 0:
        n -= 1
    n = max(n, 1)
    data = np.vstack((spec, np.zeros((BLOCK, spec.shape[1]), dtype=spec.dtype)))
    return np.stack([data[i * BLOCK_HOP:i * BLOCK_HOP + BLOCK] for i in range(n)])


def load_package_model(pkg=None):
    """The package's CrossNet built as its load_bestModel does (EmbeddingNet('max', 3, 1, 64)),
    with its checkpoint; returns (model, ds_dict). Imports only the package's model module (its
    inference module needs tqdm, which we do not install)."""
    import torch
    pkg = pkg or package_dir()
    if pkg not in sys.path:
        sys.path.insert(0, pkg)
    from aisfx.models.cnn2d import CrossNet, EmbeddingNet
    weights, ds_dict = torch.load(os.path.join(pkg, "aisfx", "models", "checkpoint.pth"), map_location="cpu")
    model = CrossNet(EmbeddingNet("max", 3, 1, 64), ds_dict, "cpu")
    model.load_state_dict(weights)
    model.eval()
    return model, ds_dict


def head_names(ds_dict):
    """The category heads in the checkpoint's order."""
    return [name for name, _ in sorted(ds_dict.items(), key=lambda kv: kv[1][0])]
