"""Reading suspicious-transaction reports from goAML XML and from CSV.

Neither reader raises: each returns one :class:`Parsed` per report found, holding either the
validated report or the exact reason it cannot be stored, with the raw bytes to quarantine.

goAML element names (``report``, ``rentity_id``, ``entity_reference``, ``submission_date``,
``currency_code_local``, ``reason``, ``report_indicators/indicator``, ``transaction``,
``transactionnumber``, ``date_transaction``, ``amount_local``, ``transmode_code``, the sides
``t_from_my_client``/``t_from`` and ``t_to_my_client``/``t_to`` holding ``from_account``/
``to_account`` (``account``, ``institution_name``, ``account_name``), ``from_person``/
``to_person`` (``first_name``, ``last_name``, ``birthdate``, ``nationality1``) and
``from_entity``/``to_entity`` (``name``); or, for a multi-party transaction,
``involved_parties/party`` with its ``role`` and one of ``person``/``person_my_client``,
``account``/``account_my_client``, ``entity``/``entity_my_client``) follow the goAML schema
4.0/5.0 as reproduced by public implementations; see ``docs/financing.md`` for what could and
could not be checked.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pydantic import ValidationError

from passerelle.financing import rules
from passerelle.financing.schemas import ReportIn

MAX_BYTES = 20 * 1024 * 1024
CSV_COLUMNS = (
    "report_reference",
    "reporting_entity",
    "submitted_on",
    "transaction_number",
    "occurred_at",
    "amount",
    "currency",
    "from_account",
    "to_account",
)
CSV_OPTIONAL = (
    "reason",
    "mode",
    "from_chain",
    "to_chain",
    *(
        f"{side}_{f}"
        for side in ("from", "to")
        for f in ("holder", "given_names", "dob", "address", "device")
    ),
)


@dataclass(frozen=True)
class Parsed:
    raw: bytes
    report: ReportIn | None = None
    reason: str = ""


def _explain(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "report"
    return f"{where}: {first['msg']}"


def _validated(raw: bytes, data: dict[str, Any]) -> Parsed:
    try:
        return Parsed(raw, ReportIn.model_validate(data))
    except ValidationError as exc:
        return Parsed(raw, reason=_explain(exc))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _text(node: Any, path: str) -> str:
    found = node.find(path)
    return (found.text or "").strip() if found is not None and found.text else ""


def _first(block: Any, *tags: str) -> Any:
    for tag in tags:
        found = block.find(tag)
        if found is not None:
            return found
    return None


def _holder(account: Any, person: Any, entity: Any, parties: list[dict[str, Any]]) -> str:
    """The account a block names (its account number, else the person or entity standing in
    for one), adding its parties to the report."""
    number = ""
    holder = ""
    if entity is not None:
        holder = _text(entity, "name")
        parties.append({"kind": "company", "name": holder})
    if person is not None:
        holder = _text(person, "last_name")
        parties.append(
            {
                "kind": "person",
                "name": holder,
                "given_names": _text(person, "first_name"),
                "date_of_birth": _text(person, "birthdate")[:10],
                "nationality": _text(person, "nationality1")[:3],
                "address": _text(person, "addresses/address/address"),
            }
        )
    if account is not None:
        number = _text(account, "account") or _text(account, "iban")
        parties.append(
            {
                "kind": "account",
                "account": number,
                "name": _text(account, "account_name") or holder,
                "institution": _text(account, "institution_name"),
            }
        )
    return number or (f"holder:{holder}" if holder else "")


def _side(tx: Any, side: str, parties: list[dict[str, Any]]) -> str:
    """The account of a bi-party transaction's side (``t_from``/``t_to``, ``_my_client`` or not)."""
    block = _first(tx, f"t_{side}_my_client", f"t_{side}")
    if block is None:
        return ""
    return _holder(block.find(f"{side}_account"), block.find(f"{side}_person"),
                   block.find(f"{side}_entity"), parties)  # fmt: skip


def _multi_party(tx: Any, parties: list[dict[str, Any]]) -> tuple[str, str]:
    """A multi-party transaction (``involved_parties/party``): every party is imported; the
    transfer's sides are the one party whose ``role`` is a sending role and the one whose role
    is a receiving role (:data:`rules.GOAML_SENDING_ROLES`, :data:`rules.GOAML_RECEIVING_ROLES`),
    or ``("", "")`` when the roles do not name exactly one of each (the rules need a direction:
    no edge is guessed)."""
    senders: list[str] = []
    receivers: list[str] = []
    for party in tx.findall("involved_parties/party"):
        account = _holder(
            _first(party, "account_my_client", "account"),
            _first(party, "person_my_client", "person"),
            _first(party, "entity_my_client", "entity"),
            parties,
        )
        role = _text(party, "role").upper()
        if role in rules.GOAML_SENDING_ROLES:
            senders.append(account)
        elif role in rules.GOAML_RECEIVING_ROLES:
            receivers.append(account)
    if len(senders) == 1 and len(receivers) == 1 and senders[0] and receivers[0]:
        return senders[0], receivers[0]
    return "", ""


