"""Uploads are validated with typed errors; a transformed copy finds its original."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from passerelle.errors import MalformedInput, PayloadTooLarge, ValidationFailed
from passerelle.heritage.service import artwork, imaging
from passerelle.heritage.service.screening import Entry, PhotoEntry, Screener
from tests.heritage.conftest import copy_of, photo


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims a huge size (a decompression bomb) with a tiny body."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    body = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat = zlib.compress(b"\0" * 64)
    data = b"IDAT" + idat
    body += struct.pack(">I", len(idat)) + data + struct.pack(">I", zlib.crc32(data))
    return b"\x89PNG\r\n\x1a\n" + body + b"\0\0\0\0IEND\xaeB`\x82"


def test_uploads_get_typed_errors_naming_the_field() -> None:
    with pytest.raises(ValidationFailed, match="empty") as empty:
        imaging.load(b"", "image[0]")
    assert empty.value.details["field"] == "image[0]"
    with pytest.raises(MalformedInput, match="not a readable image"):
        imaging.load(b"GIF89a not really", "image")
    with pytest.raises(PayloadTooLarge, match="decompression bomb"):
        imaging.load(_png_header(20_000, 20_000))
    with pytest.raises(PayloadTooLarge, match="at most"):
        imaging.load(b"\0" * (imaging.MAX_BYTES + 1))
    gif = io.BytesIO()
    Image.new("RGB", (64, 64)).save(gif, "GIF")
    with pytest.raises(ValidationFailed, match="GIF is not an accepted image type"):
        imaging.load(gif.getvalue())
    with pytest.raises(ValidationFailed, match="too small"):
        imaging.load(artwork.png_bytes(Image.new("RGB", (8, 8))))


def test_a_cropped_rotated_recoloured_copy_finds_its_original_first() -> None:
    photos = [PhotoEntry(f"p{i}", i, imaging.describe(imaging.load(photo(i)))) for i in range(60)]
    entries = [Entry(f"o{i}", f"OBJ-{i}", f"object {i}", "stolen", "local") for i in range(60)]
    screener = Screener(entries, photos)
    found = 0
    for seed in range(0, 60, 6):
        query = imaging.describe_query(imaging.load(copy_of(seed, seed)))
        matches = screener.screen(None, [query], k=10)
        assert any(m.reference == f"OBJ-{seed}" for m in matches)
        found += matches[0].reference == f"OBJ-{seed}"
        best = next(m for m in matches if m.reference == f"OBJ-{seed}")
        assert any("perceptual hash" in r for r in best.reasons)
    assert found >= 8
