"""The PyTorch references behind the Swift runtime's golden files."""
import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn

from foleytrain import safetensors_io
from foleytrain.gpt import GPT
from foleytrain.torch_util import export_state_dict, fold_weight_norm, single_thread

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
single_thread()


def test_kv_cached_steps_equal_the_full_forward():
    torch.manual_seed(0)
    m = GPT(vocab_size=40, block_size=16, layers=2, heads=2, width=32).eval()
    x = torch.randint(0, 40, (1, 12))
    with torch.no_grad():
        full = m(x)[0]
        caches = [{} for _ in m.blocks]
        steps = [m(x[:, i:i + 1], caches, i)[0, -1] for i in range(12)]
    torch.testing.assert_close(torch.stack(steps), full, atol=1e-5, rtol=1e-5)


def test_greedy_generation_is_argmax_of_the_full_forward():
    torch.manual_seed(1)
    m = GPT(vocab_size=30, block_size=24, layers=1, heads=2, width=16).eval()
    prefix = torch.tensor([[3, 1, 4]])
    out = m.generate_greedy(prefix, 8)
    seq = torch.cat([prefix, torch.tensor([out])], dim=1)
    with torch.no_grad():
        logits = m(seq[:, :-1])[0]
    assert logits[2:].argmax(-1).tolist() == out


def test_weight_norm_folds_to_the_same_function(tmp_path):
    torch.manual_seed(2)
    conv = nn.utils.weight_norm(nn.Conv1d(4, 6, 3, padding=1))
    x = torch.randn(1, 4, 10)
    with torch.no_grad():
        before = conv(x)
        fold_weight_norm(conv)
        after = conv(x)
    torch.testing.assert_close(before, after, atol=1e-6, rtol=1e-6)
    export_state_dict(conv, tmp_path / "c.safetensors")
    tensors, _ = safetensors_io.load(tmp_path / "c.safetensors")
    assert sorted(tensors) == ["bias", "weight"]


def test_committed_goldens_match_their_generator(tmp_path):
    """The committed files hold exactly the names and shapes the generator writes now."""
    subprocess.run([sys.executable, os.path.join(ROOT, "Training", "golden", "make_runtime_golden.py"), str(tmp_path)],
                   check=True, capture_output=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    for name in ["ops", "transformer", "convstack"]:
        fresh, _ = safetensors_io.load(tmp_path / f"{name}.safetensors")
        committed, _ = safetensors_io.load(os.path.join(ROOT, "Tests", "Fixtures", "runtime", f"{name}.safetensors"))
        assert sorted(fresh) == sorted(committed)
        for k in fresh:
            assert fresh[k].shape == committed[k].shape, k
            np.testing.assert_allclose(fresh[k], committed[k], atol=1e-4, rtol=1e-4, err_msg=k)
