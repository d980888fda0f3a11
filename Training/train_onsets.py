"""Trains the visual onset head (Training/foleytrain/onsets.py) on the visual encoder's
features of the training split; reports recall and precision of its peaks on the validation
split at ±50 ms, the tolerance `foley eval` scores. export_specvqgan.py ships it in the
SpecVQGAN bundle when DATA/onsets.ckpt exists. A few minutes on one CPU core.

  /usr/bin/python3 Training/train_onsets.py [--steps 800]
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from foleytrain.dataset import SplitCache                                # noqa: E402
from foleytrain.loop import Checkpoint, arguments, log, one_cycle, run, setup  # noqa: E402
from foleytrain.onsets import FPS, VisualOnsets, match, peaks, sharp_onsets, targets  # noqa: E402
from train_sampler import clip_features, shipped_visual_encoder          # noqa: E402


def clips(cache, feats, offsets):
    """(features (T, D), targets (T,), meta) per clip."""
    out = []
    for i, meta in enumerate(cache.metas):
        f = feats[offsets[i]:offsets[i + 1]]
        out.append((f, targets(meta, len(f)), meta))
    return out


def batch(data, rng, size):
    """`size` whole clips zero-padded to the longest, with a mask of real frames."""
    pick = [data[i] for i in rng.choice(len(data), size, replace=False)]
    length = max(len(f) for f, _, _ in pick)
    x = torch.zeros(size, length, pick[0][0].shape[1])
    y, mask = torch.zeros(size, length), torch.zeros(size, length)
    for k, (f, t, _) in enumerate(pick):
        x[k, :len(f)], y[k, :len(t)], mask[k, :len(t)] = torch.from_numpy(f), torch.from_numpy(t), 1
    return x, y, mask


@torch.no_grad()
def scores(model, data, threshold):
    """Mean recall over sharp onsets and mean precision against every annotated event on clips
    with sharp events, as `foley eval` computes them for audio."""
    recalls, precisions = [], []
    for f, _, meta in data:
        prob = torch.sigmoid(model(torch.from_numpy(f)[None]))[0].numpy()
        detected = [i / FPS for i in peaks(prob, threshold)]
        sharp = sharp_onsets(meta)
        r, _ = match(detected, sharp)
        if r is not None:
            recalls.append(r)
        if sharp:
            _, p = match(detected, [e["onset"] for e in meta["events"]])
            if p is not None:
                precisions.append(p)
    return float(np.mean(recalls)), float(np.mean(precisions))


def main():
    ap = arguments(800)
    ap.add_argument("--threshold", type=float, default=0.5)
    args = ap.parse_args()
    args.batch = min(args.batch, 32)
    rng, dev = setup(args)
    encoder, feat_dim = shipped_visual_encoder()
    data = {}
    for s in ("train", "val"):
        cache = SplitCache(os.path.join(args.data, s))
        data[s] = clips(cache, *clip_features(cache, encoder, os.path.join(args.data, s, "visual-features.npz")))
    model = VisualOnsets(feat_dim)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    metrics = torch.zeros(3)                 # val recall, val precision, threshold: kept for the export
    ckpt = Checkpoint(os.path.join(args.data, "onsets.ckpt"), model=model, opt=opt, metrics=metrics)
    start = ckpt.load()
    sched = one_cycle(opt, args.steps, start, max_lr=1e-3)

    def step_loss():
        return model.loss(*batch(data["train"], rng, args.batch))

    def evaluate(step):
        if step % 200 == 0 or step == args.steps:
            model.eval()
            r, p = scores(model, data["val"], args.threshold)
            model.train()
            metrics.copy_(torch.tensor([r, p, args.threshold]))
            log(f"step {step} val onset recall {r:.3f} precision {p:.3f} (±50 ms, threshold {args.threshold})")

    run(step_loss, opt, sched, ckpt, start, args.steps, args.save_every, on_step=evaluate)
    log(json.dumps({"val_recall": round(metrics[0].item(), 4), "val_precision": round(metrics[1].item(), 4)}))


if __name__ == "__main__":
    main()
