import numpy as np
import torch

from foleytrain import flow
from foleytrain.frieren import Estimator, regulate, sample, timestep_embedding
from foleytrain.mel_vae import MelCritic, MelVAE
from foleytrain.swift_rng import SeededRNG


def tiny_estimator(length=16):
    torch.manual_seed(0)
    return Estimator(z=4, cond=8, length=length, width=16, layers=1, heads=2, ffn=24).eval()


def test_vae_halves_time_and_maps_80_bands_to_z_channels():
    vae = MelVAE(ch=8, mult=(1, 2, 4), z=4, groups=4).eval()
    mel = torch.rand(2, 80, 32)
    mean, logvar = vae.moments(mel)
    assert mean.shape == logvar.shape == (2, 4, 16)
    y, kl = vae(mel)
    assert y.shape == mel.shape and kl.item() >= 0
    assert MelCritic(width=8)(y).shape[:2] == (2, 1)


def test_vae_learns_to_reconstruct_a_small_batch():
    torch.manual_seed(1)
    vae = MelVAE(ch=8, mult=(1, 2, 4), z=4, groups=4)
    mel = torch.rand(4, 80, 32) * 0.2 + torch.linspace(0, 0.6, 80)[None, :, None]
    opt = torch.optim.Adam(vae.parameters(), lr=3e-3)
    first = None
    for _ in range(150):
        y, kl = vae(mel)
        loss = (y - mel).abs().mean() + 1e-4 * kl
        first = first or loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.5 * first


def test_length_regulation_repeats_each_visual_row_for_two_latent_frames():
    c = torch.arange(6.0).view(1, 2, 3)
    assert regulate(c).tolist() == [[[0, 0, 1, 1, 2, 2], [3, 3, 4, 4, 5, 5]]]


def test_timestep_embedding_is_cos_then_sin():
    e = timestep_embedding(torch.tensor([0.0, 2.0]), 4)
    assert torch.allclose(e[0], torch.tensor([1.0, 1.0, 0.0, 0.0]))
    assert torch.allclose(e[1], torch.tensor([np.cos(2.0), np.cos(0.02), np.sin(2.0), np.sin(0.02)], dtype=torch.float32), atol=1e-6)


def test_each_latent_frame_sees_the_picture_at_its_own_instant():
    """Channel-level fusion: changing the features of one instant moves the velocity most there."""
    e = tiny_estimator()
    x, t = torch.randn(1, 4, 16), torch.tensor([0.5])
    c = torch.zeros(1, 8, 16)
    c2 = c.clone()
    c2[..., 10] = 5.0
    with torch.no_grad():
        d = (e(x, t, c2) - e(x, t, c)).abs().sum(1)[0]
    assert int(d.argmax()) in (9, 10, 11)


def test_euler_and_dopri5_integrate_a_known_flow():
    """v(x, t) = x1 − x0 for the straight path: exact for Euler; Dopri5 on dx/dt = −x matches e^{−1}."""
    x0, x1 = torch.randn(3, 5), torch.randn(3, 5)
    assert torch.allclose(flow.euler(lambda x, t: x1 - x0, x0, 4), x1, atol=1e-6)
    trace = []
    y, accepted, evaluations = flow.dopri5(lambda x, t: -x, x0, rtol=1e-6, atol=1e-6, trace=trace)
    assert torch.allclose(y, x0 * np.exp(-1), atol=1e-5)
    assert evaluations == 1 + 6 * len(trace) and accepted == sum(ok for _, _, ok in trace)


def test_dopri5_rejects_a_step_that_is_too_long_and_retries_shorter():
    trace = []
    flow.dopri5(lambda x, t: float(np.cos(20 * t)) * torch.ones_like(x), torch.zeros(1, 2), rtol=1e-6, atol=1e-6, first=0.9, trace=trace)
    assert not trace[0][2] and trace[1][1] < trace[0][1]
    assert abs(sum(h for _, h, ok in trace if ok) - 1) < 1e-6


def test_known_frames_stay_on_their_exact_path_for_every_solver():
    x0, target = torch.randn(1, 2, 8), torch.randn(1, 2, 8)
    known = torch.zeros(1, 2, 8, dtype=torch.bool)
    known[..., :3] = True
    field = flow.with_known(lambda x, t: torch.sin(x) + t, x0, target, known)
    for out in (flow.euler(field, x0, 5), flow.dopri5(field, x0)[0]):
        assert torch.allclose(out[known], target[known], atol=1e-5)


def test_flow_loss_drops_the_condition_for_the_configured_share():
    seen = []

    def v(x, t, c):
        seen.append((c.abs().sum(dim=(1, 2)) == 0).float().mean().item())
        return torch.zeros_like(x)
    g = torch.Generator().manual_seed(0)
    for _ in range(50):
        flow.flow_loss(v, torch.randn(40, 2, 4), torch.ones(40, 3, 4), g, drop=0.2)
    assert 0.15 < np.mean(seen) < 0.25


def test_flow_training_learns_a_conditional_velocity():
    """A tiny estimator on a toy set (the latent is the condition's sign pattern): the loss falls."""
    torch.manual_seed(2)
    e = Estimator(z=2, cond=2, length=8, width=16, layers=1, heads=2, ffn=16)
    opt = torch.optim.Adam(e.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(3)
    losses = []
    for _ in range(200):
        c = torch.sign(torch.randn(16, 2, 4, generator=g))
        x1 = regulate(c)
        loss = flow.flow_loss(lambda x, t, cc: e(x, t, regulate(cc)), x1, c, g)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert np.mean(losses[-20:]) < 0.6 * np.mean(losses[:20])


def test_sample_is_reproducible_from_the_seed_and_starts_from_the_swift_noise():
    e = tiny_estimator()
    feats = np.random.default_rng(0).standard_normal((8, 8)).astype(np.float32)
    a = sample(e, feats, seed=3, steps=3)
    b = sample(e, feats, seed=3, steps=3)
    assert torch.equal(a, b) and not torch.equal(a, sample(e, feats, seed=4, steps=3))
    noise = SeededRNG(3).normals(4 * 16).reshape(4, 16)
    assert torch.equal(sample(e, feats, seed=3, steps=0), torch.from_numpy(noise))      # no step: the starting noise


def test_swift_rng_normals_are_pinned():
    """Swift's SeededRNG(seed: 11).normal() × 3 (FrierenParityTests pins the same numbers)."""
    assert np.allclose(SeededRNG(11).normals(3), [1.4780065, -1.5730287, -0.7735726], atol=1e-6)
