"""FoleyWorld 2's pictures: the scene (the "set", drawn at 128×96 with shading) composited over
a real photograph, then filmed by a camera that varies what cameras vary: frame size and
aspect (4:3, 16:9, 9:16, short side ≥ 256), frame rate (10–60 fps), pan, zoom, hand-held
shake, motion blur, lighting changes, sensor noise and the encoder's bitrate.

The camera only moves pictures in space; time is untouched, so each visible cause still lands
on its sound's frame.
"""
import hashlib
import os
import re
import subprocess
from dataclasses import dataclass

import numpy as np

from . import sources
from .raster import Canvas

# Photographs Debian ships as desktop wallpapers (landscapes, water, leaves, sky).
PHOTO_PACKAGES = ["mate-backgrounds", "plasma-workspace-wallpapers"]
PHOTO_RULES = [
    ("mate-backgrounds", r"backgrounds/mate/nature/\w+\.jpg$"),
    ("plasma-workspace-wallpapers", r"wallpapers/(Altai|Autumn|BytheWater|Canopee|Cascade|ColdRipple|ColorfulCups|DarkestHour|"
                                    r"EveningGlow|FallenLeaf|MilkyWay|OneStandsOut|Path|SafeLanding)/contents/images/1920x1080\.jpg$"),
]
WORLD = (854, 480)          # a backdrop's working size, 16:9 (the camera films a window of it)
SIZES = {"4:3": (344, 256), "16:9": (456, 256), "9:16": (256, 456)}
RATES = [10, 12, 15, 24, 25, 30, 50, 60]


@dataclass
class Photo:
    id: str
    package: str
    path: str
    license: str
    copyright: str
    split: str = "train"


def photos(root):
    """Every backdrop photograph with its licence, split by hash like the recordings."""
    sources.fetch(PHOTO_PACKAGES, root)
    out = []
    for package, rx in PHOTO_RULES:
        base = sources.package_dir(root, package)
        stanzas = sources._dep5(root, package)
        for dirpath, dirs, files in os.walk(base):
            dirs.sort()
            for f in sorted(files):
                rel = os.path.relpath(os.path.join(dirpath, f), base)
                if re.search(rx, rel):
                    lic, holders = sources._licence_for(stanzas, rel)
                    out.append(Photo(f"{package}:{rel}", package, rel, lic, holders))
    ids = [p.id for p in out]
    for p in out:
        p.split = sources._split_for(p.id, ids, min_test=3)
    return out


def load_photo(root, photo):
    """The photograph scaled to cover WORLD and centre-cropped, float32 [H, W, 3], cached."""
    key = hashlib.sha256(photo.id.encode()).hexdigest()[:20]
    cpath = os.path.join(root, "cache", f"photo-{key}.npy")
    if os.path.exists(cpath):
        return np.load(cpath)
    w, h = WORLD
    raw = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", os.path.join(sources.package_dir(root, photo.package), photo.path),
                          "-vf", f"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h}", "-frames:v", "1",
                          "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"], capture_output=True, check=True).stdout
    x = np.frombuffer(raw, np.uint8).reshape(h, w, 3).astype(np.float32) / 255
    os.makedirs(os.path.dirname(cpath), exist_ok=True)
    tmp = f"{cpath}.{os.getpid()}.tmp.npy"                       # workers may decode the same file at once
    np.save(tmp, x)
    os.replace(tmp, cpath)
    return x


