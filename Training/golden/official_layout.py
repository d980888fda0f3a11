"""Randomly initialised SpecVQGAN checkpoints in the official release's layout, converted with
Training/convert_specvqgan.py, plus what PyTorch makes of them, for the Swift side to match.

Writes into DIR:
  transformer.ckpt   Lightning-style {"state_dict": first_stage_model.* + transformer.*} with the
                     attention masks minGPT saves, and the codec's loss.* tensors the converter drops
  netG.pt            MelGAN generator with weight norm unfolded (weight_g / weight_v)
  transformer.yaml   the official config's fields (GPT_config, first_stage_config, permuter)
  bundle/            the converted Foley bundle
  expected.safetensors  features, PyTorch's greedy tokens from them (and, for --size tiny, the
                     codec's mel of a whole window of tokens and the vocoder's waveform)

  /usr/bin/python3 Training/golden/official_layout.py DIR [--size tiny|official] [--tokens N]
--size official is the paper's model: codebook 1024×256, 24 layers, 16 heads, width 1024,
2048-d features, 848-frame windows (about 1.6 GB; minutes on one core)."""
import argparse
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from foleytrain import safetensors_io                    # noqa: E402
from foleytrain.melgan import Generator                   # noqa: E402
from foleytrain.sampler import GPTFeats                   # noqa: E402
from foleytrain.torch_util import single_thread, to_numpy  # noqa: E402
from foleytrain.vqgan import VQModel                      # noqa: E402

SIZES = {
    "tiny": dict(codec=dict(n_embed=32, embed_dim=8, ch=8, ch_mult=[1, 1, 2, 2, 4], num_res_blocks=2, attn_resolutions=[4],
                            resolution=64, z_channels=8),
                 gpt=dict(vocab_size=32, block_size=36, n_layer=2, n_head=2, n_embd=32), feat=24, W=4,
                 vocoder=dict(ngf=4, n_residual_layers=2)),
    "official": dict(codec=dict(n_embed=1024, embed_dim=256, ch=128, ch_mult=[1, 1, 2, 2, 4], num_res_blocks=2,
                                attn_resolutions=[53], resolution=848, z_channels=256),
                     gpt=dict(vocab_size=1024, block_size=477, n_layer=24, n_head=16, n_embd=1024), feat=2048, W=53,
                     vocoder=dict(ngf=32, n_residual_layers=3)),
}


def models(size):
    s = SIZES[size]
    codec = VQModel(**s["codec"]).eval()
    codec.quantize.embedding.weight.data.normal_(0, 1)   # spread codewords: no knife-edge ties
    g = s["gpt"]
    sampler = GPTFeats(g["vocab_size"], g["block_size"], g["n_layer"], g["n_head"], g["n_embd"], s["feat"]).eval()
    for p in sampler.parameters():                       # minGPT's init (std 0.02) gives near-uniform logits
        p.data.normal_(0, 0.1 if p.dim() > 1 else 0.02)
    vocoder = Generator(**s["vocoder"]).eval()
    for name, p in vocoder.named_parameters():           # g ≠ ‖v‖ so folding is exercised
        if name.endswith("weight_g"):
            p.data.mul_(torch.rand_like(p) + 0.5)
    return codec, sampler, vocoder


def write_official(folder, size, codec, sampler, vocoder):
    s = SIZES[size]
    state = {"first_stage_model." + k: v for k, v in codec.state_dict().items()}
    state["first_stage_model.loss.discriminator.main.0.weight"] = torch.zeros(4, 1, 4, 4)  # a codebook run's leftovers
    state.update({"transformer." + k: v for k, v in sampler.state_dict().items()})
    b = s["gpt"]["block_size"]
    for i in range(s["gpt"]["n_layer"]):                 # official minGPT keeps its masks in the state dict
        state[f"transformer.blocks.{i}.attn.mask"] = torch.tril(torch.ones(b, b)).view(1, 1, b, b)
    torch.save({"state_dict": state, "epoch": 0, "global_step": 0}, os.path.join(folder, "transformer.ckpt"))
    torch.save(vocoder.state_dict(), os.path.join(folder, "netG.pt"))
    g = s["gpt"]
    with open(os.path.join(folder, "transformer.yaml"), "w") as f:
        c = s["codec"]
        f.write(f"""model:
  target: specvqgan.models.cond_transformer.Net2NetTransformer
  params:
    cond_stage_key: feature
    transformer_config:
      target: specvqgan.modules.transformer.mingpt.GPTFeats
      params:
        feat_embedding_config:
          target: torch.nn.Conv1d
          params: {{in_channels: {s['feat']}, out_channels: {g['n_embd']}, kernel_size: 1, padding: 0}}
        GPT_config: {{vocab_size: {g['vocab_size']}, block_size: {b}, n_layer: {g['n_layer']}, n_head: {g['n_head']}, n_embd: {g['n_embd']}}}
    first_stage_permuter_config:
      target: specvqgan.modules.transformer.permuter.ColumnMajor
      params: {{H: 5, W: {s['W']}}}
    first_stage_config:
      target: specvqgan.models.vqgan.VQModel
      params:
        embed_dim: {c['embed_dim']}
        n_embed: {c['n_embed']}
        ddconfig: {{double_z: false, z_channels: {c['z_channels']}, resolution: {c['resolution']}, in_channels: 1, out_ch: 1,
                   ch: {c['ch']}, ch_mult: {c['ch_mult']}, num_res_blocks: {c['num_res_blocks']},
                   attn_resolutions: {c['attn_resolutions']}, dropout: 0.0}}
""")


@torch.no_grad()
def greedy(sampler, feats, count):
    """PyTorch's greedy continuation from the features alone (no cache: the plain forward)."""
    tokens = torch.zeros(1, 0, dtype=torch.long)
    for _ in range(count):
        logits = sampler.forward_feats(tokens, feats)[:, -1]
        tokens = torch.cat([tokens, logits.argmax(-1, keepdim=True)], dim=1)
    return tokens


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--size", choices=sorted(SIZES), default="tiny")
    ap.add_argument("--tokens", type=int, help="greedy tokens to compare (default: a whole window for tiny, 16 official)")
    args = ap.parse_args()
    single_thread()
    torch.manual_seed(11)
    os.makedirs(args.folder, exist_ok=True)
    codec, sampler, vocoder = models(args.size)
    write_official(args.folder, args.size, codec, sampler, vocoder)
    f = args.folder
    subprocess.run([sys.executable, os.path.join(HERE, "..", "convert_specvqgan.py"), "--transformer", f"{f}/transformer.ckpt",
                    "--vocoder", f"{f}/netG.pt", "--config", f"{f}/transformer.yaml", "--out", f"{f}/bundle"], check=True)
    s = SIZES[args.size]
    window_tokens = 5 * s["W"]
    feats = torch.randn(1, 4 * s["W"], s["feat"], generator=torch.Generator().manual_seed(5))
    n = args.tokens or (window_tokens if args.size == "tiny" else 16)
    tokens = greedy(sampler, feats, n)
    out = {"features": to_numpy(feats[0]), "tokens": to_numpy(tokens[0].float())}
    if n == window_tokens:
        from foleytrain.torch_util import fold_weight_norm
        with torch.no_grad():
            mel = codec.decode_tokens(tokens)
            out.update(mel=to_numpy(mel[0]), waveform=to_numpy(fold_weight_norm(vocoder)(mel)[0, 0]))
    safetensors_io.save(out, os.path.join(f, "expected.safetensors"))
    print("greedy tokens", tokens[0].tolist()[:12], "…")


if __name__ == "__main__":
    main()
