#!/usr/bin/env python3
"""Generate the demo shop's event cover images in app/demo-covers/.

This script generated the committed JPEGs (1200x675, quality 80). Every scene
is drawn procedurally (gradients, soft light, bokeh, silhouettes, haze, grain;
no text, letters or logos) with fixed random seeds, so a re-run reproduces them.

Run from the repository root:  python3 scripts/demo-covers.py [name ...]
Needs Pillow and numpy (pip install pillow numpy).
"""
import io
import math
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

W, H = 1200, 675
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "app", "demo-covers")
F = np.float32
YY, XX = np.mgrid[0:H, 0:W].astype(F)

def C(*c):
    return np.array(c, F)

def blur(a, s, sy=None):
    """Gaussian blur (sigma s, optional vertical sigma sy) via FFT with reflected edges."""
    sy = s if sy is None else sy
    px, py = int(min(3 * s + 2, a.shape[1] - 1)), int(min(3 * sy + 2, a.shape[0] - 1))
    b = np.pad(a, [(py, py), (px, px)] + [(0, 0)] * (a.ndim - 2), mode="reflect")
    h, w = b.shape[:2]
    k = np.exp(-2 * np.pi ** 2 * ((s * np.fft.rfftfreq(w)[None, :]) ** 2 + (sy * np.fft.fftfreq(h)[:, None]) ** 2))
    k = k[..., None] if a.ndim == 3 else k
    out = np.fft.irfft2(np.fft.rfft2(b, axes=(0, 1)) * k, s=(h, w), axes=(0, 1))
    return out[py:py + a.shape[0], px:px + a.shape[1]].astype(F)

def noise(rng, cell, octaves=4, aspect=1.0, w=W, h=H):
    """Smooth fractal value noise in [0, 1]; aspect > 1 stretches it horizontally."""
    out, amp = np.zeros((h, w), F), 1.0
    for o in range(octaves):
        c = cell / 2 ** o
        g = rng.random((int(h / c) + 3, int(w / (c * aspect)) + 3)).astype(F)
        out += amp * np.asarray(Image.fromarray(g, "F").resize((w, h), Image.BICUBIC))
        amp *= 0.5
    return (out - out.min()) / (out.max() - out.min() + 1e-6)

def line_noise(rng, cell, octaves=5, n=W):
    out, amp = np.zeros(n, F), 1.0
    for o in range(octaves):
        c = max(2.0, cell / 2 ** o)
        k = int(n / c) + 2
        out += amp * np.interp(np.arange(n) / c, np.arange(k), rng.random(k) * 2 - 1)
        amp *= 0.5
    return out

def smooth(e0, e1, x):
    t = np.clip((x - e0) / (e1 - e0), 0, 1)
    return t * t * (3 - 2 * t)

def vgrad(stops):
    t = np.linspace(0, 1, H)
    col = np.stack([np.interp(t, [p for p, _ in stops], [c[i] for _, c in stops]) for i in range(3)], -1)
    return np.repeat(col[:, None, :], W, 1).astype(F)

def glow(cx, cy, rx, ry=None, p=2.0):
    ry = rx if ry is None else ry
    return np.exp(-(np.abs((XX - cx) / rx) ** p + np.abs((YY - cy) / ry) ** p)).astype(F)

class Mask:
    """Anti-aliased shape mask, drawn supersampled with PIL."""

    def __init__(self, ss=2, w=W, h=H):
        self.s, self.w, self.h = ss, w, h
        self.im = Image.new("L", (w * ss, h * ss))
        self.d = ImageDraw.Draw(self.im)

    def P(self, pts):
        return [(x * self.s, y * self.s) for x, y in pts]

    def poly(self, pts, v=255):
        self.d.polygon(self.P(pts), fill=v)

    def ell(self, cx, cy, rx, ry=None, v=255, width=0):
        ry, s = (rx if ry is None else ry), self.s
        box = [(cx - rx) * s, (cy - ry) * s, (cx + rx) * s, (cy + ry) * s]
        if width:
            self.d.ellipse(box, outline=v, width=max(1, round(width * s)))
        else:
            self.d.ellipse(box, fill=v)

    def rect(self, x0, y0, x1, y1, v=255):
        x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        self.d.rectangle([x0 * self.s, y0 * self.s, x1 * self.s, y1 * self.s], fill=v)

    def line(self, pts, w, v=255):
        self.d.line(self.P(pts), fill=v, width=max(1, round(w * self.s)), joint="curve")
        if w >= 2:
            for x, y in (pts[0], pts[-1]):
                self.ell(x, y, w / 2, v=v)

    def get(self, b=0):
        a = np.asarray(self.im.resize((self.w, self.h), Image.BOX), F) / 255
        return blur(a, b) if b else a

def over(img, m, col, wrap=0.0):
    """Composite colour col through mask m; wrap adds backlight bleeding over the edges."""
    bg = blur(img, 5) if wrap else None
    mm = m[..., None]
    img *= 1 - mm
    img += mm * col
    if wrap:
        edge = np.clip(m * (1 - blur(m, 2.5)) * 2.2, 0, 1)
        img += wrap * edge[..., None] * bg

def add(img, m, col, k=1.0):
    img += (k * m)[..., None] * np.asarray(col, F)

def rim(m, dx, dy, b=0.8):
    return blur(np.clip(m - np.roll(np.roll(m, dy, 0), dx, 1), 0, 1), b)

def discs(img, items, soft=1.0, ring=0.4):
    """Bokeh: items of (x, y, r, colour, alpha) as soft discs with a brighter rim."""
    layer = np.zeros((H, W, 3), F)
    for cx, cy, r, col, a in items:
        xa, xb, ya, yb = int(max(0, cx - r - 2)), int(min(W, cx + r + 3)), int(max(0, cy - r - 2)), int(min(H, cy + r + 3))
        if xa >= xb or ya >= yb:
            continue
        d = np.hypot(XX[ya:yb, xa:xb] - cx, YY[ya:yb, xa:xb] - cy)
        disc = np.clip(r - d + 0.5, 0, 1) * (1 + ring * smooth(0.55 * r, r, d))
        layer[ya:yb, xa:xb] += (a * disc)[..., None] * np.asarray(col, F)
    img += blur(layer, soft) if soft else layer

def bokeh(img, rng, n, box, r, cols, a, soft=1.0):
    x0, y0, x1, y1 = box
    discs(img, [(rng.uniform(x0, x1), rng.uniform(y0, y1), rng.uniform(*r), cols[rng.integers(len(cols))],
                 rng.uniform(*a)) for _ in range(n)], soft)

def bust(m, x, y, s, v=255):
    """Audience member seen from behind: head and shoulders; y is the shoulder line."""
    m.ell(x, y - 1.55 * s, 0.8 * s, 1.0 * s, v=v)
    m.rect(x - 0.4 * s, y - 0.9 * s, x + 0.4 * s, y, v=v)
    m.ell(x, y + 0.8 * s, 2.1 * s, 1.0 * s, v=v)
    m.rect(x - 2.1 * s, y + 0.8 * s, x + 2.1 * s, H + 5, v=v)

def person(m, x, yf, h, arms=(15, 15), bend=(0, 0), v=255):
    """Standing figure, feet at yf; arm angles in degrees from hanging down (outwards positive)."""
    m.ell(x, yf - 0.915 * h, 0.062 * h, 0.075 * h, v=v)
    m.poly([(x - 0.12 * h, yf - 0.81 * h), (x + 0.12 * h, yf - 0.81 * h), (x + 0.09 * h, yf - 0.46 * h),
            (x - 0.09 * h, yf - 0.46 * h)], v=v)
    m.ell(x, yf - 0.8 * h, 0.12 * h, 0.035 * h, v=v)
    for sd in (-1, 1):
        m.line([(x + sd * 0.05 * h, yf - 0.5 * h), (x + sd * 0.07 * h, yf - 0.03 * h)], 0.08 * h, v=v)
    hands = []
    for sd, a, b in zip((-1, 1), arms, bend):
        sx, sy = x + sd * 0.1 * h, yf - 0.78 * h
        r1, r2 = math.radians(a), math.radians(a + b)
        ex, ey = sx + sd * math.sin(r1) * 0.19 * h, sy + math.cos(r1) * 0.19 * h
        hx, hy = ex + sd * math.sin(r2) * 0.18 * h, ey + math.cos(r2) * 0.18 * h
        m.line([(sx, sy), (ex, ey), (hx, hy)], 0.05 * h, v=v)
        hands.append((hx, hy))
    return hands

