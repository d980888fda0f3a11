"""FoleyWorld 2 scenes of things struck, swung, drawn and dropped: every one-shot is scheduled
at the frame its cause is seen (the tool touches, the string is released, the stone meets
the water)."""
import math

import numpy as np

from .raster import MATERIAL_COLOURS, texture
from .scenes import FLOOR, H, W, Event, Loop, Scene, _gain, _pick, _sky

# What a material word looks like when it is drawn (recording materials name the action too).
SURFACE = {"chop": "wood", "blade": "metal", "rockfall": "stone", "casing": "metal"}


def beats(rng, duration, first=(0.4, 1.0), gap=(0.6, 1.2), tail=0.3):
    """Onsets of a repeated action: a first one, then irregular gaps, none in the last `tail` s."""
    t, out = float(rng.uniform(*first)), []
    while t < duration - tail:
        out.append(t)
        t += float(rng.uniform(*gap))
    return out


def _approach(t, onsets, lead):
    """0 at an onset, rising to 1 `lead` s before the next one (a tool's wind-up)."""
    k = np.searchsorted(onsets, t, side="left")
    nxt = onsets[k] if k < len(onsets) else onsets[-1] + 10
    return float(np.clip((nxt - t) / lead, 0, 1))


def _since(t, onsets):
    k = np.searchsorted(onsets, t, side="right") - 1
    return t - onsets[k] if k >= 0 else 1e9


class Strike(Scene):
    """A tool comes down on a block (wood, metal plate, stone); contact at each event."""
    TOOLS = {"wood-hit": "an axe chops at", "metal-hit": "a hammer strikes", "stone-hit": "a pick strikes",
             "hammer": "a hammer drives nails into"}

    def __init__(self, rng, duration, recs, cls):
        mats = sorted({r.material for r in recs}) or ["wood"]
        material = mats[int(rng.integers(len(mats)))]
        surface = SURFACE.get(material, material if material in MATERIAL_COLOURS else "wood")
        what = "two blades clash" if material == "blade" else f"{self.TOOLS[cls]} {'a log' if surface == 'wood' else 'a ' + surface + ' block'}"
        super().__init__(cls, material, what)
        self.surface = surface
        self.block = texture(rng, surface, 36, 18)
        self.wall = rng.uniform(0.35, 0.75, 3).astype(np.float32)
        self.floor = texture(rng, "dirt", W, H - FLOOR)
        self.onsets = beats(rng, duration, gap=(0.55, 1.3))
        for t in self.onsets:
            self.events.append(Event(t, cls, material, _pick(rng, recs, material), _gain(rng), float(rng.uniform(0.95, 1.05)), 0.8))
        self.onsets = np.array(self.onsets)
        self.x = float(rng.uniform(50, 70))
        self.blade = material == "blade"

    def draw(self, c, t):
        c.clear(self.wall)
        c.paint(FLOOR, H, 0, W, self.floor)
        x0, y0 = int(self.x) - 18, FLOOR - 18
        c.paint(y0, FLOOR, x0, x0 + 36, self.block)
        u = _approach(t, self.onsets, 0.3)
        a = -0.2 + 1.4 * u                                               # 0 rad: head on the block
        pivot = (self.x - 26, FLOOR - 44)
        hx, hy = pivot[0] + 34 * math.cos(a), pivot[1] + 26 - 34 * math.sin(a) + 8 * (1 - u)
        c.line(pivot[0], pivot[1], hx, hy, 2.5, (0.45, 0.3, 0.15))
        if self.blade:
            c.line(hx, hy, hx + 10 * math.cos(a), hy - 10 * math.sin(a), 2, (0.85, 0.85, 0.9))
            c.line(self.x + 24, FLOOR - 30, self.x + 2, FLOOR - 20, 2, (0.85, 0.85, 0.9))   # the other blade
        else:
            c.rect(hx - 4, hy - 5, hx + 4, hy + 1, (0.3, 0.3, 0.33) if self.surface != "wood" else (0.6, 0.6, 0.65))
        s = _since(t, self.onsets)
        if s < 0.2:
            for i in range(5):
                c.circle(hx + (i - 2) * 3 * (1 + 8 * s), hy - 30 * s + 80 * s * s, 1.2, MATERIAL_COLOURS.get(self.surface, (0.5, 0.5, 0.5)))
            if s < 0.05:
                c.flash(0.12)


