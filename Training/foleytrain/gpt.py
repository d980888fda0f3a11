"""A minGPT-layout causal transformer (the layout of SpecVQGAN's sampler), with a KV-cached
step function so benchmarks compare like with like."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, width, heads, block_size, dropout=0.0):
        super().__init__()
        self.dropout = dropout                                    # minGPT's attn_pdrop and resid_pdrop
        self.key = nn.Linear(width, width)
        self.query = nn.Linear(width, width)
        self.value = nn.Linear(width, width)
        self.proj = nn.Linear(width, width)
        self.heads = heads
        self.register_buffer("mask", torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size),
                             persistent=False)

    def forward(self, x, cache=None):
        b, t, c = x.shape
        h = self.heads
        k = self.key(x).view(b, t, h, c // h).transpose(1, 2)     # (B, H, T, Dh)
        q = self.query(x).view(b, t, h, c // h).transpose(1, 2)
        v = self.value(x).view(b, t, h, c // h).transpose(1, 2)
        start = 0
        if cache is not None:
            if "k" in cache:
                start = cache["k"].shape[2]
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.shape[-1]))   # (B, H, T, S)
        s = k.shape[2]
        att = att.masked_fill(self.mask[:, :, start:start + t, :s] == 0, float("-inf"))
        att = F.dropout(F.softmax(att, dim=-1), self.dropout, self.training)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        return F.dropout(self.proj(y), self.dropout, self.training)


class Block(nn.Module):
    def __init__(self, width, heads, block_size, dropout=0.0):
        super().__init__()
        self.ln1 = nn.LayerNorm(width)
        self.ln2 = nn.LayerNorm(width)
        self.attn = CausalSelfAttention(width, heads, block_size, dropout)
        # Dropout last, as in minGPT, so the weights keep the official names mlp.0 and mlp.2.
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width), nn.Dropout(dropout))

    def forward(self, x, cache=None):
        x = x + self.attn(self.ln1(x), cache)
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size, block_size, layers, heads, width, dropout=0.0):
        super().__init__()
        self.dropout = dropout                                    # minGPT's embd_pdrop
        self.tok_emb = nn.Embedding(vocab_size, width)
        self.pos_emb = nn.Parameter(torch.zeros(1, block_size, width))
        self.blocks = nn.Sequential(*[Block(width, heads, block_size, dropout) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab_size, bias=False)
        self.block_size = block_size

    def forward(self, idx, caches=None, start=0, layer_outputs=None):
        t = idx.shape[1]
        x = self.tok_emb(idx) + self.pos_emb[:, start:start + t, :]
        for i, blk in enumerate(self.blocks):
            x = blk(x, None if caches is None else caches[i])
            if layer_outputs is not None:
                layer_outputs.append(x)
        return self.head(self.ln_f(x))

    @torch.no_grad()
    def generate_greedy(self, prefix, count):
        caches = [{} for _ in self.blocks]
        logits = self(prefix, caches, 0)[:, -1]
        pos = prefix.shape[1]
        out = []
        for i in range(count):
            tok = logits.argmax(-1, keepdim=True)
            out.append(int(tok))
            if i + 1 < count:
                logits = self(tok, caches, pos)[:, -1]
                pos += 1
        return out
