"""A small PDF 1.4 writer for text certificates: A4 pages, Helvetica, WinAnsi encoding.

No dependency (the permissive PDF libraries are large, the small ones LGPL); enough for the
certificates of the regulation's annexes: a title, headed sections and wrapped lines.
"""

from __future__ import annotations

import textwrap

_WIDTH, _HEIGHT, _MARGIN, _LEADING = 595, 842, 56, 14
_LINES_PER_PAGE = (_HEIGHT - 2 * _MARGIN) // _LEADING


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _layout(title: str, sections: list[tuple[str, list[tuple[str, str]]]]) -> list[tuple[str, str]]:
    """(font, text) lines: F2 bold for headings, F1 regular."""
    lines = [("F2", title), ("F1", "")]
    for heading, fields in sections:
        lines.append(("F2", heading))
        for label, value in fields:
            text = f"{label}: {value}" if label else value
            for part in textwrap.wrap(text, 95) or [""]:
                lines.append(("F1", part))
        lines.append(("F1", ""))
    return lines


def render(title: str, sections: list[tuple[str, list[tuple[str, str]]]]) -> bytes:
    """The PDF bytes of a certificate."""
    lines = _layout(title, sections)
    pages = [lines[i : i + _LINES_PER_PAGE] for i in range(0, len(lines), _LINES_PER_PAGE)]
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: pages (filled below)
    fonts = b"<< /F1 3 0 R /F2 4 0 R >>"
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                   b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
                   b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    kids = []
    for number, page in enumerate(pages, start=1):
        stream = [b"BT", f"{_MARGIN} {_HEIGHT - _MARGIN} Td {_LEADING} TL".encode()]
        for font, text in page:
            stream.append(f"/{font} {12 if font == 'F2' else 10} Tf".encode())
            stream.append(b"(" + _escape(text) + b") Tj T*")
        stream.append(b"ET")
        footer = f"BT /F1 8 Tf {_MARGIN} 30 Td ({number}/{len(pages)}) Tj ET".encode()
        body = b"\n".join([*stream, footer])
        objects.append(b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font %s >> "
            b"/Contents %d 0 R >>" % (_WIDTH, _HEIGHT, fonts, content_id)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))  # fmt: skip
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)  # fmt: skip
    return bytes(out)
