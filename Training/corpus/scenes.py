"""Procedural scenes: each class draws visible causes and schedules its sound events at the
instants they are seen (a foot touching the floor, a door slamming, a ball hitting glass).

A scene gets a numpy Generator, the clip duration and the recordings of its class available
in the split; it fills `events` (one-shots at exact onsets), `loops` (continuous sounds over a
span) and draws frame t with `draw(canvas, t)`.
"""
import math
from dataclasses import dataclass, field

import numpy as np

from .raster import MATERIAL_COLOURS, texture

W, H = 128, 96          # render size; the action stays inside the centre 96×96 square
FLOOR = 70              # floor line (y) for side-view scenes


@dataclass
class Event:
    onset: float
    cls: str
    material: str
    recording: object   # sources.Recording
    gain_db: float
    rate: float = 1.0
    max_seconds: float = 2.5


@dataclass
class Loop:
    start: float
    end: float
    cls: str
    material: str
    recording: object = None     # None: procedural (see mix.procedural)
    procedural: str = ""
    gain_db: float = -12.0
    rate: float = 1.0
    envelope: object = None      # callable t -> gain multiplier (array in, array out)


@dataclass
class Scene:
    cls: str
    material: str
    caption: str
    events: list = field(default_factory=list)
    loops: list = field(default_factory=list)

    def draw(self, c, t):
        raise NotImplementedError


def _pick(rng, recs, material=None):
    pool = [r for r in recs if material is None or r.material == material] or recs
    return pool[int(rng.integers(len(pool)))]


def _gain(rng, lo=-6.0, hi=0.0):
    return float(rng.uniform(lo, hi))


def _sky(rng):
    return np.asarray([0.45, 0.6, 0.8], np.float32) * float(rng.uniform(0.7, 1.1))


def _number_word(n):
    return ["no", "one", "two", "three", "four", "five", "six"][n] if n < 7 else str(n)


class Footsteps(Scene):
    def __init__(self, rng, duration, recs):
        mats = sorted({r.material for r in recs})
        material = mats[int(rng.integers(len(mats)))]
        super().__init__("footsteps", material, f"footsteps on {material}")
        self.floor = texture(rng, material, W, H - FLOOR)
        self.sky = _sky(rng)
        self.period = float(rng.uniform(0.42, 0.7))     # seconds per step
        self.phase = float(rng.uniform(0, self.period))
        self.speed = float(rng.uniform(12, 22))           # px / s
        self.x0 = float(rng.uniform(16, 40))
        self.shirt = rng.uniform(0.2, 0.9, 3).astype(np.float32)
        t = self.phase
        while t < duration - 0.1:
            self.events.append(Event(t, "footsteps", material, _pick(rng, recs, material), _gain(rng), float(rng.uniform(0.92, 1.08)), 0.6))
            t += self.period * float(rng.uniform(0.95, 1.05))
        self.contacts = np.array([e.onset for e in self.events])

    def draw(self, c, t):
        c.clear(self.sky)
        c.paint(FLOOR, H, 0, W, self.floor)
        x = (self.x0 + self.speed * t) % (W + 20) - 10
        # Swing phase: each foot lands at its contact time; between contacts it is lifted.
        k = np.searchsorted(self.contacts, t, side="right") - 1
        since = t - self.contacts[k] if k >= 0 else t + self.period
        lift = max(0.0, math.sin(math.pi * min(1.0, since / self.period))) * 6 if since > 0.08 else 0.0
        front = (k % 2 == 0)
        hip = (x, FLOOR - 22)
        c.line(hip[0], hip[1], x + (6 if front else -4), FLOOR - (0 if front else lift), 3, (0.15, 0.15, 0.2))
        c.line(hip[0], hip[1], x + (-4 if front else 6), FLOOR - (lift if front else 0), 3, (0.15, 0.15, 0.2))
        c.rect(x - 4, FLOOR - 38, x + 4, FLOOR - 21, self.shirt)
        c.circle(x, FLOOR - 43, 5, (0.95, 0.8, 0.65))


