"""Tiny full-band vocoder fixture bundle and its golden file, for the Swift parity tests at
three levels: the ops (the depthwise convolution of the first block, the inverse STFT of a
given spectrum), one ConvNeXt block, and end to end (the head's spectrum and the 44.1 kHz
waveform of a mel).

  /usr/bin/python3 Training/golden/make_fullband_golden.py
writes Tests/Fixtures/models/fullband-tiny/ and Tests/Fixtures/models/fullband_golden.safetensors.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from foleytrain import safetensors_io                                    # noqa: E402
from foleytrain.fullband import FullBandVocoder, istft                   # noqa: E402
from foleytrain.torch_util import single_thread                          # noqa: E402
from make_visual_echoes_golden import MODELS, randomize                  # noqa: E402

FRAMES = 24


def main():
    single_thread()
    torch.manual_seed(0)
    model = FullBandVocoder(dim=16, inter=24, layers=2).eval()
    randomize(model, 0.15)
    folder = os.path.join(MODELS, "fullband-tiny")
    os.makedirs(folder, exist_ok=True)
    safetensors_io.save({k: v.numpy() for k, v in model.state_dict().items()}, os.path.join(folder, "weights.safetensors"),
                        metadata={"model": "fullband-tiny"})
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(dict(model.config, kind="fullband-vocoder"), f, indent=1, sort_keys=True)
    with open(os.path.join(folder, "card.md"), "w") as f:
        f.write("# fullband-tiny\n\nRandom weights for parity tests (Training/golden/make_fullband_golden.py); not a model.\n")

    golden = {}
    with torch.no_grad():
        tt, ff = np.meshgrid(np.arange(FRAMES), np.arange(80))
        mel = (0.5 + 0.4 * np.sin(0.3 * tt + 0.11 * ff) * np.cos(0.05 * ff * (1 + tt / FRAMES))).astype(np.float32)
        m = torch.from_numpy(mel)[None]
        golden["mel"] = mel
        x = model.norm(model.embed(m).transpose(1, 2)).transpose(1, 2)            # (1, D, T)
        block = model.blocks[0]
        golden["block_in"] = x[0].T.numpy()                                       # rows [T, D]
        golden["depthwise"] = block.dwconv(x)[0].T.numpy()
        golden["block_out"] = block(x)[0].T.numpy()
        log_mag, phase = model.spectrum(m)
        golden["spectrum"] = torch.cat([log_mag, phase], 1)[0].T.numpy()          # rows [T, n_fft + 2]
        golden["waveform"] = model(m)[0, 0].numpy()                               # (512 T,)
        g = torch.Generator().manual_seed(4)
        lm, ph = torch.randn(1, 1025, 6, generator=g) - 2, 3 * torch.randn(1, 1025, 6, generator=g)
        golden["istft_in"] = torch.cat([lm, ph], 1)[0].T.numpy()
        golden["istft_out"] = istft(lm, ph)[0].numpy()
    safetensors_io.save(golden, os.path.join(MODELS, "fullband_golden.safetensors"))
    print("wrote", folder, "and fullband_golden.safetensors")


if __name__ == "__main__":
    main()
