"""goAML XML and CSV reports: read into validated reports, or a reason, never an exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.financing.service.parse import parse_csv, parse_goaml, sniff
from tests.financing.conftest import CSV_HEADER, GOAML


def test_a_goaml_report_gives_its_parties_and_transactions() -> None:
    (parsed,) = parse_goaml(GOAML.encode())
    assert parsed.reason == "" and parsed.report is not None
    report = parsed.report
    assert (report.reference, report.reporting_entity, report.submitted_on) == (
        "STR-2026-0001",
        "1042",
        "2026-11-20",
    )
    assert report.indicators == ["TF-FUNDRAISING"]
    (tx,) = report.transfers
    assert (tx.amount, tx.currency, tx.from_account) == (
        9800.0,
        "EUR",
        "FR7630001007941234567890185",
    )
    assert tx.to_account == "holder:Haddad"
    kinds = {(p.kind, p.name) for p in report.parties}
    assert kinds == {("account", "Karim Benali"), ("person", "Haddad")}
    person = next(p for p in report.parties if p.kind == "person")
    assert (person.given_names, person.date_of_birth) == ("Youssef", "1990-04-12")


def test_a_goaml_report_breaking_a_rule_names_the_field() -> None:
    (parsed,) = parse_goaml(GOAML.replace("9800.00", "-5").encode())
    assert parsed.report is None
    assert parsed.reason.startswith("transfers.0.amount")


def test_entities_are_not_expanded() -> None:
    hostile = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><report>&x;</report>'
    (parsed,) = parse_goaml(hostile)
    assert parsed.report is None and b"root:" not in parsed.raw


def test_csv_rows_are_grouped_by_report_and_a_bad_crypto_address_quarantines_its_report() -> None:
    data = (
        CSV_HEADER
        + "R1,BANK1,2026-11-20,T1,2026-11-01T10:00:00,100,EUR,A1,A2,Karim Benali,,\n"
        + "R1,BANK1,2026-11-20,T2,2026-11-01T11:00:00,90,EUR,A2,A3,,,\n"
        + "R2,BANK1,2026-11-20,T3,2026-11-02T10:00:00,50,EUR,A1,"
        + "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD,,,ETH\n"
    ).encode()
    good, bad = parse_csv(data)
    assert good.report is not None and len(good.report.transfers) == 2
    assert bad.report is None
    assert "report 'R2' (lines 4)" in bad.reason and "EIP-55" in bad.reason


def test_a_csv_file_without_its_columns_is_one_reason() -> None:
    (parsed,) = parse_csv(b"id,name\n1,x\n")
    assert "missing column(s) report_reference" in parsed.reason


def test_sniff() -> None:
    assert sniff(b"\xef\xbb\xbf  <report/>") == "goaml" and sniff(CSV_HEADER.encode()) == "csv"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_neither_reader_raises(data: bytes) -> None:
    for reader in (parse_goaml, parse_csv):
        for parsed in reader(data):
            assert (parsed.report is None) == bool(parsed.reason)