class Door(Scene):
    def __init__(self, rng, duration, recs):
        super().__init__("door", "wood", "a door swings open and slams shut")
        self.t_open = float(rng.uniform(0.3, duration * 0.35))
        self.t_close = float(rng.uniform(self.t_open + 1.0, max(self.t_open + 1.1, duration - 0.6)))
        self.colour = np.asarray(MATERIAL_COLOURS["wood"], np.float32) * float(rng.uniform(0.7, 1.2))
        self.wall = rng.uniform(0.55, 0.85, 3).astype(np.float32)
        opens = [r for r in recs if r.material == "open"] or recs
        closes = [r for r in recs if r.material == "close"] or recs
        self.events.append(Event(self.t_open, "door", "open", _pick(rng, opens), _gain(rng, -10, -4), float(rng.uniform(0.95, 1.05))))
        self.events.append(Event(self.t_close, "door", "close", _pick(rng, closes), _gain(rng), float(rng.uniform(0.95, 1.05))))

    def angle(self, t):
        if t < self.t_open:
            return 0.0
        if t < self.t_close - 0.35:
            return min(1.2, (t - self.t_open) * 2.5)
        if t < self.t_close:   # swings shut, accelerating, reaching 0 exactly at the slam
            u = (self.t_close - t) / 0.35
            return 1.2 * u * u
        return 0.0

    def draw(self, c, t):
        c.clear(self.wall)
        c.rect(38, 14, 90, FLOOR + 10, (0.1, 0.08, 0.06))           # the doorway (dark room)
        width = 50 * math.cos(self.angle(t))
        c.rect(39, 15, 39 + max(2, width), FLOOR + 9, self.colour)
        c.circle(39 + max(2, width) - 6, 45, 2, (0.9, 0.8, 0.2))
        if 0 <= t - self.t_close < 0.08:
            c.flash(0.15, (1, 1, 1))


class Glass(Scene):
    def __init__(self, rng, duration, recs):
        super().__init__("glass", "glass", "a ball smashes a glass pane")
        self.t_hit = float(rng.uniform(0.8, duration - 1.2))
        self.side = 1 if rng.random() < 0.5 else -1
        self.shards = [(float(rng.uniform(44, 84)), float(rng.uniform(20, 64)), float(rng.uniform(-15, 15)), float(rng.uniform(-10, 5)),
                        float(rng.uniform(2, 5))) for _ in range(14)]
        self.events.append(Event(self.t_hit, "glass", "glass", _pick(rng, recs), _gain(rng), float(rng.uniform(0.95, 1.05))))

    def draw(self, c, t):
        c.clear((0.3, 0.32, 0.35))
        c.rect(40, 16, 88, 68, (0.25, 0.2, 0.15))                   # frame
        dt = t - self.t_hit
        if dt < 0:
            c.rect(43, 19, 85, 65, MATERIAL_COLOURS["glass"], 0.8)
            bx = 64 - self.side * (64 + 40 * dt)                       # the ball flies in
            c.circle(bx, 42 + 6 * dt * dt, 5, (0.85, 0.2, 0.1))
        else:
            for (x, y, vx, vy, s) in self.shards:
                px, py = x + vx * dt, y + vy * dt + 60 * dt * dt
                c.polygon([(px, py - s), (px + s, py + s), (px - s, py + s * 0.5)], MATERIAL_COLOURS["glass"], 0.9)
            c.circle(64 + self.side * 30 * dt, 42 + 40 * dt * dt, 5, (0.85, 0.2, 0.1))
            if dt < 0.06:
                c.flash(0.4)


class Bounce(Scene):
    def __init__(self, rng, duration, recs):
        mats = sorted({r.material for r in recs})
        material = mats[int(rng.integers(len(mats)))]
        super().__init__("bounce", material, f"a ball bounces on {material}")
        self.floor = texture(rng, material, W, H - FLOOR)
        self.sky = _sky(rng) * 0.8
        self.colour = rng.uniform(0.3, 1.0, 3).astype(np.float32)
        self.r = 5.0
        g, e = 300.0, float(rng.uniform(0.6, 0.8))
        v = float(rng.uniform(130, 170))
        t = float(rng.uniform(0.3, 0.8))                             # first impact
        self.arcs = [(0.0, t, None)]
        while t < duration and v > 25:
            self.events.append(Event(t, "bounce", material, _pick(rng, recs, material), 20 * math.log10(v / 170) + _gain(rng, -3, 0),
                                     float(rng.uniform(0.95, 1.1)), 0.5))
            flight = 2 * v / g
            self.arcs.append((t, t + flight, v))
            t += flight
            v *= e
        self.g, self.drop = g, self.arcs[0][1]
        self.x0, self.vx = float(rng.uniform(30, 50)), float(rng.uniform(-4, 10))

    def height(self, t):
        for (a, b, v) in self.arcs:
            if a <= t < b:
                return 0.5 * self.g * (self.drop ** 2 - t ** 2) if v is None else v * (t - a) - 0.5 * self.g * (t - a) ** 2
        return 0.0

    def draw(self, c, t):
        c.clear(self.sky)
        c.paint(FLOOR, H, 0, W, self.floor)
        c.ellipse(self.x0 + self.vx * t, FLOOR + 1, 6, 1.5, (0, 0, 0), 0.3)  # shadow
        c.circle(self.x0 + self.vx * t, FLOOR - self.r - self.height(t) * 0.25, self.r, self.colour)


