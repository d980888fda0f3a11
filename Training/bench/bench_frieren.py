"""PyTorch side of `make bench`'s frieren section: the shipped base estimator (float16 weights
widened) on one thread: one guided forward (conditional and blind batched) and the 25-step
guided Euler sampler, written the PyTorch way. Prints JSON."""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain import flow, safetensors_io  # noqa: E402
from foleytrain.frieren import Estimator, regulate  # noqa: E402
from foleytrain.torch_util import single_thread  # noqa: E402
from timing import median_time  # noqa: E402


def load(folder, prefix="estimator."):
    config = json.load(open(os.path.join(folder, "config.json")))["estimator"]
    tensors, _ = safetensors_io.load(os.path.join(folder, "weights.safetensors"))
    model = Estimator(**config).eval()
    model.load_state_dict({k[len(prefix):]: torch.from_numpy(v.astype(np.float32)) for k, v in tensors.items() if k.startswith(prefix)})
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", required=True)
    args = ap.parse_args()
    single_thread()
    model = load(args.bundle)
    z, length = model.config["z"], model.config["length"]
    g = torch.Generator().manual_seed(2)
    c = regulate(torch.randn(1, model.config["cond"], length // 2, generator=g))
    x = torch.randn(2, z, length, generator=g)
    with torch.no_grad():
        forward = median_time(lambda: model(x, torch.full((2,), 0.5), torch.cat([c, torch.zeros_like(c)])), 5)
        field = flow.guided(lambda xx, t, cc: model(xx, t, cc), c, 4.5)
        whole = median_time(lambda: flow.euler(field, x[:1], 25), 1)
    print(json.dumps({"forward_s": forward, "sampler_s": whole, "steps": 25, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
