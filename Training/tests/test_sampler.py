"""The sampler: features prepended, next-token targets aligned, causal."""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain.sampler import GPTFeats  # noqa: E402


def model():
    torch.manual_seed(0)
    return GPTFeats(vocab_size=16, block_size=12, layers=2, heads=2, width=32, feat_dim=8).eval()


def test_names_match_the_official_gptfeats():
    names = set(model().state_dict())
    for n in ["embedder.weight", "embedder.bias", "tok_emb.weight", "pos_emb", "blocks.0.attn.key.weight",
              "blocks.1.mlp.2.weight", "ln_f.weight", "head.weight"]:
        assert n in names, n
    assert model().state_dict()["embedder.weight"].shape == (32, 8, 1)


def test_the_last_feature_predicts_the_first_token_and_each_token_the_next():
    m = model()
    feats, tokens = torch.randn(1, 4, 8), torch.randint(0, 16, (1, 6))
    with torch.no_grad():
        logits = m.forward_feats(tokens[:, :-1], feats)                      # (1, 4 + 5, 16)
        expected = F.cross_entropy(logits[0, 3:], tokens[0])
        assert torch.allclose(m.loss(tokens, feats), expected)
        # Causal: changing token 3 leaves the predictions of tokens 0..3 unchanged.
        changed = tokens.clone()
        changed[0, 3] = (changed[0, 3] + 1) % 16
        other = m.forward_feats(changed[:, :-1], feats)
        assert torch.allclose(logits[0, :7], other[0, :7], atol=1e-6)
        assert not torch.allclose(logits[0, 7], other[0, 7])
