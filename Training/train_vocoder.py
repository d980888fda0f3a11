"""Trains the MelGAN vocoder on FoleyWorld audio: normalised mel → 22.05 kHz waveform.

Generator loss: hinge GAN over a 3-scale discriminator + 10 × feature matching + a
multi-resolution spectral term (it makes the first CPU hours useful). Resumable:
checkpoints to DATA/vocoder.ckpt.
  /usr/bin/python3 Training/train_vocoder.py --steps 50000 [--device cuda]
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from foleytrain import audio                                             # noqa: E402
from foleytrain.dataset import clip_paths, read_wav                      # noqa: E402
from foleytrain.loop import Checkpoint, Deadline, SavedSizes, arguments, log, setup, save_or_stop  # noqa: E402
from foleytrain.melgan import Generator, MultiScaleDiscriminator, spectral_loss, subband_loss  # noqa: E402

SEGMENT = 8192                                                           # 32 mel frames


def batch(paths, rng, size):
    """Random 8192-sample segments and their normalised mels (80 × 32)."""
    wavs, mels = [], []
    while len(wavs) < size:
        x = read_wav(paths[int(rng.integers(len(paths)))] + ".wav")
        if len(x) < SEGMENT:
            continue
        s = int(rng.integers(0, len(x) - SEGMENT + 1)) // audio.HOP * audio.HOP
        seg = x[s:s + SEGMENT]
        wavs.append(seg)
        mels.append(audio.normalized_mel(seg)[:, :SEGMENT // audio.HOP])
    return torch.from_numpy(np.stack(mels)), torch.from_numpy(np.stack(wavs))[:, None]


CONTEXT = 128                                                            # mel frames the codec sees around a segment


@torch.no_grad()
def codec_batch(paths, rng, size, codec, dev):
    """Like `batch`, but each mel has been through the codec (encode, quantise, decode) first,
    as in generation, where the vocoder only ever hears decoded mels. The codec sees CONTEXT
    frames around the segment, aligned to its 16-frame columns, so segment edges are not
    codec edges."""
    wavs, mels, offsets = [], [], []
    while len(wavs) < size:
        x = read_wav(paths[int(rng.integers(len(paths)))] + ".wav")
        span = CONTEXT * audio.HOP
        if len(x) < span:
            continue
        s = int(rng.integers(0, (len(x) - span) // (16 * audio.HOP) + 1)) * 16 * audio.HOP
        ctx = x[s:s + span]
        o = int(rng.integers(0, CONTEXT - SEGMENT // audio.HOP + 1))
        wavs.append(ctx[o * audio.HOP:o * audio.HOP + SEGMENT])
        mels.append(audio.normalized_mel(ctx)[:, :CONTEXT])
        offsets.append(o)
    q, _, _ = codec.quantize(codec.encode(torch.from_numpy(np.stack(mels)).to(dev)))
    decoded = codec.decode_code(q)                                         # (B, 80, CONTEXT), unclamped as in Swift
    mel = torch.stack([decoded[b, :, o:o + SEGMENT // audio.HOP] for b, o in enumerate(offsets)])
    return mel, torch.from_numpy(np.stack(wavs))[:, None].to(dev)


def main():
    ap = arguments(steps=50000)
    ap.add_argument("--disc-start", type=int, default=2000)
    ap.add_argument("--codec", help="a codec checkpoint: fine-tune on its decoded mels (see --codec-share)")
    ap.add_argument("--codec-share", type=float, default=0.5, help="the share of batches whose mels went through the codec")
    ap.add_argument("--ngf", type=int, default=32, help="channels of the last stage (×2 per stage towards the input)")
    ap.add_argument("--residual-layers", type=int, default=3, help="dilated residual blocks per upsampling stage")
    ap.add_argument("--bands", type=int, default=1, choices=(1, 4),
                    help="multi-band MelGAN: sub-bands joined by a PQMF bank (4: stages upsample 8, 4, 2 instead of 8, 8, 2, 2)")
    ap.add_argument("--name", default="vocoder.ckpt", help="checkpoint file in DATA")
    args = ap.parse_args()
    rng, dev = setup(args)
    paths = clip_paths(os.path.join(args.data, "train"))
    ratios = {1: (8, 8, 2, 2), 4: (8, 4, 2)}[args.bands]
    gen = Generator(ngf=args.ngf, n_residual_layers=args.residual_layers, ratios=ratios, bands=args.bands).to(dev)
    disc = MultiScaleDiscriminator().to(dev)
    opt_g = torch.optim.Adam(gen.parameters(), lr=1e-4, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(disc.parameters(), lr=1e-4, betas=(0.5, 0.9))
    ckpt = Checkpoint(os.path.join(args.data, args.name), config=SavedSizes(gen.config, "vocoder", "--ngf, --residual-layers, --bands"),   # first: a size mismatch says so
                      gen=gen, disc=disc, opt_g=opt_g, opt_d=opt_d)
    start = ckpt.load()
    window, deadline = [], Deadline(args.minutes)
    codec = None
    if args.codec:
        from train_sampler import load_codec
        codec, codec_step = load_codec(os.path.dirname(os.path.abspath(args.codec)), dev, os.path.basename(args.codec))
        log(f"fine-tuning on mels decoded by the codec of step {codec_step} ({args.codec_share:.0%} of batches)")
    for step in range(start, args.steps):
        if codec is not None and rng.random() < args.codec_share:
            mel, wav = codec_batch(paths, rng, args.batch, codec, dev)
        else:
            mel, wav = (t.to(dev) for t in batch(paths, rng, args.batch))
        sub = gen.subbands(mel)
        fake = gen.synthesise(sub)
        spectral = spectral_loss(fake, wav)
        loss_g = spectral if gen.pqmf is None else (spectral + subband_loss(sub, wav, gen.pqmf)) / 2
        if step >= args.disc_start:
            d_fake, d_real = disc(fake), disc(wav)
            loss_g = loss_g + sum(F.relu(1 - f[-1]).mean() for f in d_fake)
            loss_g = loss_g + 10 * sum(F.l1_loss(a, b.detach()) for fs, rs in zip(d_fake, d_real) for a, b in zip(fs[:-1], rs[:-1])) / len(d_fake)
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        if step >= args.disc_start:
            d_fake, d_real = disc(fake.detach()), disc(wav)
            loss_d = sum(F.relu(1 + f[-1]).mean() + F.relu(1 - r[-1]).mean() for f, r in zip(d_fake, d_real))
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
        window.append(spectral.item())
        if step % 25 == 0:
            log(f"step {step} spectral {np.mean(window):.4f}")
            window = []
        if save_or_stop(ckpt, step, args.steps, args.save_every, deadline):
            break


if __name__ == "__main__":
    main()
