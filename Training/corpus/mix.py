"""Audio assembly: one-shots at exact onsets, looped beds, procedural ambience, room tone."""
import math

import numpy as np

from . import sources

SR = sources.SAMPLE_RATE


class RecordingBank:
    """Recordings decoded once, trimmed to their first audible sample so that an event's
    annotated onset is where its sound starts. A full-band bank (rate 44.1 kHz) takes its trim
    point and peak from the working-rate bank `reference`, so both copies of a clip start each
    sound at the same instant and at the same level."""

    def __init__(self, root, rate=SR, reference=None):
        self.root, self.rate, self.reference = root, rate, reference
        self.cache, self.trims = {}, {}

    def get(self, rec):
        if rec.id not in self.cache:
            x = sources.load_audio(self.root, rec, rate=self.rate)
            if self.reference is not None:
                self.reference.get(rec)
                start, peak = self.reference.trims[rec.id]
                start = start * self.rate // SR
            else:
                peak = float(np.max(np.abs(x))) if len(x) else 0.0
                start = max(0, int(np.argmax(np.abs(x) > peak * 0.05)) - 22) if peak > 0 else 0   # keep 1 ms of lead-in
            self.trims[rec.id] = (start, peak)
            if peak > 0:
                x = x[start:] / peak                       # peak-normalise
            self.cache[rec.id] = x.astype(np.float32)
        return self.cache[rec.id]


def upsample(x, factor, n):
    """Band-limited upsampling by an integer factor (zero-padded spectrum), to exactly n samples."""
    if factor == 1:
        return x[:n]
    y = np.fft.irfft(np.fft.rfft(x), factor * len(x)) * factor
    return np.pad(y, (0, max(0, n - len(y))))[:n].astype(np.float32)


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


def render(scene, duration, bank, rng, secondary=None, gain=None):
    """The clip's sound at the bank's rate. Procedural beds and the room tone are drawn at the
    working rate (the same draws whatever the rate) and upsampled, so a full-band render with a
    copy of the rng is the working-rate render plus the recordings' upper band. `gain`: the
    headroom factor to apply (None: this render's own, as the working copy uses)."""
    rate = bank.rate
    up = rate // SR
    n = int(round(duration * rate))
    out = np.zeros(n, np.float32)
    for s in [scene] + ([secondary] if secondary is not None else []):
        for e in s.events:
            if e.recording is None:
                continue
            x = resample(bank.get(e.recording), e.rate)[: int(e.max_seconds * rate)].copy()
            x = _fade(x, 0, int(0.03 * rate))
            i = int(round(e.onset * rate))
            if i >= n:
                continue
            m = min(len(x), n - i)
            out[i:i + m] += x[:m] * db(e.gain_db)
        for lp in s.loops:
            i0, i1 = int(round(lp.start * rate)), min(n, int(round(lp.end * rate)))
            w0, w1 = int(round(lp.start * SR)), min(int(round(duration * SR)), int(round(lp.end * SR)))
            if w1 <= w0:
                continue
            length = i1 - i0
            if lp.recording is not None:
                src = resample(bank.get(lp.recording), lp.rate)
                reps = int(math.ceil(length / max(1, len(src)))) + 1
                bed = np.tile(src, reps)[:length].copy()
            else:
                bed = upsample(procedural(lp.procedural, w1 - w0, rng), up, length)
            if lp.envelope is not None:
                bed *= lp.envelope(np.arange(i0, i1) / rate).astype(np.float32)
            out[i0:i1] += _fade(bed, int(0.02 * rate), int(0.05 * rate)) * db(lp.gain_db)
    tone = procedural("wind", int(round(duration * SR)), rng)
    out += upsample(tone, up, n) * db(float(rng.uniform(-60, -48)))         # room tone
    out *= headroom(out) if gain is None else gain
    return out


def headroom(out):
    """The factor that brings the peak to 0.89 when it is above (never clip), else 1."""
    peak = float(np.max(np.abs(out)))
    return 0.89 / peak if peak > 0.89 else 1.0