def _transfer(tx: Any, currency: str, parties: list[dict[str, Any]]) -> dict[str, Any] | None:
    number = _text(tx, "transactionnumber")
    base = {"number": number, "occurred_at": _text(tx, "date_transaction"),
            "amount": _text(tx, "amount_local"), "currency": currency,
            "mode": _text(tx, "transmode_code")}  # fmt: skip
    if tx.find("involved_parties") is None:
        return {**base, "from_account": _side(tx, "from", parties),
                "to_account": _side(tx, "to", parties)}  # fmt: skip
    source, target = _multi_party(tx, parties)
    if not source:
        return None  # its parties are kept; without one sender and one receiver, no edge
    return {**base, "from_account": source, "to_account": target}


def _report(node: Any) -> dict[str, Any]:
    currency = _text(node, "currency_code_local") or "EUR"
    parties: list[dict[str, Any]] = []
    transfers = []
    for tx in node.iter("transaction"):
        transfer = _transfer(tx, currency, parties)
        if transfer is not None:
            transfers.append(transfer)
    return {
        "reference": _text(node, "entity_reference"),
        "reporting_entity": _text(node, "rentity_id"),
        "submitted_on": _text(node, "submission_date")[:10],
        "reason": _text(node, "reason"),
        "indicators": [i.text.strip() for i in node.iter("indicator") if i.text],
        "parties": _unique(parties),
        "transfers": transfers,
    }


def _unique(parties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[tuple[str, Any], ...]] = set()
    out = []
    for party in parties:
        key = tuple(sorted(party.items()))
        if key not in seen:
            seen.add(key)
            out.append(party)
    return out


def parse_goaml(data: bytes) -> list[Parsed]:
    """Reports of a goAML XML file (one ``report``, or several under any root)."""
    if len(data) > MAX_BYTES:
        return [Parsed(data[:1024], reason=f"file larger than {MAX_BYTES} bytes")]
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        return [Parsed(data, reason=f"not well-formed XML: {exc}")]
    if root.tag == "report":
        nodes = [root]
    else:
        nodes = [n for n in root if isinstance(n.tag, str) and n.tag == "report"]
    if not nodes:
        return [Parsed(data, reason=f"no goAML <report> element (root is <{root.tag}>)")]
    out = []
    for node in nodes:
        raw = etree.tostring(node)
        out.append(_validated(raw, _report(node)))
    return out


def _csv_party(row: dict[str, str], side: str) -> list[dict[str, Any]]:
    account = row.get(f"{side}_account", "")
    chain = row.get(f"{side}_chain", "")
    holder = row.get(f"{side}_holder", "")
    parties: list[dict[str, Any]] = []
    if chain:
        parties.append({"kind": "crypto", "account": account})
    elif account:
        parties.append({"kind": "account", "account": account, "name": holder})
    if holder:
        parties.append(
            {
                "kind": "person",
                "name": holder,
                "given_names": row.get(f"{side}_given_names", ""),
                "date_of_birth": row.get(f"{side}_dob", ""),
                "address": row.get(f"{side}_address", ""),
                "device": row.get(f"{side}_device", ""),
                "account": account if not chain else "",
            }
        )
    return parties


def parse_csv(data: bytes) -> list[Parsed]:
    """Reports of a CSV file: one row per transaction, grouped by ``report_reference``."""
    try:
        text = data.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""), restkey="__extra__")
        header = [f.strip() for f in reader.fieldnames or []]
    except (UnicodeDecodeError, csv.Error) as exc:
        return [Parsed(data, reason=f"not UTF-8 CSV: {exc}")]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        return [Parsed(data, reason=f"line 1: missing column(s) {', '.join(missing)}")]
    reader.fieldnames = header
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    bad: list[Parsed] = []
    try:
        for row in reader:
            if "__extra__" in row or None in row.values():
                bad.append(
                    Parsed(
                        repr(row).encode(), reason=f"line {reader.line_num}: wrong number of cells"
                    )
                )
                continue
            clean = {k: (v or "").strip() for k, v in row.items()}
            groups.setdefault(clean["report_reference"], []).append((reader.line_num, clean))
    except csv.Error as exc:
        return [Parsed(data, reason=f"line {reader.line_num}: {exc}")]
    out = bad
    for reference, rows in groups.items():
        first = rows[0][1]
        parties: list[dict[str, Any]] = []
        transfers = []
        for _, row in rows:
            parties += _csv_party(row, "from") + _csv_party(row, "to")
            transfers.append(
                {k: row[k] for k in ("amount", "currency", "from_account", "to_account")}
            )
            transfers[-1].update(
                number=row["transaction_number"],
                occurred_at=row["occurred_at"],
                mode=row.get("mode", ""),
            )
        raw = "\n".join(",".join(r.values()) for _, r in rows).encode()
        parsed = _validated(
            raw,
            {
                "reference": reference,
                "reporting_entity": first["reporting_entity"],
                "submitted_on": first["submitted_on"],
                "reason": first.get("reason", ""),
                "parties": _unique(parties),
                "transfers": transfers,
            },
        )
        if parsed.reason:
            lines = ", ".join(str(n) for n, _ in rows)
            parsed = Parsed(raw, reason=f"report {reference!r} (lines {lines}): {parsed.reason}")
        out.append(parsed)
    return out


def sniff(data: bytes) -> str:
    """``goaml`` or ``csv``, from the first non-blank byte."""
    return "goaml" if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" else "csv"