class Saw(Scene):
    def __init__(self, rng, duration, recs):
        super().__init__("saw", "wood", "a saw cuts through a plank")
        self.t0 = float(rng.uniform(0.4, 1.2))
        self.t1 = float(rng.uniform(min(duration - 0.3, self.t0 + 2.0), duration))
        self.rate = float(rng.uniform(1.8, 2.6))                        # strokes per second
        self.loops.append(Loop(self.t0, self.t1, "saw", "saw", _pick(rng, recs), gain_db=_gain(rng, -6, 0)))
        self.events.append(Event(self.t0, "saw", "start", None, 0.0))
        self.plank = texture(rng, "wood", 70, 8)
        self.wall = rng.uniform(0.4, 0.8, 3).astype(np.float32)

    def draw(self, c, t):
        c.clear(self.wall)
        c.rect(0, FLOOR, W, H, (0.3, 0.25, 0.2))
        c.paint(FLOOR - 20, FLOOR - 12, 29, 99, self.plank)
        c.rect(30, FLOOR - 12, 36, FLOOR, (0.35, 0.25, 0.15))
        c.rect(92, FLOOR - 12, 98, FLOOR, (0.35, 0.25, 0.15))
        moving = self.t0 <= t < self.t1
        depth = min(8.0, 3.0 * max(0.0, min(t, self.t1) - self.t0))
        dx = 10 * math.sin(2 * math.pi * self.rate * (t - self.t0)) if moving else 0.0
        c.polygon([(50 + dx, FLOOR - 20 + depth), (80 + dx, FLOOR - 20 + depth), (80 + dx, FLOOR - 30), (50 + dx, FLOOR - 26)], (0.75, 0.75, 0.8))
        c.rect(80 + dx, FLOOR - 34, 90 + dx, FLOOR - 24, (0.5, 0.2, 0.1))   # handle
        if moving:
            c.circle(64 + dx * 0.2, FLOOR - 10, 1.5, (0.85, 0.7, 0.45))     # sawdust


class Whoosh(Scene):
    """A stick, sword or arrow sweeps across: the swing starts on the event."""

    def __init__(self, rng, duration, recs):
        mats = sorted({r.material for r in recs}) or ["swing"]
        material = mats[int(rng.integers(len(mats)))]
        super().__init__("whoosh", material, "an arrow whizzes past" if material == "arrow" else "a blade swings through the air")
        self.onsets = np.array(beats(rng, duration, gap=(0.7, 1.6), tail=0.5))
        for t in self.onsets:
            self.events.append(Event(t, "whoosh", material, _pick(rng, recs, material), _gain(rng), float(rng.uniform(0.95, 1.05)), 0.7))
        self.sky = _sky(rng)
        self.arrow = material == "arrow"

    def draw(self, c, t):
        c.clear(self.sky)
        c.rect(0, FLOOR, W, H, (0.3, 0.45, 0.25))
        s = _since(t, self.onsets)
        if self.arrow:
            if s < 0.4:
                x = -10 + 400 * s
                c.line(x, 40 + 10 * s, x + 14, 40 + 10 * s, 1.5, (0.4, 0.3, 0.2))
            return
        u = min(1.0, s / 0.25)                                           # the swing lasts a quarter second
        a = 2.2 - 2.6 * u if s < 10 else 2.2
        c.line(64, FLOOR - 10, 64 + 36 * math.cos(a), FLOOR - 10 - 36 * math.sin(a), 2.5, (0.8, 0.8, 0.85))
        if s < 0.25:
            for k in range(1, 4):                                        # motion trail
                b = a + 0.25 * k
                c.line(64, FLOOR - 10, 64 + 36 * math.cos(b), FLOOR - 10 - 36 * math.sin(b), 1.5, (0.9, 0.9, 0.95), 0.4 / k)


class Bow(Scene):
    def __init__(self, rng, duration, recs):
        super().__init__("bow", "bow", "an archer looses arrows")
        self.onsets = np.array(beats(rng, duration, first=(0.8, 1.4), gap=(1.2, 2.0), tail=0.4))
        for t in self.onsets:
            self.events.append(Event(t, "bow", "release", _pick(rng, recs), _gain(rng), float(rng.uniform(0.95, 1.05)), 1.0))
        self.sky = _sky(rng)

    def draw(self, c, t):
        c.clear(self.sky)
        c.rect(0, FLOOR, W, H, (0.35, 0.5, 0.25))
        draw = _approach(t, self.onsets, 0.6)
        pull = 10 * (1 - draw) if draw < 1 else 0.0                    # string pulled back, released on the event
        c.line(30, 30, 30, 66, 2, (0.45, 0.3, 0.15))
        c.line(30, 30, 22 - pull, 48, 1, (0.9, 0.9, 0.9))
        c.line(30, 66, 22 - pull, 48, 1, (0.9, 0.9, 0.9))
        s = _since(t, self.onsets)
        if s < 0.5:
            x = 30 + 260 * s
            c.line(x, 48, x + 14, 48, 1.5, (0.4, 0.3, 0.2))
        elif pull > 0:
            c.line(22 - pull, 48, 36 - pull, 48, 1.5, (0.4, 0.3, 0.2))


