"""Where the picture has hits: a small temporal CNN over the visual encoder's features that
gives, per visual frame (21.53 fps), the probability that a sharp sound starts there.

SpecVQGAN's sampler sees the features prepended and learns little of their timing from a
corpus this size, while the features themselves place a foot contact or a bounce to within
a frame. The workstation uses this head to rank candidate takes of a window by how their
transients line up with the picture (Swift: VisualOnsets, the Candidates parameter).
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FPS = 22050 / 1024
# The classes whose annotated events start sharply: the same set `foley eval` scores onset
# alignment on (Sources/Evaluation/ClipAnnotation.swift, sharpClasses).
SHARP = {"footsteps", "glass", "bounce", "dig", "gunshot", "explosion"}


def sharp_onsets(meta):
    """Onset times (s) of a clip's sharp recorded events."""
    return [e["onset"] for e in meta["events"] if e["class"] in SHARP and e.get("recording")]


def targets(meta, frames):
    """One 1 per sharp onset at its nearest visual frame, zeros elsewhere: (frames,)."""
    y = np.zeros(frames, np.float32)
    for t in sharp_onsets(meta):
        k = int(round(t * FPS))
        if k < frames:
            y[k] = 1
    return y


class VisualOnsets(nn.Module):
    """features (N, T, D) → onset logits (N, T): three 'same' Conv1d over time, SiLU between."""

    def __init__(self, feat_dim=128, width=128, kernel=5):
        super().__init__()
        self.config = dict(feat_dim=feat_dim, width=width, kernel=kernel)
        pad = kernel // 2
        self.c1 = nn.Conv1d(feat_dim, width, kernel, padding=pad)
        self.c2 = nn.Conv1d(width, width, kernel, padding=pad)
        self.out = nn.Conv1d(width, 1, kernel, padding=pad)

    def forward(self, feats):
        x = feats.transpose(1, 2)                    # (N, D, T)
        x = F.silu(self.c1(x))                       # (N, W, T)
        x = F.silu(self.c2(x))
        return self.out(x)[:, 0]                     # (N, T)

    def loss(self, feats, y, mask, pos_weight=10.0):
        """Masked BCE; onsets are rare (about one frame in 50), so positives weigh `pos_weight`."""
        lo = self(feats)
        w = torch.tensor(pos_weight, device=lo.device)
        per = F.binary_cross_entropy_with_logits(lo, y, pos_weight=w, reduction="none")
        return (per * mask).sum() / mask.sum()


def peaks(prob, threshold=0.5):
    """Frame indices of local maxima above `threshold` (the Swift side picks them the same way)."""
    return [i for i in range(1, len(prob) - 1) if prob[i] >= prob[i - 1] and prob[i] > prob[i + 1] and prob[i] > threshold]


def match(detected, reference, tolerance=0.05):
    """(recall, precision) at ±tolerance s, None where undefined (as Onsets.match in Swift)."""
    near = lambda x, s: any(abs(x - y) <= tolerance for y in s)  # noqa: E731
    recall = None if not reference else sum(near(t, detected) for t in reference) / len(reference)
    precision = None if not detected else sum(near(d, reference) for d in detected) / len(detected)
    return recall, precision
