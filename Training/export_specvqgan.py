"""Exports the trained SpecVQGAN (DATA/codec.ckpt, sampler.ckpt, vocoder.ckpt) as one bundle,
Weights/specvqgan/ (float16 weights, config.json, card.md with data, steps and metrics), and
its parity golden Tests/Fixtures/models/specvqgan_golden.safetensors.

Weights are rounded to float16 first and every metric and golden output is computed with the
rounded weights, so the card and the goldens describe exactly what ships.
  /usr/bin/python3 Training/export_specvqgan.py [--data data/foleyworld] [--heads 4]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_models import FIXTURES, card, specvqgan_bundle, visual_encoder_pin, write_bundle  # noqa: E402
from foleytrain import audio, bundle, safetensors_io                            # noqa: E402
from foleytrain.dataset import SplitCache, clip_paths                    # noqa: E402
from foleytrain.melgan import Generator, spectral_loss                   # noqa: E402
from foleytrain.onsets import SHARP, VisualOnsets, peaks                       # noqa: E402
from foleytrain.sampler import GPTFeats                                  # noqa: E402
from foleytrain.torch_util import fold_weight_norm, single_thread, to_numpy  # noqa: E402
from train_vocoder import batch as vocoder_batch                          # noqa: E402
from train_onsets import clips as onset_clips, scores as onset_scores   # noqa: E402
from train_sampler import WINDOW, batch, clip_features, clip_tokens, load_codec, shipped_visual_encoder  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rounded(module):
    """The module with every parameter and buffer rounded to float16 (and kept as float32)."""
    with torch.no_grad():
        for t in list(module.parameters()) + list(module.buffers()):
            if t.is_floating_point():
                t.copy_(t.half().float())
    return module.eval()


@torch.no_grad()
def codec_metrics(codec, val):
    """Reconstruction L1 over whole validation clips, and codebook usage over all their tokens."""
    l1, counts = [], torch.zeros(codec.quantize.embedding.num_embeddings)
    for i in range(len(val)):
        mel = val.clip_mel(i)
        mel = np.pad(mel, ((0, 0), (0, (-mel.shape[1]) % 16)), mode="edge")
        x = torch.from_numpy(mel)[None]
        y, _, idx = codec(x)
        l1.append((y - x).abs().mean().item())
        counts += torch.bincount(idx.flatten(), minlength=len(counts)).float()
    p = counts / counts.sum()
    perplexity = torch.exp(-(p[p > 0] * p[p > 0].log()).sum()).item()
    return {"codec val L1 (normalised mel)": float(np.mean(l1)),
            "codebook usage on val": f"{int((counts > 0).sum())}/{len(counts)} codes, perplexity {perplexity:.1f}"}


@torch.no_grad()
def sampler_metrics(sampler, codec, data):
    val = SplitCache(os.path.join(data, "val"))
    encoder, _ = shipped_visual_encoder()
    feats, f_off = clip_features(val, encoder, os.path.join(data, "val", "visual-features.npz"))
    tokens, t_off = clip_tokens(val, codec, os.path.join(data, "val", "codec-tokens-export.npz"), "cpu")
    os.remove(os.path.join(data, "val", "codec-tokens-export.npz"))
    rng = np.random.default_rng(0)
    ce = [sampler.loss(*batch(tokens, t_off, feats, f_off, rng, 16)).item() for _ in range(8)]
    # The same windows with the features of other clips: how much the picture tells the sampler.
    rng = np.random.default_rng(0)
    shuffled = []
    for _ in range(8):
        t, f = batch(tokens, t_off, feats, f_off, rng, 16)
        shuffled.append(sampler.loss(t, f[torch.randperm(16, generator=torch.Generator().manual_seed(1))]).item())
    metrics = {"sampler val cross-entropy": float(np.mean(ce)), "… with other clips' features": float(np.mean(shuffled))}
    if sampler.config.get("uncond"):
        rng = np.random.default_rng(0)
        blind = [sampler.loss(t, torch.zeros_like(f)).item() for t, f in (batch(tokens, t_off, feats, f_off, rng, 16) for _ in range(8))]
        metrics["… without the picture (guidance's blind stream)"] = float(np.mean(blind))
    metrics["uniform cross-entropy"] = float(np.log(sampler.tok_emb.num_embeddings))
    return metrics, val, feats, f_off


@torch.no_grad()
def vocoder_metrics(vocoder, data):
    """The training loss on validation segments (8192 samples, as in training), and the mel
    L1 between each segment and its resynthesis."""
    paths, rng = clip_paths(os.path.join(data, "val")), np.random.default_rng(0)
    losses, mel_l1 = [], []
    for _ in range(8):
        mel, wav = vocoder_batch(paths, rng, 8)
        y = vocoder(mel)
        losses.append(spectral_loss(y, wav).item())
        mel_l1 += [np.abs(audio.normalized_mel(y[i, 0].numpy())[:, :mel.shape[2]] - mel[i].numpy()).mean() for i in range(len(y))]
    return {"vocoder val multi-resolution spectral loss": float(np.mean(losses)),
            "vocoder val mel L1 (resynthesis)": float(np.mean(mel_l1))}


@torch.no_grad()
def goldens(codec, sampler, vocoder, val, feats, f_off, onsets=None, draft=None, threshold=0.5):
    mel = val.clip_mel(0)[:, :WINDOW]
    mel = np.pad(mel, ((0, 0), (0, WINDOW - mel.shape[1])), mode="edge")
    x = torch.from_numpy(mel)[None]
    tokens = codec.tokens(x)
    decoded = codec.decode_tokens(tokens)
    f = torch.from_numpy(feats[f_off[0]:f_off[0] + WINDOW // 4]).float()[None]
    greedy = torch.zeros(1, 0, dtype=torch.long)
    for _ in range(40):
        logits = sampler.forward_feats(greedy, f)[:, -1]
        greedy = torch.cat([greedy, logits.argmax(-1, keepdim=True)], dim=1)
    extra = {}
    if sampler.config.get("uncond"):                                     # guided greedy at scale 3, recomputed
        guided = torch.zeros(1, 0, dtype=torch.long)
        for _ in range(40):
            c, u = sampler.forward_feats(guided, f)[:, -1], sampler.forward_feats(guided, torch.zeros_like(f))[:, -1]
            guided = torch.cat([guided, (u + 3 * (c - u)).argmax(-1, keepdim=True)], dim=1)
        extra["guided"] = guided[0].float()
    if onsets is not None:
        # The first window of a clip with sharp events in which the head finds a hit, so that
        # Swift's peak picking is exercised, not only the probabilities.
        for i in (k for k, m in enumerate(val.metas) if m["class"] in SHARP):
            of = torch.from_numpy(feats[f_off[i]:f_off[i] + WINDOW // 4]).float()[None]
            prob = torch.sigmoid(onsets(of))[0]
            if len(peaks(prob.numpy(), threshold)):
                break
        extra["onset_features"], extra["onset_probabilities"] = of[0], prob
    first = sampler.forward_feats(tokens[:, :10], f)[0]                 # logits after features + 10 tokens
    wave = vocoder(decoded[:, :, :64])
    if draft is not None:
        extra["draft_waveform"] = draft(decoded[:, :, :64])[0, 0]
    out = {"mel": mel, "tokens": tokens[0].float(), "decoded": decoded[0], "features": f[0], "greedy": greedy[0].float(),
           "logits": first, "waveform": wave[0, 0], **extra}
    safetensors_io.save({k: to_numpy(torch.as_tensor(v)) for k, v in out.items()},
                        os.path.join(FIXTURES, "specvqgan_golden.safetensors"), metadata={"bundle": "Weights/specvqgan"})


def parts_folder(base, folder, keys):
    """A bundle of kind `specvqgan-parts` at `folder` that lends `base`'s `keys` (codec,
    vocoders) to bundles beside it by reference: their config sections, and a link to base's
    weights file (so its weights hash is base's). No factory loads the kind, so the catalog
    passes over it instead of listing a second SpecVQGAN beside another visual encoder."""
    os.makedirs(folder, exist_ok=True)
    config = json.load(open(os.path.join(base, "config.json")))
    parts = {"kind": "specvqgan-parts", **{k: config[k] for k in keys}}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(parts, f, indent=1, sort_keys=True)
    with open(os.path.join(folder, "card.md"), "w") as f:
        f.write(f"# SpecVQGAN's parts ({', '.join(keys)})\n\nThe parts of `{os.path.relpath(base, os.path.dirname(folder))}` "
                "that bundles beside this one name by weights hash instead of copying them; `weights.safetensors` is a link "
                "to that bundle's file. See its card.\n")
    link = os.path.join(folder, "weights.safetensors")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(os.path.relpath(os.path.join(os.path.abspath(base), "weights.safetensors"), os.path.abspath(folder)), link)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "data", "foleyworld"))
    ap.add_argument("--heads", type=int, default=4, help="the sampler's heads (train_sampler.py --heads)")
    ap.add_argument("--out", default=os.path.join(ROOT, "Weights"))
    ap.add_argument("--codec-disc-start", type=int, default=1250, help="the step the codec's discriminator was switched on")
    ap.add_argument("--vocoder-disc-start", type=int, default=1500, help="the step the vocoder's GAN phase began")
    ap.add_argument("--draft-vocoder", help="a smaller vocoder's checkpoint (train_vocoder.py --ngf/--residual-layers) for the Draft parameter")
    ap.add_argument("--base", metavar="FOLDER",
                    help="a shipped specvqgan bundle whose codec and vocoders are kept (only the sampler and onset head "
                         "were retrained, e.g. on another corpus with train_sampler.py --from-bundle)")
    ap.add_argument("--reference-base", metavar="NAME",
                    help="with --base: name the base's codec and vocoders by weights hash as the bundle folder NAME "
                         "beside the export (a link to --base there) instead of copying them")
    ap.add_argument("--sampler", help="the sampler checkpoint (default DATA/sampler.ckpt)")
    ap.add_argument("--training", help="a file saying how these checkpoints were trained (replaces the CPU-run paragraph)")
    args = ap.parse_args()
    single_thread()
    base = bundle.load(args.base) if args.base else None
    codec, codec_step = (base["codec"], f"{args.base}'s") if base else load_codec(args.data, "cpu")
    s_state = torch.load(args.sampler or os.path.join(args.data, "sampler.ckpt"), map_location="cpu")
    m = s_state["model"]
    vocab, width = m["tok_emb.weight"].shape
    layers = len({k.split(".")[1] for k in m if k.startswith("blocks.")})
    sampler = GPTFeats(vocab, m["pos_emb"].shape[1], layers, args.heads, width, m["embedder.weight"].shape[1])
    sampler.load_state_dict(m)
    if float(s_state.get("uncond", torch.zeros(1)).item()) > 0:        # trained for classifier-free guidance
        sampler.config["uncond"] = round(float(s_state["uncond"].item()), 4)
    if base:                                                             # already rounded and folded
        v_state, vocoder = {"step": f"{args.base}'s"}, base["vocoder"]
        d_state, draft = {"step": f"{args.base}'s"}, base.get("vocoder_draft")
    else:
        v_state = torch.load(os.path.join(args.data, "vocoder.ckpt"), map_location="cpu")
        vocoder = Generator(**v_state.get("config", {}))             # older checkpoints: the default sizes
        vocoder.load_state_dict(v_state["gen"])
        vocoder, draft, d_state = fold_weight_norm(vocoder), None, None
    codec, sampler, vocoder = rounded(codec), rounded(sampler), rounded(vocoder)
    if args.draft_vocoder:
        d_state = torch.load(args.draft_vocoder, map_location="cpu")
        draft = Generator(**d_state["config"])
        draft.load_state_dict({k: v.float() for k, v in d_state["gen"].items()})
        draft = rounded(fold_weight_norm(draft))
    onsets, threshold, o_state = None, 0.5, None
    if os.path.exists(os.path.join(args.data, "onsets.ckpt")):          # Training/train_onsets.py
        o_state = torch.load(os.path.join(args.data, "onsets.ckpt"), map_location="cpu")
        onsets = VisualOnsets(o_state["model"]["c1.weight"].shape[1], o_state["model"]["c1.weight"].shape[0])
        onsets.load_state_dict(o_state["model"])
        onsets, threshold = rounded(onsets), round(float(o_state["metrics"][2]), 3)

    metrics = {"codec steps": codec_step, "sampler steps": s_state["step"], "vocoder steps": v_state["step"]}
    metrics.update(codec_metrics(codec, SplitCache(os.path.join(args.data, "val"))))
    sm, val, feats, f_off = sampler_metrics(sampler, codec, args.data)
    metrics.update(sm)
    metrics.update(vocoder_metrics(vocoder, args.data))
    if draft is not None:
        metrics["draft vocoder steps"] = d_state["step"]
        metrics.update({"draft " + k: v for k, v in vocoder_metrics(draft, args.data).items()})
    if onsets is not None:
        r, p = onset_scores(onsets, onset_clips(val, feats, f_off), threshold)
        metrics.update({"visual onsets steps": o_state["step"], "visual onsets val recall (±50 ms)": r,
                        "visual onsets val precision (±50 ms)": p})
    for k, v in metrics.items():
        print(f"{k}: {v}")
    tensors, config = specvqgan_bundle(codec, sampler, vocoder, WINDOW, onsets, threshold, draft, visual_encoder_pin())
    tensors = {k: v.astype(np.float16) if v.dtype == np.float32 else v for k, v in tensors.items()}
    if base and args.reference_base:                                     # ComponentReference.swift reads these
        ref = {"bundle": args.reference_base, "weights_hash": bundle.fnv1a(os.path.join(args.base, "weights.safetensors"))}
        shared = [k for k in ("codec", "vocoder", "vocoder_draft") if k in config]
        tensors = {k: v for k, v in tensors.items() if k.split(".")[0] not in shared}
        config.update({k: ref for k in shared})
        parts_folder(args.base, os.path.join(args.out, args.reference_base), shared)
    counts = {s: len(clip_paths(os.path.join(args.data, s))) for s in ("train", "val", "test")}
    if args.training:
        training = "\n\n".join(line.strip() for line in open(args.training) if line.strip())
    else:
        training = ("Codec: L1 + perceptual (frozen evaluation classifier's activations) + VQ (β 0.25, EMA codewords, restarts of "
                    f"codewords unused for 100 steps) for {args.codec_disc_start} steps, then also a hinge PatchGAN weighted adaptively "
                    f"({max(0, codec_step - args.codec_disc_start)} steps); 128-frame crops, batch 8, Adam 1e-4 (Training/train_codec.py). "
                    "Sampler: next-token cross-entropy on 384-frame windows of cached codec tokens, AdamW one-cycle (max 6e-4), batch 24 "
                    "(Training/train_sampler.py). Vocoder: multi-resolution spectral loss on 8192-sample segments, batch 8; the hinge "
                    f"multi-scale GAN + feature-matching phase began at step {args.vocoder_disc_start}, so this export has had "
                    f"{max(0, v_state['step'] - args.vocoder_disc_start)} GAN steps (Training/train_vocoder.py). "
                    "All on one CPU core.")
    if onsets is not None:
        training += ("\n\nVisual onsets (the Candidates parameter ranks a window's candidate takes by how their transients "
                     "meet these hits): binary cross-entropy, positives weighted 10, on the training split's visual features "
                     "against its sharp annotated onsets (footsteps, glass, bounce, dig, gunshot, explosion), whole clips, "
                     f"batch 24, AdamW one-cycle (max 1e-3) for {o_state['step']} steps; hits are peaks above {threshold} "
                     "(Training/train_onsets.py, one CPU core).")
    text = card(
        "SpecVQGAN (codec, sampler, vocoder)",
        "Visually guided sound generation after Iashin & Rahtu (2021): a spectrogram VQGAN codec, a GPT over its "
        "codebook indices (column-major, 5 rows per time step) conditioned on the shipped visual encoder's features "
        "(1×1 conv, prepended), and a MelGAN vocoder. Weights stored as float16.",
        f"FoleyWorld clips: {counts['train']} train / {counts['val']} val / {counts['test']} test; normalised 80-band mel "
        f"at 22.05 kHz, hop 256; windows of {WINDOW} mel frames ({WINDOW * 256 / 22050:.2f} s).",
        training,
        metrics,
        f"Codec {codec.config}; sampler {config['sampler']}; vocoder {vocoder.config}"
        + (f"; draft vocoder {draft.config}" if draft is not None else "")
        + (f"; the codec and vocoders are {args.base}'s, named by weights hash, not copied" if base and args.reference_base else "")
        + (f"; visual onsets {config['onsets']} (Conv1d k5 → SiLU → Conv1d k5 → SiLU → Conv1d k5 → sigmoid)." if onsets is not None else "."))
    write_bundle("specvqgan", tensors, config, text, args.out)
    goldens(codec, sampler, vocoder, val, feats, f_off, onsets, draft, threshold)
    print("wrote", os.path.join(args.out, "specvqgan"), "and the golden")


if __name__ == "__main__":
    main()
