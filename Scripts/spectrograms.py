#!/usr/bin/env python3
"""A contact sheet of normalised mel spectrograms (our 80 bands, low frequencies at the bottom),
one row per (clip, source), to look at takes next to their truth:

  /usr/bin/python3 Scripts/spectrograms.py -o sheet.png --clips test-00003 test-00011 \\
      --source truth=data/foleyworld/test --source frieren=data/frieren-eval/euler-25
Each source is a folder of WAVs named by clip id (22.05 kHz); rows of one clip are stacked,
clips are separated by a bright line. With --full-band each row is instead a linear-frequency
log spectrogram of 0–22.05 kHz (STFT 2048/512 at 44.1 kHz; 22.05 kHz files are upsampled, so
the band they lack shows dark), with faint ticks at 7.6 and 11 kHz, for takes at 44.1 kHz.
Written with zlib only (no plotting package)."""
import argparse
import os
import struct
import sys
import wave
import zlib

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Training"))
from foleytrain.audio import normalized_mel  # noqa: E402


def read(path):
    with wave.open(path) as w:
        raw, width = w.readframes(w.getnframes()), w.getsampwidth()
    if width == 2:
        return np.frombuffer(raw, "<i2").astype(np.float32) / 32768
    return np.frombuffer(raw, "<f4").astype(np.float32)


def read_any(path, with_rate=False):
    try:
        x = read(path)
        with wave.open(path) as w:
            rate = w.getframerate()
    except wave.Error:                                  # float WAVs (format 3): the data chunk by hand
        data = open(path, "rb").read()
        i = data.index(b"data") + 8
        x, rate = np.frombuffer(data[i:i + (len(data) - i) // 4 * 4], "<f4").astype(np.float32), struct.unpack("<I", data[24:28])[0]
    return (x, rate) if with_rate else x


def full_band(x, rate, seconds):
    """Log-magnitude rows (low frequencies at the bottom) of 0–22.05 kHz in 256 bands of 86 Hz."""
    if rate == 22050:
        x = np.fft.irfft(np.fft.rfft(x), 2 * len(x)) * 2
    elif rate != 44100:
        raise SystemExit(f"spectrograms: got [{rate} Hz], expected [22050 or 44100]")
    x = np.asarray(x[:int(seconds * 44100)], np.float32)
    frames = int(seconds * 44100 / 512)
    x = np.pad(x, (1024, 1024 + max(0, frames * 512 - len(x))))
    idx = np.arange(2048)[None, :] + 512 * np.arange(frames)[:, None]
    hann = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(2048) / 2048)
    s = np.abs(np.fft.rfft(x[idx] * hann, axis=1))[:, :1024].reshape(frames, 256, 4).mean(axis=2).T   # (256, frames)
    m = np.clip((20 * np.log10(s + 1e-5) + 60) / 80, 0, 1)[::-1]
    for hz in (7600, 11025):
        m[255 - int(hz / 86.13), ::8] = 0.6
    return m


def colour(m):
    """0…1 → a dark-blue-to-yellow ramp (RGB uint8)."""
    stops = np.array([[0, 0, 20], [40, 20, 110], [170, 40, 90], [250, 140, 30], [255, 250, 160]], np.float32)
    x = np.clip(m, 0, 1) * (len(stops) - 1)
    i = np.minimum(x.astype(int), len(stops) - 2)
    f = (x - i)[..., None]
    return ((1 - f) * stops[i] + f * stops[i + 1]).astype(np.uint8)


def png(path, rgb):
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--clips", nargs="+", required=True)
    ap.add_argument("--source", action="append", required=True, help="label=folder of WAVs named by clip id")
    ap.add_argument("--seconds", type=float, default=6.0, help="shown per clip")
    ap.add_argument("--full-band", action="store_true", help="linear 0–22.05 kHz rows instead of our mel")
    ap.add_argument("--suffix", action="append", default=[], help="label=file suffix (default .wav), e.g. truth=.44k.wav")
    args = ap.parse_args()
    sources = [s.split("=", 1) for s in args.source]
    suffix = dict(s.split("=", 1) for s in args.suffix)
    frames = int(args.seconds * (44100 / 512 if args.full_band else 22050 / 256))
    rows = []
    for clip in args.clips:
        for label, folder in sources:
            x, rate = read_any(os.path.join(folder, clip + suffix.get(label, ".wav")), with_rate=True)
            if args.full_band:
                m = full_band(x, rate, args.seconds)
            else:
                m = normalized_mel(x[:int(args.seconds * 22050)])[::-1, :frames]      # low bands at the bottom
                m = np.repeat(np.pad(m, ((0, 0), (0, frames - m.shape[1]))), 2, axis=0)
            rows.append(colour(m))
            rows.append(np.full((2, frames, 3), 30, np.uint8))
        rows.append(np.full((3, frames, 3), 255, np.uint8))
    png(args.out, np.concatenate(rows))
    print("wrote", args.out, "rows:", ", ".join(l for l, _ in sources), "per clip")


if __name__ == "__main__":
    main()
