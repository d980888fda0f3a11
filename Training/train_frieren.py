"""Trains FRIEREN (foleytrain/frieren.py) in resumable phases, each checkpointing beside the corpus.

  vae      the shared 1-D mel VAE (foleytrain/mel_vae.py): L1 on the normalised mel, a small
           KL weight, and a patch critic's hinge term from --disc-start on. At the end the
           latent scale (1 / std of the train latents' means) is stored so the flow sees unit
           variance. DATA/frieren-vae.ckpt.
  flow     the vector-field estimator on the VAE's latents (means × scale) of 384-frame windows
           (192 latent frames, 96 visual features length-regulated ×2): the re-weighted RFM
           loss, condition dropped for 20% of the batch. DATA/frieren-flow.ckpt.
  pairs    reflow data: for --pairs training windows, noise and the flow's 25-step guided Euler
           sample (v_cfg, the paper's §3.5). DATA/frieren-pairs.npz (resumable by count).
  reflow   the estimator retrained on the pairs (initialised from flow). DATA/frieren-reflow.ckpt.
  distill  one-step: x0 + v_cfg(x0, 0) regressed on the pair's sample (from reflow). DATA/frieren-onestep.ckpt.

  /usr/bin/python3 Training/train_frieren.py vae --minutes 15
  /usr/bin/python3 Training/train_frieren.py flow --minutes 45 [--device cuda]
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from foleytrain import flow                                              # noqa: E402
from foleytrain.dataset import SplitCache                                # noqa: E402
from foleytrain.frieren import Estimator, regulate                       # noqa: E402
from foleytrain.loop import Checkpoint, Deadline, arguments, log, one_cycle, run, save_or_stop, setup, time_cycle  # noqa: E402
from foleytrain.mel_vae import MelCritic, MelVAE                         # noqa: E402
from train_sampler import WINDOW, clip_features, per_clip_cache, shipped_visual_encoder  # noqa: E402

LATENT = WINDOW // 2                                                     # latent frames per window (192)
FEATURES = WINDOW // 4                                                   # visual features per window (96)
VAE = dict(mels=80, ch=64, mult=(1, 2, 4), z=20, groups=32)
CROP = 128                                                               # mel frames per VAE training crop (1.5 s)
GUIDANCE = 4.5


def mel_crops(cache, rng, size, frames=CROP):
    out = []
    for _ in range(size):
        m = cache.clip_mel(int(rng.integers(len(cache))))
        if m.shape[1] < frames:
            m = np.pad(m, ((0, 0), (0, frames - m.shape[1])), mode="edge")
        s = int(rng.integers(0, m.shape[1] - frames + 1))
        out.append(m[:, s:s + frames])
    return torch.from_numpy(np.stack(out))


def train_vae(args, rng, dev):
    train = SplitCache(os.path.join(args.data, "train"))
    vae, critic = MelVAE(**VAE).to(dev), MelCritic().to(dev)
    opt = torch.optim.Adam(vae.parameters(), lr=args.lr, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(critic.parameters(), lr=args.lr, betas=(0.5, 0.9))
    scale = torch.ones(1)
    ckpt = Checkpoint(os.path.join(args.data, "frieren-vae.ckpt"), model=vae, critic=critic, opt=opt, opt_d=opt_d, scale=scale)
    start = ckpt.load()
    deadline = Deadline(args.minutes)
    gen = torch.Generator(device=dev).manual_seed(int(rng.integers(1 << 31)))
    window, done = [], start
    for step in range(start, args.steps):
        done = step + 1
        x = mel_crops(train, rng, args.batch).to(dev)
        y, kl = vae(x, gen)
        rec = (y - x).abs().mean()
        loss = rec + args.kl * kl
        adversarial = step >= args.disc_start
        if adversarial:
            loss = loss + args.adv * F.relu(1 - critic(y)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if adversarial:
            d = F.relu(1 - critic(x)).mean() + F.relu(1 + critic(y.detach())).mean()
            opt_d.zero_grad()
            d.backward()
            opt_d.step()
        window.append(rec.item())
        if step % 50 == 0:
            log(f"vae step {step} L1 {np.mean(window):.4f} KL {kl.item():.3f}" + (" (critic on)" if adversarial else ""))
            window = []
        if save_or_stop(ckpt, step, args.steps, args.save_every, deadline):
            break
    vae.eval()
    val = SplitCache(os.path.join(args.data, "val"))                      # read at the end: a corpus may still be building it
    with torch.no_grad():
        x = mel_crops(val, np.random.default_rng(1), 64).to(dev)          # the same 64 crops every run
        mean, _ = vae.moments(x)
        log(f"vae val L1 {(vae.dec(mean) - x).abs().mean().item():.4f} on 64 crops (decoded from the mean)")
        means = torch.cat([vae.moments(mel_crops(train, np.random.default_rng(2), 16).to(dev))[0] for _ in range(8)])
        scale.fill_(1 / means.std().item())
    ckpt.save(done)
    log(f"latent scale {scale.item():.4f}")


def load_vae(data, dev):
    state = torch.load(os.path.join(data, "frieren-vae.ckpt"), map_location="cpu")
    vae = MelVAE(**VAE)
    vae.load_state_dict(state["model"])
    return vae.eval().to(dev), float(state["scale"]), state["step"]


@torch.no_grad()
def clip_latents(cache, vae, scale, path, dev):
    """Every clip's latent means × scale [z, sum T/2] (each mel padded to an even length)."""
    def one(i):
        m = cache.clip_mel(i)
        m = np.pad(m, ((0, 0), (0, m.shape[1] % 2)), mode="edge")
        return (vae.moments(torch.from_numpy(m)[None].to(dev))[0][0] * scale).cpu().numpy().astype(np.float16)
    return per_clip_cache(path, "latents", len(cache), one, axis=1)


