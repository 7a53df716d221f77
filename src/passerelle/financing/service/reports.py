"""Storing, quarantining, listing and reading suspicious-transaction reports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound, UsageError
from passerelle.financing.model import Party, Quarantine, Report, Transfer
from passerelle.financing.schemas import PartyIn, ReportIn, ReportOut, TransferIn
from passerelle.financing.service.common import require_fiu, trace
from passerelle.financing.service.parse import Parsed, parse_csv, parse_goaml, sniff
from passerelle.node import Node
from passerelle.privacy import Principal


@dataclass
class ImportResult:
    stored: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)  # reasons


def quarantine(session: Session, node: Node, source: str, raw: bytes, reason: str) -> str:
    entry = Quarantine(
        id=str(uuid.uuid4()),
        source=source[:300],
        reason=reason,
        raw=raw,
        received_at=node.clock.now(),
    )
    session.add(entry)
    return entry.id


def store(session: Session, node: Node, report: ReportIn, source: str) -> Report:
    """Store one validated report; the same entity's reference twice is a duplicate."""
    row = Report(
        id=str(uuid.uuid4()),
        reference=report.reference,
        reporting_entity=report.reporting_entity,
        source=source,
        submitted_on=report.submitted_on,
        reason=report.reason,
        indicators=list(report.indicators),
        received_at=node.clock.now(),
    )
    session.add(row)
    session.flush()
    for party in report.parties:
        session.add(Party(report_id=row.id, **party.model_dump()))
    for transfer in report.transfers:
        session.add(Transfer(report_id=row.id, **transfer.model_dump()))
    return row


def _duplicate(session: Session, report: ReportIn) -> bool:
    query = select(func.count()).where(
        Report.reference == report.reference, Report.reporting_entity == report.reporting_entity
    )
    return bool(session.scalar(query))


def accept(session: Session, node: Node, parsed: Parsed, source: str, kind: str) -> str | None:
    """Store a parsed report or quarantine it; the reason when quarantined."""
    reason = parsed.reason
    if parsed.report is not None and not reason and _duplicate(session, parsed.report):
        report = parsed.report
        reason = f"report {report.reference!r} of {report.reporting_entity!r} is already stored"
    if parsed.report is None or reason:
        quarantine(session, node, source, parsed.raw, reason or "unreadable report")
        return reason
    store(session, node, parsed.report, kind)
    return None


def import_files(node: Node, paths: list[Path]) -> ImportResult:
    """Import goAML XML or CSV files: every report stored or quarantined with its reason.

    An unreadable file is a :class:`UsageError` raised before anything is stored.
    """
    contents = []
    for path in paths:
        try:
            contents.append((path, path.read_bytes()))
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    result = ImportResult()
    for path, data in contents:
        kind = sniff(data)
        parsed_all = parse_goaml(data) if kind == "goaml" else parse_csv(data)
        with node.session() as session:
            for parsed in parsed_all:
                reason = accept(session, node, parsed, str(path), kind)
                if reason is None:
                    assert parsed.report is not None
                    result.stored.append(parsed.report.reference)
                else:
                    result.quarantined.append(f"{path}: {reason}")
    return result


def list_reports(
    session: Session, node: Node, principal: Principal, *, limit: int = 50, offset: int = 0
) -> list[Report]:
    require_fiu(principal)
    rows = list(
        session.scalars(
            select(Report)
            .order_by(Report.received_at.desc(), Report.id)
            .limit(limit)
            .offset(offset)
        )
    )
    trace(session, node, principal, "read", "financing.report", "*",
          details={"count": len(rows)})  # fmt: skip
    return rows


def get_report(session: Session, node: Node, principal: Principal, report_id: str) -> ReportOut:
    require_fiu(principal)
    row = session.get(Report, report_id)
    if row is None:
        raise NotFound(f"no report {report_id}")
    trace(session, node, principal, "read", "financing.report", report_id)
    parties = session.scalars(select(Party).where(Party.report_id == report_id).order_by(Party.id))
    transfers = session.scalars(
        select(Transfer).where(Transfer.report_id == report_id).order_by(Transfer.occurred_at)
    )
    return ReportOut(
        id=row.id,
        reference=row.reference,
        reporting_entity=row.reporting_entity,
        source=row.source,
        submitted_on=row.submitted_on,
        reason=row.reason,
        indicators=row.indicators,
        parties=[
            PartyIn.model_construct(**{k: getattr(p, k) for k in PartyIn.model_fields})
            for p in parties
        ],
        transfers=[
            TransferIn.model_construct(**{k: getattr(t, k) for k in TransferIn.model_fields})
            for t in transfers
        ],
    )


def store_new(
    session: Session, node: Node, principal: Principal, report: ReportIn, source: str
) -> Report:
    """A report entered by an analyst (console or API): refused if already stored."""
    require_fiu(principal)
    if _duplicate(session, report):
        raise Conflict(f"report {report.reference!r} of {report.reporting_entity!r} exists")
    row = store(session, node, report, source)
    trace(session, node, principal, "write", "financing.report", row.id)
    return row
