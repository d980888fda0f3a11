"""Trains SpecVQGAN's sampler: a GPT over the codec's column-major tokens, conditioned on the
visual encoder's features (1×1 conv, prepended). Needs a trained codec (DATA/codec.ckpt).

A window is 384 mel frames (4.46 s): 96 visual features + 24 × 5 = 120 tokens, block 216.
Resumable: checkpoints to DATA/sampler.ckpt.
  /usr/bin/python3 Training/train_sampler.py --steps 20000 [--device cuda]
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from foleytrain import bundle                                        # noqa: E402
from foleytrain.bundle import encoder_weights, encoders, features_file  # noqa: E402
from foleytrain.dataset import SplitCache                                # noqa: E402
from foleytrain.loop import Checkpoint, Deadline, arguments, log, one_cycle, run, setup, time_cycle  # noqa: E402
from foleytrain.sampler import GPTFeats                                  # noqa: E402
from foleytrain.vqgan import VQModel                                     # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WINDOW = 384                                                             # mel frames


def shipped_visual_encoder():
    """The visual encoder in Weights/ or $FOLEY_ENCODER_WEIGHTS (with its framing and weights
    hash) and its feature width."""
    venc = encoders(encoder_weights())[0]
    return venc, venc.t2.out_channels


def per_clip_cache(path, key, count, compute, axis=0):
    """Per-clip arrays computed once, concatenated along `axis` and saved atomically beside the
    split with their offsets; later calls load them. Returns (array, offsets)."""
    if os.path.exists(path):
        z = np.load(path)
        return z[key], z["offsets"]
    parts = [compute(i) for i in range(count)]
    offsets = np.cumsum([0] + [p.shape[axis] for p in parts])
    whole = np.concatenate(parts, axis=axis)
    np.savez(path + ".tmp.npz", offsets=offsets, **{key: whole})
    os.replace(path + ".tmp.npz", path)
    return whole, offsets


@torch.no_grad()
def clip_features(cache, encoder, path):
    """Visual features of every clip [sum T_v, D], from frames in the encoder's framing, cached
    beside the split under the encoder's weights hash (features of a replaced encoder are
    never read back as the new one's)."""
    cache = cache.framed(getattr(encoder, "framing", "centre-crop"))
    if getattr(encoder, "weights_hash", None):
        path = features_file(os.path.dirname(path), encoder.weights_hash)

    def one(i):
        frames = torch.from_numpy(cache.clip_frames(i)).float().div(255).permute(0, 3, 1, 2)[None]
        return encoder(frames)[0].numpy()
    return per_clip_cache(path, "features", len(cache), one)


@torch.no_grad()
def clip_tokens(cache, codec, path, dev, shift=0):
    """Every clip's codec tokens [5, sum W] (each mel encoded whole, padded to 16 frames),
    cached beside the split under the codec checkpoint's step: encoding per batch cost more
    than the sampler's own step on CPU. `shift` drops the first mel frames (a multiple of 4,
    one visual feature each): the same audio quantised at another phase of the 16-frame
    columns gives other token sequences, the augmentation the sampler trains on."""
    def one(i):
        mel = cache.clip_mel(i)[:, shift:]
        mel = np.pad(mel, ((0, 0), (0, (-mel.shape[1]) % 16)), mode="edge")
        idx = codec.quantize.indices(codec.encode(torch.from_numpy(mel)[None].to(dev)))[0]   # (5, W)
        return idx.cpu().numpy().astype(np.int16)
    return per_clip_cache(path, "tokens", len(cache), one, axis=1)


