"""FRIEREN's vector-field estimator (../shared/papers/frieren-rectified-flow-v2a.txt §3.2): the
visual features, length-regulated to the latent's rate, and the point x on the path each pass
a shallow conv stack to half the hidden width and are concatenated along channels, so latent
frame j sees the picture at its own instant (channel-level fusion, no cross-attention); a
timestep token is prepended, learned positions added, and feed-forward transformer blocks
(self-attention + a conv FFN) run at full temporal resolution; a norm and a 1-D conv give the
velocity.

Layout (Sources/Generators/FRIEREN/FrierenEstimator.swift binds these names):
  x_in.0 [H/2, z, 3], x_in.2 [H/2, H/2, 3]          conv, SiLU, conv
  c_in.0 [H/2, Dv, 3], c_in.2 [H/2, H/2, 3]
  t_mlp.0 [H, H], t_mlp.2 [H, H]                    on the sinusoidal embedding of 1000·t
  pos [L + 1, H]
  blocks.{i}: ln1, attn.{query,key,value,proj}, ln2, ffn.0 [F, H, k], ffn.2 [H, F, 1]
  norm, out [z, H, 1]
"""
import math

import numpy as np

import torch
import torch.nn as nn
import torch.nn.functional as F

from .visual_echoes import Attention


def timestep_embedding(t, dim, max_period=10000):
    """Runtime's Embedding.timestep: first half cos, second half sin."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float64, device=t.device) / half)
    arg = t.double()[:, None] * freqs[None]
    return torch.cat([torch.cos(arg), torch.sin(arg)], dim=1).float()


def shallow(cin, cout):
    return nn.Sequential(nn.Conv1d(cin, cout, 3, padding=1), nn.SiLU(), nn.Conv1d(cout, cout, 3, padding=1))


class Block(nn.Module):
    """Pre-LN self-attention, then a conv FFN along the sequence (the spatial transformer of
    latent diffusion with its 2-D convolutions made 1-D)."""

    def __init__(self, width, heads, ffn, kernel, dropout=0.0):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attn = Attention(width, heads, dropout)
        self.ffn = nn.Sequential(nn.Conv1d(width, ffn, kernel, padding=kernel // 2), nn.GELU(), nn.Conv1d(ffn, width, 1))
        self.dropout = dropout

    def forward(self, x):                                                   # (B, L+1, H)
        x = x + self.attn(self.ln1(x))
        h = self.ffn(self.ln2(x).transpose(1, 2)).transpose(1, 2)           # conv over the sequence
        return x + F.dropout(h, self.dropout, self.training)


class Estimator(nn.Module):
    def __init__(self, z=20, cond=128, length=192, width=192, layers=4, heads=4, ffn=576, kernel=3, dropout=0.0):
        super().__init__()
        self.config = dict(z=z, cond=cond, length=length, width=width, layers=layers, heads=heads, ffn=ffn, kernel=kernel)
        self.x_in, self.c_in = shallow(z, width // 2), shallow(cond, width // 2)
        self.t_mlp = nn.Sequential(nn.Linear(width, width), nn.SiLU(), nn.Linear(width, width))
        self.pos = nn.Parameter(torch.randn(length + 1, width) * 0.02)
        self.blocks = nn.ModuleList(Block(width, heads, ffn, kernel, dropout) for _ in range(layers))
        self.norm = nn.LayerNorm(width)
        self.out = nn.Conv1d(width, z, 1)

    def forward(self, x, t, c):                                             # (B, z, L), (B,), (B, Dv, L)
        h = torch.cat([self.x_in(x), self.c_in(c)], dim=1).transpose(1, 2)  # (B, L, H): channel-level fusion
        tok = self.t_mlp(timestep_embedding(1000 * t, h.shape[2]))[:, None]  # (B, 1, H)
        h = torch.cat([tok, h], dim=1) + self.pos[None, :h.shape[1] + 1]     # (B, L+1, H)
        for block in self.blocks:
            h = block(h)
        return self.out(self.norm(h)[:, 1:].transpose(1, 2))                # (B, z, L)


def regulate(features, factor=2):
    """Length regulation: visual rows (21.53 /s) repeated to the latent rate (43.07 /s)."""
    return features.repeat_interleave(factor, dim=-1)                       # (B, Dv, Tv) → (B, Dv, 2·Tv)


@torch.no_grad()
def sample(model, features, seed, solver="euler", steps=25, guidance=4.5, tol=1e-3, first=0.05, target=None, known=None, trace=None):
    """One window as the Swift generator samples it (Sources/Generators/FRIEREN): features
    (Tv, Dv) → regulated, noise from the Swift RNG (`seed`), guided field (one batch of two),
    known latent frames (`known` (L,) bool) held on their path to `target` (z, L), then Euler
    or Dopri5. Returns the latent (z, L) (and, for Dopri5, accepted steps and evaluations)."""
    from . import flow
    from .swift_rng import SeededRNG
    z, length = model.config["z"], model.config["length"]
    c = torch.as_tensor(np.asarray(features, np.float32)).T[None]              # (1, Dv, Tv)
    c = regulate(c)[..., :length]
    if c.shape[-1] < length:
        c = torch.cat([c, c[..., -1:].repeat(1, 1, length - c.shape[-1])], dim=-1)
    x0 = torch.from_numpy(SeededRNG(seed).normals(z * length).reshape(1, z, length))

    def plain(x, t):
        return model(x, torch.full((x.shape[0],), float(t)), c)
    field = plain if guidance == 1 else flow.guided(lambda x, t, cc: model(x, t, cc), c, guidance)
    if known is not None:
        field = flow.with_known(field, x0, torch.as_tensor(target)[None], torch.as_tensor(known)[None, None, :].expand(1, z, length))
    if solver == "euler":
        return flow.euler(field, x0, steps, trace)[0]
    y, accepted, evaluations = flow.dopri5(field, x0, rtol=tol, atol=tol, first=first, trace=trace)
    return y[0], accepted, evaluations
