"""Exports trained models to Weights/NAME/ (weights.safetensors, config.json, card.md) and
writes parity golden files (fixed inputs and the PyTorch outputs) to Tests/Fixtures/models/."""
import json
import os
import subprocess
import time

import numpy as np
import torch

from foleytrain import safetensors_io
from foleytrain.torch_util import fold_weight_norm, to_numpy

ROOT = os.path.join(os.path.dirname(__file__), "..")
FIXTURES = os.environ.get("FOLEY_FIXTURES", os.path.join(ROOT, "Tests", "Fixtures", "models"))


def _commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "unknown"


def write_bundle(name, tensors, config, card, out):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    safetensors_io.save(tensors, os.path.join(folder, "weights.safetensors"), metadata={"model": name})
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=1, sort_keys=True)
    with open(os.path.join(folder, "card.md"), "w") as f:
        f.write(card)


def specvqgan_refs(out, keys=("vocoder",)):
    """Component references to Weights/specvqgan by weights hash for `keys` (and its draft
    vocoder when it has one): how a generator names the shared renderer instead of copying it."""
    from foleytrain.bundle import fnv1a
    folder = os.path.join(out, "specvqgan")
    ref = {"bundle": "specvqgan", "weights_hash": fnv1a(os.path.join(folder, "weights.safetensors"))}
    has_draft = "vocoder_draft" in json.load(open(os.path.join(folder, "config.json")))
    return {k: ref for k in keys} | ({"vocoder_draft": ref} if has_draft else {})


def visual_encoder_pin():
    """The config entry naming the visual encoder a generator was trained on (the one in
    encoder_weights(), which every trainer reads): Swift refuses the generator beside another encoder."""
    from foleytrain.bundle import encoder_weights, fnv1a
    return {"visual_encoder": {"weights_hash": fnv1a(os.path.join(encoder_weights(), "visual-encoder", "weights.safetensors"))}}


def state(module, prefix=""):
    fold_weight_norm(module)
    return {prefix + k: to_numpy(v) for k, v in module.state_dict().items()}


def specvqgan_bundle(codec, sampler, vocoder, window_frames, onsets=None, threshold=0.5, draft=None, pin=None):
    """Tensors and config of a `specvqgan` bundle: the three models under codec., sampler. and
    vocoder. in one file (weight norm folded), their configs side by side; optionally the
    visual onset head under onsets. (candidate ranking; official checkpoints have none) and a
    smaller MelGAN under vocoder_draft. (the Draft parameter's faster rendering); `pin` (from
    visual_encoder_pin) when the sampler was trained on our visual encoder's features."""
    tensors = {**state(codec, "codec."), **state(sampler, "sampler."), **state(vocoder, "vocoder.")}
    config = {"kind": "specvqgan", "window_frames": window_frames, "codec": codec.config, "sampler": sampler.config,
              "vocoder": vocoder.config, **(pin or {})}
    if onsets is not None:
        tensors.update(state(onsets, "onsets."))
        config["onsets"] = {**onsets.config, "threshold": threshold}
    if draft is not None:
        tensors.update(state(draft, "vocoder_draft."))
        config["vocoder_draft"] = draft.config
    return tensors, config


def card(title, purpose, data, training, metrics, architecture):
    lines = [f"# {title}", "", purpose, "", "## Data", data, "", "## Training", training, "",
             "## Metrics", *[f"- {k}: {v:.4f}" if isinstance(v, float) else f"- {k}: {v}" for k, v in metrics.items()], "",
             "## Architecture", architecture, "",
             "## Attribution",
             "Trained by this repository's code (Training/) on the FoleyWorld corpus it builds from recorded",
             "effects in Debian packages (see CREDITS.md). No pretrained weights or outside data were used.",
             f"Exported {time.strftime('%Y-%m-%d')} from commit {_commit()}.", ""]
    return "\n".join(lines)


