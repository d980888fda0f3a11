#!/usr/bin/env python3
"""An experiment for the full-band issue's item 4: a band-split floor, today's renderer below
a crossover and the full-band vocoder above it. Takes two folders of WAVs named by clip id (the
22.05 kHz floor, the 44.1 kHz floor) and writes their split at 44.1 kHz:

  /usr/bin/python3 Scripts/fullband-hybrid.py LOW_DIR HIGH_DIR OUT_DIR [--crossover 9000]
Linear-phase split in the frequency domain (a 1 kHz raised-cosine crossfade), one FFT per clip."""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spectrograms import read_any  # noqa: E402


def write(path, x, rate=44100):
    import wave
    pcm = (np.clip(x, -1, 1) * 32767).round().astype("<i2")
    with wave.open(path + ".tmp", "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate); w.writeframes(pcm.tobytes())
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("low"); ap.add_argument("high"); ap.add_argument("out")
    ap.add_argument("--crossover", type=float, default=9000)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in sorted(f for f in os.listdir(args.low) if f.endswith(".wav")):
        low, lr = read_any(os.path.join(args.low, name), with_rate=True)
        high, hr = read_any(os.path.join(args.high, name), with_rate=True)
        if lr != 22050 or hr != 44100:
            raise SystemExit(f"{name}: got [{lr} Hz, {hr} Hz], expected [22050 Hz low, 44100 Hz high]")
        m = min(len(low), len(high) // 2)
        n = 2 * m
        L = np.zeros(n // 2 + 1, complex)
        L[:m // 2 + 1] = np.fft.rfft(low[:m]) * 2                 # zero-padded spectrum: the 22.05 kHz floor at 44.1 kHz
        H = np.fft.rfft(high[:n], n)
        f = np.fft.rfftfreq(n, 1 / 44100)
        w = np.clip((f - (args.crossover - 500)) / 1000, 0, 1)
        w = 0.5 - 0.5 * np.cos(np.pi * w)                          # 0 below, 1 above, raised cosine across 1 kHz
        write(os.path.join(args.out, name), np.fft.irfft((1 - w) * L + w * H, n).astype(np.float32))


if __name__ == "__main__":
    main()
