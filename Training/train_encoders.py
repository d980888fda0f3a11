"""Trains the shared visual encoder contrastively against the audio-window encoder, then the
sync head on the frozen pair, and exports them to Weights/.

  OMP_NUM_THREADS=1 /usr/bin/python3 Training/train_encoders.py --data data/foleyworld [--steps 600]
      [--framing whole-frame] [--init Weights --lr 5e-4]

--framing: how frames are cut from the picture (dataset.FRAMINGS); FoleyWorld 2's 16:9 and 9:16
cameras put causes outside the centre square, so its encoder sees the whole frame. --init
starts from a weights folder's encoders (fine-tuning FoleyWorld 1's on FoleyWorld 2: from
scratch at 2e-3 the pair collapsed to constant features within 250 steps on FoleyWorld 2).

Windows are L visual frames (L/21.53 s). Negatives for a video window: the aligned audio of
the other clips in the batch AND its own clip's audio shifted by at least 0.5 s, so features
must carry when things sound, not only what is seen. Similarity is the mean over time of
per-step cosine similarities. Checkpoints every --save-every steps and resumes from them.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from foleytrain.bundle import encoders  # noqa: E402
from foleytrain.dataset import FRAMINGS, SplitCache  # noqa: E402
from foleytrain.encoders import AudioWindowEncoder, SyncHead, VisualEncoder  # noqa: E402
from foleytrain.loop import Checkpoint, arguments, log, one_cycle, run  # noqa: E402
from foleytrain.torch_util import single_thread  # noqa: E402

MIN_SHIFT = 11        # visual frames ≈ 0.51 s


def windows(cache, rng, batch, length, shifted=True):
    """Frames (B, L, 3, 64, 64), aligned mels (B, 80, 4L) and, per clip, a mel shifted ≥ 0.5 s."""
    idx = rng.choice(len(cache), batch, replace=len(cache) < batch)
    fr, mel, mel_shift = [], [], []
    for i in idx:
        f, m = cache.clip_frames(i), cache.clip_mel(i)
        t = min(len(f), m.shape[1] // 4)
        s = int(rng.integers(0, t - length + 1))
        fr.append(f[s:s + length])
        mel.append(m[:, 4 * s:4 * (s + length)])
        if shifted:
            options = [o for o in range(0, t - length + 1) if abs(o - s) >= MIN_SHIFT]
            o = options[int(rng.integers(len(options)))] if options else (s + MIN_SHIFT) % max(1, t - length + 1)
            mel_shift.append(m[:, 4 * o:4 * (o + length)])
    frames = torch.from_numpy(np.stack(fr)).permute(0, 1, 4, 2, 3).float() / 255
    out = [frames, torch.from_numpy(np.stack(mel))]
    if shifted:
        out.append(torch.from_numpy(np.stack(mel_shift)))
    return out


def similarity(v, a):
    """Mean over time of per-step cosine similarity: (B, T, D) × (C, T, D) → (B, C)."""
    v, a = F.normalize(v, dim=2), F.normalize(a, dim=2)
    return torch.einsum("btd,ctd->bc", v, a) / v.shape[1]


def contrastive_step(venc, aenc, scale, batch):
    frames, mel, mel_shift = batch
    v, a, a_shift = venc(frames), aenc(mel), aenc(mel_shift)
    s = similarity(v, a) * scale.exp()                                  # (B, B)
    hard = (F.normalize(v, dim=2) * F.normalize(a_shift, dim=2)).sum(2).mean(1, keepdim=True) * scale.exp()
    target = torch.arange(len(v))
    loss_v = F.cross_entropy(torch.cat([s, hard], dim=1), target)        # video → its audio, not shifted audio
    loss_a = F.cross_entropy(s.t(), target)                              # audio → its video
    return (loss_v + loss_a) / 2


@torch.no_grad()
def retrieval_accuracy(venc, aenc, cache, rng, trials=200, length=16, others=7):
    """Given an audio window, pick its video window among: itself, the same clip shifted by
    ±0.5 s, and `others` windows of other clips."""
    hits = 0
    for _ in range(trials):
        i = int(rng.integers(len(cache)))
        f, m = cache.clip_frames(i), cache.clip_mel(i)
        t = min(len(f), m.shape[1] // 4)
        s = int(rng.integers(MIN_SHIFT, t - length - MIN_SHIFT + 1)) if t >= length + 2 * MIN_SHIFT else 0
        cand = [f[s:s + length]]
        for o in (s - MIN_SHIFT, s + MIN_SHIFT):
            if 0 <= o <= t - length:
                cand.append(f[o:o + length])
        for j in rng.choice([k for k in range(len(cache)) if k != i], others, replace=False):
            fj = cache.clip_frames(j)
            oj = int(rng.integers(0, len(fj) - length + 1))
            cand.append(fj[oj:oj + length])
        frames = torch.from_numpy(np.stack(cand)).permute(0, 1, 4, 2, 3).float() / 255
        a = aenc(torch.from_numpy(m[None, :, 4 * s:4 * (s + length)]))
        sims = similarity(a, venc(frames))[0]                           # (C,)
        hits += int(sims.argmax() == 0)
    return hits / trials


def train_sync(venc, aenc, head, cache, rng, steps, length, log):
    opt = torch.optim.AdamW(head.parameters(), lr=1e-3)
    for step in range(steps):
        frames, mel, mel_shift = windows(cache, rng, 32, length)
        with torch.no_grad():
            v, a, a_shift = venc(frames), aenc(mel), aenc(mel_shift)
        logits = torch.cat([head(v, a), head(v, a_shift), head(v, a.roll(1, 0))])
        labels = torch.cat([torch.ones(len(v)), torch.zeros(2 * len(v))])
        loss = F.binary_cross_entropy_with_logits(logits, labels, pos_weight=torch.tensor(2.0))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 50 == 0:
            log(f"sync step {step} loss {loss.item():.3f}")


@torch.no_grad()
def sync_accuracy(venc, aenc, head, cache, rng, trials=8, length=16):
    correct = total = 0
    for _ in range(trials):
        frames, mel, mel_shift = windows(cache, rng, 32, length)
        v = venc(frames)
        pos, neg = head(v, aenc(mel)), head(v, aenc(mel_shift))
        correct += int((pos > 0).sum() + (neg <= 0).sum())
        total += 2 * len(v)
    return correct / total


def main():
    ap = arguments(steps=600)
    ap.add_argument("--sync-steps", type=int, default=300)
    ap.add_argument("--length", type=int, default=16)
    ap.add_argument("--checkpoint", default=None)
    ap.add_argument("--framing", choices=FRAMINGS, default="centre-crop")
    ap.add_argument("--init", default=None, help="a weights folder whose visual-encoder and av-sync start the run")
    ap.add_argument("--lr", type=float, default=2e-3, help="peak learning rate of the one-cycle schedule")
    args = ap.parse_args()
    single_thread()
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    train, val, test = (SplitCache(os.path.join(args.data, s), framing=args.framing) for s in ("train", "val", "test"))
    log(f"clips: train {len(train)}, val {len(val)}, test {len(test)}; frames {args.framing}")
    venc, aenc, head = VisualEncoder(), AudioWindowEncoder(), SyncHead()
    if args.init:
        for mine, theirs in zip((venc, aenc, head), encoders(args.init)):
            mine.load_state_dict(theirs.state_dict())
        log(f"starting from the encoders in {args.init}")
    scale = torch.nn.Parameter(torch.tensor(np.log(10.0), dtype=torch.float32))
    opt = torch.optim.AdamW(list(venc.parameters()) + list(aenc.parameters()) + [scale], lr=2e-3, weight_decay=1e-4)
    ckpt = Checkpoint(args.checkpoint or os.path.join(args.data, "encoders.ckpt"), venc=venc, aenc=aenc, opt=opt, scale=scale)
    start = ckpt.load()
    sched = one_cycle(opt, args.steps, start, max_lr=args.lr)
    history = run(lambda: contrastive_step(venc, aenc, scale, windows(train, rng, args.batch, args.length)),
                  opt, sched, ckpt, start, args.steps, args.save_every, status=lambda: f"scale {scale.exp().item():.1f}")
    venc.eval(); aenc.eval()
    metrics = {"retrieval_test": retrieval_accuracy(venc, aenc, test, np.random.default_rng(1), length=args.length),
               "retrieval_val": retrieval_accuracy(venc, aenc, val, np.random.default_rng(2), length=args.length),
               "final_loss": float(np.mean(history[-50:])) if history else None, "steps": args.steps,
               "peak_lr": args.lr, "initialised_from": "FoleyWorld 1 encoders" if args.init else "scratch"}
    log(f"retrieval accuracy (1 of 10 incl. ±0.5 s shifts): test {metrics['retrieval_test']:.3f}, val {metrics['retrieval_val']:.3f}")
    train_sync(venc, aenc, head, train, rng, args.sync_steps, args.length, log)
    head.eval()
    metrics["sync_accuracy_test"] = sync_accuracy(venc, aenc, head, test, np.random.default_rng(3), length=args.length)
    log(f"sync accuracy on test (aligned vs ≥0.5 s shifted): {metrics['sync_accuracy_test']:.3f}")
    from export_models import export_encoders
    export_encoders(venc, aenc, head, args.out, metrics, counts={"train": len(train), "val": len(val), "test": len(test),
                                                                  "classes": len({m["class"] for m in train.metas})},
                    framing=args.framing)


if __name__ == "__main__":
    main()
