"""The shared visual encoder (the CAVP role) and its contrastive partner, the audio-window
encoder; plus the evaluation classifier (the Melception role) and the sync head.

Visual: per-frame CNN (64×64 RGB → 128) then temporal convolutions → features at 21.53 fps.
Audio: normalised mel (80 × 4T) → strided conv (4 mel frames per step) → features at the same
rate, so position t of both streams covers the same instant.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FEATURE_DIM = 128


class FrameCNN(nn.Module):
    def __init__(self, width=32, out=FEATURE_DIM):
        super().__init__()
        c = [3, width, 2 * width, 4 * width, 4 * width]
        self.convs = nn.ModuleList([nn.Conv2d(c[i], c[i + 1], 3, stride=2, padding=1) for i in range(4)])
        self.norms = nn.ModuleList([nn.GroupNorm(8, c[i + 1]) for i in range(4)])
        self.proj = nn.Linear(c[-1], out)

    def forward(self, x):                        # x: (N, 3, 64, 64) in [0, 1]
        x = x * 2 - 1
        for conv, norm in zip(self.convs, self.norms):
            x = F.silu(norm(conv(x)))            # 64 → 32 → 16 → 8 → 4
        return self.proj(x.mean(dim=(2, 3)))     # (N, out)


class VisualEncoder(nn.Module):
    """Frames (B, T, 3, 64, 64) → features (B, T, D). The temporal convs see motion: a
    frame's feature knows what changed around it, which is what sound follows."""

    def __init__(self, width=32, dim=FEATURE_DIM):
        super().__init__()
        self.frame = FrameCNN(width, dim)
        self.t1 = nn.Conv1d(2 * dim, dim, 5, padding=2)
        self.t2 = nn.Conv1d(dim, dim, 3, padding=1)

    def forward(self, frames):
        b, t = frames.shape[:2]
        f = self.frame(frames.reshape(b * t, *frames.shape[2:])).reshape(b, t, -1)   # (B, T, D)
        delta = torch.cat([torch.zeros_like(f[:, :1]), f[:, 1:] - f[:, :-1]], dim=1)  # change since the last frame
        h = torch.cat([f, delta], dim=2).transpose(1, 2)                               # (B, 2D, T)
        h = self.t2(F.silu(self.t1(h)))                                                # (B, D, T)
        return h.transpose(1, 2)


class AudioWindowEncoder(nn.Module):
    """Mel (B, 80, 4T) → (B, T, D)."""

    def __init__(self, dim=FEATURE_DIM, mels=80):
        super().__init__()
        self.down = nn.Conv1d(mels, dim, 4, stride=4)
        self.t1 = nn.Conv1d(dim, dim, 5, padding=2)
        self.t2 = nn.Conv1d(dim, dim, 3, padding=1)

    def forward(self, mel):
        h = F.silu(self.down(mel * 2 - 1))
        return self.t2(F.silu(self.t1(h))).transpose(1, 2)


class MelClassifier(nn.Module):
    """Mel (B, 80, T) → class logits, material logits and the penultimate features (FD, KL, IS)."""

    def __init__(self, classes, materials, width=32, feature=256):
        super().__init__()
        c = [1, width, 2 * width, 4 * width, 8 * width]
        self.convs = nn.ModuleList([nn.Conv2d(c[i], c[i + 1], 3, padding=1) for i in range(4)])
        self.norms = nn.ModuleList([nn.GroupNorm(8, c[i + 1]) for i in range(4)])
        self.feature = nn.Linear(c[-1] * 2, feature)
        self.cls = nn.Linear(feature, classes)
        self.mat = nn.Linear(feature, materials)

    def features(self, mel):
        x = mel.unsqueeze(1) * 2 - 1                                    # (B, 1, 80, T)
        for conv, norm in zip(self.convs, self.norms):
            x = F.max_pool2d(F.silu(norm(conv(x))), 2)                  # 80 → 40 → 20 → 10 → 5
        x = x.mean(dim=2)                                               # (B, C, T/16)
        pooled = torch.cat([x.mean(dim=2), x.amax(dim=2)], dim=1)       # (B, 2C)
        return F.silu(self.feature(pooled))                             # (B, feature)

    def forward(self, mel):
        f = self.features(mel)
        return self.cls(f), self.mat(f), f


class SyncHead(nn.Module):
    """Is this audio window in sync with this video window? Scores (B, T, D) feature pairs."""

    def __init__(self, dim=FEATURE_DIM, hidden=128):
        super().__init__()
        self.conv = nn.Conv1d(3 * dim, hidden, 3, padding=1)
        self.out = nn.Linear(hidden, 1)

    def forward(self, v, a):
        h = torch.cat([v, a, v * a], dim=2).transpose(1, 2)            # (B, 3D, T)
        return self.out(F.silu(self.conv(h)).mean(dim=2)).squeeze(1)    # logit
