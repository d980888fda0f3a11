"""FoleyWorld 2 scenes of animals, vehicles, machines and places. Animals call as their head
lifts and mouth opens; vehicles are loud as they pass the centre; an ambience starts where
the picture cuts in from black (the edit is the visible cause of its onset)."""
import math

import numpy as np

from .scenes import FLOOR, H, W, Event, Loop, Scene, _gain, _pick, _sky
from .scenes_hits import _since, beats

BODY = {"dog": ((0.55, 0.4, 0.25), 14, 7), "birds": ((0.3, 0.3, 0.35), 5, 3.5), "farm": ((0.85, 0.85, 0.8), 18, 10),
        "wildlife": ((0.5, 0.42, 0.3), 20, 11)}
FARM_COLOURS = {"cow": (0.9, 0.9, 0.85), "cattle": (0.5, 0.35, 0.2), "pig": (0.95, 0.7, 0.7), "sheep": (0.95, 0.95, 0.9),
                "horse": (0.45, 0.3, 0.18), "hen": (0.85, 0.6, 0.35), "chicken": (0.85, 0.6, 0.35), "duck": (0.9, 0.9, 0.9)}


class Call(Scene):
    """An animal in profile; each call lifts its head and opens its mouth on the event."""

    def __init__(self, rng, duration, recs, cls):
        mats = sorted({r.material for r in recs}) or [cls]
        material = mats[int(rng.integers(len(mats)))]
        pool = [r for r in recs if r.material == material] or recs
        n_word = {"dog": "a dog barks", "birds": "a bird sings on a branch", "farm": f"a {material} calls in a farmyard",
                  "wildlife": f"a {material.replace('_', ' ')} calls"}
        super().__init__(cls, material, n_word[cls] if material not in ("wolf", "fox", "coyote") else f"a {material} howls")
        gap = {"dog": (0.8, 1.6), "birds": (1.0, 2.2), "farm": (1.6, 2.8), "wildlife": (1.6, 2.8)}[cls]
        self.onsets = np.array(beats(rng, duration, gap=gap, tail=0.6))
        for t in self.onsets:
            self.events.append(Event(t, cls, material, _pick(rng, pool), _gain(rng), float(rng.uniform(0.95, 1.05)), gap[0]))
        colour, self.rx, self.ry = BODY[cls]
        self.colour = np.asarray(FARM_COLOURS.get(material, colour), np.float32) * float(rng.uniform(0.85, 1.1))
        self.sky = _sky(rng)
        self.x = float(rng.uniform(48, 80))
        self.perch = cls == "birds"

    def draw(self, c, t):
        c.clear(self.sky)
        c.rect(0, FLOOR, W, H, (0.3, 0.5, 0.2))
        if self.perch:
            c.line(10, 50, 118, 54, 3, (0.4, 0.28, 0.15))                  # branch
        self._animal(c, t, self.x, 50 - self.ry - 1 if self.perch else FLOOR - self.ry - 8, 1.0)

    def overlay(self, c, t):
        """As a second cause in another scene: smaller, left of centre (inside even a portrait
        camera's window), at the top for a bird, at the bottom for a dog."""
        y = 14 if self.perch else H - 4 - self.ry * 0.6 - 5
        if self.perch:
            c.line(34, y + 4, 56, y + 5, 2, (0.4, 0.28, 0.15))
        self._animal(c, t, 46.0, y, 0.6)

    def _animal(self, c, t, x, y, k):
        s = _since(t, self.onsets)
        open_ = max(0.0, 1 - s / 0.3)                                      # mouth open for 0.3 s from the call
        rx, ry = self.rx * k, self.ry * k
        if not self.perch:
            for dx in (-0.6, 0.6):
                c.line(x + dx * rx, y, x + dx * rx, y + ry + 8 * k, 3 * k, self.colour * 0.8)
        c.ellipse(x, y, rx, ry, self.colour)
        hx, hy = x + rx * 0.9, y - ry * (0.8 + 0.6 * open_)
        r = max(2.5 * k, ry * 0.6)
        c.circle(hx, hy, r, self.colour)
        c.polygon([(hx + r * 0.6, hy - 1), (hx + r * 1.8, hy - 1 - 2 * open_), (hx + r * 0.6, hy + 1)], (0.15, 0.1, 0.1))
        c.polygon([(hx + r * 0.6, hy + 1), (hx + r * 1.8, hy + 2 + 3 * open_), (hx + r * 0.6, hy + 2)], (0.15, 0.1, 0.1))
        if open_ > 0:
            for j in range(3):                                             # sound lines
                c.line(hx + r * 2 + 4 * j, hy - 4 - 2 * j, hx + r * 2 + 4 * j, hy + 4 + 2 * j, 1, (1, 1, 1), 0.6 * open_)