class SetCanvas(Canvas):
    """A Canvas that knows what was drawn (coverage) as opposed to cleared, and shades what it
    draws: a top-lit gradient and a fine grain instead of flat colour."""

    def __init__(self, width, height, rng):
        super().__init__(width, height)
        self.cover = np.zeros((height, width), np.float32)
        self.grain = (1 + 0.08 * rng.standard_normal((height, width, 1))).astype(np.float32)
        self.tint = np.zeros(3, np.float32)
        self.flashes = []

    def clear(self, colour):
        super().clear(colour)
        self.cover[:] = 0
        self.tint = np.asarray(colour, np.float32)
        self.flashes = []

    def flash(self, amount, colour=(1, 1, 1)):
        """A flash lights the whole picture, the photograph too (see Camera.film)."""
        super().flash(amount, colour)
        self.flashes.append((amount, np.asarray(colour, np.float32)))

    def _shade(self, y0, y1, colour):
        v = np.linspace(1.15, 0.8, max(1, y1 - y0), dtype=np.float32)[:, None, None]
        return np.asarray(colour, np.float32) * v

    def rect(self, x0, y0, x1, y1, colour, alpha=1.0):
        x0, x1 = int(max(0, min(x0, x1))), int(min(self.w, max(x0, x1)))
        y0, y1 = int(max(0, min(y0, y1))), int(min(self.h, max(y0, y1)))
        if x1 > x0 and y1 > y0:
            region = self.px[y0:y1, x0:x1]
            region[:] = region * (1 - alpha) + self._shade(y0, y1, colour) * self.grain[y0:y1, x0:x1] * alpha
            self.cover[y0:y1, x0:x1] += (1 - self.cover[y0:y1, x0:x1]) * alpha

    def _blend(self, box, m, colour, alpha):
        x0, y0, x1, y1 = box
        a = (m.astype(np.float32) * alpha)[..., None]
        region = self.px[y0:y1, x0:x1]
        region[:] = region * (1 - a) + self._shade(y0, y1, colour) * self.grain[y0:y1, x0:x1] * a
        self.cover[y0:y1, x0:x1] += (1 - self.cover[y0:y1, x0:x1]) * a[..., 0]

    def paint(self, y0, y1, x0, x1, pixels):
        """A textured strip (floors, blocks): drawn, so it covers the photograph."""
        self.px[y0:y1, x0:x1] = pixels
        self.cover[y0:y1, x0:x1] = 1


