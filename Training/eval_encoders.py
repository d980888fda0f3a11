"""The shipped visual encoder and sync judge on a corpus split, with the measures their card
reports (retrieval: an audio window's video among itself, ±0.5 s shifts and 7 other clips;
sync: aligned vs ≥ 0.5 s shifted windows), so a bundle trained on one corpus can be measured on
another (issue 20's before/after).

  OMP_NUM_THREADS=1 /usr/bin/python3 Training/eval_encoders.py --data data/foleyworld2/test [--weights Weights] [--json OUT]

Each measure is reported with a 95% Wilson interval over its trials.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from foleytrain.bundle import encoders  # noqa: E402
from foleytrain.dataset import SplitCache  # noqa: E402
from foleytrain.torch_util import single_thread  # noqa: E402
from train_encoders import retrieval_accuracy, sync_accuracy  # noqa: E402


def wilson(p, n, z=1.96):
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [centre - half, centre + half]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="a split folder")
    ap.add_argument("--weights", default=os.path.join(os.path.dirname(__file__), "..", "Weights"))
    ap.add_argument("--trials", type=int, default=1000)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    single_thread()
    torch.manual_seed(0)
    venc, aenc, head = encoders(a.weights)
    cache = SplitCache(a.data, framing=venc.framing)
    r = retrieval_accuracy(venc, aenc, cache, np.random.default_rng(1), trials=a.trials)
    sync_trials = max(1, a.trials // 32)
    s = sync_accuracy(venc, aenc, head, cache, np.random.default_rng(3), trials=sync_trials)
    out = {"split": a.data, "framing": venc.framing, "clips": len(cache), "retrieval": r, "retrieval_ci": wilson(r, a.trials), "retrieval_trials": a.trials,
           "sync": s, "sync_ci": wilson(s, sync_trials * 64), "sync_windows": sync_trials * 64}
    print(f"{a.data}: {len(cache)} clips; retrieval {100 * r:.1f}% [{100 * out['retrieval_ci'][0]:.1f}, {100 * out['retrieval_ci'][1]:.1f}] "
          f"({a.trials} trials, chance 10%); sync {100 * s:.1f}% [{100 * out['sync_ci'][0]:.1f}, {100 * out['sync_ci'][1]:.1f}] "
          f"({out['sync_windows']} windows)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
