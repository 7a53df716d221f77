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


MULTI = """<report><rentity_id>1042</rentity_id><entity_reference>STR-2026-0002</entity_reference>
<submission_date>2026-11-21T10:00:00</submission_date><currency_code_local>EUR</currency_code_local>
<transaction><transactionnumber>TX-M1</transactionnumber>
<date_transaction>2026-11-03T14:00:00</date_transaction><amount_local>4200.00</amount_local>
<involved_parties>
 <party><role>ORDERING</role><account_my_client><institution_name>Banque Exemple</institution_name>
  <account>FR7612345000010000000000185</account><account_name>Nadia Amrani</account_name>
 </account_my_client><funds_code>K</funds_code><significance>8</significance></party>
 <party><role>beneficiary</role><entity><name>Horizon Relief SPRL</name></entity></party>
 <party><role>WITNESS</role><person><first_name>Omar</first_name><last_name>Saidi</last_name>
  <birthdate>1985-02-14T00:00:00</birthdate><nationality1>BE</nationality1></person></party>
</involved_parties></transaction>
<transaction><transactionnumber>TX-M2</transactionnumber>
<date_transaction>2026-11-04T09:00:00</date_transaction><amount_local>900.00</amount_local>
<involved_parties>
 <party><role>PAYER</role><person_my_client><first_name>Lina</first_name><last_name>Haddad</last_name>
 </person_my_client></party>
 <party><role>PAYER</role><account><account>BE71096123456769</account></account></party>
 <party><role>PAYEE</role><entity_my_client><name>Cedar Trading</name></entity_my_client></party>
</involved_parties></transaction></report>"""


def test_a_multi_party_transaction_gives_every_party_and_a_directed_transfer() -> None:
    (parsed,) = parse_goaml(MULTI.encode())
    assert parsed.reason == "" and parsed.report is not None
    report = parsed.report
    # TX-M1: one ordering and one beneficiary party (roles in any case): one transfer.
    (tx,) = report.transfers
    assert (tx.number, tx.amount, tx.from_account, tx.to_account) == (
        "TX-M1", 4200.0, "FR7612345000010000000000185", "holder:Horizon Relief SPRL"
    )  # fmt: skip
    kinds = {(p.kind, p.name) for p in report.parties}
    # Every party of both transactions is kept, the witness and TX-M2's three included,
    # although TX-M2 (two payers) gives no transfer: no direction is guessed.
    assert kinds == {
        ("account", "Nadia Amrani"), ("company", "Horizon Relief SPRL"), ("person", "Saidi"),
        ("person", "Haddad"), ("account", ""), ("company", "Cedar Trading"),
    }  # fmt: skip
    witness = next(p for p in report.parties if p.name == "Saidi")
    assert (witness.given_names, witness.date_of_birth, witness.nationality) == (
        "Omar", "1985-02-14", "BE"
    )  # fmt: skip


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
