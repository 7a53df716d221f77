"""Uploaded photographs: validated (type, size, decompression bombs) and described by
perceptual hashes (``imagehash``) plus colour and texture descriptors.

A registered photograph is hashed at 25 positions of its central region (a 5 × 5 grid of
centres 5 % apart, up to ±10 % each way): a copy cropped 20 % off-centre shows a region whose
centre is at most 10 % off, hence within 2.5 % of a hashed one; a query is hashed at five
rotations (−12° … +12°) and two scales. The hashed channel is the HSV value (the brightest of
R, G, B): a hue shift leaves it unchanged and the equalisation absorbs a brightness change,
where grey levels (Pillow's ``L``) move with the hue (recall@10 0.935 → 0.975 on 2,000
generated objects, pHash alone). ``phash`` (DCT) finds candidates through the
multi-index (:mod:`.hashindex`); ``dhash`` (gradients), a hue histogram compared under every
circular shift (a recoloured copy keeps its palette's shape) and a gradient-magnitude
histogram (texture) re-rank them. When the query's picture is at hand, the rotation the
nearest candidates agree on is hashed again half a grid step away along both diagonals
(:attr:`Descriptor.around`), between the registered positions, for the re-ranking."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, UnidentifiedImageError

from passerelle.errors import MalformedInput, PayloadTooLarge, ValidationFailed

if TYPE_CHECKING:  # imagehash (and SciPy) load with the first photograph, not at start-up
    import imagehash

#: Accepted image formats (Pillow names) and their media types.
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
#: Largest accepted upload.
MAX_BYTES = 8 * 1024 * 1024
#: Largest accepted decoded image (width × height): a small file that decodes into more
#: pixels than this is a decompression bomb and is refused before it is decoded.
MAX_PIXELS = 40_000_000
MIN_SIDE = 16
#: Index positions (centre shifts, a 5 × 5 grid) and query rotations / scales. A 3 × 3 grid
#: 7 % apart left copies cropped off-centre beyond its reach (recall@10 0.87 at 10,000 objects).
SHIFT = 0.05
GRID = tuple(SHIFT * k for k in (-2, -1, 0, 1, 2))
SHIFTS = tuple((dx, dy) for dx in GRID for dy in GRID)
REGION = 0.6
ANGLES = (-12.0, -6.0, 0.0, 6.0, 12.0)
#: Scale of the query's region: a copy cropped 20 % shows the registered region at 0.6 / 0.8.
QUERY_REGIONS = (0.75, 0.6)
#: A query is scaled down to this shorter side before its rotations (each rotation of a
#: 300-pixel upload cost 3 ms). Measured 2026-12-03 on 150 generated copies: hashing CPU p50
#: 6.9 → 4.2 ms, p99 13.9 → 7.0 ms; mean distance to the original's nearest position 18.3 →
#: 18.1 bits of 128 (128 pixels: 5.0 ms, 18.3 bits).
QUERY_SIDE = 96
#: A query's best region is hashed again half a grid step away along both diagonals, to
#: re-rank the candidates: the registered positions are 5 % apart, so an off-centre copy
#: falls up to 2.5 % from the nearest; these four halve that.
DIAGONALS = ((1, 1), (1, -1), (-1, 1), (-1, -1))
HUE_BINS = 16
#: Names the hashing (positions, channel, hash functions): descriptors computed under another
#: name (a benchmark's cache) must be computed again.
HASHING = f"{len(SHIFTS)}x{SHIFT:g}-value"
TEXTURE_BINS = 8


@dataclass(frozen=True)
class Descriptor:
    """What the index and the re-ranking know of one picture."""

    phashes: tuple[int, ...]
    dhashes: tuple[int, ...]
    colour: tuple[float, ...]
    texture: tuple[float, ...]
    #: For a query: the rotation of each hash (degrees), to explain a match.
    angles: tuple[float, ...] = ()
    #: For a query whose picture is at hand: the pHashes and dHashes of query hash ``n``'s
    #: region moved half a grid step each way (see :func:`describe_query`).
    around: Callable[[int], tuple[tuple[int, ...], tuple[int, ...]]] | None = field(
        default=None, compare=False, repr=False
    )


def load(data: bytes, field: str = "image") -> Image.Image:
    """The picture in ``data`` as RGB, or a typed error naming ``field``."""
    if not data:
        raise ValidationFailed(f"{field}: the file is empty", field=field)
    if len(data) > MAX_BYTES:
        raise PayloadTooLarge(
            f"{field}: {len(data)} bytes, at most {MAX_BYTES} accepted", field=field
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.format not in FORMATS:
                raise ValidationFailed(
                    f"{field}: {img.format or 'unknown'} is not an accepted image type "
                    f"({', '.join(sorted(FORMATS))})",
                    field=field,
                )
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise PayloadTooLarge(
                    f"{field}: {width}×{height} pixels, at most {MAX_PIXELS} accepted "
                    "(decompression bomb guard)",
                    field=field,
                )
            if min(width, height) < MIN_SIDE:
                raise ValidationFailed(
                    f"{field}: {width}×{height} pixels is too small to compare", field=field
                )
            img.load()
            return img.convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PayloadTooLarge(f"{field}: decompression bomb refused", field=field) from None
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError) as exc:
        raise MalformedInput(f"{field}: not a readable image ({exc})", field=field) from None


def media_type(data: bytes) -> str:
    img = Image.open(io.BytesIO(data))
    return FORMATS.get(img.format or "", "application/octet-stream")


def _region(
    gray: Image.Image, frac: float, angle: float = 0.0, dx: float = 0.0, dy: float = 0.0
) -> Image.Image:
    if angle:
        gray = gray.rotate(angle, resample=Image.Resampling.BILINEAR)
    w, h = gray.size
    cw, ch, cx, cy = w * frac, h * frac, w * (0.5 + dx), h * (0.5 + dy)
    box = (round(cx - cw / 2), round(cy - ch / 2), round(cx + cw / 2), round(cy + ch / 2))
    return ImageOps.equalize(gray.crop(box).resize((64, 64)))


def _bits(h: imagehash.ImageHash) -> int:
    """The hash as an integer, first bit highest: ``int(str(h), 16)`` without the string of
    '0' and '1' imagehash builds on the way (4 ms of a query's 20 hashes)."""
    return int.from_bytes(np.packbits(np.asarray(h.hash, dtype=bool).ravel()).tobytes(), "big")


def _colour(img: Image.Image) -> tuple[float, ...]:
    small = np.asarray(img.resize((48, 48)).convert("HSV"), dtype=np.int32)
    hue, sat = small[..., 0].ravel(), small[..., 1].ravel()
    weights = sat.astype(np.float64) + 1.0  # grey pixels carry no hue
    hist = np.bincount(hue * HUE_BINS // 256, weights=weights, minlength=HUE_BINS)
    return tuple(float(v) for v in hist / hist.sum())


def _texture(gray: Image.Image) -> tuple[float, ...]:
    a = np.asarray(gray.resize((64, 64)), dtype=np.float64)
    gx, gy = np.diff(a, axis=1)[:-1, :], np.diff(a, axis=0)[:, :-1]
    magnitude = np.hypot(gx, gy)
    scaled = np.minimum(TEXTURE_BINS - 1, (magnitude / 16).astype(np.int64))
    hist = np.bincount(scaled.ravel(), minlength=TEXTURE_BINS).astype(np.float64)
    return tuple(float(v) for v in hist / hist.sum())


def _value(img: Image.Image) -> Image.Image:
    """The HSV value channel: the image's grey levels as far as a hue shift is concerned."""
    return img.convert("HSV").getchannel("V")


def describe(img: Image.Image) -> Descriptor:
    """A registered photograph: hashes of its central region at the 25 grid positions."""
    import imagehash

    gray = img.convert("L")
    value = _value(img)
    regions = [_region(value, REGION, 0.0, dx, dy) for dx, dy in SHIFTS]
    return Descriptor(
        phashes=tuple(_bits(imagehash.phash(r)) for r in regions),
        dhashes=tuple(_bits(imagehash.dhash(r)) for r in regions),
        colour=_colour(img),
        texture=_texture(gray),
    )


def describe_query(img: Image.Image) -> Descriptor:
    """A photograph to screen: hashes of its central region at five rotations and two scales."""
    import imagehash

    gray = img.convert("L")
    variants = [(frac, angle) for frac in QUERY_REGIONS for angle in ANGLES if frac == 0.75]
    variants.append((QUERY_REGIONS[1], 0.0))
    value = _value(img)
    if min(value.size) > QUERY_SIDE:  # rotate a smaller picture: the regions end at 64 × 64
        scale = QUERY_SIDE / min(value.size)
        value = value.resize(
            (round(value.width * scale), round(value.height * scale)), Image.Resampling.BOX
        )
    regions = [_region(value, frac, angle) for frac, angle in variants]

    def around(n: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        # half the registered grid's step, in the query's units (its region is REGION of the
        # original at the scale frac): between the registered positions
        frac, angle = variants[n]
        half = SHIFT / 2 * frac / REGION
        moved = [_region(value, frac, angle, dx * half, dy * half) for dx, dy in DIAGONALS]
        return (
            tuple(_bits(imagehash.phash(r)) for r in moved),
            tuple(_bits(imagehash.dhash(r)) for r in moved),
        )

    return Descriptor(
        phashes=tuple(_bits(imagehash.phash(r)) for r in regions),
        dhashes=tuple(_bits(imagehash.dhash(r)) for r in regions),
        colour=_colour(img),
        texture=_texture(gray),
        angles=tuple(angle for _, angle in variants),
        around=around,
    )


def hue_rolls(colour: tuple[float, ...]) -> npt.NDArray[np.float64]:
    """A query's hue histogram at every circular shift (one row per shift)."""
    v = np.asarray(colour, dtype=np.float64)
    if v.size != HUE_BINS:
        return np.zeros((HUE_BINS, HUE_BINS))
    return np.stack([np.roll(v, -k) for k in range(HUE_BINS)])


def hex64(value: int) -> str:
    return f"{value:016x}"


def from_hex(text: str) -> int:
    return int(text, 16)
