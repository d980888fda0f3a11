"""Tiny Visual Echoes fixture bundle and its golden file, for the Swift parity tests at three
levels: the image tokenizer (codes and decoded image of a picture), the transformer (audio and
visual logits of a half-masked sequence, unguided), and the unmasking loop (each of the first
three steps' ids, guided and not, with the Swift RNG).

  /usr/bin/python3 Training/golden/make_visual_echoes_golden.py
writes Tests/Fixtures/models/visual-echoes-tiny/ (referring to specvqgan-tiny's codec and
vocoder by weights hash) and Tests/Fixtures/models/visual_echoes_golden.safetensors.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from foleytrain import safetensors_io                                    # noqa: E402
from foleytrain.bundle import fnv1a                                      # noqa: E402
from foleytrain.torch_util import single_thread                          # noqa: E402
from foleytrain.visual_echoes import VisualEchoes, unmask                # noqa: E402
from foleytrain.vqgan import VQModel                                     # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(ROOT, "Tests", "Fixtures", "models")
TOKENIZER = dict(n_embed=16, embed_dim=8, ch=8, ch_mult=[1, 2, 2, 2, 2], num_res_blocks=1, attn_resolutions=[4],
                 resolution=64, z_channels=8, in_channels=3)


def randomize(module, scale=0.2):
    """Every parameter random (biases, norms and the head's bias too), so parity covers them."""
    g = torch.Generator().manual_seed(3)
    norms = {id(m.weight) for m in module.modules() if isinstance(m, (torch.nn.LayerNorm, torch.nn.GroupNorm))}
    with torch.no_grad():
        for p in module.parameters():
            p.copy_((1 if id(p) in norms else 0) + (0.1 if id(p) in norms else scale) * torch.randn(p.shape, generator=g))


def main():
    single_thread()
    torch.manual_seed(0)
    tiny = os.path.join(MODELS, "specvqgan-tiny")
    codec_config = json.load(open(os.path.join(tiny, "config.json")))["codec"]
    window_frames = 64
    columns, rows = window_frames // 16, 80 >> (len(codec_config["ch_mult"]) - 1)
    tokenizer = VQModel(**TOKENIZER).eval()
    randomize(tokenizer, 0.1)
    grid = tokenizer.image_tokens(torch.zeros(1, 3, 64, 64)).shape[1]
    model = VisualEchoes(codec_config["n_embed"], TOKENIZER["n_embed"], columns * rows, columns * grid, width=32, layers=2, heads=2,
                         dec_width=24, dec_layers=1, dec_heads=2, dropout=0.0).eval()
    randomize(model)

    tensors = {"tokenizer." + k: v.numpy() for k, v in tokenizer.state_dict().items()}
    tensors.update({"transformer." + k: v.numpy() for k, v in model.state_dict().items()})
    folder = os.path.join(MODELS, "visual-echoes-tiny")
    os.makedirs(folder, exist_ok=True)
    safetensors_io.save(tensors, os.path.join(folder, "weights.safetensors"), metadata={"model": "visual-echoes-tiny"})
    ref = {"bundle": "specvqgan-tiny", "weights_hash": fnv1a(os.path.join(tiny, "weights.safetensors"))}
    config = {"kind": "visual-echoes", "codec": ref, "vocoder": ref, "tokenizer": TOKENIZER, "transformer": model.config,
              "window_frames": window_frames}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=1, sort_keys=True)
    with open(os.path.join(folder, "card.md"), "w") as f:
        f.write("# visual-echoes-tiny\n\nRandom weights for parity tests (Training/golden/make_visual_echoes_golden.py); not a model.\n")

    golden = {}
    with torch.no_grad():
        yy, xx = np.meshgrid(np.linspace(0, 1, 64), np.linspace(0, 1, 64), indexing="ij")
        image = torch.from_numpy(np.stack([xx, yy, 0.5 + 0.5 * np.sin(6 * xx * yy)]).astype(np.float32))   # (3, 64, 64)
        codes = tokenizer.image_tokens(image[None])
        golden["image"] = image.numpy()
        golden["image_tokens"] = codes[0].numpy().astype(np.float32)
        golden["image_decoded"] = tokenizer.decode_images(codes, 4)[0].numpy()
        g = torch.Generator().manual_seed(5)
        a = torch.randint(0, model.ca, (model.la,), generator=g)
        v = torch.randint(0, model.cv, (model.lv,), generator=g)
        am, vm = a.clone(), v.clone()
        am[::2] = model.ca
        vm[1::3] = model.cv
        la, lv = model(am[None], vm[None])
        golden["audio"], golden["visual"] = am.numpy().astype(np.float32), vm.numpy().astype(np.float32)
        golden["audio_logits"], golden["visual_logits"] = la[0].numpy(), lv[0].numpy()
        known = np.zeros(model.la, bool)
        known[:rows] = True                                              # the first column is context
        known[-rows:] = True                                             # and the last: an inpainting
        for s, name in [(1.0, "plain"), (3.0, "guided")]:
            trace = []
            out = unmask(model, a.numpy(), known, v.numpy(), 6, 4.5, s, 7, trace)
            for k in range(3):
                golden[f"unmask_{name}_step{k}"] = trace[k].astype(np.float32)
            golden[f"unmask_{name}_final"] = out.astype(np.float32)
        golden["unmask_audio"] = a.numpy().astype(np.float32)
        golden["unmask_known"] = known.astype(np.float32)
        golden["unmask_visual"] = v.numpy().astype(np.float32)
    safetensors_io.save(golden, os.path.join(MODELS, "visual_echoes_golden.safetensors"))
    print("wrote", folder, "and visual_echoes_golden.safetensors")


if __name__ == "__main__":
    main()
