"""The neural vocoder: a MelGAN generator in the official layout (descript's melgan-neurips,
which SpecVQGAN's vocoder uses): `model.{i}` of one Sequential, weight-normed convolutions
(weight_g / weight_v while training, folded into `weight` at export), residual stacks with
`block` and `shortcut`. Normalised mel (B, 80, T) → waveform (B, 1, 256 T) at 22.05 kHz.

With `bands` > 1 it is a multi-band MelGAN (Yang et al. 2020): the stages upsample by
256 / bands only, the last convolution gives `bands` sub-band signals, and a fixed PQMF
synthesis bank (`pqmf.synthesis`, exported with the weights) interleaves them into the
waveform, so the costly high-rate stages run at a quarter of the sample rate."""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import weight_norm


def wn_conv(*args, **kwargs):
    return weight_norm(nn.Conv1d(*args, **kwargs))


def wn_conv_transpose(*args, **kwargs):
    return weight_norm(nn.ConvTranspose1d(*args, **kwargs))


class ResnetBlock(nn.Module):
    def __init__(self, dim, dilation):
        super().__init__()
        self.block = nn.Sequential(nn.LeakyReLU(0.2), nn.ReflectionPad1d(dilation), wn_conv(dim, dim, 3, dilation=dilation),
                                   nn.LeakyReLU(0.2), wn_conv(dim, dim, 1))
        self.shortcut = wn_conv(dim, dim, 1)

    def forward(self, x):
        return self.shortcut(x) + self.block(x)