class PassBy(Scene):
    """A car or aircraft crosses the frame; its loop is loudest as it passes the centre. Cars
    may skid to a stop, crash or sound the horn: one-shots on the frame where that is seen."""

    def __init__(self, rng, duration, recs, cls):
        loops = [r for r in recs if r.material in ("engine", "traffic", "propeller", "rotor")] or recs
        shots = [r for r in recs if r.material in ("skid", "crash", "horn")]
        bed = _pick(rng, loops)
        self.shot = _pick(rng, shots) if shots and rng.random() < 0.5 else None
        what = "a car drives past" if cls == "car" else ("a helicopter flies over" if bed.material == "rotor" else "a plane flies over")
        if self.shot is not None:
            what = {"skid": "a car skids to a stop", "crash": "a car crashes into a wall", "horn": "a car honks as it passes"}[self.shot.material]
        super().__init__(cls, bed.material, what)
        self.t_in = float(rng.uniform(0.2, 1.0))
        self.speed = float(rng.uniform(25, 45))
        centre = self.t_in + (W / 2 + 20) / self.speed
        self.t_event = None
        if self.shot is not None:
            self.t_event = float(rng.uniform(self.t_in + 1.0, max(self.t_in + 1.1, min(centre + 0.5, duration - 1.0))))
            self.events.append(Event(self.t_event, cls, self.shot.material, self.shot, _gain(rng, -4, 0), 1.0, 2.0))
        env = (lambda t, c0=centre, s=self.speed: np.clip(1.0 / (1.0 + ((np.asarray(t) - c0) * s / 30) ** 2), 0.05, 1))
        self.loops.append(Loop(self.t_in, duration, cls, bed.material, bed, gain_db=_gain(rng, -6, 0), envelope=env))
        self.events.append(Event(self.t_in, cls, "enter", None, 0.0))
        self.colour = rng.uniform(0.2, 0.9, 3).astype(np.float32)
        self.sky = _sky(rng)
        self.rotor = bed.material == "rotor"

    def x_at(self, t):
        x = -20 + self.speed * max(0.0, t - self.t_in)
        if self.t_event is not None and t >= self.t_event and self.shot.material in ("skid", "crash"):
            x = -20 + self.speed * (self.t_event - self.t_in) + (8 * min(0.5, t - self.t_event) if self.shot.material == "skid" else 0)
        return x

    def draw(self, c, t):
        c.clear(self.sky)
        c.rect(0, FLOOR, W, H, (0.3, 0.3, 0.32) if self.cls == "car" else (0.3, 0.5, 0.2))
        x = self.x_at(t)
        if self.cls == "car":
            c.rect(x, FLOOR - 14, x + 30, FLOOR - 4, self.colour)
            c.rect(x + 6, FLOOR - 22, x + 22, FLOOR - 14, self.colour * 0.8)
            for wx in (x + 6, x + 24):
                c.circle(wx, FLOOR - 3, 4, (0.08, 0.08, 0.08))
            if self.t_event is not None and t >= self.t_event:
                dt = t - self.t_event
                if self.shot.material == "skid":
                    c.line(x - 30, FLOOR - 1, x + 6, FLOOR - 1, 1.5, (0.1, 0.1, 0.1))
                elif self.shot.material == "crash" and dt < 0.08:
                    c.flash(0.5)
                elif self.shot.material == "horn" and dt < 0.5:
                    c.circle(x + 31, FLOOR - 10, 3, (1.0, 1.0, 0.6))
            if self.shot is not None and self.shot.material == "crash":
                wx = self.x_at(self.t_event) + 31
                c.rect(wx, FLOOR - 40, wx + 8, FLOOR, (0.5, 0.35, 0.3))
        else:
            y = 26 + 4 * math.sin(0.7 * t)
            c.ellipse(x + 14, y, 14, 4, self.colour)
            if self.rotor:
                a = 40 * t
                c.line(x + 14 - 16 * math.cos(a), y - 6, x + 14 + 16 * math.cos(a), y - 6, 1.5, (0.2, 0.2, 0.2))
            else:
                c.polygon([(x + 10, y), (x + 18, y), (x + 12, y - 12)], self.colour * 0.8)


