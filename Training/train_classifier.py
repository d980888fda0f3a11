"""Trains the evaluation classifier (class and material from the mel) and exports it.

  OMP_NUM_THREADS=1 /usr/bin/python3 Training/train_classifier.py --data data/foleyworld [--steps 500]
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from corpus.sources import classes_of  # noqa: E402

CLASSES = []          # the corpus's classes (set in main from its train split)
from foleytrain.dataset import SplitCache  # noqa: E402
from foleytrain.encoders import MelClassifier  # noqa: E402
from foleytrain.loop import Checkpoint, arguments, log, one_cycle, run  # noqa: E402
from foleytrain.torch_util import single_thread  # noqa: E402

CROP = 256   # mel frames ≈ 3 s


def materials_of(caches):
    return sorted({m["material"] for c in caches for m in c.metas})


def augmented(mel, rng):
    """Level and masking augmentation so the classifier judges the kind of sound, not the
    particular recordings: a gain of ±12 dB (an offset of ±0.12 in the normalised mel, whose
    scale is 100 dB), then one frequency band and one time span masked to the floor."""
    mel = np.clip(mel + rng.uniform(-0.12, 0.12), 0, 1)
    f0, fw = int(rng.integers(0, 70)), int(rng.integers(0, 10))
    t0, tw = int(rng.integers(0, CROP - 32)), int(rng.integers(0, 32))
    mel[f0:f0 + fw] = 0
    mel[:, t0:t0 + tw] = 0
    return mel


def batch(cache, rng, size, materials, augment=True):
    idx = rng.choice(len(cache), size)
    mels, ys, zs = [], [], []
    for i in idx:
        m = cache.clip_mel(i)
        s = int(rng.integers(0, max(1, m.shape[1] - CROP + 1)))
        crop = m[:, s:s + CROP]
        if crop.shape[1] < CROP:
            crop = np.pad(crop, ((0, 0), (0, CROP - crop.shape[1])))
        if augment:
            crop = augmented(crop, rng)
        mels.append(crop)
        ys.append(CLASSES.index(cache.metas[i]["class"]))
        zs.append(materials.index(cache.metas[i]["material"]))
    return torch.from_numpy(np.stack(mels)), torch.tensor(ys), torch.tensor(zs)


@torch.no_grad()
def accuracy(model, cache, materials):
    ok_c = ok_m = 0
    for i in range(len(cache)):
        c, m, _ = model(torch.from_numpy(cache.clip_mel(i))[None])
        ok_c += int(c.argmax() == CLASSES.index(cache.metas[i]["class"]))
        ok_m += int(m.argmax() == materials.index(cache.metas[i]["material"]))
    return ok_c / len(cache), ok_m / len(cache)


def main():
    ap = arguments(steps=1000)
    args = ap.parse_args()
    CLASSES[:] = classes_of(args.data)
    single_thread()
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    train, val, test = (SplitCache(os.path.join(args.data, s)) for s in ("train", "val", "test"))
    materials = materials_of([train, val, test])
    model = MelClassifier(len(CLASSES), len(materials))
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    ckpt = Checkpoint(os.path.join(args.data, "classifier.ckpt"), model=model, opt=opt)
    start = ckpt.load()
    sched = one_cycle(opt, args.steps, start)
    def step_loss():
        mel, y, z = batch(train, rng, args.batch, materials)
        c, m, _ = model(mel)
        return F.cross_entropy(c, y) + 0.5 * F.cross_entropy(m, z)

    losses = run(step_loss, opt, sched, ckpt, start, args.steps, args.save_every)
    model.eval()
    (vc, vm), (tc, tm) = accuracy(model, val, materials), accuracy(model, test, materials)
    log(f"class accuracy val {vc:.3f} test {tc:.3f}; material accuracy val {vm:.3f} test {tm:.3f}")
    from export_models import export_classifier
    export_classifier(model, CLASSES, materials, args.out,
                      {"class_accuracy_test": tc, "class_accuracy_val": vc, "material_accuracy_test": tm,
                       "material_accuracy_val": vm, "steps": args.steps,
                       "final_loss": float(np.mean(losses[-50:])) if losses else None},
                      {"train": len(train), "val": len(val), "test": len(test)})


if __name__ == "__main__":
    main()
