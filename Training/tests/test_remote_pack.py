"""The lent-machine pack: what travels quantised comes back within its quantisation step."""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import remote_pack  # noqa: E402
from foleytrain.loop import Deadline, time_cycle  # noqa: E402


def test_mels_come_back_within_half_an_8_bit_step():
    rng = np.random.default_rng(0)
    mels = np.clip(np.cumsum(rng.normal(0, 0.05, (80, 500)), axis=1) % 1.0, 0, 1).astype(np.float32)
    back = remote_pack.dequantise_mels(remote_pack.quantise_mels(mels), 80, 500).astype(np.float32)
    assert np.abs(back - mels).max() <= 0.5 / 255 + 1e-3          # float16 storage adds < 5e-4


def test_features_come_back_within_a_hundredth_of_their_spread():
    feats = np.random.default_rng(1).normal(3, 7, (300, 16)).astype(np.float32)
    blob, lo, step = remote_pack.quantise_features(feats)
    import lzma
    q = np.frombuffer(lzma.decompress(blob), np.uint8).reshape(feats.shape)
    inside = np.abs(feats - feats.mean(0)) < 4 * feats.std(0)
    assert np.abs(q * step + lo - feats)[inside].max() <= 0.02 * 7


def test_unpack_rebuilds_a_corpus_the_trainers_read(tmp_path):
    from foleytrain.dataset import SplitCache
    folder, data = tmp_path / "pack", tmp_path / "data"
    folder.mkdir()
    mels = np.linspace(0, 1, 80 * 64, dtype=np.float32).reshape(80, 64)
    (folder / "train-mels.xz").write_bytes(remote_pack.quantise_mels(mels))
    json.dump({"splits": {"train": {"metas": [{"id": 0}, {"id": 1}], "m_off": [0, 30, 64]}}}, open(folder / "manifest.json", "w"))
    remote_pack.unpack(type("A", (), {"folder": str(folder), "data": str(data)}))
    cache = SplitCache(str(data / "train"))
    assert len(cache) == 2 and cache.clip_mel(1).shape == (80, 34)
    assert np.abs(cache.clip_mel(0) - mels[:, :30]).max() < 3e-3
    assert not list(data.rglob("*.wav"))


def test_time_cycle_warms_up_then_anneals_by_the_clock():
    import torch
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    deadline = Deadline(10)
    sched = time_cycle(opt, deadline, max_lr=0.5)
    lrs = []
    for elapsed in (0.0, 0.5, 1.0, 5.5, 10.0):
        deadline.start = __import__("time").time() - elapsed * 60
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    assert lrs[0] < lrs[1] < lrs[2] and abs(lrs[2] - 0.5) < 1e-3
    assert lrs[3] < lrs[2] and abs(lrs[4] - 0.005) < 1e-3
