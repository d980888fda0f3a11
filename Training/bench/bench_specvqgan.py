"""PyTorch side of `make bench`'s specvqgan section: the shipped bundle's sampler (same
weights as the Swift runtime reads, float16 widened to float32) sampling one window on one
thread, KV-cached like the Swift side, plus the codec decoder and the vocoder (and the draft
vocoder, where the bundle has one) for the window.
Prints JSON with median seconds."""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain import bundle                              # noqa: E402
from timing import median_time  # noqa: E402
from foleytrain.torch_util import single_thread  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle")
    ap.add_argument("--top-x", type=int, default=64)
    args = ap.parse_args()
    single_thread()
    models = bundle.load(args.bundle)
    config, sampler, codec, vocoder = models["config"], models["sampler"], models["codec"], models["vocoder"]
    draft = models.get("vocoder_draft")
    s = config["sampler"]
    frames = config["window_frames"]
    count = frames // 16 * 5
    feats = torch.randn(1, frames // 4, s["feat_dim"], generator=torch.Generator().manual_seed(0))
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        sample = median_time(lambda: sampler.sample(feats, count, 1.0, args.top_x, g))
        tokens = torch.tensor([sampler.sample(feats, count, 1.0, args.top_x, g)])
        decode = median_time(lambda: codec.decode_tokens(tokens))
        mel = codec.decode_tokens(tokens)
        vocode = median_time(lambda: vocoder(mel))
        extra = {"draft_vocoder_s": median_time(lambda: draft(mel))} if draft is not None else {}
    print(json.dumps({"sample_s": sample, "decode_s": decode, "vocoder_s": vocode, "tokens": count, "frames": frames,
                      "torch": torch.__version__, **extra}))


if __name__ == "__main__":
    main()