def crowd(m, rng, y, s, x0=-40, x1=W + 40, hands=0.0, gap=4.6):
    x, heads = x0 + rng.uniform(0, gap * s), []
    while x < x1:
        yy, ss = y + rng.uniform(-0.4, 0.4) * s, s * rng.uniform(0.85, 1.12)
        bust(m, x, yy, ss)
        heads.append((x, yy - 1.55 * ss, ss))
        for sd in (-1, 1):
            if rng.random() < hands:
                hx, hy = x + sd * ss * rng.uniform(1.8, 3.6), yy - ss * rng.uniform(4.0, 6.0)
                m.line([(x + sd * 1.4 * ss, yy + 0.3 * ss), (x + sd * 2.0 * ss, yy - 1.8 * ss), (hx, hy)], 0.6 * ss)
                m.ell(hx, hy - 0.3 * ss, 0.35 * ss, 0.5 * ss)
        x += gap * s * rng.uniform(0.75, 1.25)
    return heads

def catenary(a, b, sag, n=60):
    return [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t + sag * 4 * t * (1 - t)) for t in np.linspace(0, 1, n)]

def reflect(img, hz, rng, amp=6.0, k=1.0):
    """Mirror everything above row hz into the rows below it, with horizontal ripples."""
    ys = np.arange(H)
    src = np.clip(hz - (ys - hz) * k - 1, 0, H - 1).astype(int)
    dist = np.clip((YY - hz) / (H - hz), 0, 1)
    dx = (noise(rng, 14, 3, aspect=10) - 0.5) * amp * (0.3 + 3 * dist)
    idx = np.clip(XX + dx, 0, W - 1).astype(int)
    water = img[src[:, None], idx]
    sel = ys > hz
    img[sel] = blur(water, 4, 0.6)[sel]

def finish(img, name, seed, vig=0.5, bloom=0.3, budget=90 * 1024):
    """Bloom, vignette, highlight roll-off and film grain; the grain (then the quality)
    steps down until the JPEG fits the size budget."""
    rng = np.random.default_rng(seed + 7919)
    br = np.clip(img - 0.7, 0, None)
    img = img + bloom * blur(br, 14) + 0.5 * bloom * blur(br, 50)
    r = np.hypot((XX - W / 2) / (W / 2), (YY - H / 2) / (H / 2)) / math.sqrt(2)
    img *= (1 - vig * smooth(0.25, 1.0, r) ** 1.3)[..., None]
    img = np.maximum(img, 0)
    img = np.where(img > 0.8, 0.8 + 0.2 * (1 - np.exp(-(img - 0.8) / 0.2)), img) + 0.006
    g = blur(rng.standard_normal((H, W)).astype(F), 0.7)
    g = (g / g.std())[..., None] * (0.5 + 1.5 * img.mean(-1, keepdims=True) * (1 - img.mean(-1, keepdims=True)))
    dith = rng.random((H, W, 1)) - 0.5
    for q, grain in [(80, k) for k in (0.016, 0.012, 0.009, 0.006, 0.003)] + [(q, 0.003) for q in (77, 74, 71)]:
        out = Image.fromarray(np.clip((img + grain * g) * 255 + dith, 0, 255).astype(np.uint8))
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=q, optimize=True, progressive=True)
        if buf.tell() <= budget:
            break
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(buf.getvalue())
    print(f"{name}: {buf.tell() / 1024:.0f} KB (quality {q}, grain {grain})")


# ---------------------------------------------------------------- scenes

def midnight_orchestra(rng):
    img = vgrad([(0, C(.01, .015, .05)), (.45, C(.03, .045, .11)), (1, C(.008, .01, .03))]); haze = noise(rng, 200, 5)
    arch = [(255, 475), (255, 200)] + [(600 - 345 * math.cos(t), 200 - 95 * math.sin(t)) for t in np.linspace(0, math.pi, 40)] + [(945, 200), (945, 475)]
    op = Mask(); op.poly(arch); opm = op.get(0.8)
    stage = vgrad([(0, C(.04, .025, .02)), (.3, C(.12, .07, .04)), (.55, C(.42, .24, .09)), (.66, C(.5, .28, .1)), (1, C(.1, .05, .02))])
    stage *= (0.8 + 0.35 * noise(rng, 120, 3))[..., None]
    for gx in (380, 600, 820): stage += glow(gx, 400, 150, 120)[..., None] * C(.45, .25, .08)
    pipes = Mask()
    for i, x in enumerate(range(392, 812, 15)):
        top = 180 + 55 * abs(math.cos((x - 600) / 210 * math.pi)) + 10 * (i % 2)
        pipes.rect(x, top, x + 9, 330); pipes.ell(x + 4.5, top, 4.5, 6)
    pm = pipes.get()
    shade = (0.3 + 0.7 * np.cos(((XX - 392) % 15) / 9 * math.pi - 0.6) ** 4) * (0.25 + smooth(160, 340, YY))
    add(stage, pm * shade, C(.5, .36, .15), .7); over(img, opm, stage)
    add(img, blur(opm, 40) * (1 - opm), C(.18, .1, .05))
    add(img, np.clip(blur(opm, 1.5) - opm, 0, 1) * 3 * smooth(480, 150, YY), C(.6, .42, .18))
    for sd in (-1, 1):  # balcony tiers with small lamps
        for j, y in enumerate((250, 345, 440)):
            xs = np.linspace(0, 250, 30) if sd < 0 else np.linspace(950, 1200, 30)
            pts = [(x, y + 18 * abs(x - (0 if sd < 0 else W)) / 250) for x in xs]
            b = Mask(); b.line(pts, 16); add(img, b.get(1), C(.05, .06, .1)); add(img, rim(b.get(), 0, 2), C(.4, .28, .1), .5)
            discs(img, [(x, y - 14, 2.2, C(1, .7, .35), .9) for x, _ in pts[2::4]], 0.8)
    beams = Mask()
    for bx in (430, 600, 770): beams.poly([(bx - 8, 120), (bx + 8, 120), (bx + 90, 440), (bx - 90, 440)])
    add(img, beams.get(12) * (0.5 + haze) * smooth(100, 440, YY), C(.5, .35, .15), .35)
    floor = Mask(); floor.poly([(255, 432), (945, 432), (1000, 478), (200, 478)])
    over(img, floor.get(0.7), vgrad([(.64, C(.12, .06, .03)), (.71, C(.34, .19, .08))]))
    add(img, glow(600, 520, 520, 70), C(.12, .07, .04)); add(img, glow(600, 455, 300, 25), C(.4, .24, .08))
    orch = Mask()
    for k, (yb, h) in enumerate(((405, 38), (420, 44), (438, 50), (458, 56))):
        xs = np.arange(290 + 12 * k, 910 - 12 * k, 30 + 4 * k)
        for x in xs + rng.uniform(-4, 4, len(xs)):
            if k == 3 and abs(x - 600) < 60: continue
            orch.ell(x, yb - 0.8 * h, 0.09 * h, 0.11 * h)
            orch.poly([(x - 0.16 * h, yb - 0.66 * h), (x + 0.16 * h, yb - 0.66 * h), (x + 0.14 * h, yb - 0.2 * h), (x - 0.15 * h, yb - 0.2 * h)])
            orch.rect(x - 0.2 * h, yb - 0.25 * h, x + 0.22 * h, yb); sx = x + rng.choice((-1, 1)) * 0.42 * h
            orch.line([(sx, yb), (sx, yb - 0.5 * h)], 1.6); orch.poly([(sx - 0.14 * h, yb - 0.68 * h), (sx + 0.14 * h, yb - 0.6 * h), (sx + 0.14 * h, yb - 0.45 * h), (sx - 0.14 * h, yb - 0.53 * h)])
            if k >= 2 and (x < 420 or x > 790):  # cellos
                orch.ell(x + 0.12 * h, yb - 0.3 * h, 0.15 * h, 0.24 * h); orch.line([(x + 0.12 * h, yb - 0.3 * h), (x + 0.05 * h, yb - 1.0 * h)], 2)
            elif rng.random() < 0.6:  # bows
                a = rng.uniform(-0.6, 0.3)
                orch.line([(x + 0.1 * h, yb - 0.6 * h), (x + 0.1 * h + math.cos(a) * 0.7 * h, yb - 0.6 * h - math.sin(a) * 0.7 * h)], 1.2)
    for x in (930, 955):  # double basses
        orch.ell(x, 400, 16, 32); orch.line([(x, 390), (x - 6, 310)], 3)
    hands = person(orch, 600, 492, 118, arms=(125, 100), bend=(25, 30))
    orch.line([hands[1], (hands[1][0] + 40, hands[1][1] - 30)], 1.2); orch.rect(575, 482, 625, 495); om = orch.get()
    over(img, om, C(.015, .012, .02), wrap=0.9); add(img, rim(om, 0, 2) * smooth(300, 470, YY), C(1, .7, .35), .45)
    add(img, (haze ** 2) * glow(600, 330, 420, 200), C(.25, .15, .07), .6)
    aud = Mask(); crowd(aud, rng, 528, 15, gap=3.6); a1 = aud.get(1.5); over(img, a1, C(.01, .012, .025), wrap=0.5)
    aud = Mask(); crowd(aud, rng, 650, 27, gap=3.5); a2 = aud.get(4); over(img, a2, C(.005, .006, .015), wrap=0.3)
    bokeh(img, rng, 18, (0, 0, 260, 200), (14, 40), [C(1, .7, .35), C(1, .6, .25)], (.12, .35), 2.5)
    bokeh(img, rng, 18, (940, 0, 1200, 200), (14, 40), [C(1, .7, .35), C(1, .6, .25)], (.12, .35), 2.5)
    bokeh(img, rng, 40, (0, 0, W, 170), (3, 9), [C(1, .78, .45)], (.2, .6), 1)
    return img

