"""Writes Tests/Fixtures/models/sfx_golden.safetensors: aisfx's own preprocessing and model as
the reference for the Swift network (`foley eval`'s external embedding).

Two stages, because the package's librosa path and Debian's torch do not share a numpy:
  .venv-golden/bin/python Training/golden/make_sfx_golden.py mel TMP.npz          (librosa)
  /usr/bin/python3 Training/golden/make_sfx_golden.py model TMP.npz OUT.safetensors (torch)
`make golden` runs both. The package comes from the cache (Scripts/fetch-sfx-model.sh).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain import sfx  # noqa: E402


def signal():
    """4 s at 44.1 kHz with content across the band: a chirp to 18 kHz, clicks, noise bursts."""
    rng = np.random.default_rng(4410)
    t = np.arange(4 * sfx.SR) / sfx.SR
    chirp = 0.2 * np.sin(2 * np.pi * (100 * t + 2200 * t ** 2))
    clicks = np.zeros_like(t)
    clicks[rng.integers(0, len(t), 20)] = 0.9
    bursts = np.zeros_like(t)
    for s in rng.integers(0, len(t) - 4000, 6):
        bursts[s:s + 4000] = 0.3 * rng.standard_normal(4000) * np.hanning(4000)
    return (chirp + clicks + bursts).astype(np.float32)


def stage_mel(tmp):
    import soundfile
    sys.path.insert(0, sfx.package_dir())
    from aisfx.preprocessing import blocking, compute_hopSize, spectrogram_normalize
    from aisfx.spectrogram import spectrogram_librosa
    x = signal()
    wav = tmp + ".wav"
    soundfile.write(wav, x, sfx.SR, subtype="FLOAT")
    spec = spectrogram_librosa.compute_spectrogram(filename=wav, sr=float(sfx.SR), block_size=sfx.N_FFT,
                                                   hop_size=sfx.HOP, n_mels=sfx.N_MELS, f_min=sfx.F_MIN, f_max=sfx.F_MAX)
    spec = spectrogram_normalize(spec.T, spec_norm="original")                  # [frames, 96]
    blocks = blocking(spec, sfx.BLOCK, compute_hopSize(sfx.BLOCK, 0.5, spec), True)
    os.remove(wav)
    np.savez(tmp, signal=x, mel=spec.astype(np.float32), blocks=blocks.astype(np.float32))


def stage_model(tmp, out):
    import torch
    from foleytrain import safetensors_io
    torch.set_num_threads(1)
    sys.path.insert(0, sfx.package_dir())
    from aisfx.inference import model_get_embedding
    d = np.load(tmp)
    model, ds_dict = sfx.load_package_model()
    emb = model_get_embedding(d["mel"], 0.5, True, model, "cpu")               # [blocks, 512]
    tensors = {"signal": d["signal"], "mel": d["mel"], "blocks": d["blocks"], "embedding": emb.numpy()}
    with torch.no_grad():
        for name in sfx.head_names(ds_dict):
            tensors[f"head.{name}"] = model.fc[ds_dict[name][0]](emb).numpy()
        # Layer level: each conv block on a small input (block 4 does not pool).
        x = torch.from_numpy(np.random.default_rng(7).random((1, 1, 16, 20), dtype=np.float32))
        tensors["layers.input"] = x.numpy()
        net = model.embedding_net
        for i in range(4):
            x = getattr(net, f"conv_block{i + 1}")(x, pool_size=(2, 2) if i < 3 else (1, 1), pool_type="max")
            tensors[f"layers.block{i}"] = x.numpy()
    safetensors_io.save({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in tensors.items()}, out,
                        metadata={"source": "aisfx 0.1.2 (librosa path, package model)"})
    print(f"{out}: mel {d['mel'].shape}, {emb.shape[0]} blocks")


if __name__ == "__main__":
    if sys.argv[1] == "mel":
        stage_mel(sys.argv[2])
    else:
        stage_model(sys.argv[2], sys.argv[3])
