"""Exports Visual Echoes (DATA/ve-tokenizer.ckpt, DATA/ve-transformer.ckpt) as Weights/visual-echoes:
float16 weights of the image tokenizer and the transformer, a config that names SpecVQGAN's
codec and vocoders by weights hash (one token space, one renderer), and a card with the data,
steps and validation metrics computed with the rounded weights.
  /usr/bin/python3 Training/export_visual_echoes.py [--data data/foleyworld]
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_models import card, specvqgan_refs, visual_encoder_pin, write_bundle       # noqa: E402
from export_specvqgan import rounded                                     # noqa: E402
from foleytrain.dataset import SplitCache                                # noqa: E402
from foleytrain.torch_util import single_thread                          # noqa: E402
from foleytrain.visual_echoes import VisualEchoes, mask_tokens           # noqa: E402
from train_sampler import WINDOW, clip_tokens                            # noqa: E402
from train_visual_echoes import TOKENIZER, codec_tokens_path, frames_batch, load_tokenizer, shipped_codec, visual_tokens, windows  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@torch.no_grad()
def metrics(model, tokenizer, codec, data, tok_step):
    val = SplitCache(os.path.join(data, "val"))
    x = frames_batch(val, np.random.default_rng(1), 256)
    q, _, idx = tokenizer.quantize(tokenizer.encode_images(x))
    l1 = ((tokenizer.decoder(tokenizer.post_quant_conv(q)) + 1) / 2 - x).abs().mean().item()
    audio = clip_tokens(val, codec, codec_tokens_path(data, "val"), "cpu")
    visual = visual_tokens(val, tokenizer, os.path.join(data, "val", f"ve-visual-tokens-{tok_step}.npz"), "cpu")
    a, v = windows(*audio, *visual, np.random.default_rng(1), 256)
    out = {"image tokenizer val L1 (256 frames, 0–1 RGB)": l1, "image codes used on those frames": f"{len(torch.unique(idx))}/{TOKENIZER['n_embed']}"}
    # Audio cross-entropy on masked positions with and without the picture (all visual
    # tokens masked): how much the picture tells the model, on the same masks.
    ce, blind = [], []                                                   # per window, on the same masks
    for k in range(0, 256, 32):
        aa, vv = a[k:k + 32], v[k:k + 32]
        am, masked = mask_tokens(aa, 0.7, model.ca, torch.Generator().manual_seed(k))
        la, _ = model(am, vv)
        lb, _ = model(am, torch.full_like(vv, model.cv))
        for logits, into in ((la, ce), (lb, blind)):
            per = torch.nn.functional.cross_entropy(logits[..., :model.ca].transpose(1, 2), aa, reduction="none")   # (B, La)
            into += ((per * masked).sum(1) / masked.sum(1)).tolist()
    ce, blind = np.array(ce), np.array(blind)
    boot = np.random.default_rng(0).integers(0, len(ce), (1000, len(ce)))
    low, high = np.percentile((ce - blind)[boot].mean(1), [2.5, 97.5])
    out["val audio cross-entropy, 70% masked, with the picture (256 windows)"] = float(ce.mean())
    out["val audio cross-entropy, 70% masked, picture masked"] = float(blind.mean())
    out["with − without the picture, paired bootstrap 95% interval"] = f"{(ce - blind).mean():+.4f} [{low:+.4f}, {high:+.4f}]"
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "data", "foleyworld"))
    ap.add_argument("--out", default=os.path.join(ROOT, "Weights"))
    ap.add_argument("--heads", type=int, default=4, help="attention heads the transformer was trained with")
    args = ap.parse_args()
    single_thread()
    tokenizer, tok_step = load_tokenizer(args.data, "cpu")
    state = torch.load(os.path.join(args.data, "ve-transformer.ckpt"), map_location="cpu")
    emb = state["model"]
    grid = tokenizer.image_tokens(torch.zeros(1, 3, 64, 64)).shape[1]
    c = dict(audio_vocab=emb["audio_emb.weight"].shape[0] - 1, visual_vocab=emb["visual_emb.weight"].shape[0] - 1,
             audio_len=emb["enc.pos_a"].shape[0], visual_len=emb["enc.pos_v"].shape[0], width=emb["audio_emb.weight"].shape[1],
             layers=len({k.split(".")[2] for k in emb if k.startswith("enc.blocks.")}),
             dec_width=emb["mask_embed"].shape[0], dec_layers=len({k.split(".")[2] for k in emb if k.startswith("dec.blocks.")}))
    heads = args.heads
    model = VisualEchoes(c["audio_vocab"], c["visual_vocab"], c["audio_len"], c["visual_len"], width=c["width"], layers=c["layers"],
                         heads=heads, dec_width=c["dec_width"], dec_layers=c["dec_layers"], dec_heads=heads, dropout=0.0)
    model.load_state_dict(emb)
    rounded(model)
    rounded(tokenizer)
    codec, _ = shipped_codec("cpu")
    m = metrics(model, tokenizer, codec, args.data, tok_step)
    config = {"kind": "visual-echoes", **specvqgan_refs(args.out, ("codec", "vocoder")),
              "tokenizer": TOKENIZER | {"ch_mult": list(TOKENIZER["ch_mult"]), "attn_resolutions": list(TOKENIZER["attn_resolutions"])},
              "transformer": model.config, "window_frames": WINDOW, **visual_encoder_pin()}
    tensors = {"tokenizer." + k: v.numpy().astype(np.float16) for k, v in tokenizer.state_dict().items()}
    tensors.update({"transformer." + k: v.numpy().astype(np.float16) for k, v in model.state_dict().items()})
    text = card("Visual Echoes (demo scale)",
                "The masked audio-visual transformer of Visual Echoes (../shared/papers/visual-echoes-masked-transformer.txt) "
                "over SpecVQGAN's codec tokens (the shipped codec, referenced) and an image tokenizer's codes, one 64×64 picture "
                "per token column (5.38 fps, 4×4 codes each). Decoded by the shared renderer with SpecVQGAN's vocoders.",
                "FoleyWorld train split (1,500 clips), validation on the val split.",
                f"Image tokenizer: {tok_step} steps (L1 + EMA codewords, dead-code restarts). Transformer: {state['step']} steps, "
                "mask ratio per modality from a truncated Gaussian on [0.2, 1] (mean 0.7, std 0.25), half the positions dropped from "
                "the encoder, label smoothing 0.1, AdamW; one CPU thread.",
                m,
                f"Tokenizer: VQGAN {TOKENIZER}. Transformer: {model.config}, heads {heads}.")
    write_bundle("visual-echoes", tensors, config, text, args.out)
    print(text)


if __name__ == "__main__":
    main()
