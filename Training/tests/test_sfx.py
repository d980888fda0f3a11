"""The training-side aisfx input (numpy) against the package's librosa path and PyTorch model,
as recorded in the committed golden file (Training/golden/make_sfx_golden.py)."""
import os

import numpy as np
import torch

from foleytrain import safetensors_io, sfx

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "models", "sfx_golden.safetensors")


def golden():
    g = safetensors_io.load(GOLDEN)
    return g[0] if isinstance(g, tuple) else g


def test_filterbank_rows_have_unit_l1_norm_on_the_htk_scale():
    fb = sfx.filterbank()
    assert fb.shape == (96, 1025)
    assert np.allclose(fb.sum(1), 1, atol=1e-9)
    peaks = fb.argmax(1)
    assert np.all(np.diff(peaks) >= 0) and peaks[-1] > 900   # ascending, the last band near 22 kHz


def test_numpy_mel_and_blocks_match_the_packages_librosa_path():
    g = golden()
    m = sfx.mel(g["signal"])
    assert m.shape == g["mel"].shape
    assert np.abs(m - g["mel"]).max() < 1e-5
    assert np.abs(sfx.blocks(m) - g["blocks"]).max() < 1e-5
    assert sfx.blocks(m[:30]).shape == (1, 100, 96)


def test_package_model_reproduces_the_golden_embedding():
    torch.set_num_threads(1)
    g = golden()
    model, ds_dict = sfx.load_package_model()
    with torch.no_grad():
        e = model.get_embedding(torch.from_numpy(g["blocks"])).numpy()
    assert np.abs(e - g["embedding"]).max() < 1e-3
    assert "ucsMixed" in sfx.head_names(ds_dict) and len(ds_dict) == 9
