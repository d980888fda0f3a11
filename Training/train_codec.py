"""Trains the spectrogram VQGAN (SpecVQGAN's codec) on FoleyWorld mels.

Loss (the paper's, section 3.1): L1 reconstruction + a perceptual term on the evaluation
classifier's activations (the LPAPS role, frozen) + codebook/commitment (β = 0.25) + a
patch discriminator (hinge) switched on after a warm-up, weighted adaptively against the
reconstruction gradient at the decoder's last layer. Dead codewords are restarted from
recent encoder outputs so the codebook does not collapse; usage is logged.

Resumable: checkpoints to DATA/codec.ckpt every --save-every steps.
  /usr/bin/python3 Training/train_codec.py --steps 20000 [--crop 128] [--device cuda]
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from foleytrain import safetensors_io                                    # noqa: E402
from foleytrain.dataset import SplitCache                                # noqa: E402
from foleytrain.encoders import MelClassifier                            # noqa: E402
from foleytrain.loop import Checkpoint, Deadline, arguments, log, setup, save_or_stop            # noqa: E402
from foleytrain.vqgan import PatchDiscriminator, VQModel                 # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def frozen_classifier(device):
    """The shipped evaluation classifier, frozen: its conv activations are the perceptual space."""
    import json
    folder = os.path.join(ROOT, "Weights", "eval-classifier")
    config = json.load(open(os.path.join(folder, "config.json")))
    model = MelClassifier(len(config["classes"]), len(config["materials"]), width=config["width"])
    tensors, _ = safetensors_io.load(os.path.join(folder, "weights.safetensors"))
    model.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in tensors.items()})
    for p in model.parameters():
        p.requires_grad_(False)
    return model.eval().to(device)


def perceptual(classifier, a, b):
    """Mean squared distance of channel-normalised activations after each conv block."""
    x, y, total = a.unsqueeze(1) * 2 - 1, b.unsqueeze(1) * 2 - 1, 0.0
    for conv, norm in zip(classifier.convs, classifier.norms):
        x, y = F.max_pool2d(F.silu(norm(conv(x))), 2), F.max_pool2d(F.silu(norm(conv(y))), 2)
        nx = x / (x.pow(2).sum(1, keepdim=True).sqrt() + 1e-8)
        ny = y / (y.pow(2).sum(1, keepdim=True).sqrt() + 1e-8)
        total = total + (nx - ny).pow(2).sum(1).mean()
    return total


def crops(cache, rng, batch, length):
    out = np.zeros((batch, 80, length), np.float32)
    for b in range(batch):
        mel = cache.clip_mel(int(rng.integers(len(cache))))
        start = int(rng.integers(0, max(1, mel.shape[1] - length + 1)))
        piece = mel[:, start:start + length]
        out[b, :, :piece.shape[1]] = piece
    return torch.from_numpy(out)


def adaptive_weight(rec, gan, last):
    g_rec = torch.autograd.grad(rec, last, retain_graph=True)[0]
    g_gan = torch.autograd.grad(gan, last, retain_graph=True)[0]
    return (g_rec.norm() / (g_gan.norm() + 1e-4)).clamp(0, 1e4).detach()


def main():
    ap = arguments(steps=20000)
    ap.add_argument("--crop", type=int, default=128, help="mel frames per training crop (multiple of 16)")
    ap.add_argument("--disc-start", type=int, default=3000)
    ap.add_argument("--disc-after", type=float, help="or switch the discriminator on after this many minutes (with --minutes)")
    ap.add_argument("--codes", type=int, default=256)
    # taming scales 4.5e-6 by the batch size (≈ 4e-5 at 8); 4.5e-4 made the VQ loss climb.
    ap.add_argument("--lr", type=float, default=1e-4)
    # With gradient-learned codewords the VQ loss climbed as the latent grew; EMA codewords
    # follow the encoder (0 = the paper's codebook loss).
    ap.add_argument("--ema", type=float, default=0.99)
    args = ap.parse_args()
    rng, dev = setup(args)
    train, val = SplitCache(os.path.join(args.data, "train")), SplitCache(os.path.join(args.data, "val"))
    model = VQModel(n_embed=args.codes, ema_decay=args.ema or None).to(dev)
    disc = PatchDiscriminator().to(dev)
    classifier = frozen_classifier(dev)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=args.lr, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(disc.parameters(), lr=args.lr, betas=(0.5, 0.9))
    last_seen = torch.zeros(args.codes, device=dev)                     # step each codeword was last picked
    # The EMA statistics are not in the model's state_dict (the exported layout has only the
    # codewords), so the checkpoint carries them beside it.
    ema = dict(ema_count=model.quantize.ema_count, ema_sum=model.quantize.ema_sum) if args.ema else {}
    # The step the discriminator came on (-1: not yet), for the card; with --disc-after it
    # depends on the machine's speed.
    disc_from = torch.tensor([args.disc_start])
    ckpt = Checkpoint(os.path.join(args.data, "codec.ckpt"), model=model, disc=disc, opt=opt, opt_d=opt_d, last_seen=last_seen,
                      disc_from=disc_from, **ema)
    start = ckpt.load()
    deadline = Deadline(args.minutes)
    if start == 0 or "disc_from" in ckpt.missing or disc_from.item() < 0:
        disc_from.fill_(-1 if args.disc_after is not None else args.disc_start)
    if args.ema and "ema_sum" in ckpt.missing:
        model.quantize.resync_ema()
    if "last_seen" in ckpt.missing:
        last_seen.fill_(start)
    last = model.decoder.conv_out.weight
    window, seen = [], torch.zeros(args.codes, dtype=torch.bool, device=dev)
    for step in range(start, args.steps):
        if disc_from.item() < 0 and deadline.elapsed() >= args.disc_after:
            disc_from.fill_(step)
            log(f"discriminator on from step {step}")
        gan_on = 0 <= disc_from.item() <= step
        x = crops(train, rng, args.batch, args.crop).to(dev)
        z = model.encode(x)
        q, qloss, idx = model.quantize(z)
        y = model.decode_code(q)
        rec = (y - x).abs().mean() + perceptual(classifier, y, x)
        loss = rec + qloss
        if gan_on:
            gan = -disc(y).mean()
            loss = loss + 0.8 * adaptive_weight(rec, gan, last) * gan
        opt.zero_grad()
        loss.backward()
        opt.step()
        if gan_on:
            real, fake = disc(x), disc(y.detach())
            d_loss = 0.5 * (F.relu(1 - real).mean() + F.relu(1 + fake).mean())
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
        seen |= model.quantize.restart_dead(z, idx, last_seen, step) > 0
        window.append(((y - x).abs().mean().item(), qloss.item()))
        if step % 25 == 0:
            l1, ql = np.mean(window, axis=0)
            window = []
            log(f"step {step} L1 {l1:.4f} vq {ql:.4f} codes used in the last 25 batches {int(seen.sum())}/{args.codes}")
            seen.zero_()
        if save_or_stop(ckpt, step, args.steps, args.save_every, deadline):
            break
    model.eval()
    with torch.no_grad():
        l1, used, rng = [], set(), np.random.default_rng(1)          # the same 256 crops every run
        for _ in range(16):
            x = crops(val, rng, 16, args.crop).to(dev)
            y, _, idx = model(x)
            l1.append((y - x).abs().mean().item())
            used |= set(torch.unique(idx).tolist())
        log(f"val L1 {np.mean(l1):.4f} over 256 crops, codes used {len(used)}/{args.codes}")


if __name__ == "__main__":
    main()
