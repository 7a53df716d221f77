"""Money-flow analysis over the node's reports: run the rules, store new findings, let an
analyst confirm or dismiss each one; and the lists the node holds (listed persons,
cultural-goods dealers, crypto-asset addresses) that the rules and the screening use."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.financing import rules
from passerelle.financing.model import Finding, ListEntry, Party, Transfer
from passerelle.financing.service import crypto, flows
from passerelle.financing.service.common import require_fiu, trace
from passerelle.identity import PersonRecord, compare
from passerelle.node import Node
from passerelle.privacy import Principal

LIST_KINDS = ("person", "dealer", "crypto")
NAME_MATCH = 0.85


def add_list_entry(
    session: Session,
    node: Node,
    list_kind: str,
    *,
    name: str = "",
    date_of_birth: str = "",
    account: str = "",
    origin: str,
) -> ListEntry:
    if list_kind not in LIST_KINDS:
        raise ValidationFailed(f"list_kind: one of {', '.join(LIST_KINDS)}", field="list_kind")
    if list_kind == "crypto":
        account = crypto.validate(account, "account").canonical
    elif not name and not account:
        raise ValidationFailed("name: a name or an account is needed", field="name")
    entry = ListEntry(
        list_kind=list_kind,
        name=name,
        date_of_birth=date_of_birth,
        account=account,
        origin=origin,
        added_at=node.clock.now(),
    )
    session.add(entry)
    session.flush()
    return entry


def _edge(t: Transfer) -> flows.Edge:
    return flows.Edge(t.from_account, t.to_account, t.amount, t.occurred_at.timestamp(), t.currency)


def _listed_accounts(session: Session, parties: list[Party], kind: str) -> dict[str, str]:
    """Accounts held by someone on the list: by account number, else by name (and date)."""
    entries = list(session.scalars(select(ListEntry).where(ListEntry.list_kind == kind)))
    out: dict[str, str] = {}
    by_account = {e.account: e for e in entries if e.account}
    named = [e for e in entries if e.name]
    for party in parties:
        if party.account and party.account in by_account:
            out[party.account] = by_account[party.account].origin
            continue
        if not party.name or not party.account:
            continue
        record = PersonRecord(
            "p", full_name=f"{party.given_names} {party.name}".strip(),
            date_of_birth=party.date_of_birth or None,
        )  # fmt: skip
        for entry in named:
            listed = PersonRecord(
                "l", full_name=entry.name, date_of_birth=entry.date_of_birth or None
            )
            if compare(record, listed).score >= NAME_MATCH:
                out[party.account] = f"{entry.origin}: {entry.name}"
                break
    return out


def analyse(session: Session, node: Node, principal: Principal) -> list[Finding]:
    """Run every rule over the stored transfers; the findings not stored before."""
    require_fiu(principal)
    edges = [_edge(t) for t in session.scalars(select(Transfer))]
    parties = list(session.scalars(select(Party)))
    places: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for p in parties:
        if p.account:
            for kind, value in (("address", p.address), ("device", p.device)):
                if value:
                    places[f"{kind}:{value.strip().upper()}"].add((p.account, p.name.upper()))
    drafts = flows.detect(edges) + flows.shared(places)
    drafts += flows.linked(edges, _listed_accounts(session, parties, "person"), "listed_person")
    drafts += flows.linked(edges, _listed_accounts(session, parties, "dealer"), "art_dealer")
    drafts += flows.linked(edges, _listed_accounts(session, parties, "crypto"), "listed_person")
    known = set(session.scalars(select(Finding.signature)))
    new = []
    for draft in drafts:
        signature = draft.signature[:400]
        if signature in known:
            continue
        known.add(signature)
        finding = Finding(
            id=str(uuid.uuid4()),
            rule=draft.rule,
            signature=signature,
            explanation=draft.explanation,
            edges=[_edge_json(e) for e in draft.edges[:200]],
            detected_at=node.clock.now(),
            status="open",
            decided_by="",
        )
        session.add(finding)
        new.append(finding)
    trace(session, node, principal, "read", "financing.transfer", "*",
          details={"new": len(new), "transfers": len(edges)})  # fmt: skip
    return new


def _edge_json(e: flows.Edge) -> dict[str, Any]:
    return {"from": e.src, "to": e.dst, "amount": round(e.amount, 2), "currency": e.currency,
            "at": e.at}  # fmt: skip


def list_findings(
    session: Session, node: Node, principal: Principal, *, status: str = "", limit: int = 50,
    offset: int = 0,
) -> list[Finding]:  # fmt: skip
    require_fiu(principal)
    query = select(Finding).order_by(Finding.detected_at.desc(), Finding.id)
    if status:
        query = query.where(Finding.status == status)
    rows = list(session.scalars(query.limit(limit).offset(offset)))
    trace(session, node, principal, "read", "financing.finding", "*",
          details={"count": len(rows)})  # fmt: skip
    return rows


def get_finding(session: Session, node: Node, principal: Principal, finding_id: str) -> Finding:
    require_fiu(principal)
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFound(f"no finding {finding_id}")
    trace(session, node, principal, "read", "financing.finding", finding_id)
    return finding


def decide(
    session: Session, node: Node, principal: Principal, finding_id: str, decision: str
) -> Finding:
    """An analyst confirms or dismisses a finding, once."""
    finding = get_finding(session, node, principal, finding_id)
    if decision not in ("confirmed", "dismissed"):
        raise ValidationFailed("decision: confirmed or dismissed", field="decision")
    if finding.status != "open":
        raise Conflict(f"finding {finding_id} was already {finding.status}")
    finding.status, finding.decided_by = decision, principal.name
    finding.decided_at = node.clock.now()
    trace(session, node, principal, "write", "financing.finding", finding_id,
          details={"decision": decision})  # fmt: skip
    return finding


def rule_of(finding: Finding) -> rules.FlowRule:
    return rules.FLOW_RULES[finding.rule]


def screen_addresses(session: Session, node: Node, principal: Principal) -> list[tuple[Party, str]]:
    """Crypto-asset parties whose address is on a list the node holds."""
    require_fiu(principal)
    listed = {
        e.account: e.origin
        for e in session.scalars(select(ListEntry).where(ListEntry.list_kind == "crypto"))
    }
    hits = [
        (p, listed[p.account])
        for p in session.scalars(select(Party).where(Party.kind == "crypto"))
        if p.account in listed
    ]
    trace(session, node, principal, "read", "financing.party", "*",
          details={"hits": len(hits)})  # fmt: skip
    return hits