def export_encoders(venc, aenc, head, out, metrics, counts, framing="centre-crop"):
    venc.eval(); aenc.eval(); head.eval()
    framed = "centre-cropped to 64×64" if framing == "centre-crop" else "scaled whole to 64×64 (aspect not kept)"
    data = (f"FoleyWorld clips: {counts['train']} train / {counts['val']} val / {counts['test']} test, {counts.get('classes', 12)} classes, "
            f"frames at 21.53 fps {framed}, normalised 80-band mel.")
    write_bundle("visual-encoder", state(venc), {"kind": "visual-encoder", "feature_dim": 128, "frame_size": 64, "width": 32,
                                                  "rate": 22050 / 256 / 4, "framing": framing},
                 card("Visual encoder (the CAVP role)",
                      "Per-frame CNN plus temporal convolutions: video frames at 21.53 fps → 128-d features at the same rate. "
                      "Shared by every generator as its visual condition.", data,
                      "Contrastive (InfoNCE) against the audio-window encoder; negatives are other clips' audio and the "
                      "same clip's audio shifted by at least 0.5 s; similarity = mean over time of per-step cosine.",
                      metrics, "FrameCNN 3→32→64→128→128 (3×3 stride 2, GroupNorm 8, SiLU) → mean → Linear 128; "
                      "concat(feature, feature change) → Conv1d 256→128 k5 → SiLU → Conv1d 128→128 k3."), out)
    write_bundle("av-sync", {**state(aenc, "audio."), **state(head, "sync.")},
                 {"kind": "av-sync", "feature_dim": 128, "window": 16},
                 card("Audio-window encoder and sync judge",
                      "Scores whether an audio window is in sync with a video window (alignment accuracy in FRIEREN's "
                      "sense). The audio encoder is the visual encoder's contrastive partner.", data,
                      "Audio encoder trained jointly with the visual encoder; sync head trained afterwards on frozen "
                      "features: aligned windows vs the same clip shifted ≥ 0.5 s and other clips.", metrics,
                      "Audio: Conv1d 80→128 k4 s4 → SiLU → Conv1d k5 → SiLU → Conv1d k3. Sync: concat(v, a, v·a) → "
                      "Conv1d 384→128 k3 → SiLU → mean over time → Linear 1."), out)
    # Goldens: deterministic inputs, PyTorch outputs.
    g = torch.Generator().manual_seed(0)
    frames = torch.rand(1, 12, 3, 64, 64, generator=g)
    mel = torch.rand(1, 80, 48, generator=g)
    with torch.no_grad():
        v, a = venc(frames), aenc(mel)
        s = head(v, a)
    os.makedirs(FIXTURES, exist_ok=True)
    safetensors_io.save({"frames": to_numpy(frames), "features": to_numpy(v), "mel": to_numpy(mel),
                         "audio_features": to_numpy(a), "sync_logit": to_numpy(s)},
                        os.path.join(FIXTURES, "encoders_golden.safetensors"))


def export_classifier(model, classes, materials, out, metrics, counts):
    model.eval()
    data = (f"FoleyWorld clips: {counts['train']} train / {counts['val']} val / {counts['test']} test, {len(classes)} classes, "
            f"{len(materials)} materials, normalised 80-band mel.")
    write_bundle("eval-classifier", state(model), {"kind": "eval-classifier", "classes": classes, "materials": materials,
                                                    "feature_dim": 256, "width": 32},
                 card("Evaluation classifier (the Melception role)",
                      "Mel classifier over the corpus classes and materials. Its penultimate features define FD, its "
                      "class probabilities KL, IS and class accuracy in `foley eval`.", data,
                      "Cross-entropy on class and material, random 3 s crops of training clips; evaluated on whole clips.",
                      metrics, "Conv2d 1→32→64→128→256 (3×3, GroupNorm 8, SiLU, max-pool 2) → mean over mel → "
                      "concat(mean, max over time) → Linear 512→256 → SiLU → class and material heads."), out)
    g = torch.Generator().manual_seed(1)
    mel = torch.rand(1, 80, 100, generator=g)
    with torch.no_grad():
        c, m, f = model(mel)
    os.makedirs(FIXTURES, exist_ok=True)
    safetensors_io.save({"mel": to_numpy(mel), "class_logits": to_numpy(c), "material_logits": to_numpy(m), "features": to_numpy(f)},
                        os.path.join(FIXTURES, "classifier_golden.safetensors"))
