"""The neural vocoder: a MelGAN generator in the official layout (descript's melgan-neurips,
which SpecVQGAN's vocoder uses): `model.{i}` of one Sequential, weight-normed convolutions
(weight_g / weight_v while training, folded into `weight` at export), residual stacks with
`block` and `shortcut`. Normalised mel (B, 80, T) → waveform (B, 1, 256 T) at 22.05 kHz."""
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


class Generator(nn.Module):
    def __init__(self, mels=80, ngf=32, n_residual_layers=3, ratios=(8, 8, 2, 2)):
        super().__init__()
        self.config = dict(mels=mels, ngf=ngf, n_residual_layers=n_residual_layers, ratios=list(ratios))
        mult = 2 ** len(ratios)
        layers = [nn.ReflectionPad1d(3), wn_conv(mels, mult * ngf, 7)]
        for r in ratios:
            layers += [nn.LeakyReLU(0.2),
                       wn_conv_transpose(mult * ngf, mult * ngf // 2, 2 * r, stride=r, padding=r // 2 + r % 2, output_padding=r % 2)]
            layers += [ResnetBlock(mult * ngf // 2, 3 ** j) for j in range(n_residual_layers)]
            mult //= 2
        layers += [nn.LeakyReLU(0.2), nn.ReflectionPad1d(3), wn_conv(ngf, 1, 7), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, mel):
        return self.model(mel)


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


def spectral_loss(fake, real, sizes=((512, 128), (1024, 256), (2048, 512))):
    """Multi-resolution log-magnitude L1: steadies early training on one CPU core."""
    total = 0.0
    for n_fft, hop in sizes:
        window = torch.hann_window(n_fft, device=fake.device)
        sf = torch.stft(fake.squeeze(1), n_fft, hop, window=window, return_complex=True).abs()
        sr = torch.stft(real.squeeze(1), n_fft, hop, window=window, return_complex=True).abs()
        total = total + (torch.log(sf + 1e-5) - torch.log(sr + 1e-5)).abs().mean() + (sf - sr).norm() / (sr.norm() + 1e-8)
    return total / len(sizes)
