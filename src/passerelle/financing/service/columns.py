"""Which transfers any money-flow rule can use, found on columns (numpy group-bys and sorted
searches) so that the exact rules of :mod:`.flows` walk a small part of millions of transfers.

Every test here keeps a *superset* of what the rules need, never less, so the findings are the
same as the rules' over all transfers:

- fan-in / fan-out: every transfer into (out of) an account with at least
  ``FAN_MIN_COUNTERPARTS`` distinct senders (receivers) in all;
- structuring: every payment in the band below the threshold by an account with at least
  ``STRUCTURING_MIN_PAYMENTS`` of them;
- round trips: a transfer on a round trip has a later transfer out of its receiver within the
  window and an earlier one into its sender (a middle hop), or is the first hop (a later
  transfer out of its receiver, and one back into its sender later) or the last (an earlier one
  into its sender, and one out of its receiver earlier); repeated over the transfers still kept
  until nothing changes (each pass removes the dead ends the previous one left);
- quick chains: a transfer with another one within ``QUICK_HOURS`` before it into its sender or
  after it out of its receiver, repeated the same way.

Times are compared with one second of slack on every side (the tests only ever keep more).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from passerelle.financing import rules

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]

SLACK = 1.0
MAX_PASSES = 8


def _distinct_counts(group: Ints, peer: Ints, size: int) -> Ints:
    codes = np.sort(group * np.int64(size) + peer)  # (np.unique's hash path is ~20x slower)
    if len(codes):
        codes = codes[np.r_[True, codes[1:] != codes[:-1]]]
    return np.bincount(codes // size, minlength=size).astype(np.int64)


def _any_between(keys: Floats, needles: Floats, order: Ints, lo: float, hi: float) -> Mask:
    """For each transfer ``order[i]``: is a key in ``[needles[i] + lo, needles[i] + hi]``?

    ``keys`` and ``needles`` are both sorted, so the searches walk ``keys`` in order (NumPy's
    binary search starts from the previous answer for ascending needles): the same answers as
    searching in transfer order, without a cache miss per step on millions of keys."""
    first = np.searchsorted(keys, needles + lo, side="left")
    last = np.searchsorted(keys, needles + hi, side="right")
    found = np.empty(len(order), dtype=bool)
    found[order] = last > first
    return found


def _walk_passes(src: Ints, dst: Ints, at: Floats, keep: Mask, window: float, quick: bool) -> Mask:
    """Each transfer as one sorted key per end, ``account * stride + time``: the transfers out
    of an account (by sender) and into it (by receiver) are runs of their sorted keys, and a
    transfer's own key by receiver is where the transfers out of its receiver at its time
    would sort — so "one out of my receiver within the window after me" is a range search of
    my receiver-key in the sender-keys."""
    stride = float(at.max()) + 2 * window + 4 * SLACK + 1.0
    for _ in range(MAX_PASSES):
        idx = np.nonzero(keep)[0]
        by_src = src[idx] * stride + at[idx]
        by_dst = dst[idx] * stride + at[idx]
        order_src, order_dst = np.argsort(by_src), np.argsort(by_dst)
        outs, ins = by_src[order_src], by_dst[order_dst]  # out of / into each account, by time
        later_out = _any_between(outs, ins, order_dst, -SLACK, window + SLACK)
        earlier_in = _any_between(ins, outs, order_src, -window - SLACK, SLACK)
        if quick:
            alive = later_out | earlier_in
        else:
            earlier_out = _any_between(outs, ins, order_dst, -window - SLACK, SLACK)
            later_in = _any_between(ins, outs, order_src, -SLACK, window + SLACK)
            alive = (later_out & earlier_in) | (later_out & later_in) | (earlier_in & earlier_out)
        if alive.all():
            break
        keep = keep.copy()
        keep[idx[~alive]] = False
    return keep


def select(src: Ints, dst: Ints, amount: Floats, at: Floats) -> Mask:
    """The transfers (by position) that any rule of :func:`flows.detect` can use."""
    if len(src) == 0:
        return np.zeros(0, dtype=bool)
    at = at - float(at.min())  # keys stay small: exact to well under a second
    size = int(max(src.max(), dst.max())) + 1
    fan = rules.FAN_MIN_COUNTERPARTS
    keep = _distinct_counts(dst, src, size)[dst] >= fan
    keep |= _distinct_counts(src, dst, size)[src] >= fan
    band = (amount >= rules.STRUCTURING_THRESHOLD * rules.STRUCTURING_BAND) & (
        amount < rules.STRUCTURING_THRESHOLD
    )
    payers = np.bincount(src[band], minlength=size)
    keep |= band & (payers[src] >= rules.STRUCTURING_MIN_PAYMENTS)
    everyone = np.ones(len(src), dtype=bool)
    window = rules.WINDOW.total_seconds()
    keep |= _walk_passes(src, dst, at, everyone, window, quick=False)
    keep |= _walk_passes(src, dst, at, everyone, rules.QUICK_HOURS * 3600.0, quick=True)
    return keep