def pqmf_prototype(taps=62, cutoff=0.142, beta=9.0):
    """Kaiser-windowed sinc low-pass (taps + 1 coefficients) whose cosine modulations form a
    near-perfect-reconstruction pseudo-QMF bank; the cutoff and beta are the values the
    multi-band MelGAN paper uses for 4 bands (another band count needs its own cutoff)."""
    n = np.arange(taps + 1) - taps / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        ideal = np.sin(math.pi * cutoff * n) / (math.pi * n)
    ideal[taps // 2] = cutoff
    return ideal * np.kaiser(taps + 1, beta)


class PQMF(nn.Module):
    """Cosine-modulated filter bank: `analysis` splits (B, 1, T) into (B, bands, T / bands),
    `synthesis` joins them back. Synthesis is stored as a transposed-convolution kernel
    (bands, 1, taps + 1) with stride `bands`, which is how the runtime applies it."""

    def __init__(self, bands=4, taps=62):
        super().__init__()
        if bands != 4:
            raise ValueError(f"PQMF: got [{bands} bands], expected [4] (the prototype's cutoff is tuned for four)")
        h = pqmf_prototype(taps)
        n = np.arange(taps + 1) - taps / 2
        k = np.arange(bands)[:, None]
        phase = (-1.0) ** k * math.pi / 4
        analysis = 2 * h * np.cos((2 * k + 1) * math.pi / (2 * bands) * n + phase)     # (bands, taps + 1)
        synthesis = 2 * h * np.cos((2 * k + 1) * math.pi / (2 * bands) * n - phase)
        self.bands, self.taps = bands, taps
        self.register_buffer("analysis", torch.tensor(analysis, dtype=torch.float32)[:, None], persistent=False)
        # zero-stuffing by `bands`, then correlating with synthesis: the same as a transposed
        # convolution with the reversed kernel scaled by `bands`
        self.register_buffer("synthesis", torch.tensor(bands * synthesis[:, ::-1].copy(), dtype=torch.float32)[:, None])

    def analyse(self, x):
        return F.conv1d(x, self.analysis, padding=self.taps // 2)[:, :, ::self.bands]          # (B, bands, T / bands)

    def synthesise(self, y):
        return F.conv_transpose1d(y, self.synthesis, stride=self.bands, padding=self.taps // 2,
                                  output_padding=self.bands - 1)                              # (B, 1, T)


class Generator(nn.Module):
    def __init__(self, mels=80, ngf=32, n_residual_layers=3, ratios=(8, 8, 2, 2), bands=1):
        super().__init__()
        self.config = dict(mels=mels, ngf=ngf, n_residual_layers=n_residual_layers, ratios=list(ratios))
        if bands > 1:                                                    # older checkpoints' configs stay as they were
            self.config["bands"] = bands
        if math.prod(ratios) * bands != 256:
            raise ValueError(f"vocoder: got [ratios {list(ratios)} × bands {bands}], expected a product of 256 (the hop)")
        mult = 2 ** len(ratios)
        layers = [nn.ReflectionPad1d(3), wn_conv(mels, mult * ngf, 7)]
        for r in ratios:
            layers += [nn.LeakyReLU(0.2),
                       wn_conv_transpose(mult * ngf, mult * ngf // 2, 2 * r, stride=r, padding=r // 2 + r % 2, output_padding=r % 2)]
            layers += [ResnetBlock(mult * ngf // 2, 3 ** j) for j in range(n_residual_layers)]
            mult //= 2
        layers += [nn.LeakyReLU(0.2), nn.ReflectionPad1d(3), wn_conv(ngf, bands, 7), nn.Tanh()]
        self.model = nn.Sequential(*layers)
        self.pqmf = PQMF(bands) if bands > 1 else None

    def forward(self, mel):
        return self.synthesise(self.subbands(mel))

    def subbands(self, mel):
        return self.model(mel)                                           # (B, bands, 256 T / bands)

    def synthesise(self, sub):
        return sub if self.pqmf is None else self.pqmf.synthesise(sub)   # (B, 1, 256 T)


class ScaleDiscriminator(nn.Module):
    """Strided grouped convolutions over the waveform; returns every layer's output (feature matching)."""

    def __init__(self, ndf=16, layers=3, factor=4):
        super().__init__()
        convs = [nn.Sequential(nn.ReflectionPad1d(7), wn_conv(1, ndf, 15), nn.LeakyReLU(0.2))]
        c = ndf
        for _ in range(layers):
            out = min(c * factor, 256)
            convs.append(nn.Sequential(wn_conv(c, out, factor * 10 + 1, stride=factor, padding=factor * 5, groups=max(1, c // 4)),
                                       nn.LeakyReLU(0.2)))
            c = out
        convs.append(nn.Sequential(wn_conv(c, c, 5, padding=2), nn.LeakyReLU(0.2)))
        convs.append(wn_conv(c, 1, 3, padding=1))
        self.convs = nn.ModuleList(convs)

    def forward(self, x):
        features = []
        for conv in self.convs:
            x = conv(x)
            features.append(x)
        return features


class MultiScaleDiscriminator(nn.Module):
    def __init__(self, scales=3):
        super().__init__()
        self.discriminators = nn.ModuleList([ScaleDiscriminator() for _ in range(scales)])

    def forward(self, x):
        out = []
        for i, d in enumerate(self.discriminators):
            out.append(d(x))
            if i + 1 < len(self.discriminators):
                x = F.avg_pool1d(x, 4, stride=2, padding=1, count_include_pad=False)
        return out


SUBBAND_SIZES = ((128, 32), (256, 64), (512, 128))                     # for 5.5 kHz sub-band signals


def spectral_loss(fake, real, sizes=((512, 128), (1024, 256), (2048, 512))):
    """Multi-resolution log-magnitude L1: steadies early training on one CPU core."""
    total = 0.0
    for n_fft, hop in sizes:
        window = torch.hann_window(n_fft, device=fake.device)
        sf = torch.stft(fake.squeeze(1), n_fft, hop, window=window, return_complex=True).abs()
        sr = torch.stft(real.squeeze(1), n_fft, hop, window=window, return_complex=True).abs()
        total = total + (torch.log(sf + 1e-5) - torch.log(sr + 1e-5)).abs().mean() + (sf - sr).norm() / (sr.norm() + 1e-8)
    return total / len(sizes)


def subband_loss(fake_sub, real, pqmf):
    """The multi-band MelGAN's sub-band term: each generated band against the same band of
    the real waveform (PQMF analysis), at resolutions suited to the bands' lower rate."""
    real_sub = pqmf.analyse(real)
    b, k, t = fake_sub.shape
    return spectral_loss(fake_sub.reshape(b * k, 1, t), real_sub.reshape(b * k, 1, t), SUBBAND_SIZES)
