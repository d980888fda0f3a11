"""Packs what a trainer needs from the corpus into a small folder for a lent GPU machine, and
unpacks it there into a corpus-shaped folder the trainers read unchanged.

The lent machine receives the repository plus at most 64 MiB, and cannot rebuild the corpus
(4 GB here, with its videos). So only the training inputs travel, compressed:
  - mels: the normalised mel ([0, 1]) quantised to 8 bits (step 1/255, under a tenth of the
    codec's reconstruction error), delta-coded along time and xz-compressed: ~0.6 byte/value;
  - visual features: 8 bits per dimension over mean ± 4 std (error ≈ 0.01 std);
  - token caches: as they are (int16);
  - audio: whole clips for the vocoder, 16-bit, xz-compressed, as many as --audio-mb allows;
  - the shipped codec as a float16 checkpoint (--codec-from), for vocoder runs on decoded mels.
Frames never travel: samplers read cached visual features instead.

  /usr/bin/python3 Training/remote_pack.py pack gpu/ --mels train val
  python3 Training/remote_pack.py unpack gpu/ /tmp/foleyworld         (on the lent machine)
"""
import argparse
import json
import lzma
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from foleytrain.dataset import SplitCache, clip_paths, read_wav          # noqa: E402
from foleytrain.bundle import features_file, fnv1a                      # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def quantise_mels(mels):
    """(80, T) floats in [0, 1] → xz bytes of the time-delta of their 8-bit codes."""
    q = np.clip(np.round(np.asarray(mels, np.float32) * 255), 0, 255).astype(np.uint8)
    delta = np.diff(q.astype(np.int16), axis=1, prepend=0).astype(np.uint8)   # wraps mod 256
    return lzma.compress(np.ascontiguousarray(delta).tobytes(), preset=6)


def dequantise_mels(blob, rows, count):
    delta = np.frombuffer(lzma.decompress(blob), np.uint8).reshape(rows, count)
    return (np.cumsum(delta, axis=1, dtype=np.uint8).astype(np.float32) / 255).astype(np.float16)


def quantise_features(feats):
    mean, std = feats.mean(0), feats.std(0) + 1e-6
    lo, step = mean - 4 * std, 8 * std / 255
    q = np.clip(np.round((feats - lo) / step), 0, 255).astype(np.uint8)
    return lzma.compress(q.tobytes(), preset=6), lo.astype(np.float32), step.astype(np.float32)


def pack(args):
    os.makedirs(args.folder, exist_ok=True)
    encoder_hash = fnv1a(os.path.join(ROOT, "Weights", "visual-encoder", "weights.safetensors"))
    manifest = {"splits": {}, "visual_encoder": encoder_hash}
    token_splits = {"train", "val"} if args.tokens else set()
    for split in sorted(set(args.mels) | set(args.features) | token_splits):
        cache = SplitCache(os.path.join(args.data, split))
        entry = {"metas": cache.metas, "m_off": cache.m_off.tolist()}
        if split in args.mels:
            with open(os.path.join(args.folder, f"{split}-mels.xz"), "wb") as f:
                f.write(quantise_mels(cache.mels))
        if split in args.features:
            z = np.load(features_file(os.path.join(args.data, split), encoder_hash))
            blob, lo, step = quantise_features(z["features"])
            with open(os.path.join(args.folder, f"{split}-features.xz"), "wb") as f:
                f.write(blob)
            np.savez(os.path.join(args.folder, f"{split}-features-scale.npz"), lo=lo, step=step, offsets=z["offsets"],
                     shape=np.array(z["features"].shape))
        for name in args.tokens if split in token_splits else []:
            src = os.path.join(args.data, split, name)
            if split == "val" and not os.path.exists(src):
                continue                                 # shifted sets exist for train only
            np.savez(os.path.join(args.folder, f"{split}-{name}"), **np.load(src))
        manifest["splits"][split] = entry
    if args.audio_mb:
        paths, budget, chosen = clip_paths(os.path.join(args.data, "train")), args.audio_mb * 2 ** 20, []
        rng = np.random.default_rng(args.audio_seed)
        blob = lzma.LZMACompressor(preset=6)
        out, size = open(os.path.join(args.folder, "audio.xz"), "wb"), 0
        for i in rng.permutation(len(paths)):
            x = (np.clip(read_wav(paths[i] + ".wav"), -1, 32767 / 32768) * 32768).astype("<i2")
            size += out.write(blob.compress(x.tobytes()))
            chosen.append([os.path.basename(paths[i]), len(x)])
            if size >= budget:
                break
        out.write(blob.flush())
        out.close()
        manifest["audio"] = chosen
    if args.codec_from:
        import torch
        from foleytrain import bundle
        codec = bundle.load(args.codec_from)["codec"]
        torch.save({"model": {k: v.half() for k, v in codec.state_dict().items()}, "step": "shipped"},
                   os.path.join(args.folder, "codec.ckpt"))
    json.dump(manifest, open(os.path.join(args.folder, "manifest.json"), "w"))
    for name in sorted(os.listdir(args.folder)):
        print(f"{name}: {os.path.getsize(os.path.join(args.folder, name)) / 2 ** 20:.1f} MiB")