class Ambience(Scene):
    """A place (forest, waterfall, crickets at night, a machine, an insect): its bed starts
    where the picture cuts in from black or where the cause starts moving."""
    CAPTIONS = {"forest": "a forest with birdsong", "waterfall": "a waterfall pours into a stream",
                "crickets": "crickets chirp on a summer night", "machine": "a machine starts up and runs",
                "insects": "an insect buzzes around"}

    def __init__(self, rng, duration, recs, cls):
        rec = _pick(rng, recs)
        super().__init__(cls, rec.material, self.CAPTIONS[cls])
        self.t0 = float(rng.uniform(0.3, 1.2))
        env = None
        if cls == "insects":                                                # louder as it flies near
            env = (lambda t, t0=self.t0: 0.4 + 0.6 * np.clip(np.sin(1.3 * (np.asarray(t) - t0)) ** 2, 0, 1))
        self.loops.append(Loop(self.t0, duration, cls, rec.material, rec, gain_db=_gain(rng, -8, -2), envelope=env))
        self.events.append(Event(self.t0, cls, "start", None, 0.0))
        self.seed = rng.uniform(0, 1, (24, 3))
        self.sky = _sky(rng)

    def draw(self, c, t):
        if t < self.t0 and self.cls in ("forest", "waterfall", "crickets"):
            c.clear((0.0, 0.0, 0.0))                                        # before the cut
            return
        dt = max(0.0, t - self.t0)
        if self.cls == "forest":
            c.clear(self.sky)
            c.rect(0, FLOOR, W, H, (0.2, 0.4, 0.15))
            for (u, v, w) in self.seed[:8]:
                x = 8 + u * 112
                c.line(x, FLOOR, x, FLOOR - 30 - 20 * v, 3, (0.35, 0.25, 0.15))
                c.circle(x + 1.5 * math.sin(1.5 * t + 6 * w), FLOOR - 34 - 20 * v, 9 + 4 * w, (0.15, 0.45 + 0.2 * w, 0.15))
        elif self.cls == "waterfall":
            c.clear((0.4, 0.55, 0.7))
            c.rect(0, 20, 44, H, (0.4, 0.38, 0.35))
            c.rect(84, 20, W, H, (0.4, 0.38, 0.35))
            c.rect(44, 20, 84, H, (0.55, 0.7, 0.9))
            for (u, v, w) in self.seed:
                y = ((v + 1.5 * t) % 1) * 70 + 20
                c.line(46 + u * 36, y, 46 + u * 36, y + 6, 1, (0.95, 0.97, 1.0), 0.7)
            c.ellipse(64, H - 6, 30, 6, (0.95, 0.97, 1.0), 0.6)
        elif self.cls == "crickets":
            c.clear((0.03, 0.04, 0.12))
            c.circle(100, 18, 6, (0.9, 0.9, 0.75))
            c.rect(0, FLOOR, W, H, (0.05, 0.12, 0.05))
            for (u, v, w) in self.seed:
                x = u * W
                c.line(x, H, x + 3 * math.sin(2 * t + 6 * w), FLOOR - 6 - 8 * v, 1, (0.1, 0.25, 0.1))
        elif self.cls == "machine":
            c.clear((0.35, 0.35, 0.38))
            c.rect(0, FLOOR, W, H, (0.2, 0.2, 0.22))
            a = 6 * dt * min(1.0, dt)                                       # spins up from the start
            c.circle(64, 44, 18, (0.5, 0.5, 0.55))
            for k in range(4):
                b = a + k * math.pi / 2
                c.line(64, 44, 64 + 17 * math.cos(b), 44 + 17 * math.sin(b), 2, (0.2, 0.2, 0.22))
            c.rect(20, 40 + 6 * math.sin(a), 44, 48 + 6 * math.sin(a), (0.6, 0.55, 0.3))   # piston
        else:                                                               # insects
            c.clear(self.sky)
            c.rect(0, FLOOR, W, H, (0.3, 0.55, 0.2))
            if t >= self.t0:
                x = 64 + 40 * math.sin(1.3 * dt) * math.cos(0.4 * dt)
                y = 40 + 14 * math.sin(2.1 * dt)
                size = 1.5 + 2.5 * math.sin(1.3 * dt) ** 2
                c.circle(x, y, size, (0.15, 0.12, 0.05))
                wing = 0.5 + 0.5 * math.sin(120 * t)
                c.ellipse(x, y - size, size * 1.5, size * 0.6 * wing + 0.3, (0.9, 0.9, 1.0), 0.6)


