"""Bulk constants with their source."""

from __future__ import annotations

from datetime import timedelta

# Bulk screening candidates waiting for a human decision. They come from screening travellers
# (PNR/API data): kept no longer than PNR data stay personalised, then erased — a candidate a
# reviewer confirms is recorded by the domain that acts on it.
# Source: Directive (EU) 2016/681 art. 12(2) (depersonalisation after six months) and art. 6(5)
# (every automated match is reviewed individually by non-automated means).
CANDIDATE_RETENTION = timedelta(days=183)
CANDIDATE_RETENTION_SOURCE = "Directive (EU) 2016/681 art. 12(2), art. 6(5)"

# Recorded in the audit log when a bulk run is loaded for review.
REVIEW_PURPOSE = "screening review"
REVIEW_LEGAL_BASIS = "Directive (EU) 2016/681 art. 6(2)(a) and 6(5)"

# Review states of a candidate.
PENDING = "pending"
