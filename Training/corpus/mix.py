"""Audio assembly: one-shots at exact onsets, looped beds, procedural ambience, room tone."""
import math

import numpy as np

from . import sources

SR = sources.SAMPLE_RATE


class RecordingBank:
    """Recordings decoded once, trimmed to their first audible sample so that an event's
    annotated onset is where its sound starts."""

    def __init__(self, root):
        self.root = root
        self.cache = {}

    def get(self, rec):
        if rec.id not in self.cache:
            x = sources.load_audio(self.root, rec)
            peak = float(np.max(np.abs(x))) if len(x) else 0.0
            if peak > 0:
                start = int(np.argmax(np.abs(x) > peak * 0.05))
                x = x[max(0, start - 22):] / peak          # keep 1 ms of lead-in, peak-normalise
            self.cache[rec.id] = x.astype(np.float32)
        return self.cache[rec.id]


def resample(x, rate):
    """Pitch/speed change by `rate` (>1 higher and shorter), linear interpolation."""
    if abs(rate - 1) < 1e-6 or len(x) < 2:
        return x
    n = int(len(x) / rate)
    return np.interp(np.arange(n) * rate, np.arange(len(x)), x).astype(np.float32)


def db(g):
    return 10 ** (g / 20)


def _fade(x, fade_in, fade_out):
    n = len(x)
    a, b = min(n, fade_in), min(n, fade_out)
    if a:
        x[:a] *= np.linspace(0, 1, a, dtype=np.float32)
    if b:
        x[n - b:] *= np.linspace(1, 0, b, dtype=np.float32)
    return x


def procedural(kind, n, rng):
    """Synthesised beds for causes with no (or too few) recordings."""
    white = rng.standard_normal(n).astype(np.float32)
    if kind == "rain":
        # Dense patter: high-passed noise plus many tiny drop clicks.
        hp = np.diff(white, prepend=0) * 0.5
        clicks = np.zeros(n, np.float32)
        idx = rng.integers(0, n, max(1, n // 300))
        clicks[idx] = rng.uniform(-1, 1, len(idx))
        y = 0.6 * hp + np.convolve(clicks, np.exp(-np.arange(60) / 8), "same")
        return (y / (np.max(np.abs(y)) + 1e-9)).astype(np.float32)
    if kind in ("wind", "stream"):
        # One-pole low-passed noise (wind darker, stream brighter), as an FFT convolution
        # with the filter's truncated exponential impulse response.
        a = 0.985 if kind == "wind" else 0.9
        kernel = (1 - a) * a ** np.arange(int(8 / (1 - a)), dtype=np.float64)
        size = 1 << int(math.ceil(math.log2(n + len(kernel))))
        y = np.fft.irfft(np.fft.rfft(white, size) * np.fft.rfft(kernel, size), size)[:n].astype(np.float32)
        y /= (np.max(np.abs(y)) + 1e-9)
        if kind == "stream":
            y = y * (0.7 + 0.3 * np.sin(2 * math.pi * 3.1 * np.arange(n) / SR))
        return y
    raise ValueError(kind)


def render(scene, duration, bank, rng, secondary=None):
    n = int(round(duration * SR))
    out = np.zeros(n, np.float32)
    for s in [scene] + ([secondary] if secondary is not None else []):
        for e in s.events:
            if e.recording is None:
                continue
            x = resample(bank.get(e.recording), e.rate)[: int(e.max_seconds * SR)].copy()
            x = _fade(x, 0, int(0.03 * SR))
            i = int(round(e.onset * SR))
            if i >= n:
                continue
            m = min(len(x), n - i)
            out[i:i + m] += x[:m] * db(e.gain_db)
        for lp in s.loops:
            i0, i1 = int(round(lp.start * SR)), min(n, int(round(lp.end * SR)))
            if i1 <= i0:
                continue
            length = i1 - i0
            if lp.recording is not None:
                src = resample(bank.get(lp.recording), lp.rate)
                reps = int(math.ceil(length / max(1, len(src)))) + 1
                bed = np.tile(src, reps)[:length].copy()
            else:
                bed = procedural(lp.procedural, length, rng)
            if lp.envelope is not None:
                bed *= lp.envelope(np.arange(i0, i1) / SR).astype(np.float32)
            out[i0:i1] += _fade(bed, int(0.02 * SR), int(0.05 * SR)) * db(lp.gain_db)
    out += procedural("wind", n, rng) * db(float(rng.uniform(-60, -48)))   # room tone
    peak = float(np.max(np.abs(out)))
    if peak > 0.89:                                                          # headroom, never clip
        out *= 0.89 / peak
    return out