def batch(tokens, t_off, feats, f_off, rng, size, shifts=None):
    """Random windows: 24 token columns (column-major, 120 tokens) and their 96 features.
    With `shifts` (a list of (tokens, t_off, shift) sets), each window comes from a random set,
    its features starting `shift` / 4 later."""
    columns, rows = WINDOW // 16, 5
    toks, fs = [], []
    for _ in range(size):
        i = int(rng.integers(len(f_off) - 1))
        skip = 0
        if shifts:
            tokens, t_off, shift = shifts[int(rng.integers(len(shifts)))]
            skip = shift // 4
        t, f = tokens[:, t_off[i]:t_off[i + 1]], feats[f_off[i] + skip:f_off[i + 1]]
        start = int(rng.integers(0, max(1, min(t.shape[1], len(f) // 4) - columns + 1)))
        w = t[:, start:start + columns]
        if w.shape[1] < columns:                          # short clip: repeat its last column
            w = np.concatenate([w, np.repeat(w[:, -1:], columns - w.shape[1], axis=1)], axis=1)
        v = f[4 * start:4 * start + WINDOW // 4]
        if len(v) < WINDOW // 4:
            v = np.concatenate([v, np.repeat(v[-1:], WINDOW // 4 - len(v), axis=0)])
        toks.append(w.T.reshape(-1))                      # column-major: all rows of a step, then the next
        fs.append(v)
    return torch.from_numpy(np.stack(toks).astype(np.int64)), torch.from_numpy(np.stack(fs)).float()


@torch.no_grad()
def windows_cross_entropy(model, tokens, t_off, feats, f_off, count=512, seed=1, blind=False):
    """Mean next-token cross-entropy over `count` fixed random windows (the same every call);
    `blind`: with zero features (the unconditional stream of guidance)."""
    was_training = model.training
    model.eval()
    rng, dev, total = np.random.default_rng(seed), next(model.parameters()).device, []
    for start in range(0, count, 64):
        t, f = batch(tokens, t_off, feats, f_off, rng, min(64, count - start))
        total.append(model.loss(t.to(dev), f.to(dev) * (0 if blind else 1)).item())
    model.train(was_training)
    return float(np.mean(total))


def load_codec(data, dev, name="codec.ckpt"):
    state = torch.load(os.path.join(data, name), map_location="cpu")
    codec = VQModel(n_embed=state["model"]["quantize.embedding.weight"].shape[0])
    codec.load_state_dict(state["model"])
    return codec.eval().to(dev), state["step"]


def main():
    ap = arguments(steps=20000)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--dropout", type=float, default=0.0, help="minGPT's embedding, attention and residual dropout")
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--max-lr", type=float, default=6e-4)
    ap.add_argument("--eval-every", type=int, default=0,
                    help="validation cross-entropy every N steps; the best model so far goes to DATA/sampler-best.ckpt")
    ap.add_argument("--uncond", type=float, default=0.0,
                    help="share of windows trained with zero features, for classifier-free guidance (e.g. 0.2)")
    ap.add_argument("--tokens-only", action="store_true", help="encode the train and val token caches, then stop")
    ap.add_argument("--codec-step", type=int,
                    help="use the token caches of this codec step without loading DATA/codec.ckpt (a lent machine)")
    ap.add_argument("--codes", type=int, default=256, help="codebook size, with --codec-step")
    ap.add_argument("--from-bundle", metavar="FOLDER",
                    help="a shipped specvqgan bundle: its codec tokenises (no DATA/codec.ckpt), its sampler is the "
                         "starting point when DATA/sampler.ckpt does not exist yet (retraining on another corpus)")
    ap.add_argument("--shifts", type=int, nargs="*", default=[],
                    help="also train on tokens of the mels shifted by these frames (multiples of 4)")
    args = ap.parse_args()
    rng, dev = setup(args)
    splits = {s: SplitCache(os.path.join(args.data, s)) for s in ("train", "val")}
    base = bundle.load(args.from_bundle) if args.from_bundle else None
    if base is not None:
        codec = base["codec"].to(dev)
        codec_step = "bundle-" + bundle.fnv1a(os.path.join(args.from_bundle, "weights.safetensors"))
        codes = codec.quantize.embedding.num_embeddings
    elif args.codec_step is None:
        codec, codec_step = load_codec(args.data, dev)
        codes = codec.quantize.embedding.num_embeddings
    else:
        codec, codec_step, codes = None, args.codec_step, args.codes
    tokens = {s: clip_tokens(c, codec, os.path.join(args.data, s, f"codec-tokens-{codec_step}.npz"), dev) for s, c in splits.items()}
    assert all(k % 4 == 0 and 0 < k < 16 for k in args.shifts), f"got shifts {args.shifts}, expected multiples of 4 in 4…12"
    shifted = [(*tokens["train"], 0)] + [
        (*clip_tokens(splits["train"], codec, os.path.join(args.data, "train", f"codec-tokens-{codec_step}-s{k}.npz"), dev, k), k)
        for k in args.shifts]
    if args.tokens_only:
        return log(f"token caches of codec step {codec_step} ready")
    encoder, feat_dim = shipped_visual_encoder()
    feats = {s: clip_features(c, encoder, os.path.join(args.data, s, "visual-features.npz")) for s, c in splits.items()}
    model = GPTFeats(codes, WINDOW // 4 + 5 * WINDOW // 16, args.layers, args.heads, args.width, feat_dim, args.dropout).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=args.weight_decay)
    # Kept in the checkpoint so the export knows the sampler can be guided.
    uncond = torch.tensor([args.uncond])
    ckpt = Checkpoint(os.path.join(args.data, "sampler.ckpt"), model=model, opt=opt, uncond=uncond)
    if base is not None and not os.path.exists(ckpt.path):
        shipped = base["sampler"].state_dict()
        got = {k: tuple(v.shape) for k, v in shipped.items()}
        expected = {k: tuple(v.shape) for k, v in model.state_dict().items()}
        assert got == expected, f"{args.from_bundle}: got sampler shapes {got}, expected {expected} (--layers/--width/--heads)"
        model.load_state_dict(shipped)
        log(f"sampler initialised from {args.from_bundle}")
    start = ckpt.load()
    if "uncond" in ckpt.missing:
        uncond.fill_(args.uncond)
    deadline = Deadline(args.minutes)
    sched = (time_cycle(opt, deadline, args.max_lr) if args.minutes else one_cycle(opt, args.steps, start, max_lr=args.max_lr))
    best = [float("inf")]

    def step_loss():
        t, f = batch(*tokens["train"], *feats["train"], rng, args.batch, shifted if args.shifts else None)
        return model.loss(t.to(dev), f.to(dev), uncond.item())

    def evaluate(step):
        if args.eval_every and step % args.eval_every == 0:
            ce = windows_cross_entropy(model, *tokens["val"], *feats["val"])
            blind = f", without the picture {windows_cross_entropy(model, *tokens['val'], *feats['val'], blind=True):.3f}" if uncond.item() else ""
            log(f"step {step} val cross-entropy {ce:.3f}{blind}" + (" (best)" if ce < best[0] else ""))
            if ce < best[0]:
                best[0] = ce
                Checkpoint(os.path.join(args.data, "sampler-best.ckpt"), model=model, uncond=uncond).save(step)

    losses = run(step_loss, opt, sched, ckpt, start, args.steps, args.save_every, deadline=deadline, on_step=evaluate)
    log(f"final cross-entropy {np.mean(losses[-50:]):.3f}" if losses else "nothing to do")


if __name__ == "__main__":
    main()
