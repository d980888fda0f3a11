"""The visual onset head: targets from annotations, peak picking, matching, and that it learns
hits a feature marks (a toy where one channel jumps at each onset)."""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain.onsets import FPS, VisualOnsets, match, peaks, sharp_onsets, targets  # noqa: E402


def meta(events):
    return {"events": [{"class": c, "onset": t, "recording": r} for c, t, r in events]}


def test_only_sharp_recorded_events_become_targets_at_their_nearest_frame():
    m = meta([("footsteps", 0.5, "a.ogg"), ("wind", 1.0, "b.ogg"), ("glass", 2.0, None), ("bounce", 9.0, "c.ogg")])
    assert sharp_onsets(m) == [0.5, 9.0]
    y = targets(m, 100)                                   # 9 s is past the clip's 100 frames
    assert y.sum() == 1 and y[round(0.5 * FPS)] == 1


def test_peaks_are_local_maxima_above_the_threshold_and_match_counts_within_tolerance():
    p = np.array([0, 0.2, 0.9, 0.3, 0.6, 0.6, 0.1, 0.4, 0.2])
    assert peaks(p, 0.5) == [2, 5]
    assert match([1.0, 2.0], [1.04, 3.0]) == (0.5, 0.5)
    assert match([], [1.0]) == (0.0, None) and match([1.0], []) == (None, 0.0)


def test_it_learns_onsets_a_feature_marks():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.normal(0, 1, (16, 60, 8)).astype(np.float32))
    y = torch.zeros(16, 60)
    for n in range(16):
        for k in rng.choice(np.arange(2, 58), 3, replace=False):
            y[n, k] = 1
            x[n, k:, 0] += 3                               # a step in channel 0 where the hit is
    model = VisualOnsets(8, width=16)
    opt = torch.optim.Adam(model.parameters(), 1e-2)
    mask = torch.ones_like(y)
    first = model.loss(x, y, mask).item()
    for _ in range(150):
        loss = model.loss(x, y, mask)
        opt.zero_grad(); loss.backward(); opt.step()
    assert loss.item() < first / 3
    with torch.no_grad():
        prob = torch.sigmoid(model(x[:1]))[0].numpy()
    assert set(peaks(prob)) == set(np.nonzero(y[0].numpy())[0].tolist())