@dataclass
class Camera:
    aspect: str
    fps: int
    pan: tuple          # world px / s (x, y)
    zoom: tuple         # window scale at the start and the end (1: the whole world's height)
    shake: float        # hand-held amplitude, world px
    blur: float         # 0..0.6: how much of the previous frame stays (motion blur)
    light: tuple        # gain at the start and the end
    flicker: float      # lighting flicker depth
    noise: float        # sensor noise sigma (0..1 scale)
    crf: int            # x264 quality: 18 (high) .. 34 (low bitrate)
    vfr: float = 0.0    # variable frame rate: the share of fps-rate frames kept, irregularly (0: constant rate)

    @staticmethod
    def sample(rng):
        aspect = ["4:3", "16:9", "9:16"][int(rng.integers(3))]
        moving = rng.random() < 0.6
        fps = RATES[int(rng.integers(len(RATES)))]
        vfr = float(rng.uniform(0.4, 0.8)) if rng.random() < 0.2 else 0.0      # like a phone: 60 fps nominal, frames dropped
        return Camera(aspect, 60 if vfr else fps,
                      tuple(rng.uniform(-12, 12, 2)) if moving else (0.0, 0.0),
                      (float(rng.uniform(0.75, 0.95)), float(rng.uniform(0.7, 0.95))) if rng.random() < 0.5 else (0.85, 0.85),
                      float(rng.uniform(0.5, 4.0)) if rng.random() < 0.5 else 0.0,
                      float(rng.uniform(0.2, 0.5)) if moving and rng.random() < 0.5 else 0.0,
                      (float(rng.uniform(0.7, 1.1)), float(rng.uniform(0.7, 1.1))),
                      float(rng.uniform(0, 0.08)) if rng.random() < 0.3 else 0.0,
                      float(rng.uniform(0.005, 0.03)), int(rng.integers(18, 35)), vfr)

    @property
    def size(self):
        return SIZES[self.aspect]

    def describe(self):
        moves = [w for w, on in (("hand-held", self.shake > 0), ("panning", any(abs(v) > 0 for v in self.pan)),
                                 ("zooming", self.zoom[0] != self.zoom[1])) if on]
        words = " and ".join(moves) if moves else "on a locked-off camera"
        return words + (" at a variable frame rate" if self.vfr else "")

    def film(self, draw, duration, photo, rng, onsets=()):
        """Frames (uint8 [H, W, 3]) of draw(canvas, t) at this camera's rate and size. Only the
        window the camera sees is composed, at the output size: the photograph sampled, the set
        interpolated bilinearly over it where it was drawn. A frame whose interval holds an
        event's onset shows the scene at that onset (its exposure caught it): at 10 fps a
        muzzle flash of 80 ms still lands on its frame."""
        onsets = np.sort(np.asarray(list(onsets), np.float64))
        ow, oh = self.size
        wh, ww = photo.shape[:2]
        set_h = int(wh * 0.8)                                          # the set sits in the lower middle of the world
        set_w = set_h * 4 // 3
        sx0, sy0 = (ww - set_w) // 2, wh - set_h - int(wh * 0.05)
        canvas = SetCanvas(128, 96, rng)
        n = int(round(duration * self.fps))
        walk = np.cumsum(rng.standard_normal((n + 1, 2)), axis=0)
        walk = self.shake * walk / (np.abs(walk).max() + 1e-6)
        grain = self.noise * rng.standard_normal((5, oh, ow, 3), dtype=np.float32)   # sensor noise, cycled
        frames, prev = [], None
        for f in range(n):
            t = f / self.fps
            caught = onsets[(onsets > t - 1 / self.fps) & (onsets <= t)]
            draw(canvas, float(caught[-1]) + 1e-4 if len(caught) else t)
            u = t / max(duration, 1e-6)
            win_h = wh * (self.zoom[0] + (self.zoom[1] - self.zoom[0]) * u)   # window height as a share of the world's
            win_w = win_h * ow / oh
            if win_w > ww * 0.98:                                           # a wide window: fit it inside the world
                win_w, win_h = ww * 0.98, ww * 0.98 * oh / ow
            cx = ww / 2 + self.pan[0] * (t - duration / 2) + walk[f, 0]
            cy = wh / 2 + wh * 0.05 + self.pan[1] * (t - duration / 2) + walk[f, 1]
            x0 = float(np.clip(cx - win_w / 2, 0, ww - win_w))
            y0 = float(np.clip(cy - win_h / 2, 0, wh - win_h))
            wx = x0 + (np.arange(ow) + 0.5) * win_w / ow                    # [ow] world x of each output column
            wy = y0 + (np.arange(oh) + 0.5) * win_h / oh                    # [oh]
            img = photo[np.clip(wy.astype(int), 0, wh - 1)][:, np.clip(wx.astype(int), 0, ww - 1)]   # [oh, ow, 3]
            img = img * np.clip(1.6 * canvas.tint, 0, 1.3)                  # the photo, lit like the scene's backdrop
            for amount, colour in canvas.flashes:
                img = img * (1 - amount) + colour * amount
            layer = np.concatenate([canvas.px, canvas.cover[..., None]], axis=2)              # [96, 128, 4]
            layer = _lerp(layer, (wy - sy0) * 96 / set_h - 0.5, axis=0)                       # [oh, 128, 4]
            layer = _lerp(layer, (wx - sx0) * 128 / set_w - 0.5, axis=1)                      # [oh, ow, 4]
            cov = layer[..., 3:]
            img = img * (1 - cov) + layer[..., :3] * cov
            light = self.light[0] + (self.light[1] - self.light[0]) * u
            img = img * (light * (1 + self.flicker * np.sin(2 * np.pi * 7.3 * t)))
            if prev is not None and self.blur > 0:
                img = img * (1 - self.blur) + prev * self.blur
            prev = img
            img = img + grain[f % len(grain)]
            frames.append((np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8))
        return frames


def vfr_filter(keep):
    """ffmpeg options that make a variable frame rate: frame n (at the nominal rate) is kept when
    frac(n·φ) < keep, an irregular pattern (gaps of 1–3 frames); kept frames keep their times."""
    if not keep:
        return []
    return ["-vf", f"select='lt(mod(n*0.6180339887,1),{keep:.3f})'", "-fps_mode", "vfr"]


def _lerp(a, coords, axis):
    """a sampled at fractional `coords` along `axis` (linear); outside the array: zeros."""
    n = a.shape[axis]
    i0 = np.floor(coords).astype(int)
    w = (coords - i0).astype(np.float32)
    inside = ((coords > -1) & (coords < n)).astype(np.float32)
    lo, hi = np.take(a, np.clip(i0, 0, n - 1), axis=axis), np.take(a, np.clip(i0 + 1, 0, n - 1), axis=axis)
    shape = [1] * a.ndim
    shape[axis] = len(coords)
    w, inside = w.reshape(shape), inside.reshape(shape)
    return (lo * (1 - w) + hi * w) * inside