class Creak(Scene):
    """A lid, door or tree starts to move on the event and keeps creaking as it moves."""

    def __init__(self, rng, duration, recs):
        mats = sorted({r.material for r in recs}) or ["wood"]
        material = mats[int(rng.integers(len(mats)))]
        what = {"chest": "a chest lid creaks open", "tree": "a tree creaks and falls", "hinge": "a door creaks on its hinges"}
        super().__init__("creak", material, what.get(material, "old wood creaks as it is moved"))
        self.t0 = float(rng.uniform(0.5, max(0.6, duration - 2.5)))
        self.events.append(Event(self.t0, "creak", material, _pick(rng, recs, material), _gain(rng), float(rng.uniform(0.95, 1.05)), 2.5))
        self.wall = rng.uniform(0.35, 0.7, 3).astype(np.float32)
        self.wood = np.asarray(MATERIAL_COLOURS["wood"], np.float32) * float(rng.uniform(0.7, 1.1))
        self.sky = _sky(rng)

    def draw(self, c, t):
        u = float(np.clip((t - self.t0) / 1.5, 0, 1))
        if self.material == "tree":
            c.clear(self.sky)
            c.rect(0, FLOOR, W, H, (0.3, 0.45, 0.2))
            a = math.pi / 2 - 1.3 * u * u
            c.line(64, FLOOR, 64 + 50 * math.cos(a), FLOOR - 50 * math.sin(a), 5, (0.4, 0.28, 0.15))
            c.circle(64 + 50 * math.cos(a), FLOOR - 50 * math.sin(a), 10, (0.2, 0.5, 0.2))
            return
        c.clear(self.wall)
        c.rect(0, FLOOR, W, H, (0.25, 0.2, 0.15))
        if self.material == "chest":
            c.rect(40, FLOOR - 22, 88, FLOOR, self.wood)
            a = 1.2 * u
            c.line(40, FLOOR - 22, 40 + 48 * math.cos(a), FLOOR - 22 - 48 * math.sin(a), 4, self.wood * 0.8)
        else:
            c.rect(40, 16, 90, FLOOR, (0.1, 0.08, 0.06))
            c.rect(41, 17, 41 + max(2, 48 * math.cos(1.1 * u)), FLOOR - 1, self.wood)


class Splash(Scene):
    def __init__(self, rng, duration, recs):
        mats = sorted({r.material for r in recs}) or ["splash"]
        material = mats[int(rng.integers(len(mats)))]
        drip = material == "drip"
        super().__init__("splash", material, "water drips into a puddle" if drip else "stones drop into a pond and splash")
        self.onsets = np.array(beats(rng, duration, first=(0.6, 1.2), gap=(0.5, 1.0) if drip else (1.0, 2.0), tail=0.4))
        for t in self.onsets:
            self.events.append(Event(t, "splash", material, _pick(rng, recs, material), _gain(rng), float(rng.uniform(0.9, 1.1)), 1.2))
        self.xs = rng.uniform(34, 94, len(self.onsets))
        self.drip = drip

    def draw(self, c, t):
        c.clear((0.15, 0.15, 0.18) if self.drip else (0.45, 0.6, 0.75))
        c.rect(0, 60, W, H, (0.1, 0.25, 0.45))
        fall = 0.35 if self.drip else 0.5
        for t0, x in zip(self.onsets, self.xs):
            dt = t - t0
            if -fall < dt < 0:                                             # falling, reaching the surface at the event
                y = 60 + (60 if self.drip else 70) * dt / fall
                c.circle(x, y, 1.5 if self.drip else 3.5, (0.7, 0.8, 0.95) if self.drip else (0.5, 0.45, 0.4))
            elif 0 <= dt < 0.6:
                c.ellipse(x, 61, 3 + 25 * dt, 1 + 4 * dt, (0.8, 0.9, 1.0), 1 - dt / 0.6)
                if not self.drip:
                    for k in range(5):
                        c.circle(x + (k - 2) * 5 * (1 + 3 * dt), 58 - 40 * dt + 110 * dt * dt, 1.3, (0.85, 0.9, 1.0))
