"""A tiny numpy rasteriser for the procedural scenes: canvases are float32 H×W×3 in [0, 1]."""
import numpy as np

MATERIAL_COLOURS = {
    "wood": (0.55, 0.36, 0.18), "metal": (0.62, 0.64, 0.68), "stone": (0.50, 0.50, 0.48),
    "gravel": (0.58, 0.55, 0.50), "grass": (0.25, 0.55, 0.20), "sand": (0.85, 0.75, 0.50),
    "snow": (0.93, 0.95, 0.98), "dirt": (0.45, 0.32, 0.20), "earth": (0.42, 0.30, 0.18),
    "tile": (0.80, 0.80, 0.76), "carpet": (0.55, 0.15, 0.20), "linoleum": (0.70, 0.68, 0.50),
    "ice": (0.75, 0.88, 0.95), "glass": (0.70, 0.85, 0.95),
}


class Canvas:
    """Shapes are drawn inside their bounding box only: a rain streak costs a few dozen
    pixels, not the whole frame."""

    def __init__(self, width, height):
        self.w, self.h = width, height
        self.px = np.zeros((height, width, 3), np.float32)
        self.yy, self.xx = np.mgrid[0:height, 0:width].astype(np.float32)

    def clear(self, colour):
        self.px[:] = colour

    def paint(self, y0, y1, x0, x1, pixels):
        """A textured strip (floors, blocks) or a colour, written as is."""
        self.px[y0:y1, x0:x1] = pixels

    def rect(self, x0, y0, x1, y1, colour, alpha=1.0):
        x0, x1 = int(max(0, min(x0, x1))), int(min(self.w, max(x0, x1)))
        y0, y1 = int(max(0, min(y0, y1))), int(min(self.h, max(y0, y1)))
        if x1 > x0 and y1 > y0:
            region = self.px[y0:y1, x0:x1]
            region[:] = region * (1 - alpha) + np.asarray(colour, np.float32) * alpha

    def _box(self, x0, y0, x1, y1):
        """Integer bounds of a shape, clipped to the canvas (None when off-canvas)."""
        bx0, by0 = max(0, int(x0) - 1), max(0, int(y0) - 1)
        bx1, by1 = min(self.w, int(x1) + 2), min(self.h, int(y1) + 2)
        return None if bx1 <= bx0 or by1 <= by0 else (bx0, by0, bx1, by1)

    def _blend(self, box, m, colour, alpha):
        x0, y0, x1, y1 = box
        a = (m.astype(np.float32) * alpha)[..., None]
        region = self.px[y0:y1, x0:x1]
        region[:] = region * (1 - a) + np.asarray(colour, np.float32) * a

    def _grid(self, box):
        x0, y0, x1, y1 = box
        return self.xx[y0:y1, x0:x1], self.yy[y0:y1, x0:x1]

    def circle(self, cx, cy, r, colour, alpha=1.0):
        self.ellipse(cx, cy, r, r, colour, alpha)

    def ellipse(self, cx, cy, rx, ry, colour, alpha=1.0):
        box = self._box(cx - rx, cy - ry, cx + rx, cy + ry)
        if box:
            xx, yy = self._grid(box)
            self._blend(box, ((xx - cx) / max(rx, 1e-3)) ** 2 + ((yy - cy) / max(ry, 1e-3)) ** 2 <= 1, colour, alpha)

    def line(self, x0, y0, x1, y1, width, colour, alpha=1.0):
        box = self._box(min(x0, x1) - width, min(y0, y1) - width, max(x0, x1) + width, max(y0, y1) + width)
        if not box:
            return
        xx, yy = self._grid(box)
        dx, dy = x1 - x0, y1 - y0
        length2 = max(dx * dx + dy * dy, 1e-6)
        t = np.clip(((xx - x0) * dx + (yy - y0) * dy) / length2, 0, 1)
        d2 = (xx - (x0 + t * dx)) ** 2 + (yy - (y0 + t * dy)) ** 2
        self._blend(box, d2 <= (width / 2) ** 2, colour, alpha)

    def polygon(self, points, colour, alpha=1.0):
        """Convex polygon (points in order)."""
        pts = list(points)
        box = self._box(min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))
        if not box:
            return
        xx, yy = self._grid(box)
        area = sum((qx - px) * (qy + py) for (px, py), (qx, qy) in zip(pts, pts[1:] + pts[:1]))
        sign = -1 if area > 0 else 1
        inside = np.ones(xx.shape, bool)
        for (ax, ay), (bx, by) in zip(pts, pts[1:] + pts[:1]):
            inside &= ((bx - ax) * (yy - ay) - (by - ay) * (xx - ax)) * sign >= 0
        self._blend(box, inside, colour, alpha)

    def flash(self, amount, colour=(1, 1, 1)):
        self.px[:] = self.px * (1 - amount) + np.asarray(colour, np.float32) * amount

    def rgb24(self):
        return (np.clip(self.px, 0, 1) * 255 + 0.5).astype(np.uint8)


def texture(rng, material, width, height):
    """A floor/ground strip for a material: base colour with a pattern that identifies it."""
    base = np.asarray(MATERIAL_COLOURS.get(material, (0.5, 0.5, 0.5)), np.float32)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    noise = rng.random((height, width)).astype(np.float32)
    if material == "wood":
        shade = 0.85 + 0.15 * np.sin(xx * 0.9 + 3 * np.sin(yy * 0.3)) - 0.25 * (xx % 16 < 1)
    elif material in ("stone", "tile"):
        step = 10 if material == "stone" else 8
        grout = ((yy % step) < 1) | (((xx + (yy // step % 2) * step / 2) % (2 * step)) < 1)
        shade = 0.9 + 0.1 * noise - 0.35 * grout
    elif material == "metal":
        shade = 0.8 + 0.25 * np.sin(xx * 0.15) ** 2 - 0.2 * ((xx % 24) < 1)
    elif material in ("gravel", "dirt", "earth", "sand"):
        amount = {"gravel": 0.5, "dirt": 0.3, "earth": 0.3, "sand": 0.12}[material]
        shade = 1 - amount / 2 + amount * noise
    elif material == "grass":
        shade = 0.7 + 0.4 * (noise > 0.6) * (yy % 3 < 2)
    elif material == "carpet":
        shade = 0.85 + 0.15 * ((xx + yy) % 4 < 2)
    else:
        shade = 0.92 + 0.08 * noise
    return np.clip(base[None, None, :] * shade[..., None], 0, 1).astype(np.float32)