class Dig(Scene):
    def __init__(self, rng, duration, recs):
        super().__init__("dig", "earth", "digging and hacking at the ground")
        self.ground = texture(rng, "earth", W, H - FLOOR)
        self.period = float(rng.uniform(0.6, 1.0))
        t = float(rng.uniform(0.3, 0.8))
        while t < duration - 0.2:
            self.events.append(Event(t, "dig", "earth", _pick(rng, recs), _gain(rng), float(rng.uniform(0.9, 1.1)), 0.8))
            t += self.period * float(rng.uniform(0.9, 1.1))
        self.hits = np.array([e.onset for e in self.events])

    def draw(self, c, t):
        c.clear((0.55, 0.65, 0.75))
        c.paint(FLOOR, H, 0, W, self.ground)
        k = np.searchsorted(self.hits, t, side="right")
        nxt = self.hits[k] if k < len(self.hits) else self.hits[-1] + self.period
        u = np.clip((nxt - t) / self.period, 0, 1)                   # 0 at impact, 1 raised
        tip_y = FLOOR + 2 - 30 * u
        c.line(58, tip_y - 30, 64, tip_y, 3, (0.45, 0.3, 0.15))      # handle
        c.polygon([(60, tip_y - 4), (70, tip_y - 4), (66, tip_y + 3)], (0.6, 0.6, 0.65))
        if k > 0 and t - self.hits[k - 1] < 0.25:                      # dirt thrown up
            dt = t - self.hits[k - 1]
            for i in range(6):
                c.circle(66 + (i - 3) * 4 * (1 + 3 * dt), FLOOR - 20 * dt * (1 + i % 3) + 60 * dt * dt, 1.5, (0.35, 0.25, 0.15))


class Gunshot(Scene):
    def __init__(self, rng, duration, recs):
        n = int(rng.integers(1, 5))
        super().__init__("gunshot", "gun", f"{_number_word(n)} gunshot{'s' if n > 1 else ''} with muzzle flash")
        rec = _pick(rng, recs)
        t = float(rng.uniform(0.4, 1.0))
        for _ in range(n):
            if t > duration - 0.3:
                break
            self.events.append(Event(t, "gunshot", "gun", rec, _gain(rng), float(rng.uniform(0.97, 1.03)), 1.2))
            t += float(rng.uniform(0.35, 1.2))
        self.shots = np.array([e.onset for e in self.events])
        self.bg = rng.uniform(0.1, 0.35, 3).astype(np.float32)

    def draw(self, c, t):
        c.clear(self.bg)
        k = np.searchsorted(self.shots, t, side="right") - 1
        since = t - self.shots[k] if k >= 0 else 1.0
        recoil = 3 * max(0.0, 1 - since / 0.15)
        c.rect(30 - recoil, 44, 70 - recoil, 52, (0.12, 0.12, 0.12))   # barrel
        c.rect(30 - recoil, 50, 40 - recoil, 66, (0.2, 0.15, 0.1))     # grip
        if since < 0.08:
            c.circle(76 - recoil, 48, 9 * (1 - since / 0.08) + 3, (1.0, 0.9, 0.4))
            c.flash(0.25 * (1 - since / 0.08), (1.0, 0.9, 0.6))


