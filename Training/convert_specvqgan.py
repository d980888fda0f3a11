"""Converts an official SpecVQGAN release into Foley's `specvqgan` bundle.

Inputs, as the official repository (v-iashin/SpecVQGAN) writes them:
  --transformer  the Lightning checkpoint of Net2NetTransformer: `state_dict` with the
                 sampler under `transformer.` (minGPT GPTFeats: tok_emb, pos_emb, blocks.N.*,
                 ln_f, head, embedder = the Conv1d over the visual features) and, usually, the
                 codec under `first_stage_model.` (taming VQModel)
  --codec        the codebook checkpoint (taming VQModel; `loss.*` is dropped), when the
                 transformer checkpoint does not carry `first_stage_model.`
  --vocoder      the MelGAN generator's state dict (descript layout, weight norm as
                 weight_g / weight_v; folded here)
  --config       the transformer's yaml (heads and the window length come from it); without
                 it every size is read from the tensors' shapes and --heads is required.

Every tensor is loaded strictly into Foley's PyTorch modules of the inferred sizes, so a
missing, extra or mis-shaped tensor stops the conversion with its name.
  /usr/bin/python3 Training/convert_specvqgan.py --transformer last.ckpt --vocoder best_netG.pt \\
      --config vggsound_transformer.yaml --out Weights/specvqgan-official
"""
import argparse
import os
import re
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_models import specvqgan_bundle, write_bundle          # noqa: E402
from foleytrain.melgan import Generator                          # noqa: E402
from foleytrain.sampler import GPTFeats                          # noqa: E402
from foleytrain.torch_util import fold_weight_norm               # noqa: E402
from foleytrain.vqgan import VQModel                             # noqa: E402


class ConversionError(Exception):
    pass


def load_state(path):
    if not os.path.exists(path):
        raise ConversionError(f"{path}: no such file")
    try:
        obj = torch.load(path, map_location="cpu")
    except Exception as e:                                       # noqa: BLE001 – torch raises many kinds
        raise ConversionError(f"{path}: not a PyTorch checkpoint ({e})")
    obj = obj.get("state_dict", obj) if isinstance(obj, dict) else obj
    if not isinstance(obj, dict) or not all(torch.is_tensor(v) for v in obj.values()):
        raise ConversionError(f"{path}: got [{type(obj).__name__}], expected [a state dict of tensors]")
    return obj


def subtree(state, prefix):
    return {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}


def folded(state):
    """weight_g / weight_v pairs (or torch 2's parametrizations) → plain `weight` = g·v/‖v‖,
    the norm taken over every dimension but the first (weight_norm's default dim=0)."""
    out = {}
    for k, v in state.items():
        m = re.match(r"(.*)\.(?:weight_g|parametrizations\.weight\.original0)$", k)
        if m:
            g = v
            vv = state.get(m.group(1) + ".weight_v", state.get(m.group(1) + ".parametrizations.weight.original1"))
            if vv is None:
                raise ConversionError(f"vocoder: {k} has no matching weight_v")
            norm = vv.flatten(1).norm(dim=1).reshape(-1, *([1] * (vv.dim() - 1)))
            out[m.group(1) + ".weight"] = g * vv / norm
        elif not re.search(r"\.(weight_v|parametrizations\.weight\.original1)$", k):
            out[k] = v
    return out


def count(state, pattern):
    return len({m.group(1) for k in state for m in [re.match(pattern, k)] if m})


