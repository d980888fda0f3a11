"""The shipped `specvqgan` bundle read back into PyTorch modules (float16 weights widened to
float32, weight norm already folded): what the bench compares the Swift runtime against, what
a lent GPU's vocoder runs fine-tune beside (the codec), and what re-exports start from when
only one part is retrained."""
import json
import os

import numpy as np
import torch

from . import safetensors_io
from .melgan import Generator
from .onsets import VisualOnsets
from .sampler import GPTFeats
from .torch_util import fold_weight_norm
from .vqgan import VQModel


def fnv1a(path):
    """FNV-1a 64 of a file as 16 hex digits (Swift's ModelBundle.weightsHash)."""
    h = 0xcbf29ce484222325
    for b in open(path, "rb").read():
        h = ((h ^ b) * 0x100000001b3) & ((1 << 64) - 1)
    return f"{h:016x}"


def part(tensors, prefix):
    """The tensors under `prefix`, renamed without it, as float32 torch tensors."""
    return {k[len(prefix):]: torch.from_numpy(v.astype(np.float32)) for k, v in tensors.items() if k.startswith(prefix)}


def vocoder(config, tensors, prefix):
    g = fold_weight_norm(Generator(**config)).eval()
    g.load_state_dict(part(tensors, prefix))
    return g


def load(folder):
    """{"config", "codec", "sampler", "vocoder", and where the bundle has them "vocoder_draft",
    "onsets"}: modules in eval mode."""
    config = json.load(open(os.path.join(folder, "config.json")))
    tensors, _ = safetensors_io.load(os.path.join(folder, "weights.safetensors"))
    s = config["sampler"]
    out = {"config": config}
    out["sampler"] = GPTFeats(s["vocab_size"], s["block_size"], s["n_layer"], s["n_head"], s["n_embd"], s["feat_dim"]).eval()
    out["sampler"].load_state_dict(part(tensors, "sampler."))
    if s.get("uncond"):                                                  # trained for classifier-free guidance
        out["sampler"].config["uncond"] = s["uncond"]
    out["codec"] = VQModel(**config["codec"]).eval()
    out["codec"].load_state_dict(part(tensors, "codec."))
    out["vocoder"] = vocoder(config["vocoder"], tensors, "vocoder.")
    if "vocoder_draft" in config:
        out["vocoder_draft"] = vocoder(config["vocoder_draft"], tensors, "vocoder_draft.")
    if "onsets" in config:
        o = {k: v for k, v in config["onsets"].items() if k != "threshold"}
        out["onsets"] = VisualOnsets(**o).eval()
        out["onsets"].load_state_dict(part(tensors, "onsets."))
    return out


def encoder_weights():
    """The weights folder whose visual encoder generators train on and are pinned to: Weights/,
    or $FOLEY_ENCODER_WEIGHTS (e.g. Weights/foleyworld2, to train a generator on FoleyWorld 2's
    encoder while Weights/ still holds FoleyWorld 1's)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.environ.get("FOLEY_ENCODER_WEIGHTS", os.path.join(root, "Weights"))


def features_file(split_folder, weights_hash):
    """Where a split's visual features from the encoder with `weights_hash` are cached."""
    return os.path.join(split_folder, f"visual-features-{weights_hash}.npz")


def encoders(weights):
    """The shipped visual encoder, audio-window encoder and sync head of a weights folder, in
    eval mode. The visual encoder carries `framing` (how its frames are cut from the picture;
    bundles from before framings existed are centre-crop) and `weights_hash` (what its cached
    features are filed under), so features are computed from the frames it was trained on."""
    from .encoders import AudioWindowEncoder, SyncHead, VisualEncoder
    folder = os.path.join(weights, "visual-encoder")
    config = json.load(open(os.path.join(folder, "config.json")))
    venc = VisualEncoder(width=config["width"], dim=config["feature_dim"])
    v, _ = safetensors_io.load(os.path.join(folder, "weights.safetensors"))
    venc.load_state_dict(part(v, ""))
    venc.framing = config.get("framing", "centre-crop")
    venc.weights_hash = fnv1a(os.path.join(folder, "weights.safetensors"))
    aenc, head = AudioWindowEncoder(dim=config["feature_dim"]), SyncHead(dim=config["feature_dim"])
    s, _ = safetensors_io.load(os.path.join(weights, "av-sync", "weights.safetensors"))
    aenc.load_state_dict(part(s, "audio."))
    head.load_state_dict(part(s, "sync."))
    return venc.eval(), aenc.eval(), head.eval()