class Explosion(Scene):
    def __init__(self, rng, duration, recs):
        super().__init__("explosion", "blast", "an explosion")
        self.t = float(rng.uniform(0.5, duration * 0.5))
        self.ground = texture(rng, "dirt", W, H - FLOOR)
        self.events.append(Event(self.t, "explosion", "blast", _pick(rng, recs), _gain(rng, -3, 0), float(rng.uniform(0.9, 1.05)), 3.0))
        self.x = float(rng.uniform(50, 78))

    def draw(self, c, t):
        c.clear((0.5, 0.6, 0.7))
        c.paint(FLOOR, H, 0, W, self.ground)
        dt = t - self.t
        if dt < 0:
            c.rect(self.x - 4, FLOOR - 8, self.x + 4, FLOOR, (0.3, 0.3, 0.2))   # the charge
            return
        r = min(40, 120 * dt)
        c.circle(self.x, FLOOR - r * 0.6, r, (0.35, 0.33, 0.3), min(1, 0.9 * math.exp(-dt / 2)))   # smoke
        if dt < 0.6:
            c.circle(self.x, FLOOR - r * 0.5, r * 0.7, (1.0, 0.55, 0.1), 1 - dt / 0.6)
        if dt < 0.1:
            c.flash(0.8 * (1 - dt / 0.1))


class Fire(Scene):
    def __init__(self, rng, duration, recs):
        super().__init__("fire", "fire", "a fire flares up and crackles")
        self.t0 = float(rng.uniform(0.2, duration * 0.4))
        self.flicker = rng.uniform(0, 2 * math.pi, 5)
        self.loops.append(Loop(self.t0, duration, "fire", "fire", _pick(rng, recs), gain_db=_gain(rng, -6, 0),
                               envelope=lambda t, t0=self.t0: np.clip((t - t0) / 0.3, 0, 1)))
        self.events.append(Event(self.t0, "fire", "ignite", None, 0.0))      # annotated, sound comes from the loop

    def draw(self, c, t):
        c.clear((0.08, 0.07, 0.1))
        c.rect(40, FLOOR - 4, 88, FLOOR + 2, (0.3, 0.2, 0.1))                # logs
        c.paint(FLOOR + 2, H, 0, W, (0.12, 0.1, 0.08))
        grow = np.clip((t - self.t0) / 0.3, 0, 1)
        if grow <= 0:
            return
        for i, ph in enumerate(self.flicker):
            h = grow * (18 + 8 * math.sin(7 * t + ph) + 4 * math.sin(13 * t + 2 * ph))
            cx = 48 + i * 8 + 2 * math.sin(5 * t + ph)
            c.ellipse(cx, FLOOR - 4 - h / 2, 5, h / 2, (1.0, 0.45 + 0.1 * i % 3, 0.05), 0.85)
            c.ellipse(cx, FLOOR - 4 - h / 3, 2.5, h / 3, (1.0, 0.9, 0.4), 0.9)
        c.flash(0.05 * grow, (1.0, 0.5, 0.1))


class Water(Scene):
    def __init__(self, rng, duration, recs):
        streams = [r for r in recs if r.material == "stream"]
        splashes = [r for r in recs if r.material == "splash"]
        super().__init__("water", "water", "water flows" + (" and something splashes in" if splashes else ""))
        if streams:
            self.loops.append(Loop(0.0, duration, "water", "stream", _pick(rng, streams), gain_db=_gain(rng, -12, -6)))
        else:
            self.loops.append(Loop(0.0, duration, "water", "stream", procedural="stream", gain_db=_gain(rng, -14, -8)))
        self.drops = []
        t = float(rng.uniform(0.6, 1.5))
        while splashes and t < duration - 0.5:
            x = float(rng.uniform(30, 98))
            self.drops.append((t, x))
            self.events.append(Event(t, "water", "splash", _pick(rng, splashes), _gain(rng, -4, 0), float(rng.uniform(0.9, 1.1)), 1.0))
            t += float(rng.uniform(0.8, 2.0))
        self.flow = float(rng.uniform(15, 35))

    def draw(self, c, t):
        c.clear((0.35, 0.55, 0.3))
        c.rect(0, 50, W, 80, (0.15, 0.35, 0.6))
        for i in range(10):                                           # moving highlights show the flow
            x = (i * 17 + self.flow * t) % (W + 10) - 5
            c.line(x, 55 + (i * 7) % 22, x + 6, 55 + (i * 7) % 22, 1.5, (0.6, 0.8, 1.0), 0.7)
        for (td, x) in self.drops:
            dt = t - td
            if -0.4 < dt < 0:
                c.circle(x, 60 + 200 * dt * (-dt) * 0 + 60 * dt, 3, (0.5, 0.4, 0.3))   # falling stone
            elif 0 <= dt < 0.5:
                c.ellipse(x, 62, 4 + 30 * dt, 1 + 6 * dt, (0.8, 0.9, 1.0), 1 - 2 * dt)
                for k in range(4):
                    c.circle(x + (k - 1.5) * 6 * (1 + dt * 4), 60 - 40 * dt + 120 * dt * dt, 1.2, (0.8, 0.9, 1.0))