def codec_config(state, yaml_params=None):
    if yaml_params:
        dd = yaml_params["ddconfig"]
        return dict(n_embed=yaml_params["n_embed"], embed_dim=yaml_params["embed_dim"], ch=dd["ch"], ch_mult=list(dd["ch_mult"]),
                    num_res_blocks=dd["num_res_blocks"], attn_resolutions=list(dd["attn_resolutions"]),
                    resolution=dd["resolution"], z_channels=dd["z_channels"])
    n_embed, embed_dim = state["quantize.embedding.weight"].shape
    ch = state["encoder.conv_in.weight"].shape[0]
    levels = count(state, r"encoder\.down\.(\d+)\.")
    ch_mult = [state[f"encoder.down.{i}.block.0.conv1.weight"].shape[0] // ch for i in range(levels)]
    # Only which levels attend matters; any resolution halving cleanly level by level will do.
    resolution = 2 ** (levels - 1) * 53
    attn = [resolution // 2 ** i for i in range(levels) if f"encoder.down.{i}.attn.0.q.weight" in state]
    return dict(n_embed=n_embed, embed_dim=embed_dim, ch=ch, ch_mult=ch_mult, num_res_blocks=count(state, r"encoder\.down\.0\.block\.(\d+)\."),
                attn_resolutions=attn, resolution=resolution, z_channels=state["encoder.conv_out.weight"].shape[0])


def sampler_config(state, heads):
    vocab, width = state["tok_emb.weight"].shape
    return dict(vocab_size=vocab, block_size=state["pos_emb"].shape[1], layers=count(state, r"blocks\.(\d+)\."), heads=heads,
                width=width, feat_dim=state["embedder.weight"].shape[1])


def vocoder_config(state):
    convs = sorted(int(m.group(1)) for k in state for m in [re.match(r"model\.(\d+)\.weight$", k)] if m)
    first, last, ups = convs[0], convs[-1], convs[1:-1]
    ratios = [state[f"model.{i}.weight"].shape[2] // 2 for i in ups]
    blocks = count(state, r"model\.(\d+)\.shortcut\.")
    return dict(mels=state[f"model.{first}.weight"].shape[1], ngf=state[f"model.{last}.weight"].shape[1],
                n_residual_layers=blocks // max(1, len(ratios)), ratios=ratios)


def strict_load(module, state, what):
    result = module.load_state_dict(state, strict=False)
    problems = [f"missing {k}" for k in result.missing_keys] + [f"unexpected {k}" for k in result.unexpected_keys]
    if problems:
        raise ConversionError(f"{what}: " + "; ".join(problems[:6]) + (" …" if len(problems) > 6 else ""))
    return module.eval()


def convert(transformer, vocoder, codec=None, config=None, heads=None, window_frames=None):
    """The three official checkpoints → (codec, sampler, vocoder) PyTorch modules and the window."""
    yaml_cfg = None
    if config:
        import yaml
        yaml_cfg = yaml.safe_load(open(config))["model"]["params"]
    t_state = load_state(transformer)
    sampler_state = {k: v for k, v in subtree(t_state, "transformer.").items() if not k.endswith(".attn.mask")}
    if not sampler_state:
        raise ConversionError(f"{transformer}: got no 'transformer.' tensors, expected [the GPTFeats sampler]")
    codec_state = subtree(t_state, "first_stage_model.")
    if codec:
        codec_state = load_state(codec)
    if not codec_state:
        raise ConversionError(f"{transformer}: got no 'first_stage_model.' tensors; give the codebook checkpoint with --codec")
    codec_state = {k: v for k, v in codec_state.items() if not k.startswith("loss.")}
    if yaml_cfg:
        gpt = yaml_cfg["transformer_config"]["params"]["GPT_config"]
        heads = heads or gpt["n_head"]
        window_frames = window_frames or 16 * yaml_cfg["first_stage_permuter_config"]["params"]["W"]
    if not heads:
        raise ConversionError("the number of attention heads is not in the tensors: give --config or --heads")
    c_cfg = codec_config(codec_state, yaml_cfg["first_stage_config"]["params"] if yaml_cfg else None)
    s_cfg = sampler_config(sampler_state, heads)
    if s_cfg["width"] % heads:
        raise ConversionError(f"got [{heads} heads], expected [a divisor of the width {s_cfg['width']}]")
    # A window of F frames holds F/4 visual features and 5·F/16 tokens: block = 9·F/16.
    window_frames = window_frames or 16 * (s_cfg["block_size"] // 9)
    v_state = folded(load_state(vocoder))
    c = strict_load(VQModel(**c_cfg), codec_state, "codec")
    s = strict_load(GPTFeats(**s_cfg), sampler_state, "sampler")
    v = strict_load(fold_weight_norm(Generator(**vocoder_config(v_state))), v_state, "vocoder")
    need = window_frames // 4 + window_frames // 16 * 5
    if need > s_cfg["block_size"]:
        raise ConversionError(f"got [block_size {s_cfg['block_size']}], expected [≥ {need} for {window_frames}-frame windows]")
    return c, s, v, window_frames


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--transformer", required=True)
    ap.add_argument("--vocoder", required=True)
    ap.add_argument("--codec")
    ap.add_argument("--config")
    ap.add_argument("--heads", type=int)
    ap.add_argument("--window-frames", type=int, help="mel frames per window (default: from --config, else the block size)")
    ap.add_argument("--out", required=True, help="bundle folder to write (its name is the generator's name)")
    args = ap.parse_args()
    try:
        codec, sampler, vocoder, window = convert(args.transformer, args.vocoder, args.codec, args.config, args.heads, args.window_frames)
    except ConversionError as e:
        sys.exit(f"convert_specvqgan: {e}")
    tensors, config = specvqgan_bundle(codec, sampler, vocoder, window)
    card = (f"# {os.path.basename(args.out)}\n\nConverted from an official SpecVQGAN release by Training/convert_specvqgan.py.\n\n"
            f"- transformer: {args.transformer}\n- codec: {args.codec or 'first_stage_model. of the transformer checkpoint'}\n"
            f"- vocoder: {args.vocoder}\n- window: {window} mel frames; visual features {config['sampler']['feat_dim']}-d\n")
    write_bundle(os.path.basename(os.path.normpath(args.out)), tensors, config, card, os.path.dirname(os.path.abspath(args.out)))
    print(f"wrote {args.out}: {len(tensors)} tensors, {sum(t.size for t in tensors.values()) / 1e6:.1f} M parameters")


if __name__ == "__main__":
    main()
