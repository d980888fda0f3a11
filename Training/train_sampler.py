"""Trains SpecVQGAN's sampler: a GPT over the codec's column-major tokens, conditioned on the
visual encoder's features (1×1 conv, prepended). Needs a trained codec (DATA/codec.ckpt).

A window is 384 mel frames (4.46 s): 96 visual features + 24 × 5 = 120 tokens, block 216.
Resumable: checkpoints to DATA/sampler.ckpt.
  /usr/bin/python3 Training/train_sampler.py --steps 20000 [--device cuda]
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from foleytrain import safetensors_io                                    # noqa: E402
from foleytrain.dataset import SplitCache                                # noqa: E402
from foleytrain.encoders import VisualEncoder                            # noqa: E402
from foleytrain.loop import Checkpoint, arguments, log, one_cycle, run, setup  # noqa: E402
from foleytrain.sampler import GPTFeats                                  # noqa: E402
from foleytrain.vqgan import VQModel                                     # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WINDOW = 384                                                             # mel frames


def shipped_visual_encoder():
    import json
    folder = os.path.join(ROOT, "Weights", "visual-encoder")
    config = json.load(open(os.path.join(folder, "config.json")))
    enc = VisualEncoder(width=config["width"], dim=config["feature_dim"])
    tensors, _ = safetensors_io.load(os.path.join(folder, "weights.safetensors"))
    enc.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()})
    return enc.eval(), config["feature_dim"]


def per_clip_cache(path, key, count, compute, axis=0):
    """Per-clip arrays computed once, concatenated along `axis` and saved atomically beside the
    split with their offsets; later calls load them. Returns (array, offsets)."""
    if os.path.exists(path):
        z = np.load(path)
        return z[key], z["offsets"]
    parts = [compute(i) for i in range(count)]
    offsets = np.cumsum([0] + [p.shape[axis] for p in parts])
    whole = np.concatenate(parts, axis=axis)
    np.savez(path + ".tmp.npz", offsets=offsets, **{key: whole})
    os.replace(path + ".tmp.npz", path)
    return whole, offsets


@torch.no_grad()
def clip_features(cache, encoder, path):
    """Visual features of every clip [sum T_v, D], cached beside the split."""
    def one(i):
        frames = torch.from_numpy(cache.clip_frames(i)).float().div(255).permute(0, 3, 1, 2)[None]
        return encoder(frames)[0].numpy()
    return per_clip_cache(path, "features", len(cache), one)


@torch.no_grad()
def clip_tokens(cache, codec, path, dev):
    """Every clip's codec tokens [5, sum W] (each mel encoded whole, padded to 16 frames),
    cached beside the split under the codec checkpoint's step: encoding per batch cost more
    than the sampler's own step on CPU."""
    def one(i):
        mel = cache.clip_mel(i)
        mel = np.pad(mel, ((0, 0), (0, (-mel.shape[1]) % 16)), mode="edge")
        idx = codec.quantize.indices(codec.encode(torch.from_numpy(mel)[None].to(dev)))[0]   # (5, W)
        return idx.cpu().numpy().astype(np.int16)
    return per_clip_cache(path, "tokens", len(cache), one, axis=1)


def batch(tokens, t_off, feats, f_off, rng, size):
    """Random windows: 24 token columns (column-major, 120 tokens) and their 96 features."""
    columns, rows = WINDOW // 16, 5
    toks, fs = [], []
    for _ in range(size):
        i = int(rng.integers(len(t_off) - 1))
        t, f = tokens[:, t_off[i]:t_off[i + 1]], feats[f_off[i]:f_off[i + 1]]
        start = int(rng.integers(0, max(1, min(t.shape[1], len(f) // 4) - columns + 1)))
        w = t[:, start:start + columns]
        if w.shape[1] < columns:                          # short clip: repeat its last column
            w = np.concatenate([w, np.repeat(w[:, -1:], columns - w.shape[1], axis=1)], axis=1)
        v = f[4 * start:4 * start + WINDOW // 4]
        if len(v) < WINDOW // 4:
            v = np.concatenate([v, np.repeat(v[-1:], WINDOW // 4 - len(v), axis=0)])
        toks.append(w.T.reshape(-1))                      # column-major: all rows of a step, then the next
        fs.append(v)
    return torch.from_numpy(np.stack(toks).astype(np.int64)), torch.from_numpy(np.stack(fs)).float()


def load_codec(data, dev):
    state = torch.load(os.path.join(data, "codec.ckpt"), map_location="cpu")
    codec = VQModel(n_embed=state["model"]["quantize.embedding.weight"].shape[0])
    codec.load_state_dict(state["model"])
    return codec.eval().to(dev), state["step"]


def main():
    ap = arguments(steps=20000)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    args = ap.parse_args()
    rng, dev = setup(args)
    train = SplitCache(os.path.join(args.data, "train"))
    encoder, feat_dim = shipped_visual_encoder()
    feats, f_off = clip_features(train, encoder, os.path.join(args.data, "train", "visual-features.npz"))
    codec, codec_step = load_codec(args.data, dev)
    tokens, t_off = clip_tokens(train, codec, os.path.join(args.data, "train", f"codec-tokens-{codec_step}.npz"), dev)
    model = GPTFeats(codec.quantize.embedding.num_embeddings, WINDOW // 4 + 5 * WINDOW // 16, args.layers, args.heads, args.width,
                     feat_dim).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
    ckpt = Checkpoint(os.path.join(args.data, "sampler.ckpt"), model=model, opt=opt)
    start = ckpt.load()
    sched = one_cycle(opt, args.steps, start, max_lr=6e-4)

    def step_loss():
        t, f = batch(tokens, t_off, feats, f_off, rng, args.batch)
        return model.loss(t.to(dev), f.to(dev))

    losses = run(step_loss, opt, sched, ckpt, start, args.steps, args.save_every)
    log(f"final cross-entropy {np.mean(losses[-50:]):.3f}" if losses else "nothing to do")


if __name__ == "__main__":
    main()
