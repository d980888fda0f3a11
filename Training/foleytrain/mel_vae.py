"""A 1-D mel VAE (FRIEREN's appendix A, after Make-An-Audio): the 80 mel bands are the channels
and convolutions run along time, because a spectrogram is not translation-invariant along
frequency. 80 bands → `z` latent channels at half the mel frame rate (43.07 latent frames/s).
Shared: FRIEREN's flow and the later text-to-audio latent generators read the same latent, so
it lives here, not in a generator's module.

Layout (Sources/Generators/Components/Latent/MelVAE.swift binds these names):
  enc.conv_in [ch, 80, 3]
  enc.blocks.{i}  ResBlock: norm1, conv1 [o, c, 3], norm2, conv2 [o, o, 3], skip [o, c, 1] when c ≠ o
  enc.down        conv [c, c, 3] stride 2 (after block 0: time ÷ 2)
  enc.attn        norm, q, k, v, proj (1×1 convs, one head) after the last block
  enc.norm_out, enc.conv_out [2z, c, 3]      → mean, log-variance
  dec.conv_in [c, z, 3], dec.attn, dec.blocks.{i} (channels back down: ch·mult reversed),
  dec.up          nearest ×2 + conv [c, c, 3] before the last block (mirrors enc.down)
  dec.norm_out, dec.conv_out [80, ch, 3]      → the [0, 1] normalised mel (not clamped)
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def norm(channels, groups):
    return nn.GroupNorm(min(groups, channels), channels, eps=1e-6)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, groups):
        super().__init__()
        self.norm1, self.conv1 = norm(cin, groups), nn.Conv1d(cin, cout, 3, padding=1)
        self.norm2, self.conv2 = norm(cout, groups), nn.Conv1d(cout, cout, 3, padding=1)
        self.skip = nn.Conv1d(cin, cout, 1) if cin != cout else None

    def forward(self, x):                                                   # (B, cin, T)
        h = self.conv1(F.silu(self.norm1(x)))                               # (B, cout, T)
        h = self.conv2(F.silu(self.norm2(h)))
        return (self.skip(x) if self.skip is not None else x) + h


class Attn(nn.Module):
    """One-head self-attention along time, 1×1 convs as in LDM's AttnBlock."""

    def __init__(self, c, groups):
        super().__init__()
        self.norm = norm(c, groups)
        self.q, self.k, self.v, self.proj = (nn.Conv1d(c, c, 1) for _ in range(4))

    def forward(self, x):                                                   # (B, C, T)
        h = self.norm(x)
        q, k, v = self.q(h), self.k(h), self.v(h)
        w = torch.softmax(q.transpose(1, 2) @ k / q.shape[1] ** 0.5, dim=-1)   # (B, T, T)
        return x + self.proj((w @ v.transpose(1, 2)).transpose(1, 2))


class Encoder(nn.Module):
    def __init__(self, mels, ch, mult, z, groups):
        super().__init__()
        self.conv_in = nn.Conv1d(mels, ch, 3, padding=1)
        widths = [ch * m for m in mult]
        self.blocks = nn.ModuleList(ResBlock(c, o, groups) for c, o in zip([ch] + widths[:-1], widths))
        self.down = nn.Conv1d(widths[0], widths[0], 3, stride=2, padding=1)
        self.attn = Attn(widths[-1], groups)
        self.norm_out, self.conv_out = norm(widths[-1], groups), nn.Conv1d(widths[-1], 2 * z, 3, padding=1)

    def forward(self, mel):                                                 # (B, 80, T), T even
        h = self.conv_in(mel)
        for i, block in enumerate(self.blocks):
            h = block(h)
            if i == 0:
                h = self.down(h)                                            # (B, c, T/2)
        h = self.attn(h)
        return self.conv_out(F.silu(self.norm_out(h)))                      # (B, 2z, T/2)


class Decoder(nn.Module):
    def __init__(self, mels, ch, mult, z, groups):
        super().__init__()
        widths = [ch * m for m in mult][::-1]                               # e.g. 4c, 2c, c
        outs = widths[1:] + [ch]
        self.conv_in = nn.Conv1d(z, widths[0], 3, padding=1)
        self.attn = Attn(widths[0], groups)
        self.blocks = nn.ModuleList(ResBlock(c, o, groups) for c, o in zip(widths, outs))
        self.up = nn.Conv1d(outs[-2], outs[-2], 3, padding=1)
        self.norm_out, self.conv_out = norm(ch, groups), nn.Conv1d(ch, mels, 3, padding=1)

    def forward(self, z):                                                   # (B, z, T/2)
        h = self.attn(self.conv_in(z))
        last = len(self.blocks) - 1
        for i, block in enumerate(self.blocks):
            if i == last:
                h = self.up(F.interpolate(h, scale_factor=2, mode="nearest"))   # (B, c, T)
            h = block(h)
        return self.conv_out(F.silu(self.norm_out(h)))                      # (B, 80, T)


class MelVAE(nn.Module):
    def __init__(self, mels=80, ch=64, mult=(1, 2, 4), z=20, groups=32):
        super().__init__()
        self.config = dict(mels=mels, ch=ch, mult=list(mult), z=z, groups=groups)
        self.enc, self.dec = Encoder(mels, ch, mult, z, groups), Decoder(mels, ch, mult, z, groups)

    def moments(self, mel):
        mean, logvar = self.enc(mel).chunk(2, dim=1)
        return mean, logvar.clamp(-30, 20)

    def forward(self, mel, gen=None):
        mean, logvar = self.moments(mel)
        z = mean + torch.exp(0.5 * logvar) * torch.randn(mean.shape, generator=gen, device=mean.device)
        kl = 0.5 * (mean ** 2 + logvar.exp() - 1 - logvar).mean()
        return self.dec(z), kl


class MelCritic(nn.Module):
    """The adversarial term's discriminator, training only: a small 2-D patch critic on the
    mel as a picture (local time–frequency texture the L1 loss blurs). Not the evaluation's
    classifier nor any network that scores takes."""

    def __init__(self, width=32):
        super().__init__()
        w = width
        self.net = nn.Sequential(
            nn.Conv2d(1, w, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(w, 2 * w, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * w, 4 * w, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(4 * w, 1, 3, 1, 1))

    def forward(self, mel):                                                 # (B, 80, T) → patch scores
        return self.net(mel[:, None])
