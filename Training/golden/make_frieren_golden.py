"""Tiny FRIEREN fixture bundle and its golden file, for the Swift parity tests at three levels:
the mel VAE (latent and reconstruction of a mel), the estimator (the vector field for fixed
x, t, c, with and without the picture), and the sampler (a guided Euler trajectory, a Dopri5
solve with its accepted and rejected steps, an inpainting with both edges held, and the
decoded mel of a whole window from its seed, as the generator samples it).

  /usr/bin/python3 Training/golden/make_frieren_golden.py
writes Tests/Fixtures/models/frieren-tiny/ (vocoders named from specvqgan-tiny by weights
hash) and Tests/Fixtures/models/frieren_golden.safetensors.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from foleytrain import flow, safetensors_io                              # noqa: E402
from foleytrain.bundle import fnv1a                                      # noqa: E402
from foleytrain.frieren import Estimator, regulate, sample               # noqa: E402
from foleytrain.mel_vae import MelVAE                                    # noqa: E402
from foleytrain.torch_util import single_thread                          # noqa: E402
from make_visual_echoes_golden import MODELS, randomize                  # noqa: E402

WINDOW = 64                                                              # mel frames: 32 latent frames, 16 features
VAE = dict(mels=80, ch=8, mult=[1, 2, 4], z=4, groups=4)
SCALE = 1.7


def main():
    single_thread()
    torch.manual_seed(0)
    vae = MelVAE(**VAE).eval()
    randomize(vae, 0.15)
    base = Estimator(z=4, cond=128, length=WINDOW // 2, width=16, layers=2, heads=2, ffn=24, kernel=3).eval()
    onestep = Estimator(**base.config).eval()
    randomize(base, 0.15)
    onestep.load_state_dict(base.state_dict())
    g = torch.Generator().manual_seed(9)
    with torch.no_grad():                                                # another estimator: same shapes, other weights
        for p in onestep.parameters():
            p.add_(0.1 * torch.randn(p.shape, generator=g))

    tensors = {"vae." + k: v.numpy() for k, v in vae.state_dict().items()}
    tensors.update({"estimator." + k: v.numpy() for k, v in base.state_dict().items()})
    tensors.update({"estimator_onestep." + k: v.numpy() for k, v in onestep.state_dict().items()})
    folder = os.path.join(MODELS, "frieren-tiny")
    os.makedirs(folder, exist_ok=True)
    safetensors_io.save(tensors, os.path.join(folder, "weights.safetensors"), metadata={"model": "frieren-tiny"})
    tiny = os.path.join(MODELS, "specvqgan-tiny")
    ref = {"bundle": "specvqgan-tiny", "weights_hash": fnv1a(os.path.join(tiny, "weights.safetensors"))}
    config = {"kind": "frieren", "vae": dict(VAE, scale=SCALE), "estimator": base.config, "variants": ["base", "onestep"],
              "vocoder": ref, "window_frames": WINDOW}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=1, sort_keys=True)
    with open(os.path.join(folder, "card.md"), "w") as f:
        f.write("# frieren-tiny\n\nRandom weights for parity tests (Training/golden/make_frieren_golden.py); not a model.\n")

    golden = {}
    with torch.no_grad():
        tt, ff = np.meshgrid(np.arange(WINDOW), np.arange(80))
        mel = (0.5 + 0.4 * np.sin(0.3 * tt + 0.11 * ff) * np.cos(0.05 * ff * (1 + tt / WINDOW))).astype(np.float32)   # (80, T)
        mean, _ = vae.moments(torch.from_numpy(mel)[None])
        latent = mean[0] * SCALE                                         # (z, T/2)
        golden["mel"], golden["vae_latent"] = mel, latent.numpy()
        golden["vae_decoded"] = vae.dec(latent[None] / SCALE)[0].numpy()

        g = torch.Generator().manual_seed(5)
        features = torch.randn(WINDOW // 4, 128, generator=g)            # (Tv, Dv): one per 4 mel frames
        x = torch.randn(1, 4, WINDOW // 2, generator=g)
        c = regulate(features.T[None])
        t = torch.tensor([0.37])
        golden["features"], golden["field_x"] = features.numpy(), x[0].numpy()
        golden["field_cond"] = base(x, t, c)[0].numpy()
        golden["field_blind"] = base(x, t, torch.zeros_like(c))[0].numpy()
        golden["field_onestep"] = onestep(x, t, c)[0].numpy()

        trace = []
        golden["euler_final"] = sample(base, features, seed=11, steps=4, guidance=4.5, trace=trace).numpy()
        golden["euler_trajectory"] = torch.cat(trace).numpy()             # (4, z, L): the state after each step
        attempts = []
        y, accepted, evaluations = sample(base, features, seed=11, solver="dopri5", guidance=4.5, tol=1e-3, trace=attempts)
        golden["dopri5_final"] = y.numpy()
        golden["dopri5_attempts"] = np.array([[t0, h, float(ok)] for t0, h, ok in attempts], np.float64).astype(np.float32)
        golden["dopri5_counts"] = np.array([accepted, evaluations], np.float32)
        attempts = []                                                    # a tight tolerance and a long first step: rejections
        y, accepted, evaluations = sample(base, features, seed=11, solver="dopri5", guidance=4.5, tol=3e-4, first=0.3, trace=attempts)
        golden["dopri5_tight_final"] = y.numpy()
        golden["dopri5_tight_attempts"] = np.array([[t0, h, float(ok)] for t0, h, ok in attempts], np.float64).astype(np.float32)
        golden["dopri5_tight_counts"] = np.array([accepted, evaluations], np.float32)
        known = np.zeros(WINDOW // 2, bool)
        known[:8] = True                                                 # the left edge and the right edge known:
        known[-8:] = True                                                # an inpainted span in the middle
        golden["inpaint_known"] = known.astype(np.float32)
        golden["inpaint_final"] = sample(base, features, seed=11, steps=4, guidance=4.5, target=latent, known=torch.from_numpy(known)).numpy()
        golden["window_mel"] = vae.dec(torch.from_numpy(golden["euler_final"])[None] / SCALE)[0].numpy()
    safetensors_io.save(golden, os.path.join(MODELS, "frieren_golden.safetensors"))
    print("wrote", folder, "and frieren_golden.safetensors;", f"tight dopri5: {accepted} accepted of {len(attempts)} tried, {evaluations} evaluations")


if __name__ == "__main__":
    main()
