"""Trains the evaluation's class probe on frozen aisfx embeddings and exports Weights/eval-sfx-probe.

  OMP_NUM_THREADS=1 /usr/bin/python3 Training/train_sfx_probe.py --data data/foleyworld [--epochs 60]

The network that hears the audio is aisfx's (pretrained on professional SFX libraries, never
trained here); only a small MLP on its 512-d block embeddings learns FoleyWorld's classes from
the training split. Each training clip is seen as recorded and band-limited to 125–7600 Hz (the
band our mel keeps, which every current renderer is limited to), so the probe judges the kind of
sound rather than the bandwidth (FD_sfx measures that). Model selection on the validation split;
the test split is only scored. No generator's loss or ranking uses this probe.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from corpus.sources import classes_of  # noqa: E402

CLASSES = []          # the corpus's classes (set in main from its train split)
from foleytrain import safetensors_io, sfx  # noqa: E402
from foleytrain.dataset import clip_paths  # noqa: E402

HIDDEN = 256


def read_44k(path):
    """Mono float32 at 44.1 kHz through ffmpeg's resampler (libswresample, as `foley eval` reads it)."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-ac", "1", "-ar", str(sfx.SR), "-f", "f32le", "pipe:1"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.float32).copy()


def band_limited(y, lo=125.0, hi=7600.0):
    spec = np.fft.rfft(y)
    f = np.fft.rfftfreq(len(y), 1 / sfx.SR)
    spec[(f < lo) | (f > hi)] = 0
    return np.fft.irfft(spec, len(y)).astype(np.float32)


@torch.no_grad()
def embed_split(folder, model, views, cache):
    """Block embeddings [N, 512] with their clip index, class index and view, cached."""
    if os.path.exists(cache):
        d = np.load(cache)
        return {k: d[k] for k in d.files}
    out = {"emb": [], "clip": [], "label": [], "view": []}
    paths = clip_paths(folder)
    t0 = time.time()
    for i, base in enumerate(paths):
        meta = json.load(open(base + ".json"))
        y = read_44k(base + ".wav")[: int(round(meta["duration"] * sfx.SR))]
        for v, view in enumerate(views):
            blocks = sfx.blocks(sfx.mel(view(y)))
            e = model.get_embedding(torch.from_numpy(blocks)).numpy()
            out["emb"].append(e)
            out["clip"] += [i] * len(e)
            out["label"] += [CLASSES.index(meta["class"])] * len(e)
            out["view"] += [v] * len(e)
        if (i + 1) % 100 == 0:
            print(f"{os.path.basename(folder)}: embedded {i + 1}/{len(paths)} clips, {time.time() - t0:.0f} s", flush=True)
    d = {"emb": np.concatenate(out["emb"]).astype(np.float32), "clip": np.array(out["clip"]),
         "label": np.array(out["label"]), "view": np.array(out["view"])}
    np.savez(cache + ".tmp.npz", **d)
    os.replace(cache + ".tmp.npz", cache)
    return d


class Probe(torch.nn.Module):
    def __init__(self, mean, scale, classes):
        super().__init__()
        self.register_buffer("mean", torch.from_numpy(mean))
        self.register_buffer("scale", torch.from_numpy(scale))
        self.hidden = torch.nn.Linear(512, HIDDEN)
        self.drop = torch.nn.Dropout(0.3)
        self.out = torch.nn.Linear(HIDDEN, classes)

    def forward(self, x):
        return self.out(self.drop(torch.relu(self.hidden((x - self.mean) * self.scale))))


@torch.no_grad()
def clip_accuracy(probe, d, view=0):
    """Clip-level accuracy (argmax of the blocks' mean softmax), as the Swift probe decides."""
    probe.eval()
    keep = d["view"] == view
    p = torch.softmax(probe(torch.from_numpy(d["emb"][keep])), -1).numpy()
    clips, labels = d["clip"][keep], d["label"][keep]
    right, confusion = [], np.zeros((len(CLASSES), len(CLASSES)), int)
    for c in np.unique(clips):
        m = clips == c
        pred = int(p[m].mean(0).argmax())
        right.append(pred == labels[m][0])
        confusion[labels[m][0], pred] += 1
    return float(np.mean(right)), confusion, np.array(right, float)


