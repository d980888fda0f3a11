"""PyTorch side of `make bench`'s visual-echoes section: the shipped transformer (float16
weights widened) on one thread: one guided forward (cond and blind batched, 504 tokens) and
the whole unmasking loop at the defaults (N 30, T 4.5, s 3) written the PyTorch way
(vectorised sampling and top-k re-masking). Prints JSON."""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain import safetensors_io  # noqa: E402
from foleytrain.torch_util import single_thread  # noqa: E402
from foleytrain.visual_echoes import VisualEchoes  # noqa: E402
from timing import median_time  # noqa: E402


def load(folder):
    config = json.load(open(os.path.join(folder, "config.json")))["transformer"]
    tensors, _ = safetensors_io.load(os.path.join(folder, "weights.safetensors"))
    heads = config.pop("heads"), config.pop("dec_heads")
    model = VisualEchoes(**config, heads=heads[0], dec_heads=heads[1], dropout=0.0).eval()
    model.load_state_dict({k[len("transformer."):]: torch.from_numpy(v.astype(np.float32)) for k, v in tensors.items() if k.startswith("transformer.")})
    return model


@torch.no_grad()
def loop(model, v, steps=30, temperature=4.5, guidance=3.0):
    cur = torch.full((1, model.la), model.ca)
    blind = torch.full_like(v, model.cv)
    g = torch.Generator().manual_seed(1)
    for step in range(steps):
        logits, _ = model(torch.cat([cur, cur]), torch.cat([v, blind]))
        logits = (guidance * logits[0] + (1 - guidance) * logits[1])[:, :model.ca]
        probs = logits.softmax(-1)
        sampled = torch.multinomial(probs, 1, generator=g)[:, 0]
        masked = cur[0] == model.ca
        sampled = torch.where(masked, sampled, cur[0])
        conf = probs.gather(1, sampled[:, None])[:, 0].log()
        t = temperature * (1 - (step + 1) / steps)
        conf = conf - t * torch.log(-torch.log(torch.rand(model.la, generator=g)))
        conf = torch.where(masked, conf, torch.full_like(conf, math.inf))
        n = 0 if step == steps - 1 else max(1, min(int(masked.sum()) - 1, int(model.la * math.cos(math.pi / 2 * (step + 1) / steps))))
        cur = sampled[None].clone()
        if n:
            cur[0, conf.topk(n, largest=False).indices] = model.ca
    return cur


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", required=True)
    args = ap.parse_args()
    single_thread()
    model = load(args.bundle)
    v = torch.randint(0, model.cv, (1, model.lv), generator=torch.Generator().manual_seed(2))
    a = torch.full((2, model.la), model.ca)
    forward = median_time(lambda: model(a, torch.cat([v, torch.full_like(v, model.cv)])), 5)
    whole = median_time(lambda: loop(model, v), 1)
    print(json.dumps({"forward_s": forward, "loop_s": whole, "steps": 30, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
