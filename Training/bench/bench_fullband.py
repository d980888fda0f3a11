"""PyTorch side of `make bench`'s fullband section: the shipped full-band vocoder (float16
weights widened) on one thread, rendering a 384-frame mel (4.46 s). Prints JSON."""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain import safetensors_io  # noqa: E402
from foleytrain.fullband import FullBandVocoder  # noqa: E402
from foleytrain.torch_util import single_thread  # noqa: E402
from timing import median_time  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", required=True)
    args = ap.parse_args()
    single_thread()
    config = json.load(open(os.path.join(args.bundle, "config.json")))
    tensors, _ = safetensors_io.load(os.path.join(args.bundle, "weights.safetensors"))
    model = FullBandVocoder(**{k: config[k] for k in ("mels", "dim", "inter", "layers", "n_fft", "hop")}).eval()
    model.load_state_dict({k: torch.from_numpy(v.astype(np.float32)) for k, v in tensors.items()})
    mel = torch.rand(1, 80, 384, generator=torch.Generator().manual_seed(1)) * 0.6 + 0.2
    with torch.no_grad():
        t = median_time(lambda: model(mel), 5)
    print(json.dumps({"vocoder_s": t, "frames": 384, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
