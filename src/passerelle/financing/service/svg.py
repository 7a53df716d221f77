"""A finding's subgraph drawn as inline SVG: accounts on a circle, transfers as arrows."""

from __future__ import annotations

import math
from html import escape
from typing import Any

SIZE = 360
RADIUS = 130


def draw(edges: list[dict[str, Any]], highlight: tuple[str, ...] = ()) -> str:
    """SVG markup (every label escaped) of the accounts and transfers of ``edges``."""
    accounts: list[str] = []
    for e in edges:
        for account in (str(e["from"]), str(e["to"])):
            if account not in accounts:
                accounts.append(account)
    for account in highlight:
        if account not in accounts:
            accounts.append(account)
    centre = SIZE / 2
    where = {
        a: (
            centre + RADIUS * math.cos(2 * math.pi * i / max(len(accounts), 1)),
            centre + RADIUS * math.sin(2 * math.pi * i / max(len(accounts), 1)),
        )
        for i, a in enumerate(accounts)
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="img" '
        f'class="flow-graph" width="{SIZE}" height="{SIZE}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    for e in edges:
        (x1, y1), (x2, y2) = where[str(e["from"])], where[str(e["to"])]
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#555" '
            f'marker-end="url(#arrow)"><title>{escape(str(e["from"]))} → '
            f"{escape(str(e['to']))}: {float(e['amount']):,.2f} {escape(str(e['currency']))}"
            "</title></line>"
        )
    for account, (x, y) in where.items():
        fill = "#c0392b" if account in highlight else "#2c6e9b"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{fill}"/>'
            f'<text x="{x:.1f}" y="{y - 10:.1f}" font-size="9" text-anchor="middle">'
            f"{escape(account[-14:])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
