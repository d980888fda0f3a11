"""The shared full-band renderer: the fixed 80-band mel (22.05 kHz analysis, 86.13 frames/s,
125–7600 Hz) to a 44.1 kHz waveform, restoring the band above 7.6 kHz from what is below.

The family is Vocos (Siuzdenko et al. 2023): a ConvNeXt backbone at the frame rate and a
head that predicts each frame's STFT (log-magnitude and phase) for one inverse FFT, so the
network never runs at the sample rate. At 44.1 kHz with hop 512 the STFT frame rate equals
our mel's (512 / 44100 = 256 / 22050), so mel frame i and STFT frame i are both centred on
44.1 kHz sample 512·i: no resampling of the conditioning at all.

  mel (B, 80, T) → embed conv k7 → LN → N × ConvNeXt → LN → linear → (B, 2·bins, T)
  → |S| = exp(log-mag) (≤ 100), ∠S = phase → iSTFT (n_fft 2048, hop 512, Hann) → (B, 1, 512·T)

Names here are the weight table of Sources/Generators/Components/Vocoder/FullBandVocoder.swift.
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

RATE = 44100
HOP = 512
N_FFT = 2048


class ConvNeXtBlock(nn.Module):
    """x + γ·pw2(GELU(pw1(LN(dwconv(x))))): a depthwise k7 conv along time mixes neighbouring
    frames, the pointwise MLP mixes channels (channels-last for the LayerNorm and linears)."""

    def __init__(self, dim, inter, layer_scale):
        super().__init__()
        self.dwconv = nn.Conv1d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pwconv1 = nn.Linear(dim, inter)
        self.pwconv2 = nn.Linear(inter, dim)
        self.gamma = nn.Parameter(torch.full((dim,), layer_scale))

    def forward(self, x):                                   # (B, D, T)
        h = self.dwconv(x).transpose(1, 2)                  # (B, T, D)
        h = self.pwconv2(F.gelu(self.pwconv1(self.norm(h))))
        return x + (self.gamma * h).transpose(1, 2)


def hann(n):
    return 0.5 - 0.5 * torch.cos(2 * math.pi * torch.arange(n, dtype=torch.float64) / n)


def istft(log_mag, phase, n_fft=N_FFT, hop=HOP):
    """Frames centred on hop·i (as the mel's are): irfft each frame, Hann window, overlap-add,
    divide by the summed squared window, drop the n_fft/2 lead-in → (B, hop·T)."""
    b, _, t = log_mag.shape
    mag = torch.exp(log_mag).clamp(max=1e2)
    spec = torch.complex(mag * torch.cos(phase), mag * torch.sin(phase))     # (B, bins, T)
    window = hann(n_fft).float().to(log_mag.device)
    frames = torch.fft.irfft(spec, n=n_fft, dim=1) * window[None, :, None]   # (B, n_fft, T)
    length = (t - 1) * hop + n_fft
    y = F.fold(frames, (1, length), (1, n_fft), stride=(1, hop))[:, 0, 0]   # (B, length)
    env = F.fold((window ** 2)[None, :, None].expand(1, n_fft, t), (1, length), (1, n_fft), stride=(1, hop))[0, 0, 0]
    start = n_fft // 2                                     # trimmed before dividing: env is 0 at the far ends
    return y[:, start:start + hop * t] / env[start:start + hop * t]


class FullBandVocoder(nn.Module):
    def __init__(self, mels=80, dim=256, inter=768, layers=6, n_fft=N_FFT, hop=HOP):
        super().__init__()
        self.config = dict(mels=mels, dim=dim, inter=inter, layers=layers, n_fft=n_fft, hop=hop, rate=RATE)
        self.embed = nn.Conv1d(mels, dim, 7, padding=3)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.blocks = nn.ModuleList([ConvNeXtBlock(dim, inter, 1.0 / layers) for _ in range(layers)])
        self.final_norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, n_fft + 2)

    def spectrum(self, mel):
        """(B, 80, T) → log-magnitude and phase, each (B, bins, T)."""
        x = self.norm(self.embed(mel).transpose(1, 2)).transpose(1, 2)          # (B, D, T)
        for block in self.blocks:
            x = block(x)
        h = self.head(self.final_norm(x.transpose(1, 2))).transpose(1, 2)      # (B, n_fft + 2, T)
        bins = self.config["n_fft"] // 2 + 1
        return h[:, :bins], h[:, bins:]

    def forward(self, mel):
        log_mag, phase = self.spectrum(mel)
        return istft(log_mag, phase, self.config["n_fft"], self.config["hop"])[:, None]   # (B, 1, 512 T)


def halfband_filter(taps=127):
    """Kaiser-windowed sinc low-pass at 10.5 kHz for 44.1 → 22.05 kHz: symmetric, so the
    decimated copy stays sample-aligned with the full-band one (mel frame i ↔ sample 512·i)."""
    n = np.arange(taps) - taps // 2
    cutoff = 10500 / RATE * 2                                  # of the 44.1 kHz Nyquist
    h = cutoff * np.sinc(cutoff * n) * np.kaiser(taps, 8.0)
    return (h / h.sum()).astype(np.float32)


def to_working_rate(x44):
    """44.1 kHz → 22.05 kHz (the rate our mel is computed at): low-pass, keep every other sample."""
    y = np.convolve(x44, halfband_filter(), mode="same")
    return y[::2].astype(np.float32)


def fullband_mel_basis(n_fft=N_FFT, mels=128):
    """Triangular filters over 0–22.05 kHz (the training loss's view of the whole band; not
    the evaluation's front end), (mels, bins)."""
    from . import audio
    return torch.from_numpy(audio.mel_filterbank(sr=RATE, n_fft=n_fft, n_mels=mels, fmin=0.0, fmax=RATE / 2))


def mel_loss(fake, real, basis):
    """L1 between log mels of the whole band (Vocos' reconstruction term)."""
    window = torch.hann_window(N_FFT, device=fake.device)
    def logmel(x):
        s = torch.stft(x.squeeze(1), N_FFT, HOP, window=window, return_complex=True).abs()
        return torch.log(torch.clamp(basis.to(x.device) @ s, min=1e-5))
    return (logmel(fake) - logmel(real)).abs().mean()
