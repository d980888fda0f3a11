"""Converts aisfx's checkpoint (installed by Scripts/fetch-sfx-model.sh) into a Foley bundle.

  OMP_NUM_THREADS=1 /usr/bin/python3 Training/convert_aisfx.py --package CACHE/pkg --out CACHE/bundle

Each conv's inference batch norm is folded into the conv (the package's convs have no bias):
w' = w·γ/√(σ²+ε), b' = β − μ·γ/√(σ²+ε). Weights stay float32. The bundle lives in the cache,
never in the repository (the model is the package's, CC BY 4.0; see CREDITS.md).
"""
import argparse
import hashlib
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from foleytrain import safetensors_io, sfx  # noqa: E402


def fold(conv_w, bn):
    scale = bn.weight.detach().numpy() / np.sqrt(bn.running_var.detach().numpy() + bn.eps)
    w = conv_w.detach().numpy() * scale[:, None, None, None]
    b = bn.bias.detach().numpy() - bn.running_mean.detach().numpy() * scale
    return w.astype(np.float32), b.astype(np.float32)


def convert(pkg, out):
    import torch
    torch.set_num_threads(1)
    model, ds_dict = sfx.load_package_model(pkg)
    tensors = {}
    net = model.embedding_net
    for i in range(4):
        block = getattr(net, f"conv_block{i + 1}")
        for j in (1, 2):
            w, b = fold(getattr(block, f"conv{j}").weight, getattr(block, f"bn{j}"))
            tensors[f"blocks.{i}.conv{j}.weight"], tensors[f"blocks.{i}.conv{j}.bias"] = w, b
    heads = sfx.head_names(ds_dict)
    for name in heads:
        seq = model.fc[ds_dict[name][0]]
        for k, layer in enumerate((seq[0], seq[2], seq[4])):
            tensors[f"heads.{name}.{k}.weight"] = layer.weight.detach().numpy().astype(np.float32)
            tensors[f"heads.{name}.{k}.bias"] = layer.bias.detach().numpy().astype(np.float32)
    ckpt = os.path.join(pkg, "aisfx", "models", "checkpoint.pth")
    with open(ckpt, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    os.makedirs(out + ".tmp", exist_ok=True)
    safetensors_io.save(tensors, os.path.join(out + ".tmp", "weights.safetensors"),
                        metadata={"source": f"aisfx {sfx.VERSION} checkpoint.pth sha256 {digest}"})
    config = {
        "kind": "sfx-embedding", "converter": 1, "source": f"PyPI aisfx {sfx.VERSION} (X-Sequential-CE), CC BY 4.0",
        "checkpoint_sha256": digest, "width": 64, "embedding": 512,
        "heads": heads, "head_classes": [int(ds_dict[h][1]) for h in heads],
        "sample_rate": sfx.SR, "n_fft": sfx.N_FFT, "hop": sfx.HOP, "n_mels": sfx.N_MELS,
        "norm_max": sfx.NORM_MAX, "block": sfx.BLOCK, "block_hop": sfx.BLOCK_HOP,
    }
    with open(os.path.join(out + ".tmp", "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    if os.path.isdir(out):
        for name in os.listdir(out):
            os.remove(os.path.join(out, name))
        os.rmdir(out)
    os.replace(out + ".tmp", out)
    print(f"{out}: {len(tensors)} tensors, heads {', '.join(f'{h} ({c})' for h, c in zip(heads, config['head_classes']))}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--package", default=None, help="folder the aisfx wheel was installed into (default: the cache)")
    ap.add_argument("--out", default=None, help="bundle folder to write (default: CACHE/bundle)")
    a = ap.parse_args()
    convert(a.package or sfx.package_dir(), a.out or os.path.join(sfx.cache_dir(), "bundle"))


if __name__ == "__main__":
    main()