@torch.no_grad()
def silence_latent(vae, scale, dev):
    """The latent frame of silence (a mel at its floor), padding windows past a clip's end."""
    return (vae.moments(torch.zeros(1, 80, 64, device=dev))[0][0, :, 16] * scale).cpu().numpy()


class Windows:
    """Random 384-frame windows: latents (z, 192) and features (96, Dv) from the same instant."""

    def __init__(self, latents, l_off, feats, f_off, silence):
        self.latents, self.l_off, self.feats, self.f_off, self.silence = latents, l_off, feats, f_off, silence

    def draw(self, rng, size):
        xs, cs = [], []
        for _ in range(size):
            i = int(rng.integers(len(self.l_off) - 1))
            lat = self.latents[:, self.l_off[i]:self.l_off[i + 1]].astype(np.float32)
            f = self.feats[self.f_off[i]:self.f_off[i + 1]]
            start = 2 * int(rng.integers(0, max(1, min(lat.shape[1] // 2, len(f)) - FEATURES + 1)))
            x, c = lat[:, start:start + LATENT], f[start // 2:start // 2 + FEATURES]
            if x.shape[1] < LATENT:
                x = np.concatenate([x, np.repeat(self.silence[:, None], LATENT - x.shape[1], axis=1)], axis=1)
            if len(c) < FEATURES:
                c = np.concatenate([c, np.repeat(c[-1:], FEATURES - len(c), axis=0)])
            xs.append(x)
            cs.append(c.T)
        return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(cs).astype(np.float32))


def windows(args, split, dev):
    cache = SplitCache(os.path.join(args.data, split))
    vae, scale, vae_step = load_vae(args.data, dev)
    encoder, _ = shipped_visual_encoder()
    lat = clip_latents(cache, vae, scale, os.path.join(args.data, split, f"frieren-latents-{vae_step}.npz"), dev)
    feats = clip_features(cache, encoder, os.path.join(args.data, split, "visual-features.npz"))
    return Windows(*lat, *feats, silence_latent(vae, scale, dev))


def estimator(args, dev):
    return Estimator(z=VAE["z"], cond=128, length=LATENT, width=args.width, layers=args.layers, heads=args.heads,
                     ffn=3 * args.width, kernel=3, dropout=args.dropout).to(dev)


def velocity(model):
    return lambda x, t, c: model(x, t, regulate(c))


def train_flow(args, rng, dev, name="frieren-flow.ckpt", init=None, pairs=None, one_step=False):
    """The estimator on data (pairs None) or on reflow pairs (noise, sample, features):
    `one_step` regresses x0 + v_cfg(x0, 0) on the sample (distillation)."""
    data = {s: windows(args, s, dev) for s in ("train", "val")}
    model = estimator(args, dev)
    if init:
        model.load_state_dict(torch.load(os.path.join(args.data, init), map_location="cpu")["model"])
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    ckpt = Checkpoint(os.path.join(args.data, name), model=model, opt=opt)
    start = ckpt.load()
    deadline = Deadline(args.minutes)
    sched = time_cycle(opt, deadline, args.lr) if args.minutes else one_cycle(opt, args.steps, start, max_lr=args.lr)
    gen = torch.Generator(device=dev).manual_seed(int(rng.integers(1 << 31)))
    v = velocity(model)

    def step_loss():
        if pairs is None:
            x1, c = data["train"].draw(rng, args.batch)
            return flow.flow_loss(v, x1.to(dev), c.to(dev), gen)
        idx = rng.integers(0, len(pairs["x0"]), args.batch)
        x0, x1, c = (torch.from_numpy(pairs[k][idx]).float().to(dev) for k in ("x0", "x1", "c"))
        b = x0.shape[0]
        t = torch.zeros(b, device=dev) if one_step else flow.logit_normal(b, gen, dev)
        xt = t[:, None, None] * x1 + (1 - t[:, None, None]) * x0
        vc, vu = v(torch.cat([xt, xt]), torch.cat([t, t]), torch.cat([c, torch.zeros_like(c)])).chunk(2)
        guided = GUIDANCE * vc + (1 - GUIDANCE) * vu                         # v_cfg is what is regressed (eq. 8, 9)
        return ((guided - (x1 - x0)) ** 2).mean()

    losses = run(step_loss, opt, sched, ckpt, start, args.steps, args.save_every, deadline=deadline)
    model.eval()
    with torch.no_grad():
        x1, c = data["val"].draw(np.random.default_rng(1), 64)
        val = flow.flow_loss(v, x1.to(dev), c.to(dev), torch.Generator(device=dev).manual_seed(1), drop=0.0)
        blind = flow.flow_loss(v, x1.to(dev), c.to(dev), torch.Generator(device=dev).manual_seed(1), drop=1.0)
    log(f"final train loss {np.mean(losses[-50:]):.4f}; val flow loss {val.item():.4f} with picture, {blind.item():.4f} blind"
        if losses else f"nothing to do; val flow loss {val.item():.4f} with picture, {blind.item():.4f} blind")


@torch.no_grad()
def make_pairs(args, rng, dev):
    """(x0, 25-step guided Euler sample, features) for --pairs training windows, appended in chunks."""
    path = os.path.join(args.data, "frieren-pairs.npz")
    have = dict(np.load(path)) if os.path.exists(path) else {"x0": np.zeros((0, VAE["z"], LATENT), np.float16),
                                                            "x1": np.zeros((0, VAE["z"], LATENT), np.float16),
                                                            "c": np.zeros((0, 128, FEATURES), np.float16)}
    data = windows(args, "train", dev)
    model = estimator(args, dev)
    model.load_state_dict(torch.load(os.path.join(args.data, "frieren-flow.ckpt"), map_location="cpu")["model"])
    model.eval()
    v = velocity(model)
    deadline = Deadline(args.minutes)
    draw = np.random.default_rng(len(have["x0"]) + 7)
    while len(have["x0"]) < args.pairs and not deadline.passed():
        _, c = data.draw(draw, args.batch)
        c = c.to(dev)
        x0 = torch.randn(c.shape[0], VAE["z"], LATENT, device=dev)
        x1 = flow.euler(flow.guided(v, c, GUIDANCE), x0, 25)
        for k, a in (("x0", x0), ("x1", x1), ("c", c)):
            have[k] = np.concatenate([have[k], a.cpu().numpy().astype(np.float16)])
        np.savez(path + ".tmp.npz", **have)
        os.replace(path + ".tmp.npz", path)
        log(f"pairs {len(have['x0'])}/{args.pairs}")


def main():
    ap = arguments(steps=20000)
    ap.add_argument("phase", choices=["vae", "flow", "pairs", "reflow", "distill"])
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--kl", type=float, default=1e-4, help="KL weight (per latent element)")
    ap.add_argument("--adv", type=float, default=0.05, help="weight of the critic's term")
    ap.add_argument("--disc-start", type=int, default=1000)
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--pairs", type=int, default=2000)
    args = ap.parse_args()
    rng, dev = setup(args)
    if args.phase == "vae":
        args.lr = args.lr or 2e-4
        train_vae(args, rng, dev)
    elif args.phase == "flow":
        args.lr = args.lr or 5e-4
        train_flow(args, rng, dev)
    elif args.phase == "pairs":
        make_pairs(args, rng, dev)
    else:
        args.lr = args.lr or 2e-4
        pairs = dict(np.load(os.path.join(args.data, "frieren-pairs.npz")))
        if args.phase == "reflow":
            train_flow(args, rng, dev, "frieren-reflow.ckpt", init="frieren-flow.ckpt", pairs=pairs)
        else:
            train_flow(args, rng, dev, "frieren-onestep.ckpt", init="frieren-reflow.ckpt", pairs=pairs, one_step=True)


if __name__ == "__main__":
    main()
