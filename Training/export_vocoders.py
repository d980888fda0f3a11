"""Re-exports the shipped `specvqgan` bundle with retrained vocoders (train_vocoder.py
checkpoints, e.g. a lent GPU's multi-band runs): the codec, sampler and onset head are read
back from the bundle and kept as they are, the vocoder and/or draft vocoder are replaced, the
card's vocoder metrics and architecture are recomputed, and the golden file is rewritten.
The card's prose about how the vocoders were trained is edited by hand.

  /usr/bin/python3 Training/export_vocoders.py --vocoder gpu/mb/v2.ckpt --draft gpu/mb/v1.ckpt [--out DIR]
"""
import argparse
import os
import re
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_models import ROOT, specvqgan_bundle, write_bundle           # noqa: E402
from export_specvqgan import goldens, rounded, vocoder_metrics           # noqa: E402
from foleytrain import bundle                                            # noqa: E402
from foleytrain.dataset import SplitCache                                # noqa: E402
from foleytrain.melgan import Generator                                  # noqa: E402
from foleytrain.torch_util import fold_weight_norm, single_thread        # noqa: E402
from train_sampler import WINDOW, clip_features, shipped_visual_encoder  # noqa: E402


def checkpoint_generator(path):
    state = torch.load(path, map_location="cpu")
    g = Generator(**state["config"])
    g.load_state_dict({k: v.float() for k, v in state["gen"].items()})
    return rounded(fold_weight_norm(g).eval()), state["step"]


def card_with(text, metrics, config):
    """The card with its vocoder metric lines and the architecture's vocoder sizes replaced."""
    lines = [ln for ln in text.split("\n") if not re.match(r"- (draft )?vocoder ", ln)]
    at = lines.index("## Architecture") - 1                               # the blank line closing the metrics
    lines[at:at] = [f"- {k}: {v:.4f}" if isinstance(v, float) else f"- {k}: {v}" for k, v in metrics.items()]
    text = "\n".join(lines)
    text = re.sub(r"; vocoder \{[^}]*\}", f"; vocoder {config['vocoder']}", text)
    return re.sub(r"; draft vocoder \{[^}]*\}", f"; draft vocoder {config['vocoder_draft']}", text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", default=os.path.join(ROOT, "Weights", "specvqgan"))
    ap.add_argument("--vocoder", help="a train_vocoder.py checkpoint for the default vocoder")
    ap.add_argument("--draft", help="a train_vocoder.py checkpoint for the Draft parameter's vocoder")
    ap.add_argument("--data", default=os.path.join(ROOT, "data", "foleyworld"))
    ap.add_argument("--out", default=os.path.join(ROOT, "Weights"), help="folder that receives specvqgan/")
    args = ap.parse_args()
    single_thread()
    m = bundle.load(args.bundle)
    card = open(os.path.join(args.bundle, "card.md")).read()
    metrics = {}
    for key, path, label in (("vocoder", args.vocoder, ""), ("vocoder_draft", args.draft, "draft ")):
        if path:
            m[key], steps = checkpoint_generator(path)
        else:
            steps = int(re.search(rf"- {label}vocoder steps: (\d+)", card).group(1))
        metrics[f"{label}vocoder steps"] = steps
        metrics.update({label + k: v for k, v in vocoder_metrics(m[key], args.data).items()})
    for k, v in metrics.items():
        print(f"{k}: {v}")
    threshold = m["config"]["onsets"]["threshold"]
    tensors, config = specvqgan_bundle(m["codec"], m["sampler"], m["vocoder"], WINDOW, m["onsets"], threshold, m["vocoder_draft"],
                                       {"visual_encoder": m["config"]["visual_encoder"]} if "visual_encoder" in m["config"] else None)
    tensors = {k: v.astype(np.float16) if v.dtype == np.float32 else v for k, v in tensors.items()}
    write_bundle("specvqgan", tensors, config, card_with(card, metrics, config), args.out)
    val = SplitCache(os.path.join(args.data, "val"))
    encoder, _ = shipped_visual_encoder()
    feats, f_off = clip_features(val, encoder, os.path.join(args.data, "val", "visual-features.npz"))
    goldens(m["codec"], m["sampler"], m["vocoder"], val, feats, f_off, m["onsets"], m["vocoder_draft"])


if __name__ == "__main__":
    main()