class Engine(Scene):
    def __init__(self, rng, duration, recs):
        super().__init__("engine", "diesel", "an engine idles, then drives off")
        idle = [r for r in recs if "idle" in r.path] or recs
        move = [r for r in recs if "move" in r.path] or recs
        self.t_go = float(rng.uniform(1.2, max(1.3, duration * 0.6)))
        a, b = _pick(rng, idle), _pick(rng, move)
        self.material = a.material
        g = _gain(rng, -6, 0)
        self.loops.append(Loop(0.0, self.t_go + 0.15, "engine", "idle", a, gain_db=g))
        self.loops.append(Loop(self.t_go, duration, "engine", "move", b, gain_db=g,
                               envelope=lambda t, t0=self.t_go: np.clip((t - t0) / 0.15, 0, 1) * np.clip(1.2 - 0.25 * (t - t0), 0.3, 1)))
        self.events.append(Event(self.t_go, "engine", "drive-off", None, 0.0))
        self.colour = rng.uniform(0.2, 0.9, 3).astype(np.float32)

    def draw(self, c, t):
        c.clear((0.55, 0.7, 0.85))
        c.rect(0, FLOOR, W, H, (0.3, 0.3, 0.32))
        dt = max(0.0, t - self.t_go)
        x = 40 + 12 * dt * dt                                         # accelerates away
        shake = 0.8 * math.sin(60 * t) if dt == 0 else 0.3 * math.sin(90 * t)
        c.rect(x, FLOOR - 24 + shake, x + 40, FLOOR - 8 + shake, self.colour)
        c.rect(x + 26, FLOOR - 34 + shake, x + 40, FLOOR - 24 + shake, self.colour * 0.8)
        for wx in (x + 8, x + 32):
            c.circle(wx, FLOOR - 6, 6, (0.08, 0.08, 0.08))
        puff = (t * 3) % 1
        c.circle(x - 4 - 10 * puff, FLOOR - 14 - 6 * puff, 2 + 4 * puff, (0.4, 0.4, 0.4), 0.5 * (1 - puff))


class Rain(Scene):
    def __init__(self, rng, duration, recs):
        super().__init__("rain", "thunder", "rain falls, lightning flashes and thunder rolls")
        self.loops.append(Loop(0.0, duration, "rain", "rain", procedural="rain", gain_db=_gain(rng, -16, -10)))
        n = int(rng.integers(1, 3))
        t = float(rng.uniform(0.5, 1.5))
        self.flashes = []
        for _ in range(n):
            if t > duration - 1.0:
                break
            self.flashes.append(t)
            self.events.append(Event(t, "rain", "thunder", _pick(rng, recs), _gain(rng, -3, 0), float(rng.uniform(0.9, 1.05)), 4.0))
            t += float(rng.uniform(2.0, 3.5))
        self.drops = rng.uniform(0, 1, (60, 2))

    def draw(self, c, t):
        c.clear((0.2, 0.22, 0.28))
        c.rect(0, FLOOR, W, H, (0.15, 0.2, 0.15))
        for (u, v) in self.drops:
            x = u * W + 8 * t
            y = ((v + 2.5 * t) % 1) * FLOOR
            c.line(x % W, y, x % W - 2, y + 5, 1, (0.7, 0.75, 0.85), 0.6)
        for f in self.flashes:
            if 0 <= t - f < 0.15:
                c.flash(0.7 * (1 - (t - f) / 0.15), (0.9, 0.9, 1.0))