def screen_rust(w, h, rng):
    y, x = np.mgrid[0:h, 0:w].astype(F); t = (x / w * 0.6 + y / h * 0.4)[..., None]
    s = C(.5, .13, .04) * (1 - t) + C(1, .5, .14) * t
    for k in range(6):
        c = h * (0.25 + 0.11 * k) + 38 * np.sin(x / (90 + 25 * k) + k * 1.3)
        s += (np.exp(-((y - c) / (4 + 3 * k)) ** 2) * (0.35 - 0.04 * k))[..., None] * C(1, .8, .5)
    s += (np.exp(-(((x - 0.72 * w) / 110) ** 2 + ((y - 0.38 * h) / 90) ** 2)) * 0.6)[..., None] * C(1, .85, .55)
    return s

def screen_data(w, h, rng):
    m_bar, m_line, m_grid = Mask(2, w, h), Mask(2, w, h), Mask(2, w, h)
    for gy in np.linspace(0.2 * h, 0.85 * h, 6): m_grid.line([(0.06 * w, gy), (0.94 * w, gy)], 1)
    for i, v in enumerate(rng.uniform(0.25, 1, 9)):
        x0 = 0.07 * w + i * 0.043 * w; m_bar.rect(x0, 0.85 * h - v * 0.55 * h, x0 + 0.028 * w, 0.85 * h)
    xs = np.linspace(0.5 * w, 0.93 * w, 24); y1 = 0.6 * h - np.cumsum(rng.normal(0.012, 0.03, 24)) * h
    y2 = 0.72 * h - np.cumsum(rng.normal(0.006, 0.02, 24)) * h
    m_line.line(list(zip(xs, y1)), 3); m2 = Mask(2, w, h); m2.line(list(zip(xs, y2)), 3)
    area = Mask(2, w, h); area.poly(list(zip(xs, y1)) + [(xs[-1], 0.85 * h), (xs[0], 0.85 * h)])
    y, x = np.mgrid[0:h, 0:w].astype(F)
    s = (C(.02, .07, .12) + (y / h)[..., None] * C(.0, .03, .05)) * np.ones((h, w, 1), F)
    s += m_grid.get()[..., None] * C(.05, .2, .25)
    s += (m_bar.get() * (0.6 + 0.5 * (1 - y / h)))[..., None] * C(.1, .75, .8)
    s += (area.get() * (1 - y / h) * 0.5)[..., None] * C(.1, .5, .7)
    for m, c in ((m_line, C(.4, 1, 1)), (m2, C(1, .4, .7))): a = m.get(); s += (a + blur(a, 4) * 1.5)[..., None] * c
    return s

def conference(rng, screen, acc, beams, laptops=False):
    img = vgrad([(0, acc * .04), (.6, acc * .06), (1, acc * .015)]); haze = noise(rng, 220, 5)
    x0, y0, x1, y1 = 290, 66, 910, 415; layer = np.zeros((H, W, 3), F)
    layer[y0:y1, x0:x1] = screen(x1 - x0, y1 - y0, rng) * 0.95
    for x in range(0, W, 48):  # acoustic wall panels catching the screen light
        p = Mask(); p.rect(x + 2, 20, x + 44, 470); add(img, p.get(1) * glow(600, 240, 700, 330), acc * 0.12 * (0.8 + 0.4 * rng.random()))
    bez = Mask(); bez.rect(x0 - 6, y0 - 6, x1 + 6, y1 + 6); over(img, bez.get(), C(.01, .01, .012))
    img += layer + 0.3 * blur(layer, 25) + 0.22 * blur(layer, 110)
    proj = Mask(); proj.poly([(590, H), (610, H), (x1, y0), (x0, y0)])
    add(img, proj.get(20) * haze ** 1.5, acc * 0.9 + 0.1, .18)
    for (bx, by, tx, c) in beams:
        b = Mask(); b.poly([(bx - 6, by), (bx + 6, by), (tx + 110, 470), (tx - 110, 470)])
        add(img, b.get(14) * (0.3 + haze) * smooth(0, 470, YY), c, .35); discs(img, [(bx, by, 9, C(1, 1, 1), 1.2)], 2)
    fl = Mask(); fl.rect(0, 440, W, 490); add(img, fl.get(2), acc * .08)
    refl = np.zeros_like(layer); refl[440:490] = layer[y1 - 50:y1][::-1]; img += blur(refl, 10, 3) * 0.25
    sp = Mask(); person(sp, 805, 462, 100, arms=(10, 45), bend=(10, 40)); sp.poly([(830, 412), (880, 412), (872, 468), (838, 468)])
    spm = sp.get(); over(img, spm, C(.015, .012, .012), wrap=0.8)
    for k, (y, s) in enumerate(((500, 7), (525, 9), (556, 12), (598, 16), (652, 22), (715, 30))):
        m = Mask(); crowd(m, rng, y, s, gap=4.9); mm = m.get(0.6 + 0.35 * k)
        over(img, mm, acc * 0.02 + 0.01 * (5 - k) * 0.02, wrap=0.6)
        add(img, rim(mm, 0, 2), acc * 0.8 + 0.2, .5 * (1 - k / 6))
        if laptops and 1 <= k <= 3:
            lp = Mask()
            for x in rng.uniform(80, 1120, 5): lp.rect(x, y + 1.3 * s, x + 2.4 * s, y + 2.8 * s)
            lm = lp.get(0.5); add(img, lm, C(.6, .85, 1), .8); add(img, blur(lm, 12), C(.4, .7, 1), 1.5)
    bokeh(img, rng, 14, (0, 0, 260, 300), (8, 26), [acc, acc * .6 + .3], (.08, .25), 2.5)
    bokeh(img, rng, 14, (940, 0, W, 300), (8, 26), [acc, acc * .6 + .3], (.08, .25), 2.5)
    return img

