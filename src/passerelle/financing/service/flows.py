"""Money-flow rules over a graph of accounts and transfers: fixed rules with their FATF
sources (:data:`passerelle.financing.rules.FLOW_RULES`), never learned.

:func:`detect` is pure (edges in, findings out) so that the benchmark runs it on millions of
synthetic transfers; :mod:`.analysis` feeds it the node's reports and stores the findings.
Each finding names its rule, the accounts involved, the edges of its subgraph and a sentence
that explains it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from passerelle.financing import rules
from passerelle.financing.service import columns

DAY = 86_400.0


class Edge(NamedTuple):
    src: str
    dst: str
    amount: float
    at: float  # seconds since the epoch
    currency: str = "EUR"


@dataclass
class Draft:
    rule: str
    accounts: tuple[str, ...]
    edges: list[Edge]
    explanation: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def signature(self) -> str:
        return f"{self.rule}:" + "|".join(self.accounts)


def _window_peak(times_and_peers: list[tuple[float, str]], window: float) -> tuple[int, int, int]:
    """Most distinct peers within any window: (count, start index, end index)."""
    best = (0, 0, 0)
    counts: Counter[str] = Counter()
    start = 0
    for end, (at, peer) in enumerate(times_and_peers):
        counts[peer] += 1
        while at - times_and_peers[start][0] > window:
            old = times_and_peers[start][1]
            counts[old] -= 1
            if not counts[old]:
                del counts[old]
            start += 1
        if len(counts) > best[0]:
            best = (len(counts), start, end + 1)
    return best


def _fans(edges: list[Edge], out: list[Draft]) -> None:
    window = rules.WINDOW.total_seconds()
    by_dst: dict[str, list[Edge]] = defaultdict(list)
    by_src: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        by_dst[e.dst].append(e)
        by_src[e.src].append(e)
    sides: tuple[tuple[str, dict[str, list[Edge]], Callable[[Edge], str]], ...] = (
        ("fan_in", by_dst, lambda e: e.src),
        ("fan_out", by_src, lambda e: e.dst),
    )
    for rule, groups, peer_of in sides:
        for account, group in groups.items():
            if len({peer_of(e) for e in group}) < rules.FAN_MIN_COUNTERPARTS:
                continue
            group.sort(key=lambda e: e.at)
            count, lo, hi = _window_peak([(e.at, peer_of(e)) for e in group], window)
            if count >= rules.FAN_MIN_COUNTERPARTS:
                sub = group[lo:hi]
                way = "paid into" if rule == "fan_in" else "were paid by"
                out.append(
                    Draft(
                        rule,
                        (account,),
                        sub,
                        f"{count} different accounts {way} {account} within "
                        f"{rules.WINDOW.days} days ({sum(e.amount for e in sub):,.2f} in all).",
                    )
                )


def _structuring(edges: list[Edge], out: list[Draft]) -> None:
    low = rules.STRUCTURING_THRESHOLD * rules.STRUCTURING_BAND
    window = rules.WINDOW.total_seconds()
    by_src: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        if low <= e.amount < rules.STRUCTURING_THRESHOLD:
            by_src[e.src].append(e)
    for account, group in by_src.items():
        if len(group) < rules.STRUCTURING_MIN_PAYMENTS:
            continue
        group.sort(key=lambda e: e.at)
        start = 0
        for end in range(len(group)):
            while group[end].at - group[start].at > window:
                start += 1
            sub = group[start : end + 1]
            total = sum(e.amount for e in sub)
            if len(sub) >= rules.STRUCTURING_MIN_PAYMENTS and total > rules.STRUCTURING_THRESHOLD:
                out.append(
                    Draft(
                        "structuring",
                        (account,),
                        sub,
                        f"{account} made {len(sub)} payments each between {low:,.0f} and "
                        f"{rules.STRUCTURING_THRESHOLD:,.0f} within {rules.WINDOW.days} days, "
                        f"{total:,.2f} in all.",
                    )
                )
                break


def _walks(edges: list[Edge], out: list[Draft], max_degree: int = 50) -> None:
    """Round trips (back to the start in 3 to 5 hops) and chains of quick transfers."""
    window = rules.WINDOW.total_seconds()
    quick = rules.QUICK_HOURS * 3600.0
    outgoing: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        outgoing[e.src].append(e)
    times: dict[str, list[float]] = {}
    for account, group in outgoing.items():
        group.sort(key=lambda e: e.at)
        times[account] = [e.at for e in group]
    seen_trips: set[tuple[str, ...]] = set()
    in_chain: set[Edge] = set()

    def later(account: str, after: float, until: float) -> list[Edge]:
        group = outgoing.get(account)
        if not group:
            return []
        ts = times[account]
        found = group[bisect_right(ts, after) : bisect_left(ts, until)]
        return found[:max_degree]

    for first in sorted(edges, key=lambda e: e.at):
        # Round trips: depth-first over later transfers, within the window.
        stack: list[list[Edge]] = [[first]]
        while stack:
            path = stack.pop()
            last = path[-1]
            if last.dst == first.src and len(path) >= 3:
                key = tuple(sorted(e.src for e in path))
                if key not in seen_trips:
                    seen_trips.add(key)
                    out.append(
                        Draft(
                            "round_trip",
                            key,
                            list(path),
                            f"{path[-1].amount:,.2f} came back to {first.src} through "
                            f"{len(path) - 1} other accounts after {first.amount:,.2f} left it.",
                        )
                    )
                continue
            if len(path) >= 5:
                continue
            visited = {e.src for e in path}
            for nxt in later(last.dst, last.at, first.at + window):
                if nxt.dst not in visited or nxt.dst == first.src:
                    stack.append([*path, nxt])
        # Quick chains: each hop within hours, for a similar amount, as far as it goes.
        chain = [first]
        while first not in in_chain and len(chain) < 8:
            tail = chain[-1]
            nxt_hop = next(
                (
                    e
                    for e in later(tail.dst, tail.at, tail.at + quick)
                    if e.amount >= rules.QUICK_AMOUNT_RATIO * tail.amount
                    and e.amount <= tail.amount
                    and e.dst not in {c.src for c in chain}
                ),
                None,
            )
            if nxt_hop is None:
                break
            chain.append(nxt_hop)
        if len(chain) >= rules.QUICK_MIN_HOPS:
            key = (*(e.src for e in chain), chain[-1].dst)
            in_chain.update(chain)  # its later parts are not reported again on their own
            out.append(
                Draft(
                    "quick_chain",
                    key,
                    list(chain),
                    f"{first.amount:,.2f} passed through {len(chain)} transfers, each "
                    f"within {rules.QUICK_HOURS} hours of the previous one.",
                )
            )


def detect(edges: Iterable[Edge]) -> list[Draft]:
    """The graph rules (fan-in/out, round trips, quick chains, structuring) over transfers.

    The transfers no rule can use are set aside first, on columns (:func:`columns.select`);
    the rules then walk the rest."""
    edge_list = list(edges)
    ids: dict[str, int] = {}
    src = np.fromiter((ids.setdefault(e.src, len(ids)) for e in edge_list), np.int64)
    dst = np.fromiter((ids.setdefault(e.dst, len(ids)) for e in edge_list), np.int64)
    amount = np.fromiter((e.amount for e in edge_list), np.float64)
    at = np.fromiter((e.at for e in edge_list), np.float64)
    keep = columns.select(src, dst, amount, at)
    return _rules([edge_list[i] for i in np.nonzero(keep)[0].tolist()])


def detect_columns(
    src: npt.NDArray[np.int64],
    dst: npt.NDArray[np.int64],
    amount: npt.NDArray[np.float64],
    at: npt.NDArray[np.float64],
    accounts: Sequence[str],
) -> list[Draft]:
    """:func:`detect` over columns: account codes (``accounts[code]`` is the account), amounts
    and times; only the transfers some rule can use ever become :class:`Edge` objects."""
    idx = np.nonzero(columns.select(src, dst, amount, at))[0]
    return _rules(
        [
            Edge(accounts[s], accounts[d], a, t)
            for s, d, a, t in zip(
                src[idx].tolist(),
                dst[idx].tolist(),
                amount[idx].tolist(),
                at[idx].tolist(),
                strict=True,
            )
        ]
    )


def _rules(edge_list: list[Edge]) -> list[Draft]:
    out: list[Draft] = []
    _fans(edge_list, out)
    _structuring(edge_list, out)
    _walks(edge_list, out)
    return out


def shared(holders: dict[str, set[tuple[str, str]]]) -> list[Draft]:
    """Many accounts of different holders behind one address or device.

    ``holders`` maps ``address:...`` or ``device:...`` to ``{(account, holder)}``."""
    out = []
    for place, pairs in holders.items():
        accounts = {a for a, _ in pairs}
        if len(accounts) >= rules.SHARED_MIN_ACCOUNTS and len({h for _, h in pairs}) > 1:
            kind, _, value = place.partition(":")
            out.append(
                Draft(
                    "shared_address",
                    tuple(sorted(accounts)),
                    [],
                    f"{len(accounts)} accounts of {len({h for _, h in pairs})} holders share "
                    f"one {kind} ({value}).",
                    {"place": place},
                )
            )
    return out


def linked(edges: Iterable[Edge], listed: dict[str, str], rule: str) -> list[Draft]:
    """Transfers to or from an account on a list the node holds (listed persons, dealers)."""
    touching: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        for account in (e.src, e.dst):
            if account in listed:
                touching[account].append(e)
    what = "a listed person" if rule == "listed_person" else "a cultural-goods dealer"
    return [
        Draft(
            rule,
            (account,),
            group,
            f"{account} belongs to {what} ({listed[account]}) and took part in "
            f"{len(group)} transfers.",
        )
        for account, group in touching.items()
    ]
