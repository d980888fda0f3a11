"""Trains Visual Echoes (foleytrain/visual_echoes.py) in two resumable phases.

  tokenizer    the image tokenizer: an RGB VQGAN on the clips' 64×64 frames (L1, EMA codewords,
               dead-code restarts; no discriminator at this scale), 4 downsamplings → a 4×4 grid
               of codes per frame. Checkpoint DATA/ve-tokenizer.ckpt.
  transformer  the audio-visual masked transformer over the shipped SpecVQGAN codec's tokens
               (Weights/specvqgan: the token space the shipped renderer decodes) and the
               tokenizer's. One window is SpecVQGAN's: 384 mel frames = 24 token columns = 120
               audio tokens, and one frame per column (5.38 fps) = 24 × 16 = 384 visual tokens,
               so the visual sequence follows the picture in time. Checkpoint DATA/ve-transformer.ckpt.

  /usr/bin/python3 Training/train_visual_echoes.py tokenizer --minutes 20
  /usr/bin/python3 Training/train_visual_echoes.py transformer --minutes 40 [--device cuda]
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from foleytrain import safetensors_io                                    # noqa: E402
from foleytrain.bundle import fnv1a                                      # noqa: E402
from foleytrain.dataset import SplitCache                                # noqa: E402
from foleytrain.loop import Checkpoint, Deadline, arguments, log, one_cycle, run, setup, time_cycle, save_or_stop  # noqa: E402
from foleytrain.visual_echoes import VisualEchoes, training_loss         # noqa: E402
from foleytrain.vqgan import VQModel                                     # noqa: E402
from train_sampler import WINDOW, clip_tokens, per_clip_cache           # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLUMNS = WINDOW // 16                                                   # token columns per window (24)
FRAME_STEP = 4                                                           # visual frames (21.53 fps) per token column
TOKENIZER = dict(n_embed=256, embed_dim=32, ch=16, ch_mult=(1, 2, 2, 4, 4), num_res_blocks=1, attn_resolutions=(4,),
                 resolution=64, z_channels=32, in_channels=3)


def tokenizer_model(ema=0.99):
    return VQModel(ema_decay=ema, **TOKENIZER)


def frames_batch(cache, rng, size):
    idx = rng.integers(0, len(cache.frames), size)
    return torch.from_numpy(cache.frames[idx]).float().div(255).permute(0, 3, 1, 2)      # (B, 3, 64, 64)


def train_tokenizer(args, rng, dev):
    train, val = SplitCache(os.path.join(args.data, "train")), SplitCache(os.path.join(args.data, "val"))
    model = tokenizer_model().to(dev)
    codes = TOKENIZER["n_embed"]
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=2e-4, betas=(0.5, 0.9))
    last_seen = torch.zeros(codes, device=dev)
    ckpt = Checkpoint(os.path.join(args.data, "ve-tokenizer.ckpt"), model=model, opt=opt, last_seen=last_seen,
                      ema_count=model.quantize.ema_count, ema_sum=model.quantize.ema_sum)
    start = ckpt.load()
    if "ema_sum" in ckpt.missing:
        model.quantize.resync_ema()
    deadline = Deadline(args.minutes)
    window = []
    for step in range(start, args.steps):
        x = frames_batch(train, rng, args.batch).to(dev)
        z = model.encode_images(x)
        q, qloss, idx = model.quantize(z)
        y = (model.decoder(model.post_quant_conv(q)) + 1) / 2
        loss = (y - x).abs().mean() + qloss
        opt.zero_grad()
        loss.backward()
        opt.step()
        counts = model.quantize.restart_dead(z, idx, last_seen, step)
        window.append((y - x).abs().mean().item())
        if step % 50 == 0:
            log(f"tokenizer step {step} L1 {np.mean(window):.4f} codes used {int((counts > 0).sum())}/{codes}")
            window = []
        if save_or_stop(ckpt, step, args.steps, args.save_every, deadline):
            break
    model.eval()
    with torch.no_grad():
        x = frames_batch(val, np.random.default_rng(1), 256).to(dev)        # the same 256 frames every run
        q, _, idx = model.quantize(model.encode_images(x))
        y = (model.decoder(model.post_quant_conv(q)) + 1) / 2
        log(f"tokenizer val L1 {(y - x).abs().mean().item():.4f} on 256 frames, codes used {len(torch.unique(idx))}/{codes}")


def load_tokenizer(data, dev):
    state = torch.load(os.path.join(data, "ve-tokenizer.ckpt"), map_location="cpu")
    model = tokenizer_model(ema=None)
    model.load_state_dict(state["model"])
    return model.eval().to(dev), state["step"]


SPECVQGAN = os.path.join(ROOT, "Weights", "specvqgan")


def codec_tokens_path(data, split):
    """The split's codec-token cache, named by the shipped codec's weights hash: retraining
    SpecVQGAN makes a new cache instead of silently reusing the old token space."""
    return os.path.join(data, split, f"codec-tokens-{fnv1a(os.path.join(SPECVQGAN, 'weights.safetensors'))[:12]}.npz")


def shipped_codec(dev):
    """SpecVQGAN's codec as shipped (codec.* of Weights/specvqgan): the token space the
    shipped renderer decodes."""
    folder = SPECVQGAN
    config = json.load(open(os.path.join(folder, "config.json")))["codec"]
    codec = VQModel(**config)
    tensors, _ = safetensors_io.load(os.path.join(folder, "weights.safetensors"))
    codec.load_state_dict({k[len("codec."):]: torch.from_numpy(v.astype(np.float32)) for k, v in tensors.items() if k.startswith("codec.")})
    return codec.eval().to(dev), config


@torch.no_grad()
def visual_tokens(cache, tokenizer, path, dev):
    """Every clip's visual tokens [sum frames, 16], one frame per token column (every 4th visual frame)."""
    def one(i):
        f = cache.clip_frames(i)[::FRAME_STEP]
        out = []
        for s in range(0, len(f), 128):
            x = torch.from_numpy(f[s:s + 128]).float().div(255).permute(0, 3, 1, 2).to(dev)
            out.append(tokenizer.image_tokens(x).cpu().numpy().astype(np.int16))
        return np.concatenate(out)
    return per_clip_cache(path, "tokens", len(cache), one)