def rust_nation(rng):
    return conference(rng, screen_rust, C(1, .45, .15), [(140, 10, 520, C(1, .55, .2)), (1060, 10, 700, C(.7, .3, .6))])

def data_science(rng):
    return conference(rng, screen_data, C(.15, .65, .85), [(140, 10, 520, C(.2, .7, .9)), (1060, 10, 700, C(.3, .4, 1))], laptops=True)

def laughing_lighthouse(rng):
    row, bw, mort = 30, 92, 4; r = (YY // row).astype(int); off = (r % 2) * (bw // 2)
    c = ((XX + off) // bw).astype(int); tone = rng.uniform(0.7, 1.2, (H // row + 2, W // bw + 3)).astype(F)[r, c]
    hue = rng.uniform(-0.04, 0.04, (H // row + 2, W // bw + 3)).astype(F)[r, c]
    mortar = blur(((YY % row < mort) | ((XX + off) % bw < mort)).astype(F), 0.9)
    tex = noise(rng, 30, 5) * 0.5 + noise(rng, 6, 2) * 0.5
    brick = np.stack([(0.42 + hue) * tone, 0.18 * tone, 0.12 * tone], -1) * (0.75 + 0.5 * tex)[..., None]
    wall = brick * (1 - mortar[..., None]) + mortar[..., None] * C(.3, .27, .24) * (0.7 + 0.5 * tex)[..., None]
    wall *= (1 - 0.35 * blur(np.roll(mortar, 2, 0), 1))[..., None]; d = np.hypot((XX - 600) / 1.0, (YY - 300) / 0.92)
    spot = 0.05 + 1.6 * smooth(270, 190, d) + 0.35 * glow(600, 300, 420)
    light = spot[..., None] * C(1, .82, .6) + glow(1100, 100, 400)[..., None] * C(.05, .08, .2); img = wall * light
    floor = vgrad([(0, C(.2, .12, .07)), (1, C(.05, .03, .02))]) * (0.8 + 0.4 * noise(rng, 40, 3, aspect=8))[..., None]
    floor *= (0.25 + 1.6 * glow(600, 575, 250, 50))[..., None]; fm = smooth(520, 523, YY)
    img = img * (1 - fm[..., None]) + floor * fm[..., None]; haze = noise(rng, 160, 5)
    cone = Mask(); cone.poly([(560, 0), (640, 0), (840, 575), (360, 575)])
    add(img, cone.get(25) * (0.35 + haze) * smooth(-100, 600, YY), C(1, .85, .65), .22); mic = Mask()
    mic.line([(600, 565), (600, 262)], 5)
    for dx in (-48, 48, -10): mic.line([(600, 540), (600 + dx, 572 if dx != -10 else 578)], 4)
    mic.line([(600, 262), (612, 238)], 3)
    mic.poly([(606, 246), (620, 236), (640, 196), (628, 189)]); mic.ell(635, 188, 12, 13)
    mic.ell(730, 470, 42, 7); mic.line([(700, 470), (685, 578)], 4); mic.line([(760, 470), (775, 578)], 4)
    mic.line([(722, 472), (725, 580)], 4); mic.line([(690, 530), (770, 530)], 3); mm = mic.get(0.3)
    over(img, mm, C(.012, .01, .01), wrap=0.5); add(img, rim(mm, 2, 2), C(1, .8, .6), .35)
    sh = Mask(); sh.poly([(600, 572), (1100, 640), (1100, 660), (600, 580)]); sh.poly([(730, 578), (1000, 620), (1000, 640), (750, 580)])
    img *= (1 - 0.5 * sh.get(6))[..., None]
    bokeh(img, rng, 16, (0, 600, W, 700), (18, 40), [C(1, .65, .3), C(1, .5, .2)], (.15, .35), 3)
    aud = Mask(); crowd(aud, rng, 690, 26, gap=4.4); over(img, aud.get(4), C(.01, .008, .006), wrap=0.25)
    return img

def jazz_on_the_quay(rng):
    hz, sx = 400, 760
    img = vgrad([(0, C(.12, .07, .24)), (.25, C(.36, .15, .38)), (.45, C(.85, .36, .33)), (.593, C(1, .68, .34)), (1, C(1, .68, .34))])
    img += glow(sx, hz, 380, 170)[..., None] * C(.5, .25, .05) + smooth(24, 20, np.hypot(XX - sx, YY - hz + 6))[..., None] * C(1, .9, .65)
    cl = noise(rng, 180, 5, aspect=5); cm = smooth(.45, .7, cl) * smooth(40, 140, YY) * (1 - smooth(300, 375, YY))
    ccol = C(.2, .07, .2) + glow(sx, hz, 560, 260)[..., None] * C(.9, .4, .15) * (0.5 + smooth(.7, .45, cl))[..., None]
    over(img, cm * .85, ccol); hill = hz - 6 - 14 * np.abs(blur(line_noise(rng, 300, 4)[None, :], 6)[0])
    add(img, smooth(-1, 1, YY - hill[None, :]) * (YY <= hz), C(-.5, -.45, -.25), 0.9); s = Mask()
    s.rect(-5, hz - 8, 440, hz + 24)
    for x0, x1, hgt in ((-5, 120, 115), (120, 235, 82), (235, 310, 60)):
        s.poly([(x0, hz - 8), (x0, hz - hgt), ((x0 + x1) / 2, hz - hgt - 28), (x1, hz - hgt), (x1, hz - 8)])
    for lx in (95, 260, 410): s.line([(lx, hz - 8), (lx, hz - 80)], 3)
    for i, x in enumerate(rng.uniform(330, 430, 5)): person(s, x, hz - 6, 34 + 4 * rng.random(), arms=(20, 30))
    s.ell(348, hz - 24, 7, 14); s.line([(348, hz - 30), (349, hz - 52)], 2)
    for bx, mh, L in ((900, 210, 170), (1090, 160, 130), (680, 0, 90)):
        s.poly([(bx - L / 2, hz + 2), (bx + L / 2 + 8, hz + 2), (bx + L / 2 - 6, hz + 14), (bx - L / 2 + 6, hz + 14)])
        if mh:
            s.line([(bx - 8, hz + 2), (bx - 8, hz - mh)], 2.5); s.line([(bx - 8, hz - mh), (bx + L / 2, hz)], 1); s.line([(bx - 8, hz - mh), (bx - L / 2, hz)], 1)
            s.line([(bx - 8, hz - 20), (bx + L / 2 - 18, hz - 12)], 2.5)
        else:
            s.rect(bx - 25, hz - 14, bx + 20, hz + 2)
    sm = s.get(0.4); over(img, sm, C(.06, .025, .07)); wins = Mask()
    for x in range(10, 300, 22):
        for y in range(hz - 60, hz - 12, 20):
            if rng.random() < 0.45: wins.rect(x, y, x + 8, y + 10)
    add(img, wins.get(0.5) * sm, C(1, .72, .35), 1.1)
    discs(img, [(lx, hz - 82, 5, C(1, .8, .5), 1.5) for lx in (95, 260, 410)] + [(892, hz - 212, 2.5, C(1, .2, .15), 1.5)], 1)
    add(img, glow(95, hz - 82, 40) + glow(260, hz - 82, 40) + glow(410, hz - 82, 40), C(.5, .3, .1), .5)
    reflect(img, hz + 14, rng, amp=7); wd = smooth(hz, H, YY); img *= (0.82 - 0.45 * wd)[..., None] * C(.9, .9, 1.05)
    gl = smooth(.6, .82, noise(rng, 5, 2, aspect=7)) * np.exp(-((XX - sx) / (25 + (YY - hz) * 0.55)) ** 2) * (YY > hz + 14)
    add(img, gl, C(1, .7, .35), 1.3)
    for a, b, sag, sz in (((-20, 40), (640, 30), 80, 3.5), ((600, 30), (1220, 55), 75, 3.5), ((-30, 170), (420, -30), 55, 9)):
        pts = catenary(a, b, sag)
        wm = Mask(); wm.line(pts, 1.3 if sz < 5 else 2.5); over(img, wm.get(0 if sz < 5 else 2.5), C(.04, .02, .04))
        bulbs = [(x, y + sz * 1.2, sz, C(1, .75, .4), 1.6 if sz < 5 else .6) for x, y in pts[2::4 if sz < 5 else 6]]
        discs(img, bulbs, 0.8 if sz < 5 else 2.5)
        for x, y, *_ in bulbs: add(img, glow(x, y, 5 * sz), C(1, .6, .25), .25)
    return img

def silent_disco(rng):
    img = vgrad([(0, C(.01, .015, .035)), (.55, C(.03, .04, .075)), (1, C(.01, .01, .02))]); haze = noise(rng, 200, 5)
    win = Mask()
    for cx in (170, 450, 750, 1030): win.rect(cx - 62, 230, cx + 62, 480); win.ell(cx, 230, 62, 62)
    wm = win.get(0.6); mull = ((np.abs((XX + 25) % 41 - 20) < 1.5) | (np.abs(YY % 52 - 26) < 1.5)).astype(F)
    add(img, wm * (1 - 0.7 * mull) * (0.3 + 0.5 * smooth(480, 170, YY)), C(.1, .15, .28))
    add(img, blur(wm, 30), C(.05, .08, .16))
    for cx in (310, 600, 890):
        col = Mask(); col.rect(cx - 26, 150, cx + 26, 520)
        over(img, col.get(0.5), C(.04, .05, .08) * (0.6 + 0.8 * np.abs(np.sin((XX - cx) / 26))[..., None]))
    washes = glow(260, 640, 380, 260)[..., None] * C(.1, .25, .7) + glow(950, 640, 380, 260)[..., None] * C(.7, .1, .2) + glow(620, 700, 320, 220)[..., None] * C(.1, .6, .35)
    img += washes * (0.4 + 0.8 * haze[..., None]); bone = Mask(); xs = np.linspace(340, 1120, 48)
    ys = 112 + 34 * np.sin((xs - 340) / 780 * math.pi) + 0.04 * (xs - 340)
    for i, (x, y) in enumerate(zip(xs, ys)):
        s = 15 * (1 - 0.7 * i / 48)
        bone.ell(x, y, 0.5 * s, 0.8 * s); bone.line([(x, y), (x + 3, y - 1.7 * s)], 0.3 * s + 1)
        if 2 <= i <= 16:
            L = 60 + 125 * math.sin(math.pi * (i - 1) / 16)
            bone.line([(x + 0.45 * L * u ** 1.6, y + 0.95 * L * math.sin(u * math.pi / 2)) for u in np.linspace(0, 1, 12)], 4.5)
        if i % 12 == 6:  # suspension cables
            bone.line([(x, 0), (x, y)], 0.8)
    ts = np.linspace(0, 1, 24)
    bone.poly([(95 + 265 * t, 132 - 50 * t ** 0.8 - 9 * math.sin(math.pi * t)) for t in ts] + [(95 + 265 * t, 139 + 4 * t + 10 * t ** 6) for t in ts[::-1]])
    bone.line([(345, 156), (290, 178), (220, 184), (150, 172), (102, 150)], 8)
    bone.poly([(372, 132), (410, 128), (402, 196), (384, 200)]); bone.line([(392, 196), (404, 262)], 7)
    for k in range(5):  # flipper
        bone.line([(404, 262), (392 + 9 * k, 300 + 6 * k), (380 + 14 * k, 340 + 10 * k)], 4)
    bm = bone.get(0.4); under = blur(washes, 50) * 2.5
    tex = (0.55 + 0.7 * noise(rng, 14, 3))[..., None]
    over(img, bm, (C(.1, .1, .12) + under * (0.2 + 0.9 * smooth(90, 300, YY))[..., None]) * tex, wrap=0.5)
    add(img, rim(bm, 0, -2) * 1.5, C(.5, .55, .75), .5); cols = [C(.2, .55, 1), C(.2, 1, .45), C(1, .2, .3)]
    for k, (y, s) in enumerate(((505, 8), (540, 11), (590, 15), (655, 21), (745, 30))):
        m = Mask(); heads = crowd(m, rng, y, s, gap=4.3, hands=0.4); mm = m.get(0.5 + 0.5 * k)
        over(img, mm, C(.01, .01, .018), wrap=0.6); img += rim(mm, 0, 2)[..., None] * blur(washes, 20) * .8
        phs = [Mask(), Mask(), Mask()]
        for hx, hy, hs in heads:
            if rng.random() < 0.9:
                ph = phs[rng.integers(3)]
                ph.ell(hx, hy - 0.05 * hs, 0.92 * hs, 1.1 * hs, width=0.14 * hs); ph.rect(hx - 1.2 * hs, hy + 0.05 * hs, hx + 1.2 * hs, hy + 2 * hs, v=0)
                ph.ell(hx - 0.84 * hs, hy + 0.15 * hs, 0.2 * hs, 0.32 * hs); ph.ell(hx + 0.84 * hs, hy + 0.15 * hs, 0.2 * hs, 0.32 * hs)
        for ph, c in zip(phs, cols):
            pm = ph.get(0.3 + 0.5 * k)
            img += (pm * 1.2 + blur(pm, 3 + 2 * k) * 1.5 + blur(pm, 25) * 2.5)[..., None] * c
    return img

def berlin_techno(rng):
    img = vgrad([(0, C(.02, .015, .035)), (.5, C(.05, .02, .06)), (1, C(.01, .005, .015))]); haze = noise(rng, 180, 5)
    img += (glow(600, 300, 520, 280) * (0.3 + haze))[..., None] * C(.3, .04, .28) + (glow(150, 200, 300) * haze)[..., None] * C(.05, .08, .3)
    tr = Mask()
    for y in (34, 78): tr.line([(-10, y), (W + 10, y + 8)], 4)
    for x in range(-10, W, 44): tr.line([(x, 35 + x / 150), (x + 22, 79 + x / 150), (x + 44, 35 + (x + 44) / 150)], 1.8)
    for x in (90, 1110): tr.poly([(x - 34, 0), (x + 34, 0), (x + 40, H), (x - 40, H)])
    tm = tr.get(0.5); over(img, tm, C(.015, .012, .02)); add(img, rim(tm, 0, -2), C(.5, .15, .5), .6); sx, sy = 600, 300
    for cols, angs in ((C(.2, 1, .35), np.linspace(-172, -8, 23)), (C(1, .15, .3), np.linspace(-160, -20, 9) + 3), (C(.2, .8, 1), [-178, -2, 8, 172, 20, 160])):
        L = Mask()
        for a in angs:
            L.line([(sx, sy), (sx + 1600 * math.cos(math.radians(a)), sy + 1600 * math.sin(math.radians(a)))], 1.4)
        lm = L.get() * (0.35 + 1.1 * haze) * np.exp(-np.hypot(XX - sx, YY - sy) / 1000)
        img += (blur(lm, 0.7) * 1.4 + blur(lm, 4) * 1.2 + blur(lm, 16) * 0.7)[..., None] * cols
    add(img, glow(sx, sy, 40) * 1.6 + glow(sx, sy, 160, 90) * .5, C(.8, 1, .85))
    dj = Mask(); dj.rect(470, 318, 730, 380)
    for x in (560, 640): person(dj, x, 370, 90, arms=(40 if x < 600 else 150, 30), bend=(60, 10))
    over(img, dj.get(0.5), C(.01, .01, .015), wrap=0.9)
    for k, (y, s) in enumerate(((420, 7), (450, 9), (490, 12), (540, 16), (605, 21), (690, 30))):
        m = Mask(); crowd(m, rng, y, s, gap=4.2, hands=0.35); mm = m.get(0.5 + 0.4 * k)
        over(img, mm, C(.008, .005, .012), wrap=0.15)
        add(img, rim(mm, 0, 2), C(.3, 1, .5), .35 * (1 - k / 7))
    return img

def nordic_folk(rng):
    img = vgrad([(0, C(.09, .14, .28)), (.3, C(.33, .42, .6)), (.52, C(.9, .72, .6)), (.62, C(1, .8, .62)), (1, C(1, .8, .62))])
    band = np.exp(-((YY - 80 - 40 * np.sin(XX / 260)) / 55) ** 2) * smooth(.35, .8, noise(rng, 60, 2, aspect=0.2))
    add(img, blur(band, 6, 14), C(.15, .7, .45), .22); add(img, glow(700, 410, 320, 120), C(.45, .3, .15)); water = 440
    for k, (base, amp, col) in enumerate(((300, 90, C(.55, .56, .7)), (345, 60, C(.4, .42, .56)), (385, 45, C(.27, .3, .42)), (420, 30, C(.16, .19, .3)))):
        rid = base - amp * (0.5 + 0.5 * line_noise(rng, 420 - 60 * k, 6)); m = smooth(-1, 1, YY - rid[None, :])
        over(img, m, col * (1.1 - 0.3 * smooth(base - amp, water, YY))[..., None])
        add(img, np.exp(-((YY - base - 12) / 22) ** 2) * (0.4 + noise(rng, 120, 4, aspect=4)), C(.85, .75, .75), .35)
    reflect(img, water, rng, amp=4); img[water:] *= C(.7, .75, .85)
    gnd = water + 110 - 60 * smooth(400, 0, XX) ** 1.5 - 80 * smooth(820, 1200, XX) + 6 * line_noise(rng, 80, 4)[None, :]
    gm = smooth(-1, 1, YY - gnd); tm = Mask()
    for x in np.arange(-10, W + 10, 16) + rng.uniform(-6, 6, 77):
        if 440 < x < 780 and rng.random() < 0.85: continue
        yb = float(gnd[0, int(np.clip(x, 0, W - 1))]) + 4
        h = rng.uniform(50, 120) * (1.3 if (x < 250 or x > 1000) else 0.8)
        for j in range(6):
            t = j / 6
            tm.poly([(x, yb - h * (0.3 + 0.7 * t) - h * 0.2), (x - h * 0.22 * (1 - t) - 3, yb - h * 0.75 * t), (x + h * 0.22 * (1 - t) + 3, yb - h * 0.75 * t)])
    fx = 610; fy = float(gnd[0, fx]) + 3
    for x in (560, 585, 645, 668): person(tm, x, fy + 4, rng.uniform(46, 56), arms=(15, 20))
    shape = np.clip(gm + tm.get(0.4), 0, 1); over(img, shape, C(.02, .025, .035), wrap=0.5)
    add(img, glow(fx, fy, 180, 70) * shape, C(.9, .4, .12), .6)
    add(img, glow(fx, fy - 20, 120, 90), C(1, .45, .12), .45); fl = Mask()
    for i in range(7):
        dx, hgt = rng.uniform(-14, 14), rng.uniform(20, 42)
        fl.poly([(fx + dx - 9, fy), (fx + dx + 9, fy), (fx + dx + rng.uniform(-5, 5), fy - hgt)])
    fm = fl.get(1.2); img += (fm * 1.6 + blur(fm, 6))[..., None] * C(1, .6, .2)
    sparks = [(fx + rng.normal(0, 20 + (i % 10) * 4), fy - 30 - rng.uniform(0, 150), rng.uniform(0.8, 1.6), C(1, .7, .3), 1.5) for i in range(40)]
    discs(img, sparks, 0.6)
    add(img, np.exp(-((XX - fx) / 14) ** 2) * smooth(water, water + 50, YY) * (YY < gnd) * smooth(.5, .8, noise(rng, 4, 2, aspect=5)), C(1, .5, .2), .6)
    return img

def shakespeare_tempest(rng):
    img = vgrad([(0, C(.05, .07, .1)), (.4, C(.16, .2, .24)), (.6, C(.1, .14, .16)), (1, C(.02, .02, .02))])
    cl = noise(rng, 140, 5, aspect=2); add(img, smooth(.45, .85, cl) * (YY < 400), C(.25, .25, .28), .6)
    add(img, glow(820, 180, 140, 90), C(.35, .45, .6), .6)
    sea = Mask(); sea.poly([(0, 405)] + [(x, 400 + 10 * math.sin(x / 37) + 7 * math.sin(x / 13)) for x in range(0, W + 1, 10)] + [(W, 480), (0, 480)])
    over(img, sea.get(1), C(.05, .1, .11) * (0.7 + 0.6 * noise(rng, 20, 3, aspect=3))[..., None])
    ship = Mask(); ship.poly([(650, 392), (760, 392), (748, 406), (665, 406)])
    for mx, mh in ((680, 80), (705, 105), (732, 70)):
        ship.line([(mx, 392), (mx + 6, 392 - mh)], 2); ship.poly([(mx - 14, 392 - mh + 12), (mx + 18, 392 - mh + 18), (mx + 14, 392 - mh * 0.45), (mx - 10, 392 - mh * 0.5)])
    over(img, ship.get(0.6), C(.04, .05, .06)); img = blur(img, 1.8); light = 0.35 + 1.4 * glow(600, 420, 420, 300)
    img *= light[..., None] * C(1, .85, .65); floor = Mask(); floor.rect(0, 478, W, 608); flm = floor.get(0.5)
    plank = 0.8 + 0.25 * noise(rng, 60, 3, aspect=6)
    seams = smooth(.96, 1.0, np.abs(np.cos(np.arctan2(XX - 600, YY + 300) * 70)))
    fcol = C(.42, .24, .11) * (plank * (1 - 0.5 * seams) * (0.25 + 1.5 * glow(600, 540, 330, 70)))[..., None]
    over(img, flm, fcol)
    act = Mask(); hands = person(act, 600, 552, 175, arms=(30, 140), bend=(10, 20)); act.line([hands[1], (hands[1][0] + 20, 552)], 3.5)
    act.poly([(600 - 21, 552 - 0.8 * 175), (600 + 21, 552 - 0.8 * 175), (640, 552), (560, 552)])
    am = act.get(0.5); over(img, am, C(.03, .02, .02), wrap=0.9)
    add(img, glow(600, 555, 110, 10), C(-.3, -.2, -.1), .6)
    for sd in (-1, 1):
        xx = XX if sd < 0 else W - 1 - XX
        edge = np.where(YY < 430, 330 - 150 * np.sin(np.clip(YY / 430, 0, 1) * math.pi / 2) ** 1.4, 180 + (YY - 430) * 0.6)
        t = np.clip(xx / edge, 0, 1.05); wob = noise(rng, 90, 3)
        fold = blur(0.5 + 0.5 * np.cos(t * 7.5 * 2 * math.pi + 2.5 * wob), 2)
        shade = (0.18 + 0.82 * fold ** 1.2) * (0.45 + 0.9 * smooth(0.2, 1.0, t)) * (0.4 + 1.1 * glow(600, 380, 650, 420))
        cur = C(.55, .04, .06) * shade[..., None] + C(.9, .35, .3)[None, None] * (fold ** 6 * shade * 0.18)[..., None]
        cm = smooth(1, -1, xx - edge); img *= (1 - 0.6 * blur(cm, 25) * (1 - cm))[..., None]; over(img, cm, cur)
    val = 80 + 30 * np.abs(np.sin(math.pi * XX / 240))
    vf = 0.5 + 0.5 * np.cos(XX / 240 * 2 * math.pi * 6 + 3 * noise(rng, 60, 2))
    vcol = C(.55, .04, .06) * ((0.2 + 0.8 * vf ** 1.3) * (0.5 + 0.6 * YY / val))[..., None]
    over(img, smooth(1, -1, YY - val), vcol)
    fr = Mask(); fr.line([(x, 80 + 30 * abs(math.sin(math.pi * x / 240)) + 3) for x in range(-5, W + 6, 4)], 5)
    add(img, fr.get(0.6) * (0.5 + 0.5 * np.cos(XX * 1.3) ** 2), C(.85, .6, .25), .9)
    apron = Mask(); apron.rect(0, 606, W, H); over(img, apron.get(0.8), C(.04, .02, .015))
    for x in range(150, 1060, 75):
        cm2 = Mask(); cm2.rect(x - 5, 578, x + 5, 606); over(img, cm2.get(0.5), C(.85, .78, .62) * 0.75)
        fl = Mask(); fl.poly([(x - 5, 570), (x, 552), (x + 5, 570)]); fl.ell(x, 570, 5, 6); fm = fl.get(1)
        img += (fm * 2 + glow(x, 566, 22) * .6 + glow(x, 566, 90, 60) * .15)[..., None] * C(1, .72, .35)
    bokeh(img, rng, 22, (0, 560, W, 680), (14, 36), [C(1, .7, .35)], (.1, .3), 3)
    return img

def kids_science(rng):
    img = vgrad([(0, C(.72, .88, .97)), (.55, C(.97, .86, .9)), (1, C(.97, .86, .9))])
    add(img, glow(180, 80, 420, 300), C(1, 1, .95), .4)
    bokeh(img, rng, 40, (0, 0, W, 470), (25, 75), [C(1, .8, .4), C(.5, .8, 1), C(1, .5, .7), C(.6, 1, .7)], (.08, .22), 6)
    tb = smooth(500, 504, YY)
    img = img * (1 - tb[..., None]) + tb[..., None] * (vgrad([(0, C(1, .97, .92)), (.74, C(.98, .93, .86)), (1, C(.92, .85, .76))]))
    sh = Mask()
    for cx, rx in ((205, 110), (430, 120), (660, 110), (900, 95)): sh.ell(cx + 25, 506, rx, 16)
    img *= (1 - 0.35 * sh.get(10))[..., None]
    rack = Mask(); rack.rect(120, 440, 290, 504); rack.rect(120, 372, 290, 388); rack.rect(124, 372, 134, 504); rack.rect(276, 372, 286, 504)
    rm = rack.get(0.5); over(img, rm, C(.72, .5, .3) * (0.8 + 0.3 * noise(rng, 20, 3, aspect=6))[..., None]); objs = []
    for x, col, lv in ((155, C(1, .8, .1), 350), (205, C(1, .3, .55), 320), (255, C(.2, .75, 1), 365)):
        g = Mask(); g.rect(x - 14, 270, x + 14, 460); g.ell(x, 460, 14, 14)
        l = Mask(); l.rect(x - 13, lv, x + 13, 460); l.ell(x, 460, 13, 13); objs.append((g, l, col, lv, x - 8))
    g = Mask(); g.rect(410, 250, 450, 320); g.poly([(410, 318), (450, 318), (540, 490), (320, 490)]); g.ell(430, 490, 110, 10); g.rect(402, 244, 458, 254)
    l = Mask(); l.poly([(375, 400), (485, 400), (538, 490), (322, 490)]); l.ell(430, 490, 108, 9)
    objs.append((g, l, C(1, .25, .6), 400, 395))
    g = Mask(); g.ell(660, 410, 95); g.rect(638, 215, 682, 330); g.rect(630, 210, 690, 220)
    l = Mask(); l.ell(660, 410, 93); l.rect(0, 0, W, 380, v=0); objs.append((g, l, C(.3, .9, .35), 380, 600))
    g = Mask(); g.rect(822, 320, 978, 500); g.ell(900, 500, 78, 6); g.poly([(815, 314), (835, 314), (835, 330), (822, 330)])
    l = Mask(); l.rect(824, 400, 976, 500); l.ell(900, 500, 76, 5); objs.append((g, l, C(.15, .55, 1), 400, 838))
    for g, l, col, lv, hx in objs:
        gm, lm = g.get(0.4), l.get(0.4); img += blur(np.roll(lm, 40, 0), 25)[..., None] * col * .35 * tb[..., None]
        img = img * (1 - 0.12 * gm[..., None]) + 0.12 * gm[..., None]
        body = col * (0.7 + 0.4 * smooth(lv + 120, lv, YY))[..., None] + glow(hx + 20, lv + 40, 40, 60)[..., None] * .25
        over(img, lm * 0.88, body); add(img, np.clip(lm - np.roll(lm, 3, 0), 0, 1), C(1, 1, 1), .6)
        add(img, np.clip(gm - blur(gm, 2.2), 0, 1) * 2, C(1, 1, 1), .8)
        st = Mask(); st.rect(hx, 240, hx + 5, 520); add(img, st.get(2) * gm, C(1, 1, 1), .45)
        inside = np.argwhere(lm > 0.95)[rng.choice(int((lm > 0.95).sum()), 12)]
        discs(img, [(x, y, rng.uniform(1.5, 5), C(1, 1, 1), .3) for y, x in inside], 0.4, ring=2.5)
    refl = img.copy(); reflect(refl, 503, rng, amp=1.0)
    k = (0.3 * tb * smooth(H - 40, 503, YY))[..., None]; img = img * (1 - k) + refl * k
    foam = []
    for i in range(70):
        a = rng.uniform(0, 2 * math.pi); r = rng.uniform(0, 1) ** 0.6
        foam.append((660 + math.cos(a) * 85 * r, 195 - math.sin(a) * 50 * r + 10 * (i % 3), rng.uniform(8, 22)))
    foam += [(636 + rng.normal(0, 3), 225 + k * 9, 9 - k * 0.5) for k in range(10)]
    for x, y, r in sorted(foam, key=lambda f: f[2]):
        fm = Mask(); fm.ell(x, y, r); m = fm.get(0.5); shade = 0.75 + 0.3 * glow(x - r * 0.4, y - r * 0.4, r * 0.8)
        over(img, m, C(.82, 1, .85) * shade[..., None])
    for i in range(26):
        x, y, r = rng.uniform(60, 1140), rng.uniform(20, 300), rng.uniform(6, 30)
        d = np.hypot(XX - x, YY - y)
        ring = np.clip(1 - np.abs(d - r) / 1.6, 0, 1) * (0.6 + 0.4 * np.cos(np.arctan2(YY - y, XX - x) * 2)[..., None].mean(-1))
        tint = np.stack([0.5 + 0.5 * np.sin(d / 4 + i), 0.5 + 0.5 * np.sin(d / 4 + i + 2), 0.5 + 0.5 * np.sin(d / 4 + i + 4)], -1)
        img += (ring * 0.55)[..., None] * tint + (glow(x - 0.4 * r, y - 0.4 * r, 0.2 * r + 1) * .8)[..., None] + (np.clip(r - d, 0, 1) * .05)[..., None]
    pf = smooth(.45, .8, noise(rng, 50, 4)) * glow(430, 170, 90, 110); add(img, blur(pf, 6), C(1, .55, .8), 1.0)
    return img

def indie_vinyl(rng):
    wood = noise(rng, 120, 5, aspect=6); grain = 0.5 + 0.5 * np.sin((YY + 60 * wood) / 2.7)
    img = C(.36, .2, .1) * (0.7 + 0.4 * wood + 0.12 * grain)[..., None]
    img *= (1 - 0.6 * smooth(.9, 1, np.abs(np.sin(math.pi * (YY + 20) / 170))))[..., None]
    art = [lambda u, v: C(.9, .55, .25) * (1 - v)[..., None] + C(.3, .2, .45) * v[..., None],
           lambda u, v: np.where(((u * 6).astype(int) % 2 == 0)[..., None], C(.2, .45, .5), C(.85, .82, .7)),
           lambda u, v: C(.15, .2, .3) + (np.exp(-((u - .6) ** 2 + (v - .4) ** 2) / .03))[..., None] * C(.9, .4, .2)]
    for (cx, cy, s, a, k) in ((180, 470, 230, 12, 0), (1020, 200, 240, -18, 1), (900, 560, 200, 30, 2)):
        ca, sa = math.cos(math.radians(a)), math.sin(math.radians(a))
        u, v = ((XX - cx) * ca + (YY - cy) * sa), (-(XX - cx) * sa + (YY - cy) * ca)
        m = np.clip(s - np.abs(u) + 0.5, 0, 1) * np.clip(s - np.abs(v) + 0.5, 0, 1)
        img *= (1 - 0.55 * blur(np.roll(np.roll(m, 12, 0), 10, 1), 12))[..., None]
        over(img, m, art[k](u / (2 * s) + .5, v / (2 * s) + .5) * (0.9 + 0.1 * noise(rng, 8, 2))[..., None])
    labels = [C(.9, .3, .2), C(.95, .8, .3), C(.3, .55, .8), C(.9, .9, .85), C(.4, .7, .45)]
    for i, (cx, cy, R) in enumerate(((420, 250, 215), (760, 330, 225), (1180, 610, 200), (260, 640, 190), (560, 690, 170))):
        d = np.hypot(XX - cx, YY - cy); th = np.arctan2(YY - cy, XX - cx); m = np.clip(R - d + 0.5, 0, 1)
        img *= (1 - 0.6 * blur(np.roll(np.roll(m, 14, 0), 12, 1), 14))[..., None]
        tracks = 0.8 + 0.2 * smooth(0.5, 0.9, np.abs(np.sin(d / R * 23 + i))); groove = 0.85 + 0.15 * np.sin(d * 2.3)
        a0 = rng.uniform(0, math.pi)
        sheen = (np.abs(np.cos(th - a0)) ** 14 * 0.35 + np.abs(np.cos(th - a0)) ** 3 * 0.06) * groove * tracks
        base = C(.5, .12, .08) if i == 3 else C(.025, .025, .03)
        disc = base * (tracks * groove)[..., None] + sheen[..., None] * C(1, .92, .8); over(img, m, disc); lr = 0.33 * R
        lm = np.clip(lr - d + 0.5, 0, 1)
        lab = labels[i] * (0.85 + 0.15 * np.cos(th * 2 - a0))[..., None] * (1 - 0.4 * np.clip(1 - np.abs(d - 0.75 * lr) / 1.2, 0, 1))[..., None]
        over(img, lm, lab); over(img, np.clip(5 - d + 0.5, 0, 1), C(.05, .03, .02))
    light = 0.35 + 0.9 * glow(380, 120, 700, 420)
    blinds = 1 + 0.25 * smooth(.2, .6, np.sin((XX * .6 + YY) / 24)) * glow(380, 150, 600, 350)
    img *= (light * blinds)[..., None] * C(1, .86, .68)
    return img

def nye_rooftop(rng):
    img = vgrad([(0, C(.01, .015, .05)), (.45, C(.04, .05, .15)), (.78, C(.2, .1, .22)), (1, C(.1, .05, .1))])
    smoke = noise(rng, 150, 5)
    bursts = ((330, 170, 150, C(1, .75, .3)), (770, 120, 190, C(1, .3, .75)), (1010, 240, 110, C(.3, .85, 1)), (540, 270, 95, C(1, .9, .6)), (130, 300, 70, C(.5, 1, .5)))
    for bx, by, R, col in bursts:
        m, tips = Mask(), []
        for a in rng.uniform(0, 2 * math.pi, 64):
            rr = R * rng.uniform(0.6, 1.0)
            pts = [(bx + math.cos(a) * rr * t, by + math.sin(a) * rr * t + 0.35 * R * t ** 2) for t in np.linspace(0.25, 1, 7)]
            m.line(pts, 1.3); tips.append((pts[-1][0], pts[-1][1], 1.8, col * 0.6 + 0.4, 1.5))
        fm = m.get() * smooth(0, R, np.hypot(XX - bx, YY - by))
        img += (blur(fm, 0.7) * 1.5 + blur(fm, 3) * 1.2 + blur(fm, 14) * .8)[..., None] * col; discs(img, tips, 0.7)
        add(img, glow(bx, by, R * 1.3) * (0.3 + smoke), col, .25)
    base = 600; bm, wl = Mask(), Mask(); x = -10
    while x < W + 10:
        bw = rng.uniform(34, 90); top = base - rng.uniform(70, 230) * (1.25 if abs(x - 600) < 300 else 0.9)
        bm.rect(x, top, x + bw, H)
        if rng.random() < 0.25: bm.line([(x + bw / 2, top), (x + bw / 2, top - rng.uniform(20, 60))], 2)
        for wy in np.arange(top + 8, base, 9):
            for wx in np.arange(x + 5, x + bw - 6, 8):
                if rng.random() < 0.15: wl.rect(wx, wy, wx + 3, wy + 4, v=int(rng.uniform(120, 255)))
        x += bw + rng.uniform(-8, 6)
    bm.line([(360, base), (360, 230)], 9); bm.ell(360, 260, 18, 16); bm.line([(360, 240), (360, 170)], 3)
    add(img, glow(600, base, 700, 110), C(.45, .2, .25), .6); bmm = bm.get(0.5); over(img, bmm, C(.02, .022, .045))
    wlm = wl.get(0.7) * bmm; wc = np.where((noise(rng, 40, 2) > 0.5)[..., None], C(1, .78, .45), C(.7, .85, 1))
    img += (wlm * 0.9)[..., None] * wc + blur(wlm, 6)[..., None] * wc * .5; add(img, rim(bmm, 0, 2), C(.6, .35, .6), .4)
    add(img, np.exp(-((YY - base + 8) / 30) ** 2) * smooth(.3, .8, smoke), C(.3, .2, .3), .3)
    bokeh(img, rng, 30, (0, 560, W, 660), (10, 30), [C(1, .7, .35), C(1, .85, .6), C(.6, .7, 1)], (.15, .45), 2.5)
    rail = Mask(); rail.rect(-5, 584, W + 5, 596); rail.rect(-5, 640, W + 5, 646); rail.rect(-5, 665, W + 5, H + 5)
    for px in range(70, W, 180): rail.rect(px, 584, px + 10, H)
    rm = rail.get(1.2); over(img, rm, C(.025, .022, .03)); add(img, rim(rm, 0, 2, 1.2), C(1, .7, .7), .7)
    return img

SCENES = [("midnight-orchestra.jpg", midnight_orchestra), ("rust-nation.jpg", rust_nation),
          ("laughing-lighthouse.jpg", laughing_lighthouse), ("jazz-on-the-quay.jpg", jazz_on_the_quay),
          ("silent-disco.jpg", silent_disco), ("berlin-techno.jpg", berlin_techno), ("nordic-folk.jpg", nordic_folk),
          ("shakespeare-tempest.jpg", shakespeare_tempest), ("data-science.jpg", data_science),
          ("kids-science.jpg", kids_science), ("indie-vinyl.jpg", indie_vinyl), ("nye-rooftop.jpg", nye_rooftop)]

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True); want = sys.argv[1:]
    for seed, (name, fn) in enumerate(SCENES):
        if not want or any(w in name for w in want):
            finish(fn(np.random.default_rng(1000 + seed)), name, seed, vig=0.25 if name.startswith("kids") else 0.5)
