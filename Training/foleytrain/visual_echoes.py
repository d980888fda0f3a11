"""Visual Echoes (../shared/papers/visual-echoes-masked-transformer.txt): a bidirectional
masked transformer over audio tokens (SpecVQGAN's codec) and visual tokens (an image VQGAN on
the clip's frames), MAE/MAGE-style encoder and decoder.

Layout (the Swift side binds these names; Sources/Generators/VisualEchoes):
  audio_emb.weight [Ca+1, D], visual_emb.weight [Cv+1, D]       (index C is the mask token)
  enc.pos_a [La, D], enc.pos_v [Lv, D], enc.mod_a [D], enc.mod_v [D]
  enc.blocks.{i}.* (pre-LN, bidirectional; gpt.Block names), enc.norm
  dec_embed [Dd, D] + bias, mask_embed [Dd]
  dec.pos_a [La, Dd], dec.pos_v [Lv, Dd], dec.mod_a [Dd], dec.mod_v [Dd]
  dec.blocks.{i}.*, dec.norm
  head_a.fc [D, Dd] + bias, head_a.norm, head_a.bias [Ca+1]   (logits = LN(GELU(fc h)) · E_aᵀ + bias)
  head_v.* likewise with E_v
Audio tokens come first, column-major as the codec reads them; visual tokens are frame after
frame, each frame's grid row-major.
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .swift_rng import SeededRNG  # noqa: F401  (re-exported: the unmasking loop's RNG)


class Attention(nn.Module):
    """Bidirectional multi-head self-attention, minGPT's parameter names."""

    def __init__(self, width, heads, dropout=0.0):
        super().__init__()
        self.key, self.query, self.value, self.proj = (nn.Linear(width, width) for _ in range(4))
        self.heads, self.dropout = heads, dropout

    def forward(self, x):
        b, t, c = x.shape
        h = self.heads
        q, k, v = (f(x).view(b, t, h, c // h).transpose(1, 2) for f in (self.query, self.key, self.value))
        att = F.softmax((q @ k.transpose(-2, -1)) / math.sqrt(c // h), dim=-1)     # (B, H, T, T)
        att = F.dropout(att, self.dropout, self.training)
        return self.proj((att @ v).transpose(1, 2).reshape(b, t, c))


class Block(nn.Module):
    def __init__(self, width, heads, dropout=0.0):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attn = Attention(width, heads, dropout)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width), nn.Dropout(dropout))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class Stack(nn.Module):
    """Position and modality embeddings for each modality, blocks, final norm."""

    def __init__(self, la, lv, width, layers, heads, dropout):
        super().__init__()
        self.pos_a, self.pos_v = nn.Parameter(torch.randn(la, width) * 0.02), nn.Parameter(torch.randn(lv, width) * 0.02)
        self.mod_a, self.mod_v = nn.Parameter(torch.randn(width) * 0.02), nn.Parameter(torch.randn(width) * 0.02)
        self.blocks = nn.ModuleList(Block(width, heads, dropout) for _ in range(layers))
        self.norm = nn.LayerNorm(width)

    def embed(self, xa, xv):                                              # (B, La, W), (B, Lv, W)
        return torch.cat([xa + self.pos_a + self.mod_a, xv + self.pos_v + self.mod_v], 1)

    def run(self, x):
        for b in self.blocks:
            x = b(x)
        return self.norm(x)


class Head(nn.Module):
    """Logits by dot product with the modality's embedding table (detached: the table is the
    mapping, as the paper says), after a small MLM transform, plus a per-token bias."""

    def __init__(self, dec_width, width, vocab):
        super().__init__()
        self.fc, self.norm = nn.Linear(dec_width, width), nn.LayerNorm(width)
        self.bias = nn.Parameter(torch.zeros(vocab))

    def forward(self, h, table):
        return self.norm(F.gelu(self.fc(h))) @ table.detach().t() + self.bias


class VisualEchoes(nn.Module):
    def __init__(self, audio_vocab, visual_vocab, audio_len, visual_len, width=256, layers=4, heads=4,
                 dec_width=256, dec_layers=2, dec_heads=4, dropout=0.1):
        super().__init__()
        self.config = dict(audio_vocab=audio_vocab, visual_vocab=visual_vocab, audio_len=audio_len, visual_len=visual_len,
                           width=width, layers=layers, heads=heads, dec_width=dec_width, dec_layers=dec_layers, dec_heads=dec_heads)
        self.ca, self.cv, self.la, self.lv = audio_vocab, visual_vocab, audio_len, visual_len
        self.audio_emb, self.visual_emb = nn.Embedding(audio_vocab + 1, width), nn.Embedding(visual_vocab + 1, width)
        for e in (self.audio_emb, self.visual_emb):
            nn.init.normal_(e.weight, std=0.02)
        self.enc = Stack(audio_len, visual_len, width, layers, heads, dropout)
        self.dec_embed = nn.Linear(width, dec_width)
        self.mask_embed = nn.Parameter(torch.randn(dec_width) * 0.02)
        self.dec = Stack(audio_len, visual_len, dec_width, dec_layers, dec_heads, dropout)
        self.head_a, self.head_v = Head(dec_width, width, audio_vocab + 1), Head(dec_width, width, visual_vocab + 1)

    def forward(self, a, v, keep=None):
        """a (B, La), v (B, Lv) token ids, the mask id (C) where masked; `keep` (B, La+Lv) long:
        the positions the encoder sees (the same count per row; None = all). Returns logits
        (B, La, Ca+1), (B, Lv, Cv+1)."""
        b = a.shape[0]
        x = self.enc.embed(self.audio_emb(a), self.visual_emb(v))                       # (B, L, D)
        if keep is not None:
            x = torch.gather(x, 1, keep[..., None].expand(-1, -1, x.shape[-1]))         # (B, K, D)
        h = self.dec_embed(self.enc.run(x))                                              # (B, K, Dd)
        full = self.mask_embed.expand(b, self.la + self.lv, -1).clone()                 # (B, L, Dd)
        if keep is None:
            full = h
        else:
            full = full.scatter(1, keep[..., None].expand(-1, -1, h.shape[-1]), h)
        # Masked positions carry the shared mask embedding into the decoder, dropped or not.
        masked = torch.cat([a == self.ca, v == self.cv], 1)[..., None]
        full = torch.where(masked, self.mask_embed.expand_as(full), full)
        out = self.dec.run(self.dec.embed(full[:, :self.la], full[:, self.la:]))         # (B, L, Dd)
        return self.head_a(out[:, :self.la], self.audio_emb.weight), self.head_v(out[:, self.la:], self.visual_emb.weight)


def truncated_gaussian(rng, mean=0.7, std=0.25, low=0.2, high=1.0, size=None):
    """Mask ratios from N(mean, std) truncated to [low, high] (rejection sampling)."""
    out = []
    n = 1 if size is None else size
    while len(out) < n:
        x = rng.normal(mean, std, 4 * n)
        out += list(x[(x >= low) & (x <= high)])
    return out[0] if size is None else np.array(out[:n])


def mask_tokens(tokens, ratio, mask_id, gen):
    """Masks round(ratio · L) random positions of each row (at least one). Returns (masked, is_masked)."""
    b, l = tokens.shape
    n = max(1, int(round(ratio * l)))
    order = torch.rand(b, l, generator=gen).argsort(1)
    is_masked = torch.zeros(b, l, dtype=torch.bool).scatter(1, order[:, :n], True)
    return torch.where(is_masked, torch.full_like(tokens, mask_id), tokens), is_masked


def training_loss(model, a, v, rng, gen, mean=0.7, drop=0.5):
    """Mask each modality with its own truncated-Gaussian ratio, drop `drop` of the positions
    from the encoder (the same count per row), cross-entropy on the masked positions."""
    am, a_masked = mask_tokens(a, truncated_gaussian(rng, mean), model.ca, gen)
    vm, v_masked = mask_tokens(v, truncated_gaussian(rng, mean), model.cv, gen)
    b, l = a.shape[0], model.la + model.lv
    keep = torch.rand(b, l, generator=gen).argsort(1)[:, :l - int(drop * l)].sort(1).values
    la, lv = model(am, vm, keep)
    loss_a = F.cross_entropy(la[a_masked], a[a_masked], label_smoothing=0.1)
    loss_v = F.cross_entropy(lv[v_masked], v[v_masked], label_smoothing=0.1)
    return loss_a + loss_v, loss_a.detach(), loss_v.detach()


# --- The Swift side's sampling (Runtime/Sampling.swift), for golden files of the unmasking loop ---

def multinomial(p, rng):
    """Swift's Sampler.multinomial: one uniform draw against the running sum (float32)."""
    total = np.float32(0)
    for x in p:                                                         # sequential, as Swift's reduce
        total = np.float32(total + x)
    u = np.float32(rng.uniform() * total)
    for i, x in enumerate(p):
        u = np.float32(u - x)
        if u < 0:
            return i
    nz = np.nonzero(p > 0)[0]
    return int(nz[-1]) if len(nz) else 0


@torch.no_grad()
def unmask(model, audio, known, visual, steps, temperature, guidance, seed, trace=None):
    """The iterative decoding of the paper's Code 1 with the Swift RNG: `audio` (La,) ids,
    `known` (La,) bool — fixed tokens (context) never change; the rest start masked. Each step:
    logits (guided: s·cond + (1−s)·uncond in logit space, the unconditional pass with every
    visual token masked), sample every masked position from softmax over the real codes, then
    re-mask the least confident by log p + T_t·Gumbel with the cosine count. Returns ids."""
    la = model.la
    cur = np.where(known, audio, model.ca).astype(np.int64)
    v = torch.as_tensor(visual, dtype=torch.long)[None]
    blind = torch.full_like(v, model.cv)
    rng = SeededRNG(seed)
    unknown = int((~known).sum())
    for step in range(steps):
        a = torch.as_tensor(cur)[None]
        if guidance != 1:
            logits, _ = model(torch.cat([a, a]), torch.cat([v, blind]))
            logits = guidance * logits[0] + (1 - guidance) * logits[1]
        else:
            logits = model(a, v)[0][0]
        logits = logits[:, :model.ca].float().numpy()
        masked = cur == model.ca
        sampled = cur.copy()
        probs = np.zeros(la, np.float32)
        for i in range(la):
            if not masked[i]:
                continue
            z = logits[i] - logits[i].max()
            p = np.exp(z).astype(np.float32)
            total = np.float32(0)
            for x in p:
                total = np.float32(total + x)
            p = (p / total).astype(np.float32)
            sampled[i] = multinomial(p, rng)
            probs[i] = p[sampled[i]]
        count = 0 if step >= steps - 1 else max(1, min(int(masked.sum()) - 1, int(math.floor(unknown * math.cos(math.pi / 2 * (step + 1) / steps)))))
        t = np.float32(temperature * (1 - (step + 1) / steps))
        scored = [(np.log(max(probs[i], np.float32(1e-30))) + t * rng.gumbel(), i) for i in range(la) if masked[i]]
        scored.sort(key=lambda c: (c[0], c[1]))
        cur = sampled
        for _, i in scored[:count]:
            cur[i] = model.ca
        if trace is not None:
            trace.append(cur.copy())
    return cur