def unpack(args):
    import wave
    manifest = json.load(open(os.path.join(args.folder, "manifest.json")))
    for split, entry in manifest["splits"].items():
        out = os.path.join(args.data, split)
        os.makedirs(out, exist_ok=True)
        m_off = np.array(entry["m_off"])
        mel_path = os.path.join(args.folder, f"{split}-mels.xz")
        mels = (dequantise_mels(open(mel_path, "rb").read(), 80, int(m_off[-1])) if os.path.exists(mel_path)
                else np.zeros((80, 0), np.float16))
        np.savez(os.path.join(out, "cache.npz"), frames=np.zeros((0, 64, 64, 3), np.uint8), mels=mels,
                 f_off=np.zeros(len(m_off), np.int64), m_off=m_off, metas=json.dumps(entry["metas"]))
        feat_path = os.path.join(args.folder, f"{split}-features.xz")
        if os.path.exists(feat_path):
            scale = np.load(os.path.join(args.folder, f"{split}-features-scale.npz"))
            q = np.frombuffer(lzma.decompress(open(feat_path, "rb").read()), np.uint8).reshape(*scale["shape"])
            np.savez(features_file(out, manifest["visual_encoder"]), features=q * scale["step"] + scale["lo"], offsets=scale["offsets"])
        for name in os.listdir(args.folder):
            if name.startswith(f"{split}-codec-tokens"):
                np.savez(os.path.join(out, name[len(split) + 1:]), **np.load(os.path.join(args.folder, name)))
    if "audio" in manifest:
        out = os.path.join(args.data, "audio", "train")
        os.makedirs(out, exist_ok=True)
        pcm = np.frombuffer(lzma.decompress(open(os.path.join(args.folder, "audio.xz"), "rb").read()), "<i2")
        at = 0
        for name, count in manifest["audio"]:
            with wave.open(os.path.join(out, name + ".wav"), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(22050)
                w.writeframes(pcm[at:at + count].tobytes())
            json.dump({"name": name}, open(os.path.join(out, name + ".json"), "w"))
            at += count
    print("unpacked", ", ".join(manifest["splits"]), "audio clips:", len(manifest.get("audio", [])))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="verb", required=True)
    p = sub.add_parser("pack")
    p.add_argument("folder")
    p.add_argument("--data", default=os.path.join(ROOT, "data", "foleyworld"))
    p.add_argument("--mels", nargs="*", default=[], help="splits whose mels travel")
    p.add_argument("--features", nargs="*", default=[], help="splits whose visual features travel")
    p.add_argument("--tokens", nargs="*", default=[], help="token cache file names (e.g. codec-tokens-1600.npz), for train and val")
    p.add_argument("--audio-mb", type=float, default=0, help="compressed train audio for the vocoder, in MiB")
    p.add_argument("--audio-seed", type=int, default=0, help="which random clips (another seed, other clips)")
    p.add_argument("--codec-from", help="a specvqgan bundle (Weights/specvqgan): its codec travels as codec.ckpt, "
                                        "for vocoder batches decoded by the codec (train_vocoder.py --codec)")
    u = sub.add_parser("unpack")
    u.add_argument("folder")
    u.add_argument("data")
    args = ap.parse_args()
    pack(args) if args.verb == "pack" else unpack(args)


if __name__ == "__main__":
    main()
