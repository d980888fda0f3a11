"""SpecVQGAN's sampler: a GPT over codebook indices (column-major), with the visual features
projected by a 1×1 Conv1d (`embedder`, as the official GPTFeats) and prepended to the token
embeddings. Names match the official checkpoint's `transformer.` subtree.

Classifier-free guidance (our addition, not in the paper): trained with some windows' features
replaced by zeros (the "no picture" condition: the 1×1 conv then gives its bias alone, so no
weight is added and the official layout holds), the sampler can mix its logits with and
without the picture, u + s·(c − u), to follow the video more closely."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .gpt import GPT


class GPTFeats(GPT):
    def __init__(self, vocab_size, block_size, layers, heads, width, feat_dim, dropout=0.0):
        super().__init__(vocab_size, block_size, layers, heads, width, dropout)
        self.embedder = nn.Conv1d(feat_dim, width, 1)
        self.config = dict(vocab_size=vocab_size, block_size=block_size, n_layer=layers, n_head=heads, n_embd=width,
                           feat_dim=feat_dim)

    def forward_feats(self, idx, feats):
        """feats (B, T_v, D), idx (B, N) → logits (B, T_v + N, vocab)."""
        cond = self.embedder(feats.transpose(1, 2)).transpose(1, 2)             # (B, T_v, width)
        x = torch.cat([cond, self.tok_emb(idx)], dim=1)
        x = F.dropout(x + self.pos_emb[:, :x.shape[1]], self.dropout, self.training)
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.ln_f(x))

    def loss(self, tokens, feats, uncond=0.0):
        """Next-token cross-entropy: the position before each token (the last feature for the
        first token) predicts it. `uncond` is the share of windows trained without their
        picture (zero features) for classifier-free guidance."""
        t_v = feats.shape[1]
        if uncond > 0:
            keep = torch.rand(feats.shape[0], 1, 1, device=feats.device) >= uncond
            feats = feats * keep
        logits = self.forward_feats(tokens[:, :-1], feats)[:, t_v - 1:]         # (B, N, vocab)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tokens.reshape(-1))

    @torch.no_grad()
    def sample(self, feats, count, temperature=1.0, top_x=None, generator=None, cfg_scale=1.0):
        """`count` tokens after the features (1, T_v, D), KV-cached: guidance (a second stream
        without the picture when `cfg_scale` ≠ 1), temperature, then the Top-X most likely, then
        a multinomial draw; temperature 0 is greedy."""
        guided = cfg_scale != 1.0
        if guided:                                                              # row 0 with the picture, row 1 without
            feats = torch.cat([feats, torch.zeros_like(feats)])
        caches = [{} for _ in self.blocks]
        x = self.embedder(feats.transpose(1, 2)).transpose(1, 2) + self.pos_emb[:, :feats.shape[1]]
        pos, out = feats.shape[1], []
        for i in range(count):
            for blk, cache in zip(self.blocks, caches):
                x = blk(x, cache)
            logits = self.head(self.ln_f(x[:, -1]))                             # (1 or 2, vocab)
            if guided:
                logits = logits[1:] + cfg_scale * (logits[:1] - logits[1:])     # (1, vocab)
            if temperature == 0:
                tok = logits.argmax(-1, keepdim=True)
            else:
                logits = logits / temperature
                if top_x:
                    kth = torch.topk(logits, top_x).values[:, -1:]
                    logits = logits.masked_fill(logits < kth, float("-inf"))
                tok = torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)
            out.append(int(tok))
            x = (self.tok_emb(tok) + self.pos_emb[:, pos:pos + 1]).expand(feats.shape[0], -1, -1)
            pos += 1
        return out
