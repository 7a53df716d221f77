"""Retention of the DNA domain: profiles by what they are (trace, suspect, convicted person) under
the node's terms (:class:`passerelle.dna.rules.RetentionTerms`), and match records.

The count starts at the profile's registration (traces, suspects) or at the date a conviction
became final; a re-import never moves it (``store.store_profiles``). A node of a country without
built-in terms must configure its own with their national source
(``PASSERELLE_DNA_RETENTION_TERMS``, a JSON file); without them the DNA package refuses to start
(:class:`DnaRetentionTermsMissing`) rather than inherit the French terms.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, delete, or_
from sqlalchemy.orm import Session

from passerelle.dna import rules
from passerelle.dna.model import CrossBorderSearch, MatchRecord, StoredProfile
from passerelle.dna.rules import PersonStatus, RetentionTerms, SampleType, Term
from passerelle.errors import ConfigurationError
from passerelle.privacy import RetentionRule

if TYPE_CHECKING:
    from passerelle.settings import Settings

TRACE_TYPES = (SampleType.CRIME_STAIN, SampleType.MISSING_PERSON, SampleType.UNIDENTIFIED_REMAINS)
_TERM_KEYS = ("years", "listed_years", "minor_years", "minor_listed_years")


class DnaRetentionTermsMissing(ConfigurationError):
    """This node's country has no built-in DNA retention terms and none are configured."""

    code = "dna_retention_terms_missing"


def _years(n: int) -> timedelta:
    return timedelta(days=round(365.25 * n))


def _term(data: Any, name: str, counts_from: str, path: str) -> Term:
    if not isinstance(data, dict) or any(
        not isinstance(data.get(k), int) or data[k] < 1 for k in _TERM_KEYS
    ):
        raise DnaRetentionTermsMissing(
            f"{path}: {name!r} needs the positive whole years {', '.join(_TERM_KEYS)}"
        )
    return Term(
        years=int(data["years"]),
        listed_years=int(data["listed_years"]),
        minor_years=int(data["minor_years"]),
        minor_listed_years=int(data["minor_listed_years"]),
        counts_from=counts_from,
    )


def load_terms(path: str, country: str) -> RetentionTerms:
    """Read a node's terms: ``{"country", "source", "trace", "suspect", "convicted"}``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DnaRetentionTermsMissing(f"cannot read DNA retention terms {path}: {exc}") from None
    source = str(data.get("source", "")).strip() if isinstance(data, dict) else ""
    if len(source) < 5:
        raise DnaRetentionTermsMissing(f"{path}: the terms state their national source")
    if str(data.get("country", "")).upper() != country.upper():
        raise DnaRetentionTermsMissing(
            f"{path}: terms of {data.get('country')!r}, but this node is {country}"
        )
    return RetentionTerms(
        country=country.upper(),
        trace=_term(data.get("trace"), "trace", "registration", path),
        suspect=_term(data.get("suspect"), "suspect", "registration", path),
        convicted=_term(data.get("convicted"), "convicted", "final_decision", path),
        source=source[:150],
        verified=bool(data.get("verified", False)),
    )


def node_terms(settings: Settings) -> RetentionTerms:
    """The node's terms: configured ones, else the built-in terms of its country, else a typed
    start-up error (never another country's terms)."""
    if settings.dna_retention_terms:
        return load_terms(settings.dna_retention_terms, settings.node)
    built_in = rules.BUILT_IN_TERMS.get(settings.node.upper())
    if built_in is None:
        raise DnaRetentionTermsMissing(
            f"node {settings.node} has no DNA retention terms: set PASSERELLE_DNA_RETENTION_TERMS "
            "to a JSON file with this country's terms and their national source "
            f"({rules.TERMS_SOURCE}); the DNA package does not start with another country's terms"
        )
    return built_in


Operation = Callable[[Session, datetime], int]


def _delete_where(session: Session, *conditions: ColumnElement[bool]) -> int:
    result = session.execute(delete(StoredProfile).where(*conditions))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _combos(term: Term) -> list[tuple[bool, bool, int]]:
    return [(m, ls, term.for_(minor=m, listed=ls)) for m in (False, True) for ls in (False, True)]


def _profiles(kind: ColumnElement[bool], term: Term) -> Operation:
    def run(session: Session, cutoff: datetime) -> int:
        now = cutoff + _years(term.years)
        deleted = 0
        for minor, listed, years in _combos(term):
            limit = now - _years(years)
            same = (
                kind,
                StoredProfile.minor.is_(minor),
                StoredProfile.listed_offence.is_(listed),
            )
            if term.counts_from == "final_decision":
                deleted += _delete_where(
                    session, *same, StoredProfile.final_decision_on < limit.date()
                )
                # No final decision recorded: counted from registration (never later).
                deleted += _delete_where(
                    session,
                    *same,
                    StoredProfile.final_decision_on.is_(None),
                    StoredProfile.registered_at < limit,
                )
            else:
                deleted += _delete_where(session, *same, StoredProfile.registered_at < limit)
        return deleted

    return run


def _delete_matches(session: Session, cutoff: datetime) -> int:
    session.execute(delete(CrossBorderSearch).where(CrossBorderSearch.created_at < cutoff))
    result = session.execute(delete(MatchRecord).where(MatchRecord.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _describe(what: str, term: Term) -> str:
    start = (
        "the date the decision became final"
        if term.counts_from == "final_decision"
        else ("registration")
    )
    return (
        f"{what} profiles are deleted {term.years} years after {start} ({term.listed_years} "
        f"for the listed offences; minors {term.minor_years} or {term.minor_listed_years}); a "
        "re-import never restarts the count."
    )


def retention_rules(terms: RetentionTerms = rules.FR_TERMS) -> list[RetentionRule]:
    """Traces, suspects' and convicted persons' profiles under ``terms``, and match records."""
    reference = StoredProfile.sample_type == SampleType.REFERENCE_PERSON.value
    convicted = reference & (StoredProfile.person_status == PersonStatus.CONVICTED.value)
    suspect = reference & or_(
        StoredProfile.person_status.is_(None),
        StoredProfile.person_status != PersonStatus.CONVICTED.value,
    )
    traces = StoredProfile.sample_type.in_([s.value for s in TRACE_TYPES])
    source = f"{terms.source}{'' if terms.verified else ' — unverified'}"
    found = [
        RetentionRule(
            data_class=f"dna_profile_{name}",
            description=_describe(label, term),
            source=source,
            delete_after=_years(term.years),
            delete=_profiles(kind, term),
        )
        for name, label, kind, term in (
            ("trace", "Trace (stain, missing person, remains)", traces, terms.trace),
            ("suspect", "Suspects' reference", suspect, terms.suspect),
            ("convicted", "Convicted persons' reference", convicted, terms.convicted),
        )
    ]
    found.append(
        RetentionRule(
            data_class="dna_match",
            description="Match records (national and cross-border) are deleted "
            f"{rules.MATCH_RETENTION_YEARS} years after the search.",
            source=rules.MATCH_RETENTION_SOURCE,
            delete_after=_years(rules.MATCH_RETENTION_YEARS),
            delete=_delete_matches,
        )
    )
    return found


__all__ = ["DnaRetentionTermsMissing", "load_terms", "node_terms", "retention_rules"]
