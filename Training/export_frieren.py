"""Exports FRIEREN (DATA/frieren-vae.ckpt, DATA/frieren-flow.ckpt, and DATA/frieren-reflow.ckpt,
DATA/frieren-onestep.ckpt where trained) as Weights/frieren: float16 weights of the mel VAE and
one estimator per variant, a config naming SpecVQGAN's vocoders by weights hash (the shared
renderer), and a card with the data, steps and validation metrics of the rounded weights.
  /usr/bin/python3 Training/export_frieren.py [--data data/foleyworld]
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_models import card, specvqgan_refs, visual_encoder_pin, write_bundle       # noqa: E402
from export_specvqgan import rounded                                     # noqa: E402
from foleytrain import flow                                              # noqa: E402
from foleytrain.dataset import SplitCache                                # noqa: E402
from foleytrain.frieren import Estimator                                 # noqa: E402
from foleytrain.torch_util import single_thread                          # noqa: E402
from train_frieren import CROP, VAE, WINDOW, load_vae, mel_crops, velocity, windows  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = {"base": "frieren-flow.ckpt", "reflow": "frieren-reflow.ckpt", "onestep": "frieren-onestep.ckpt"}


def interval(d, seed=0):
    boot = np.random.default_rng(seed).integers(0, len(d), (1000, len(d)))
    low, high = np.percentile(d[boot].mean(1), [2.5, 97.5])
    return f"{d.mean():+.4f} [{low:+.4f}, {high:+.4f}]"


@torch.no_grad()
def flow_metrics(name, model, val):
    """Flow loss per window on 256 val windows, with the picture and blind (zero condition), on
    the same noise and times: how much the picture tells the estimator."""
    v = velocity(model)
    x1, c = val.draw(np.random.default_rng(1), 256)
    g = torch.Generator().manual_seed(1)
    x0, t = torch.randn(x1.shape, generator=g), flow.logit_normal(len(x1), g)
    xt = t[:, None, None] * x1 + (1 - t[:, None, None]) * x0
    per = [((v(xt, t, cc) - (x1 - x0)) ** 2).mean(dim=(1, 2)).numpy() for cc in (c, torch.zeros_like(c))]
    return {f"{name}: val flow loss with the picture (256 windows)": float(per[0].mean()),
            f"{name}: val flow loss blind (zero condition)": float(per[1].mean()),
            f"{name}: with − blind, paired bootstrap 95% interval": interval(per[0] - per[1])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "data", "foleyworld"))
    ap.add_argument("--out", default=os.path.join(ROOT, "Weights"))
    ap.add_argument("--heads", type=int, default=4, help="attention heads the estimator was trained with")
    args = ap.parse_args()
    single_thread()
    vae, scale, vae_step = load_vae(args.data, "cpu")
    rounded(vae)
    val_cache = SplitCache(os.path.join(args.data, "val"))
    x = mel_crops(val_cache, np.random.default_rng(1), 64)
    with torch.no_grad():
        l1 = (vae.dec(vae.moments(x)[0]) - x).abs().mean().item()
    metrics = {f"VAE val L1 on 64 crops of {CROP} frames (normalised mel, decoded from the mean)": l1, "latent scale": scale}
    val = windows(args, "val", "cpu")
    tensors = {"vae." + k: v.numpy().astype(np.float16) for k, v in vae.state_dict().items()}
    variants, steps, config = [], {}, None
    for name, file in VARIANTS.items():
        path = os.path.join(args.data, file)
        if not os.path.exists(path):
            continue
        state = torch.load(path, map_location="cpu")
        sd = state["model"]
        width = sd["pos"].shape[1]
        config = dict(z=sd["out.weight"].shape[0], cond=sd["c_in.0.weight"].shape[1], length=sd["pos"].shape[0] - 1, width=width,
                      layers=len({k.split(".")[1] for k in sd if k.startswith("blocks.")}), heads=args.heads,
                      ffn=sd["blocks.0.ffn.0.weight"].shape[0], kernel=sd["blocks.0.ffn.0.weight"].shape[2])
        model = Estimator(**config)
        model.load_state_dict(sd)
        rounded(model)
        metrics.update(flow_metrics(name, model, val))
        prefix = "estimator." if name == "base" else f"estimator_{name}."
        tensors.update({prefix + k: v.numpy().astype(np.float16) for k, v in model.state_dict().items()})
        variants.append(name)
        steps[name] = state["step"]
    bundle_config = {"kind": "frieren", "vae": dict(VAE, mult=list(VAE["mult"]), scale=scale), "estimator": config,
                     "variants": variants, **specvqgan_refs(args.out), "window_frames": WINDOW,
                     **visual_encoder_pin()}
    trained = ", ".join(f"{n} {s} steps" for n, s in steps.items())
    pairs = os.path.join(args.data, "frieren-pairs.npz")
    if len(variants) > 1 and os.path.exists(pairs):
        trained += f" (reflow and 1-step on {len(np.load(pairs)['x0'])} reflow pairs)"
    text = card("FRIEREN (demo scale)",
                "FRIEREN (../shared/papers/frieren-rectified-flow-v2a.txt): a rectified flow in a 1-D mel VAE's latent space "
                "(80 bands → 20 channels at 43 frames/s), its vector-field estimator fusing the length-regulated visual features "
                "channel by channel. Variants: " + ", ".join(variants) + ". Decoded by the shared renderer with SpecVQGAN's vocoders.",
                "FoleyWorld train split (1,500 clips), validation on the val split; visual features of the shipped visual encoder.",
                f"VAE: {vae_step} steps, L1 + KL (1e-4 per element) + a patch critic's hinge term (not the evaluation's networks). "
                f"Estimator: {trained}; re-weighted RFM loss (logit-normal t), condition zeroed for 20% of each batch; AdamW; "
                "one CPU thread. Reflow pairs: 25 guided Euler steps (scale 4.5); reflow and 1-step regress the guided field.",
                metrics,
                f"VAE: {VAE}. Estimator: {config}.")
    write_bundle("frieren", tensors, bundle_config, text, args.out)
    print(text)


if __name__ == "__main__":
    main()