def windows(audio, a_off, visual, v_off, rng, size):
    """Random windows: 24 token columns (120 audio tokens, column-major) and their 24 frames' codes."""
    a_out, v_out = [], []
    for _ in range(size):
        i = int(rng.integers(len(a_off) - 1))
        a, v = audio[:, a_off[i]:a_off[i + 1]], visual[v_off[i]:v_off[i + 1]]
        start = int(rng.integers(0, max(1, min(a.shape[1], len(v)) - COLUMNS + 1)))
        w, f = a[:, start:start + COLUMNS], v[start:start + COLUMNS]
        if w.shape[1] < COLUMNS:
            w = np.concatenate([w, np.repeat(w[:, -1:], COLUMNS - w.shape[1], axis=1)], axis=1)
        if len(f) < COLUMNS:
            f = np.concatenate([f, np.repeat(f[-1:], COLUMNS - len(f), axis=0)])
        a_out.append(w.T.reshape(-1))
        v_out.append(f.reshape(-1))
    return torch.from_numpy(np.stack(a_out).astype(np.int64)), torch.from_numpy(np.stack(v_out).astype(np.int64))


def train_transformer(args, rng, dev):
    splits = {s: SplitCache(os.path.join(args.data, s)) for s in ("train", "val")}
    codec, codec_config = shipped_codec(dev)
    tokenizer, tok_step = load_tokenizer(args.data, dev)
    audio = {s: clip_tokens(c, codec, codec_tokens_path(args.data, s), dev) for s, c in splits.items()}
    visual = {s: visual_tokens(c, tokenizer, os.path.join(args.data, s, f"ve-visual-tokens-{tok_step}.npz"), dev) for s, c in splits.items()}
    grid = tokenizer.image_tokens(torch.zeros(1, 3, 64, 64, device=dev)).shape[1]
    model = VisualEchoes(codec_config["n_embed"], TOKENIZER["n_embed"], 5 * COLUMNS, grid * COLUMNS, width=args.width,
                         layers=args.layers, heads=args.heads, dec_width=args.width, dec_layers=args.dec_layers,
                         dec_heads=args.heads, dropout=args.dropout).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, betas=(0.9, 0.95), weight_decay=0.05)
    ckpt = Checkpoint(os.path.join(args.data, "ve-transformer.ckpt"), model=model, opt=opt)
    start = ckpt.load()
    deadline = Deadline(args.minutes)
    sched = time_cycle(opt, deadline, args.max_lr) if args.minutes else one_cycle(opt, args.steps, start, max_lr=args.max_lr)
    gen = torch.Generator().manual_seed(int(rng.integers(1 << 31)))

    def step_loss():
        a, v = windows(*audio["train"], *visual["train"], rng, args.batch)
        return training_loss(model, a.to(dev), v.to(dev), rng, gen, mean=args.mask_mean)[0]

    losses = run(step_loss, opt, sched, ckpt, start, args.steps, args.save_every, deadline=deadline)
    model.eval()
    with torch.no_grad():
        vr = np.random.default_rng(1)
        a, v = windows(*audio["val"], *visual["val"], vr, 64)
        loss, la, lv = training_loss(model, a.to(dev), v.to(dev), np.random.default_rng(2), torch.Generator().manual_seed(2))
    log(f"final train loss {np.mean(losses[-50:]):.3f}; val loss audio {la.item():.3f} visual {lv.item():.3f}" if losses else "nothing to do")


def main():
    ap = arguments(steps=20000)
    ap.add_argument("phase", choices=["tokenizer", "transformer"])
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--dec-layers", type=int, default=2)
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--max-lr", type=float, default=6e-4)
    ap.add_argument("--mask-mean", type=float, default=0.7, help="mean of the truncated-Gaussian mask ratio (paper: 0.7)")
    args = ap.parse_args()
    rng, dev = setup(args)
    (train_tokenizer if args.phase == "tokenizer" else train_transformer)(args, rng, dev)


if __name__ == "__main__":
    main()
