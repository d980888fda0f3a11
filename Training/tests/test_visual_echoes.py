"""Visual Echoes' training side: the mask ratios, the masked loss, the decoding loop and the
RNG port the golden files rely on."""
import numpy as np
import torch

from foleytrain.visual_echoes import SeededRNG, VisualEchoes, mask_tokens, training_loss, truncated_gaussian, unmask


def tiny():
    torch.manual_seed(0)
    return VisualEchoes(16, 12, 10, 8, width=32, layers=2, heads=2, dec_width=24, dec_layers=1, dec_heads=2, dropout=0.0)


def test_mask_ratios_are_a_truncated_gaussian_on_0_2_to_1():
    r = truncated_gaussian(np.random.default_rng(0), size=4000)
    assert r.min() >= 0.2 and r.max() <= 1.0 and abs(r.mean() - 0.65) < 0.05


def test_masking_masks_the_drawn_share_and_at_least_one():
    t = torch.arange(20).reshape(2, 10)
    m, is_masked = mask_tokens(t, 0.3, 99, torch.Generator().manual_seed(0))
    assert is_masked.sum(1).tolist() == [3, 3] and (m[is_masked] == 99).all() and (m[~is_masked] == t[~is_masked]).all()
    _, one = mask_tokens(t, 0.0, 99, torch.Generator().manual_seed(0))
    assert one.sum(1).tolist() == [1, 1]


def test_the_masked_loss_falls_when_fitting_one_batch():
    m = tiny()
    # Each position has its own token: learnable from the position embeddings alone.
    a, v = (torch.arange(10) * 3 % 16).repeat(8, 1), (torch.arange(8) * 5 % 12).repeat(8, 1)
    opt = torch.optim.Adam(m.parameters(), lr=3e-3)
    rng, gen = np.random.default_rng(0), torch.Generator().manual_seed(0)
    losses = []
    for _ in range(150):
        loss, _, _ = training_loss(m, a, v, rng, gen)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert np.isfinite(losses).all() and np.mean(losses[-10:]) < 0.75 * np.mean(losses[:10])


def test_unmasking_keeps_known_tokens_and_leaves_no_mask():
    m = tiny().eval()
    a, v = np.random.default_rng(1).integers(0, 16, 10), np.random.default_rng(2).integers(0, 12, 8)
    known = np.array([True, True] + [False] * 6 + [True, True])
    out = unmask(m, a, known, v, 5, 4.5, 3.0, 7)
    assert (out[known] == a[known]).all() and (out < 16).all()
    assert (unmask(m, a, known, v, 5, 4.5, 3.0, 7) == out).all(), "reproducible from the seed"


def test_the_rng_port_draws_what_swift_draws():
    r = SeededRNG(1)
    assert [r.next() for _ in range(3)] == [12966619160104079557, 9600361134598540522, 10590380919521690900]