class Wind(Scene):
    def __init__(self, rng, duration, recs):
        super().__init__("wind", "wind", "wind gusts through swaying foliage")
        n = int(rng.integers(1, 4))
        centres = np.sort(rng.uniform(0.5, duration - 0.5, n))
        widths = rng.uniform(0.5, 1.2, n)
        self.gust = lambda t, c=centres, w=widths: 0.25 + np.sum(np.exp(-((np.asarray(t)[..., None] - c) / w) ** 2), axis=-1)
        rec = _pick(rng, recs) if recs and rng.random() < 0.5 else None
        self.loops.append(Loop(0.0, duration, "wind", "wind", rec, procedural="" if rec else "wind",
                               gain_db=_gain(rng, -8, -2), envelope=self.gust))
        for c0 in centres:
            self.events.append(Event(float(c0), "wind", "gust", None, 0.0))
        self.blades = rng.uniform(0, 1, (24, 2))

    def draw(self, c, t):
        c.clear((0.6, 0.75, 0.9))
        c.rect(0, FLOOR, W, H, (0.3, 0.5, 0.2))
        bend = float(self.gust(t)) * 10
        c.line(64, FLOOR, 64 + bend * 0.3, 30, 4, (0.35, 0.25, 0.15))              # trunk
        c.circle(64 + bend * 0.8, 28, 16, (0.2, 0.5, 0.2))                         # crown
        for (u, v) in self.blades:
            x = u * W
            c.line(x, FLOOR + 4, x + bend * (0.5 + v) + 2 * math.sin(9 * t + 6 * u), FLOOR - 8 - 6 * v, 1.5, (0.25, 0.6, 0.2))


SCENES = {"footsteps": Footsteps, "door": Door, "glass": Glass, "bounce": Bounce, "dig": Dig, "gunshot": Gunshot,
          "explosion": Explosion, "fire": Fire, "water": Water, "engine": Engine, "rain": Rain, "wind": Wind}
# Classes whose annotated events are sharp, audible onsets (for onset alignment metrics).
IMPULSIVE = {"footsteps", "door", "glass", "bounce", "dig", "gunshot", "explosion", "rain",
             "wood-hit", "metal-hit", "stone-hit", "hammer", "splash", "bow", "dog"}


# Second sources: an ambient cause drawn over the main scene, with its sound under the mix.
def _rain_overlay(self, c, t):
    for (u, v) in self.drops[:30]:
        x = (u * W + 8 * t) % W
        y = ((v + 2.5 * t) % 1) * H
        c.line(x, y, x - 2, y + 5, 1, (0.75, 0.8, 0.9), 0.5)


def _wind_overlay(self, c, t):
    bend = float(self.gust(t)) * 8
    for (u, v) in self.blades:
        x = 16 + u * 96
        c.line(x, H, x + bend * (0.5 + v), H - 10 - 6 * v, 1.5, (0.25, 0.6, 0.2))


def _fire_overlay(self, c, t):
    grow = np.clip((t - self.t0) / 0.3, 0, 1)
    if grow > 0:
        h = grow * (10 + 4 * math.sin(9 * t))
        c.ellipse(26, H - 6 - h / 2, 4, h / 2, (1.0, 0.5, 0.05), 0.9)
        c.ellipse(26, H - 6 - h / 3, 2, h / 3, (1.0, 0.9, 0.4), 0.9)


Rain.overlay, Wind.overlay, Fire.overlay = _rain_overlay, _wind_overlay, _fire_overlay
SECONDARY = {"rain": "rain falls", "wind": "wind blows", "fire": "a fire crackles nearby"}


# FoleyWorld 2's classes (they build on the types above, hence the late import).
from . import scenes_hits, scenes_life  # noqa: E402


def _of(kind, cls):
    return lambda rng, duration, recs: kind(rng, duration, recs, cls)


SCENES.update({c: _of(scenes_hits.Strike, c) for c in ("wood-hit", "metal-hit", "stone-hit", "hammer")})
SCENES.update({c: _of(scenes_life.Call, c) for c in ("dog", "birds", "farm", "wildlife")})
SCENES.update({c: _of(scenes_life.PassBy, c) for c in ("car", "aircraft")})
SCENES.update({c: _of(scenes_life.Ambience, c) for c in ("forest", "waterfall", "crickets", "machine", "insects")})
# Second causes (FoleyWorld 2): drawn small at the frame's edge with their one-shots kept and heard.
SECONDARY.update({"dog": "a dog barks nearby", "birds": "a bird sings nearby"})
SECOND_CAUSES = {"dog", "birds"}
SCENES.update({"saw": scenes_hits.Saw, "whoosh": scenes_hits.Whoosh, "bow": scenes_hits.Bow, "creak": scenes_hits.Creak,
               "splash": scenes_hits.Splash, "foliage": scenes_life.Foliage})
