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


def test_training_windows_are_column_major_and_aligned_with_their_features():
    import numpy as np
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
    from Training.train_sampler import WINDOW, batch
    columns = WINDOW // 16
    # One clip: token (row r, column c) = 10·c + r; feature row k = k (4 per column).
    tokens = np.array([[10 * c + r for c in range(40)] for r in range(5)], np.int16)
    feats = np.arange(160, dtype=np.float32)[:, None].repeat(3, axis=1)
    t, f = batch(tokens, np.array([0, 40]), feats, np.array([0, 160]), np.random.default_rng(0), 4)
    assert t.shape == (4, 5 * columns) and f.shape == (4, WINDOW // 4, 3)
    for b in range(4):
        start = int(t[b, 0]) // 10
        assert t[b, :7].tolist() == [10 * start + r for r in range(5)] + [10 * (start + 1), 10 * (start + 1) + 1]
        assert f[b, 0, 0].item() == 4 * start                 # the window's first feature is its first column's


def test_cached_sampling_is_greedy_at_temperature_zero_and_stays_in_the_top_x():
    m = model()
    feats = torch.randn(1, 4, 8)
    tokens = torch.zeros(1, 0, dtype=torch.long)
    with torch.no_grad():
        for _ in range(6):
            nxt = m.forward_feats(tokens, feats)[:, -1].argmax(-1, keepdim=True)
            tokens = torch.cat([tokens, nxt], dim=1)
    assert m.sample(feats, 6, temperature=0) == tokens[0].tolist()
    drawn = m.sample(feats, 1, temperature=1, top_x=1, generator=torch.Generator().manual_seed(0))
    assert drawn == tokens[0, :1].tolist()                              # Top-1 is greedy whatever the draw


def test_per_clip_cache_computes_once_and_reloads_with_offsets(tmp_path):
    import numpy as np
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
    from Training.train_sampler import per_clip_cache
    calls = []

    def one(i):
        calls.append(i)
        return np.full((2, i + 1), i, np.int16)                         # clip i is i + 1 columns wide
    path = str(tmp_path / "tokens.npz")
    a, off = per_clip_cache(path, "tokens", 3, one, axis=1)
    assert a.shape == (2, 6) and off.tolist() == [0, 1, 3, 6] and calls == [0, 1, 2]
    b, off2 = per_clip_cache(path, "tokens", 3, one, axis=1)
    assert calls == [0, 1, 2] and np.array_equal(a, b) and off2.tolist() == off.tolist()
    assert os.listdir(tmp_path) == ["tokens.npz"]                        # no temporary left behind


def test_shifted_token_sets_start_their_features_shift_over_four_later():
    import numpy as np
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
    from Training.train_sampler import batch
    # Set with shift 8: token column c covers mel frames 8 + 16c, i.e. features 2 + 4c; tokens = 1000 + c.
    plain = np.array([[c for c in range(40)] for _ in range(5)], np.int16)
    shifted = np.array([[1000 + c for c in range(39)] for _ in range(5)], np.int16)
    feats = np.arange(160, dtype=np.float32)[:, None]
    sets = [(plain, np.array([0, 40]), 0), (shifted, np.array([0, 39]), 8)]
    t, f = batch(plain, np.array([0, 40]), feats, np.array([0, 160]), np.random.default_rng(0), 32, sets)
    seen = set()
    for b in range(32):
        first = int(t[b, 0])
        shift = 8 if first >= 1000 else 0
        seen.add(shift)
        assert f[b, 0, 0].item() == 4 * (first % 1000) + shift // 4
    assert seen == {0, 8}


def test_dropout_keeps_the_official_names_and_is_off_in_eval():
    m = GPTFeats(16, 24, 2, 2, 32, 8, dropout=0.5)
    assert "blocks.0.mlp.2.weight" in m.state_dict() and "blocks.0.mlp.3.weight" not in m.state_dict()
    m.eval()
    idx, feats = torch.randint(0, 16, (1, 10)), torch.randn(1, 4, 8)
    assert torch.equal(m.forward_feats(idx, feats), m.forward_feats(idx, feats))


def test_guided_sampling_mixes_the_blind_stream_and_uncond_trains_blind_windows():
    m = model()
    feats = torch.randn(1, 4, 8)
    blind = torch.zeros_like(feats)
    tokens = torch.zeros(1, 0, dtype=torch.long)
    with torch.no_grad():
        for _ in range(6):
            c, u = m.forward_feats(tokens, feats)[:, -1], m.forward_feats(tokens, blind)[:, -1]
            tokens = torch.cat([tokens, (u + 2.5 * (c - u)).argmax(-1, keepdim=True)], dim=1)
        assert m.sample(feats, 6, temperature=0, cfg_scale=2.5) == tokens[0].tolist()
        assert m.sample(feats, 6, temperature=0, cfg_scale=1.0) == m.sample(feats, 6, temperature=0)
        t = torch.randint(0, 16, (3, 6))
        f = torch.randn(3, 4, 8)
        assert torch.allclose(m.loss(t, f, uncond=1.0), m.loss(t, torch.zeros_like(f)))
        assert torch.allclose(m.loss(t, f, uncond=0.0), m.loss(t, f))
