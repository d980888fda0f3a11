"""Trains the shared full-band renderer (foleytrain/fullband.py): our 80-band mel → 44.1 kHz.

Data: the corpus recordings themselves at their own full band (train split, only those
recorded at 44.1 kHz or more: a lower-rate file has no upper band to learn). Each segment's
mel is computed the corpus way from its 22.05 kHz copy (a symmetric low-pass and every other
sample, so mel frame i stays centred on 44.1 kHz sample 512·i); levels vary and a second
recording is mixed in for a share of the segments, as the corpus mixes do.

Loss: 45 × L1 of full-band log mels (0–22.05 kHz, 128 bands) + the multi-resolution spectral
term + hinge GAN with feature matching over the multi-scale waveform discriminator of
foleytrain/melgan.py. None of these networks or front ends is the evaluation's (its embedding, the
classifier). Resumable: checkpoints to DATA/fullband.ckpt.
  /usr/bin/python3 Training/train_fullband.py --steps 20000 [--minutes 60] [--device cuda]
  … --codec-bundle Weights/specvqgan   (resume, fine-tuning on the codec's decoded mels for half the batches)
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import sources                                                           # noqa: E402
from foleytrain import audio, fullband                                               # noqa: E402
from foleytrain.loop import Checkpoint, Deadline, SavedSizes, arguments, log, save_or_stop, setup  # noqa: E402
from foleytrain.melgan import MultiScaleDiscriminator, spectral_loss                 # noqa: E402

FRAMES = 32
SEG44 = FRAMES * fullband.HOP                                                         # 16384 samples at 44.1 kHz


class Recordings:
    """Full-band recordings of one split, peak-normalised, with their 22.05 kHz copies."""

    def __init__(self, root, split):
        recs = [r for r in sources.catalogue(root) if r.split == split]
        self.items, self.skipped = [], []
        for r in recs:
            if sources.native_rate(root, r) < fullband.RATE:
                self.skipped.append(r.id)
                continue
            x = sources.load_audio(root, r, rate=fullband.RATE)
            if len(x) < SEG44:
                x = np.pad(x, (0, SEG44 - len(x)))
            x = x / max(float(np.abs(x).max()), 1e-6)
            self.items.append((x.astype(np.float32), fullband.to_working_rate(x)))
        if not self.items:
            raise SystemExit(f"full-band vocoder: got [no {split} recordings at ≥ 44.1 kHz under {root}], expected [some] (make corpus fetches them)")

    def segment(self, rng, i=None, length=SEG44):
        """(44.1 kHz segment, 22.05 kHz segment) of `length` samples at 44.1 kHz starting at an
        even sample (zero-padded past a short recording's end)."""
        x44, x22 = self.items[int(rng.integers(len(self.items))) if i is None else i]
        if len(x44) < length:
            x44, x22 = np.pad(x44, (0, length - len(x44))), np.pad(x22, (0, length // 2 - len(x22)))
        s = int(rng.integers(0, (len(x44) - length) // 2 + 1)) * 2
        return x44[s:s + length], x22[s // 2:s // 2 + length // 2]


CONTEXT = 128                                                                         # mel frames the codec sees around a segment


def batch(data, rng, size, fixed=False, codec=None):
    """Mels (B, 80, 32) and waveforms (B, 1, 16384): random levels (−30…0 dB), a second
    recording under the first in 30% of the segments. With `codec`, each mel has been through
    it (encode, quantise, decode) with CONTEXT frames around the segment, as a generator's mel
    reaches the renderer."""
    mels, wavs = [], []
    span = CONTEXT * fullband.HOP if codec is not None else SEG44
    for b in range(size):
        a44, a22 = data.segment(rng, b % len(data.items) if fixed else None, span)
        g = 10 ** (rng.uniform(-30, 0) / 20)
        a44, a22 = a44 * g, a22 * g
        if rng.random() < 0.3:
            o44, o22 = data.segment(rng, length=span)
            h = 10 ** (rng.uniform(-36, -6) / 20)
            a44, a22 = a44 + h * o44, a22 + h * o22
        peak = max(1.0, float(np.abs(a44).max()) / 0.95)
        wavs.append((a44 / peak).astype(np.float32))
        mels.append(audio.normalized_mel(a22 / peak)[:, :span // fullband.HOP])
    mel, wav = torch.from_numpy(np.stack(mels)), torch.from_numpy(np.stack(wavs))[:, None]
    if codec is None:
        return mel, wav
    with torch.no_grad():
        q, _, _ = codec.quantize(codec.encode(mel))
        decoded = codec.decode_code(q)                                                   # (B, 80, CONTEXT), unclamped as in Swift
    o = [int(rng.integers(0, CONTEXT - FRAMES + 1)) for _ in range(size)]
    return (torch.stack([decoded[i, :, k:k + FRAMES] for i, k in enumerate(o)]),
            torch.stack([wav[i, :, k * fullband.HOP:(k + FRAMES) * fullband.HOP] for i, k in enumerate(o)]))


def main():
    ap = arguments(steps=20000)
    ap.add_argument("--pkgs", default=None, help="the folder holding pkgs/ and cache/ (default: FOLEY_DATA or data/)")
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--inter", type=int, default=768)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--disc-start", type=int, default=1000)
    ap.add_argument("--disc-crop", type=int, default=4096, help="samples of each segment the discriminator judges")
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--name", default="fullband.ckpt")
    ap.add_argument("--codec-bundle", help="a SpecVQGAN bundle (e.g. Weights/specvqgan): fine-tune on its codec's decoded mels")
    ap.add_argument("--codec-share", type=float, default=0.5, help="the share of batches whose mels went through the codec")
    ap.set_defaults(batch=8, save_every=200)
    args = ap.parse_args()
    rng, dev = setup(args)
    root = args.pkgs or sources.data_dir()
    train, held = Recordings(root, "train"), Recordings(root, "test")
    log(f"{len(train.items)} train recordings at full band ({len(train.skipped)} below 44.1 kHz left out), {len(held.items)} held-out test recordings")
    model = fullband.FullBandVocoder(dim=args.dim, inter=args.inter, layers=args.layers).to(dev)
    disc = MultiScaleDiscriminator().to(dev)
    opt_g = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.8, 0.9))
    opt_d = torch.optim.AdamW(disc.parameters(), lr=args.lr, betas=(0.8, 0.9))
    os.makedirs(args.data, exist_ok=True)
    ckpt = Checkpoint(os.path.join(args.data, args.name), config=SavedSizes(model.config, "full-band", "--dim, --inter, --layers"), model=model, disc=disc, opt_g=opt_g, opt_d=opt_d)
    start = ckpt.load()
    basis = fullband.fullband_mel_basis()
    held_mel, held_wav = (t.to(dev) for t in batch(held, np.random.default_rng(7), 16, fixed=True))
    deadline, window = Deadline(args.minutes), []
    codec = None
    if args.codec_bundle:
        from foleytrain import bundle
        codec = bundle.load(args.codec_bundle)["codec"].to(dev)
        log(f"fine-tuning on mels decoded by the codec of {args.codec_bundle} ({args.codec_share:.0%} of batches)")
    for step in range(start, args.steps):
        through = codec if codec is not None and rng.random() < args.codec_share else None
        mel, wav = (t.to(dev) for t in batch(train, rng, args.batch, codec=through))
        fake = model(mel)
        rec = fullband.mel_loss(fake, wav, basis)
        spectral = spectral_loss(fake, wav)
        loss_g = 45 * rec + spectral
        gan = step >= args.disc_start
        if gan:
            o = int(rng.integers(0, SEG44 - args.disc_crop + 1))              # the discriminator sees a crop: CPU time
            fake_c, wav_c = fake[..., o:o + args.disc_crop], wav[..., o:o + args.disc_crop]
            d_fake, d_real = disc(fake_c), disc(wav_c)
            loss_g = loss_g + sum(F.relu(1 - f[-1]).mean() for f in d_fake)
            loss_g = loss_g + 2 * sum(F.l1_loss(a, b.detach()) for fs, rs in zip(d_fake, d_real) for a, b in zip(fs[:-1], rs[:-1])) / len(d_fake)
        opt_g.zero_grad()
        loss_g.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 100.0)
        opt_g.step()
        if gan:
            d_fake, d_real = disc(fake_c.detach()), disc(wav_c)
            loss_d = sum(F.relu(1 + f[-1]).mean() + F.relu(1 - r[-1]).mean() for f, r in zip(d_fake, d_real))
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
        window.append((rec.item(), spectral.item()))
        if step % 25 == 0:
            m = np.mean(window, axis=0)
            log(f"step {step} mel {m[0]:.4f} spectral {m[1]:.4f}")
            window = []
        if (step + 1) % 500 == 0:
            with torch.no_grad():
                log(f"step {step + 1} held-out test recordings: mel {fullband.mel_loss(model(held_mel), held_wav, basis).item():.4f}")
        if save_or_stop(ckpt, step, args.steps, args.save_every, deadline):
            break


if __name__ == "__main__":
    main()
