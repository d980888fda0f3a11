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


def clip_features(cache, encoder, path):
    """Visual features of every clip, computed once and cached beside the split."""
    if os.path.exists(path):
        z = np.load(path)
        return z["features"], z["offsets"]
    feats = []
    with torch.no_grad():
        for i in range(len(cache)):
            frames = torch.from_numpy(cache.clip_frames(i)).float().div(255).permute(0, 3, 1, 2)[None]
            feats.append(encoder(frames)[0].numpy())
    offsets = np.cumsum([0] + [len(f) for f in feats])
    np.savez(path + ".tmp.npz", features=np.concatenate(feats), offsets=offsets)
    os.replace(path + ".tmp.npz", path)
    return np.concatenate(feats), offsets


def batch(cache, feats, offsets, rng, size):
    mels, fs = [], []
    for _ in range(size):
        i = int(rng.integers(len(cache)))
        mel, f = cache.clip_mel(i), feats[offsets[i]:offsets[i + 1]]
        start = int(rng.integers(0, max(1, min(mel.shape[1] - WINDOW, 4 * (len(f) - WINDOW // 4)) + 1))) // 4 * 4
        m = np.zeros((80, WINDOW), np.float32)
        piece = mel[:, start:start + WINDOW]
        m[:, :piece.shape[1]] = piece
        v = f[start // 4:start // 4 + WINDOW // 4]
        v = np.concatenate([v, np.repeat(v[-1:], WINDOW // 4 - len(v), axis=0)]) if len(v) < WINDOW // 4 else v
        mels.append(m)
        fs.append(v)
    return torch.from_numpy(np.stack(mels)), torch.from_numpy(np.stack(fs)).float()


def main():
    ap = arguments(steps=20000)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--width", type=int, default=256)
    args = ap.parse_args()
    rng, dev = setup(args)
    train = SplitCache(os.path.join(args.data, "train"))
    encoder, feat_dim = shipped_visual_encoder()
    feats, offsets = clip_features(train, encoder, os.path.join(args.data, "train", "visual-features.npz"))
    codec_state = torch.load(os.path.join(args.data, "codec.ckpt"), map_location="cpu")
    codec = VQModel(n_embed=codec_state["model"]["quantize.embedding.weight"].shape[0])
    codec.load_state_dict(codec_state["model"])
    codec = codec.eval().to(dev)
    tokens_per_window = 5 * WINDOW // 16
    model = GPTFeats(codec.quantize.embedding.num_embeddings, WINDOW // 4 + tokens_per_window, args.layers, 4, args.width,
                     feat_dim).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
    ckpt = Checkpoint(os.path.join(args.data, "sampler.ckpt"), model=model, opt=opt)
    start = ckpt.load()
    sched = one_cycle(opt, args.steps, start, max_lr=6e-4)

    def step_loss():
        mel, f = batch(train, feats, offsets, rng, args.batch)
        with torch.no_grad():
            tokens = codec.tokens(mel.to(dev))
        return model.loss(tokens, f.to(dev))

    losses = run(step_loss, opt, sched, ckpt, start, args.steps, args.save_every)
    log(f"final cross-entropy {np.mean(losses[-50:]):.3f}" if losses else "nothing to do")

if __name__ == "__main__":
    main()
