"""PDF exports: the JIT agreement (model agreement 2017/C 18/01, in FR, NL or EN, with its
versioned extensions and amendments) and the chain-of-custody report of an evidence item."""

from __future__ import annotations

import io
import textwrap
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from passerelle.jit import rules
from passerelle.jit.model import AgreementVersion, Team

WIDTH = 95
_ROLE = {
    "leader": {"en": "leader", "fr": "responsable", "nl": "leider"},
    "member": {"en": "member", "fr": "membre", "nl": "lid"},
    "seconded": {"en": "seconded member", "fr": "membre détaché", "nl": "gedetacheerd lid"},
    "eurojust": {"en": "Eurojust", "fr": "Eurojust", "nl": "Eurojust"},
    "europol": {"en": "Europol", "fr": "Europol", "nl": "Europol"},
}
_KIND = {
    "original": {"en": "original", "fr": "accord initial", "nl": "oorspronkelijke overeenkomst"},
    "extension": {"en": "extension", "fr": "prolongation", "nl": "verlenging"},
    "amendment": {"en": "amendment", "fr": "modification", "nl": "wijziging"},
}
_FROM_TO = {"en": ("From", "to"), "fr": ("Du", "au"), "nl": ("Van", "tot")}


class _Writer:
    """Lines of text on A4 pages, wrapped, with a new page when one is full."""

    def __init__(self, title: str) -> None:
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, invariant=True)
        self.canvas.setTitle(title)
        self.y = A4[1] - 50

    def line(self, text: str, *, bold: bool = False, size: int = 10) -> None:
        for part in textwrap.wrap(text, WIDTH) or [""]:
            if self.y < 50:
                self.canvas.showPage()
                self.y = A4[1] - 50
            self.canvas.setFont("Helvetica-Bold" if bold else "Helvetica", size)
            self.canvas.drawString(45, self.y, part)
            self.y -= size + 4

    def gap(self) -> None:
        self.y -= 6

    def done(self) -> bytes:
        self.canvas.save()
        return self.buffer.getvalue()


def agreement_pdf(team: Team, versions: list[AgreementVersion], lang: str) -> bytes:
    """The agreement as it stands (latest version), then the history of versions."""
    h = {key: titles[lang] for key, titles in rules.AGREEMENT_SECTIONS.items()}
    terms: dict[str, Any] = versions[-1].terms if versions else {}
    out = _Writer(f"{rules.AGREEMENT_TITLE[lang]} — {team.reference}")
    out.line(rules.AGREEMENT_TITLE[lang], bold=True, size=14)
    out.line(f"{team.reference} — {team.name}")
    out.line(rules.MODEL_AGREEMENT)
    out.gap()
    members = terms.get("members", [])

    def people(*roles: str) -> list[str]:
        return [
            f"{m['name']} ({m['country']}, {_ROLE[m['role']][lang]})"
            + (f" — {m['organisation']}" if m.get("organisation") else "")
            for m in members
            if m["role"] in roles
        ] or ["—"]

    start, end = _FROM_TO[lang]
    sections: list[tuple[str, list[str]]] = [
        ("parties", [", ".join(team.countries)]),
        ("purpose", [team.purpose]),
        ("period", [f"{start} {team.starts_on.isoformat()} {end} {team.ends_on.isoformat()}"]),
        ("leaders", people("leader")),
        ("members", people("member")),
        ("seconded", people("seconded")),
        ("participants", people("eurojust", "europol")),
        ("evidence", [str(terms.get("evidence_rules") or "—")]),
        ("confidentiality", [str(terms.get("confidentiality") or "—")]),
        ("communication", [str(terms.get("communication") or "—")]),
        ("legal_basis", [team.legal_basis]),
    ]
    for key, lines in sections:
        out.line(h[key], bold=True)
        for text in lines:
            out.line(text)
        out.gap()
    out.line(h["history"], bold=True)
    for v in versions:
        note = f": {v.note}" if v.note else ""
        out.line(
            f"v{v.number} — {_KIND[v.kind][lang]} — {v.created_at.date().isoformat()} — "
            f"{v.created_by} — {v.terms.get('ends_on', '')}{note}"
        )
    return out.done()


def custody_pdf(report: dict[str, Any]) -> bytes:
    """The custody report for a reader: item, every entry with its signature, how to check."""
    ev = report["evidence"]
    out = _Writer(f"Chain of custody — {ev['filename']}")
    out.line("Chain of custody / Chaîne de conservation / Bewaringsketen", bold=True, size=14)
    out.line(f"JIT {report['jit']['reference']} — {report['jit']['name']}")
    out.line(f"Issued by node {report['issued_by']} at {report['issued_at']}")
    out.gap()
    for label, key in (
        ("Item", "id"),
        ("File", "filename"),
        ("Size (bytes)", "size"),
        ("SHA-256", "sha256"),
        ("Handling", "handling"),
        ("Uploaded by", "uploaded_by"),
        ("Uploaded at", "uploaded_at"),
        ("Origin node", "origin"),
    ):
        out.line(f"{label}: {ev[key]}")
    out.gap()
    out.line("Entries", bold=True)
    for n, e in enumerate(report["entries"], 1):
        out.line(f"{n}. {e['at']} — {e['event']} — node {e['node']} — {e['actor']}")
        out.line(f"   signed: {e['signed']}", size=7)
        out.line(f"   signature: {e['signature']}", size=7)
        out.line(f"   public key: {e['public_key']}", size=7)
    out.gap()
    out.line("Published keys", bold=True)
    for code, key in sorted(report["keys"].items()):
        out.line(f"{code}: {key}")
    out.gap()
    out.line("How to verify", bold=True)
    out.line(report["how_to_verify"])
    out.line(report["algorithm"])
    return out.done()
