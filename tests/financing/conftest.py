"""Fixture strategy: reports are built inline (goAML XML text, CSV text) and go through the
real parsers into the ``node`` of tests/conftest.py (SQLite, then PostgreSQL)."""

from __future__ import annotations

from passerelle.privacy import Principal

GOAML = """<?xml version="1.0" encoding="UTF-8"?>
<report>
  <rentity_id>1042</rentity_id>
  <submission_code>E</submission_code>
  <report_code>STR</report_code>
  <entity_reference>STR-2026-0001</entity_reference>
  <submission_date>2026-11-20T10:00:00</submission_date>
  <currency_code_local>EUR</currency_code_local>
  <reason>Many small transfers collected then sent abroad.</reason>
  <report_indicators><indicator>TF-FUNDRAISING</indicator></report_indicators>
  <transaction>
    <transactionnumber>TX-1</transactionnumber>
    <date_transaction>2026-11-02T09:15:00</date_transaction>
    <transmode_code>BA</transmode_code>
    <amount_local>9800.00</amount_local>
    <t_from_my_client>
      <from_funds_code>A</from_funds_code>
      <from_account>
        <institution_name>Banque Synthétique</institution_name>
        <account>FR7630001007941234567890185</account>
        <account_name>Karim Benali</account_name>
      </from_account>
    </t_from_my_client>
    <t_to>
      <to_funds_code>A</to_funds_code>
      <to_person>
        <gender>M</gender>
        <first_name>Youssef</first_name>
        <last_name>Haddad</last_name>
        <birthdate>1990-04-12T00:00:00</birthdate>
        <nationality1>BE</nationality1>
      </to_person>
    </t_to>
  </transaction>
</report>
"""

CSV_HEADER = (
    "report_reference,reporting_entity,submitted_on,transaction_number,occurred_at,amount,"
    "currency,from_account,to_account,from_holder,from_chain,to_chain\n"
)


def fiu(name: str = "fatima") -> Principal:
    return Principal(kind="user", id=1, name=name, agency="FR", roles=frozenset({"fiu"}))
