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
    from foleytrain.loop import Checkpoint
    from train_vocoder import GeneratorConfig
    small = Generator(ngf=8, n_residual_layers=2)
    Checkpoint(str(tmp_path / "v.ckpt"), config=GeneratorConfig(small), gen=small).save(3)
    state = torch.load(str(tmp_path / "v.ckpt"))
    assert state["config"] == {"mels": 80, "ngf": 8, "n_residual_layers": 2, "ratios": [8, 8, 2, 2]}
    assert Generator(**state["config"]).load_state_dict(state["gen"])                     # what export rebuilds
    other = Generator(ngf=8, n_residual_layers=3)
    with pytest.raises(SystemExit, match=r"got \[generator .*'n_residual_layers': 2.*expected .*'n_residual_layers': 3"):
        Checkpoint(str(tmp_path / "v.ckpt"), config=GeneratorConfig(other), gen=other).load()
