"""PyTorch side of `make bench`'s runtime section: makes a 4-layer 256-wide minGPT with
random weights (seed 0), saves it for the Swift runtime, and times PyTorch eager on one
thread: a 512-token forward and a 256-token KV-cached greedy decode. Prints JSON."""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain.gpt import GPT  # noqa: E402
from timing import median_time  # noqa: E402
from foleytrain.torch_util import export_state_dict, single_thread  # noqa: E402

CONFIG = dict(vocab_size=1024, block_size=512, layers=4, heads=8, width=256)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    single_thread()
    torch.manual_seed(0)
    model = GPT(**CONFIG).eval()
    with torch.no_grad():
        model.pos_emb.normal_(0, 0.02)
    os.makedirs(args.out, exist_ok=True)
    weights = os.path.join(args.out, "transformer.safetensors")
    export_state_dict(model, weights, metadata={k: str(v) for k, v in CONFIG.items()})
    tokens = torch.randint(0, CONFIG["vocab_size"], (1, 512), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        forward = median_time(lambda: model(tokens), 5)
        decoded = []
        decode = median_time(lambda: decoded.append(model.generate_greedy(tokens[:, :1], 256)), 3)
    print(json.dumps({"weights": weights, "tokens": tokens[0].tolist(), "forward_s": forward, "decode_s": decode,
                      "greedy": decoded[-1], "torch": torch.__version__, "config": CONFIG}))


if __name__ == "__main__":
    main()
