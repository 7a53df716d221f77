"""Procedurally generated pictures of cultural objects (vases, statuettes, tablets) and the
transformations a trafficker's photograph applies to them (crop, resize, rotation, recolouring,
JPEG). Used by the demo, the tests and the benchmark: no image is downloaded."""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = 192


def _colour(rng: random.Random, low: int = 30, high: int = 225) -> tuple[int, int, int]:
    return (rng.randint(low, high), rng.randint(low, high), rng.randint(low, high))


def generate(seed: int, size: int = SIZE) -> Image.Image:
    """One synthetic object photograph, the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 -- synthetic pictures, not secrets
    img = Image.new("RGB", (size, size), _colour(rng, 150, 240))
    draw = ImageDraw.Draw(img)
    # a background gradient band and a few shelves
    for row in range(0, size, 4):
        shade = int(40 * math.sin(row / size * math.pi * rng.uniform(0.5, 2)))
        base = img.getpixel((0, 0))
        assert isinstance(base, tuple)
        draw.rectangle(
            [0, row, size, row + 3], fill=tuple(max(0, min(255, c + shade)) for c in base)
        )
    # the object: a symmetric profile (vase, statuette) around a vertical axis
    cx = size / 2 + rng.uniform(-size / 10, size / 10)
    top, bottom = size * rng.uniform(0.1, 0.25), size * rng.uniform(0.75, 0.92)
    steps = 12
    widths = [size * rng.uniform(0.06, 0.3) for _ in range(steps + 1)]
    left = [(cx - w, top + (bottom - top) * i / steps) for i, w in enumerate(widths)]
    right = [(cx + w, y) for (_, y), w in zip(reversed(left), reversed(widths), strict=True)]
    body = _colour(rng)
    draw.polygon(left + right, fill=body, outline=_colour(rng, 0, 80))
    # decoration: bands, dots and strokes in the object's own palette
    for _ in range(rng.randint(3, 7)):
        y = rng.uniform(top, bottom)
        h = rng.uniform(3, 12)
        w = widths[min(steps, int((y - top) / (bottom - top) * steps))] * 0.9
        draw.rectangle([cx - w, y, cx + w, y + h], fill=_colour(rng))
    for _ in range(rng.randint(4, 14)):
        x, y = rng.uniform(0, size), rng.uniform(0, size)
        r = rng.uniform(2, size / 8)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=_colour(rng), outline=_colour(rng))
    for _ in range(rng.randint(2, 8)):
        pts = [(rng.uniform(0, size), rng.uniform(0, size)) for _ in range(3)]
        draw.line(pts, fill=_colour(rng, 0, 255), width=rng.randint(1, 4))
    return img.filter(ImageFilter.SMOOTH)


def transform(img: Image.Image, rng: random.Random, *, crop: float = 0.2) -> Image.Image:
    """A copy as found on a sale site: ``crop`` of each side cut (split at random between the
    two edges), resized, rotated by up to ±15°, recoloured and JPEG-compressed."""
    w, h = img.size
    cut_x, cut_y = w * crop, h * crop
    left, top = rng.uniform(0, cut_x), rng.uniform(0, cut_y)
    out = img.crop((round(left), round(top), round(left + w - cut_x), round(top + h - cut_y)))
    scale = rng.uniform(0.6, 1.8)
    out = out.resize((max(16, round(out.width * scale)), max(16, round(out.height * scale))))
    out = out.rotate(rng.uniform(-15, 15), resample=Image.Resampling.BILINEAR, expand=False)
    out = recolour(out, rng)
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=rng.randint(50, 85))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def recolour(img: Image.Image, rng: random.Random) -> Image.Image:
    """Shift the hue, change saturation and brightness (a filter or another camera)."""
    hsv = img.convert("HSV")
    hue, sat, val = hsv.split()
    shift = rng.randint(-40, 40)
    gain_s, gain_v = rng.uniform(0.6, 1.3), rng.uniform(0.75, 1.2)
    hue = hue.point(lambda v: (v + shift) % 256)
    sat = sat.point(lambda v: min(255, int(v * gain_s)))
    val = val.point(lambda v: min(255, int(v * gain_v)))
    return Image.merge("HSV", (hue, sat, val)).convert("RGB")


def png_bytes(img: Image.Image) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(img: Image.Image, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()