class Foliage(Scene):
    """A bush is pushed through (rustles on each push) or wind moves the leaves (a gusting bed)."""

    def __init__(self, rng, duration, recs):
        shots = [r for r in recs if r.material != "wind"]
        gusts = [r for r in recs if r.material == "wind"]
        windy = bool(gusts) and (not shots or rng.random() < 0.3)
        super().__init__("foliage", "wind" if windy else "leaves", "wind rustles through the leaves" if windy else "someone pushes through a bush")
        self.onsets = np.array([])
        if windy:
            centres = np.sort(rng.uniform(0.5, duration - 0.5, int(rng.integers(1, 4))))
            self.gust = lambda t, c=centres: 0.25 + np.sum(np.exp(-((np.asarray(t)[..., None] - c) / 0.8) ** 2), axis=-1)
            self.loops.append(Loop(0.0, duration, "foliage", "wind", _pick(rng, gusts), gain_db=_gain(rng, -8, -2), envelope=self.gust))
            for c0 in centres:
                self.events.append(Event(float(c0), "foliage", "gust", None, 0.0))
        else:
            self.gust = None
            self.onsets = np.array(beats(rng, duration, gap=(0.8, 1.6), tail=0.5))
            for t in self.onsets:
                self.events.append(Event(t, "foliage", "leaves", _pick(rng, shots), _gain(rng), float(rng.uniform(0.95, 1.05)), 1.0))
        self.leaves = rng.uniform(0, 1, (40, 2))
        self.sky = _sky(rng)

    def draw(self, c, t):
        c.clear(self.sky)
        c.rect(0, FLOOR, W, H, (0.3, 0.45, 0.2))
        if self.gust is not None:
            shake = float(self.gust(t)) * 2.5
        else:
            s = _since(t, self.onsets)
            shake = 4 * math.exp(-s / 0.25) if s < 2 else 0.0
            c.rect(30 + 20 * min(1.0, t / 5), FLOOR - 30, 36 + 20 * min(1.0, t / 5), FLOOR, (0.3, 0.3, 0.5))   # the walker
        for (u, v) in self.leaves:
            x = 40 + u * 48 + shake * math.sin(25 * t + 9 * u)
            y = FLOOR - 4 - v * 30
            c.circle(x, y, 4, (0.15, 0.45 + 0.3 * v, 0.15))
