"""The MelGAN vocoder: official (descript melgan-neurips) parameter names and hop length."""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain.melgan import Generator  # noqa: E402
from foleytrain.torch_util import fold_weight_norm  # noqa: E402


def test_one_mel_frame_becomes_one_hop_of_audio():
    g = Generator(ngf=8, n_residual_layers=1).eval()
    with torch.no_grad():
        y = g(torch.rand(2, 80, 10))
    assert y.shape == (2, 1, 2560)
    assert y.abs().max() <= 1


def test_names_follow_the_official_layout_and_fold_for_export():
    torch.manual_seed(0)
    g = Generator(ngf=8, n_residual_layers=3).eval()
    names = set(g.state_dict())
    for expected in ["model.1.weight_g", "model.1.weight_v", "model.1.bias", "model.3.weight_v",
                     "model.4.block.2.weight_v", "model.4.block.4.weight_v", "model.4.shortcut.weight_v", "model.6.block.2.weight_g"]:
        assert expected in names, expected
    x = torch.rand(1, 80, 6)
    with torch.no_grad():
        before = g(x)
        fold_weight_norm(g)
        after = g(x)
    folded = set(g.state_dict())
    assert "model.1.weight" in folded and not any(n.endswith("weight_g") for n in folded)
    assert torch.allclose(before, after, atol=1e-5)


def test_a_checkpoint_keeps_its_generator_sizes_and_refuses_others(tmp_path):
    import pytest
    from foleytrain.loop import Checkpoint, SavedSizes
    small = Generator(ngf=8, n_residual_layers=2)
    Checkpoint(str(tmp_path / "v.ckpt"), config=SavedSizes(small.config, "vocoder", "--ngf"), gen=small).save(3)
    state = torch.load(str(tmp_path / "v.ckpt"))
    assert state["config"] == {"mels": 80, "ngf": 8, "n_residual_layers": 2, "ratios": [8, 8, 2, 2]}
    assert Generator(**state["config"]).load_state_dict(state["gen"])                     # what export rebuilds
    other = Generator(ngf=8, n_residual_layers=3)
    with pytest.raises(SystemExit, match=r"vocoder checkpoint: got \[.*'n_residual_layers': 2.*expected .*'n_residual_layers': 3.*--ngf"):
        Checkpoint(str(tmp_path / "v.ckpt"), config=SavedSizes(other.config, "vocoder", "--ngf"), gen=other).load()


def test_the_pqmf_bank_splits_and_rejoins_a_signal_almost_perfectly():
    from foleytrain.melgan import PQMF
    bank = PQMF(4)
    x = torch.randn(2, 1, 4096, generator=torch.Generator().manual_seed(0))
    sub = bank.analyse(x)
    assert sub.shape == (2, 4, 1024)
    y = bank.synthesise(sub)
    inner = (y - x)[..., 64:-64]                                          # edges lack the filters' context
    assert (inner.pow(2).mean() / x.pow(2).mean()).item() < 1e-5         # better than −50 dB
    # each band holds its own quarter of the spectrum: a tone at 0.3125 of Nyquist lands in the
    # second band (0.25–0.5 of Nyquist)
    t = torch.arange(4096, dtype=torch.float32)
    tone = torch.sin(2 * torch.pi * 0.15625 * t)[None, None]
    energy = bank.analyse(tone)[..., 64:-64].pow(2).mean(-1)[0]
    assert energy.argmax().item() == 1
    import pytest
    with pytest.raises(ValueError, match=r"expected \[4\]"):
        PQMF(2)                                                           # the prototype is tuned for four bands


def test_a_multiband_generator_gives_one_hop_per_frame_and_saves_its_bands():
    g = Generator(ngf=4, n_residual_layers=1, ratios=(8, 4, 2), bands=4).eval()
    assert g.config["bands"] == 4 and "pqmf.synthesis" in g.state_dict()
    with torch.no_grad():
        assert g.subbands(torch.rand(1, 80, 10)).shape == (1, 4, 640)
        assert g(torch.rand(1, 80, 10)).shape == (1, 1, 2560)
    import pytest
    with pytest.raises(ValueError, match="expected a product of 256"):
        Generator(ratios=(8, 8, 2, 2), bands=4)
    assert "bands" not in Generator(ngf=4).config                       # full-band configs stay as older bundles have them