def interval(right, resamples=1000, seed=2026):
    """Bootstrap 95% interval over clips of a clip accuracy (as `foley eval` reports it)."""
    rng = np.random.default_rng(seed)
    means = rng.choice(right, (resamples, len(right))).mean(1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "Weights", "eval-sfx-probe"))
    ap.add_argument("--golden-only", action="store_true", help="only rewrite the parity golden of the exported probe")
    ap.add_argument("--golden", default=os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "models", "sfx_probe_golden.safetensors"),
                    help="where the parity golden goes (the Swift test reads the shipped probe's)")
    a = ap.parse_args()
    if a.golden_only:
        return golden(a.out, a.golden)
    CLASSES[:] = classes_of(a.data)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model, _ = sfx.load_package_model()
    digest = hashlib.sha256(open(os.path.join(sfx.package_dir(), "aisfx", "models", "checkpoint.pth"), "rb").read()).hexdigest()[:12]
    identity = lambda y: y  # noqa: E731
    data = {}
    for split, views in (("train", [identity, band_limited]), ("val", [identity, band_limited]), ("test", [identity, band_limited])):
        data[split] = embed_split(os.path.join(a.data, split), model, views, os.path.join(a.data, f"sfx-probe-{split}-{digest}.npz"))
    tr = data["train"]
    mean = tr["emb"].mean(0).astype(np.float32)
    scale = (1 / (tr["emb"].std(0) + 1e-3)).astype(np.float32)
    probe = Probe(mean, scale, len(CLASSES))
    opt = torch.optim.AdamW(probe.parameters(), lr=1e-3, weight_decay=1e-2)
    x, y = torch.from_numpy(tr["emb"]), torch.from_numpy(tr["label"]).long()
    best, best_state, rng = -1.0, None, np.random.default_rng(0)
    for epoch in range(a.epochs):
        probe.train()
        order = rng.permutation(len(x))
        for s in range(0, len(order), 128):
            idx = torch.from_numpy(order[s:s + 128])
            loss = torch.nn.functional.cross_entropy(probe(x[idx]), y[idx], label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
        val = (clip_accuracy(probe, data["val"], 0)[0] + clip_accuracy(probe, data["val"], 1)[0]) / 2
        if val > best:
            best, best_state, best_epoch = val, {k: v.clone() for k, v in probe.state_dict().items()}, epoch
        if epoch % 10 == 9:
            print(f"epoch {epoch + 1}: loss {loss.item():.3f}, val accuracy (both views) {val:.3f}", flush=True)
    probe.load_state_dict(best_state)
    results = split_results(probe, data)
    print(f"best epoch {best_epoch + 1}: " + ", ".join(f"{k} {v[0]:.3f}" for k, v in results.items()))
    export(probe, a.out, results, best_epoch + 1, len(tr["emb"]), digest, clip_accuracy(probe, data["test"], 0)[1])
    golden(a.out, a.golden)


def split_results(probe, data):
    """{split_view: (accuracy, low, high)} over the splits' clips."""
    out = {}
    for s in ("train", "val", "test"):
        for v in (0, 1):
            acc, _, right = clip_accuracy(probe, data[s], v)
            out[f"{s}_{['full', 'band_limited'][v]}"] = (acc, *interval(right))
    return out


@torch.no_grad()
def golden(bundle, out):
    """The exported probe's probabilities (PyTorch) on fixed embeddings, for the Swift parity test."""
    g = safetensors_io.load(os.path.join(bundle, "weights.safetensors"))
    w = g[0] if isinstance(g, tuple) else g
    probe = Probe(w["input.mean"], w["input.scale"], w["out.bias"].shape[0])
    probe.hidden.weight.copy_(torch.from_numpy(w["hidden.weight"])); probe.hidden.bias.copy_(torch.from_numpy(w["hidden.bias"]))
    probe.out.weight.copy_(torch.from_numpy(w["out.weight"])); probe.out.bias.copy_(torch.from_numpy(w["out.bias"]))
    probe.eval()
    x = np.abs(np.random.default_rng(3).normal(0, 1, (5, 512))).astype(np.float32) * w["input.mean"] * 2
    safetensors_io.save({"embeddings": x, "probabilities": torch.softmax(probe(torch.from_numpy(x)), -1).numpy()}, out)
    print(f"{out}: written")


def export(probe, out, results, epochs, samples, digest, confusion):
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in probe.state_dict().items()}
    tensors = {"input.mean": sd["mean"], "input.scale": sd["scale"], "hidden.weight": sd["hidden.weight"],
               "hidden.bias": sd["hidden.bias"], "out.weight": sd["out.weight"], "out.bias": sd["out.bias"]}
    os.makedirs(out, exist_ok=True)
    safetensors_io.save(tensors, os.path.join(out, "weights.safetensors"), metadata={"aisfx_checkpoint": digest})
    json.dump({"kind": "sfx-probe", "classes": CLASSES, "hidden": HIDDEN, "embedding": 512,
               "aisfx_checkpoint_sha256_prefix": digest}, open(os.path.join(out, "config.json"), "w"), indent=1)
    rows = "\n".join(f"| {c} | " + " | ".join(str(v) for v in confusion[i]) + " |" for i, c in enumerate(CLASSES))
    card = f"""# eval-sfx-probe

The evaluation's class probe (`foley eval`'s class accuracy): an MLP (512 → {HIDDEN} → ReLU → {len(CLASSES)}) on frozen
block embeddings of PyPI's aisfx 0.1.2 (CC BY 4.0; see CREDITS.md), which hears 44.1 kHz audio at full band. A clip's
class is the argmax of its blocks' mean softmax. Only the MLP was trained here.

- Data: FoleyWorld training split ({samples} block embeddings), each clip as recorded and band-limited to
  125–7600 Hz; standardised with the training mean and deviation. AdamW 1e-3, weight decay 0.01, dropout 0.3,
  label smoothing 0.1; the epoch with the best validation accuracy (both views) kept: {epochs}.
- Made by `Training/train_sfx_probe.py` (`make train-sfx-probe`), on one CPU core in minutes.
- Not used by any generator's training loss or candidate ranking (it is the yardstick).

| split / view | clip accuracy (95% bootstrap interval over clips) |
|---|---|
""" + "\n".join(f"| {k.replace('_', ' / ', 1)} | {100 * v[0]:.1f}% ({100 * v[1]:.1f}–{100 * v[2]:.1f}) |" for k, v in results.items()) + f"""

Confusion on test-split ground truth (rows: true class, columns: predicted, order as rows):

| true \\ predicted | {' | '.join(c[:5] for c in CLASSES)} |
|---|{'---|' * len(CLASSES)}
{rows}
"""
    open(os.path.join(out, "card.md"), "w").write(card)
    print(f"{out}: exported")


if __name__ == "__main__":
    main()
