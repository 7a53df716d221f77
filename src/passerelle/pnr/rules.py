"""Regulatory constants of the PNR domain, each with its source.

Legal texts: Directive (EU) 2016/681 (EU PNR), Annex I and arts. 6, 12, 13; CJEU C-817/19
(Ligue des droits humains, 21 June 2022). Technical codes: IATA AIRIMP SSR code table
(Reservations Interline Message Procedures, chapter 7 "SSR codes") and the UIC OSDM
specification 3.9 (``schemas/person.yml``). Items marked "(verify)" were not checked against
the official text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "ANNEX_I",
    "KEPT_SSR",
    "MASKED_AT_SIX_MONTHS",
    "MEAL_SSR",
    "MEDICAL_SSR",
    "OSDM_SENSITIVE_FIELDS",
    "PNRGOV_TAGS",
    "SENSITIVE_TEXT",
    "UMNR_SSR",
    "AnnexItem",
    "sensitive_ssr_category",
    "sensitive_text_category",
]


@dataclass(frozen=True, slots=True)
class AnnexItem:
    """One of the 19 PNR data elements of Annex I."""

    number: int
    title: str
    source: str = "Directive (EU) 2016/681, Annex I"


ANNEX_I: dict[int, AnnexItem] = {
    item.number: item
    for item in (
        AnnexItem(1, "PNR record locator"),
        AnnexItem(2, "Date of reservation/issue of ticket"),
        AnnexItem(3, "Date(s) of intended travel"),
        AnnexItem(4, "Name(s)"),
        AnnexItem(5, "Address and contact information (telephone number, e-mail address)"),
        AnnexItem(6, "All forms of payment information, including billing address"),
        AnnexItem(7, "Complete travel itinerary for specific PNR"),
        AnnexItem(8, "Frequent flyer information"),
        AnnexItem(9, "Travel agency/travel agent"),
        AnnexItem(10, "Travel status of passenger (confirmations, check-in, no-show, go-show)"),
        AnnexItem(11, "Split/divided PNR information"),
        AnnexItem(
            12,
            "General remarks: only unaccompanied minors under 18 "
            "(CJEU C-817/19 reads item 12 strictly)",
        ),
        AnnexItem(13, "Ticketing field information (number, date, one-way, fare quote)"),
        AnnexItem(14, "Seat number and other seat information"),
        AnnexItem(15, "Code-share information"),
        AnnexItem(16, "All baggage information"),
        AnnexItem(17, "Number and other names of travellers on the PNR"),
        AnnexItem(18, "Any advance passenger information (API) collected"),
        AnnexItem(19, "All historical changes to the PNR listed in numbers 1 to 18"),
    )
}

# Directive (EU) 2016/681 art. 12(2)(a)-(f): masked (depersonalised) six months after receipt.
# Keys are field names of the normalised model (passerelle.pnr.normalised).
MASKED_AT_SIX_MONTHS: dict[str, str] = {
    "passenger.surname": "art. 12(2)(a) names",
    "passenger.given_names": "art. 12(2)(a) names",
    "passenger.title": "art. 12(2)(a) names",
    "booking.passenger_count": "art. 12(2)(a) number of travellers on the PNR",
    "passenger.contacts": "art. 12(2)(b) address and contact information",
    "booking.contacts": "art. 12(2)(b) address and contact information",
    "booking.payments": "art. 12(2)(c) payment information incl. billing address",
    "passenger.frequent_flyer": "art. 12(2)(d) frequent flyer information",
    "passenger.remarks": "art. 12(2)(e) general remarks",
    "passenger.documents": "art. 12(2)(f) all API data",
    "passenger.date_of_birth": "art. 12(2)(f) all API data",
    "passenger.gender": "art. 12(2)(f) all API data",
    "passenger.nationality": "art. 12(2)(f) all API data",
}

# Sensitive data, art. 13(4): deleted on receipt. SSR codes from the IATA AIRIMP table.
MEAL_SSR: frozenset[str] = frozenset(
    {
        # Special meals reveal religion (AVML, HNML, KSML, MOML) or health (DBML, GFML, …).
        "AVML", "BBML", "BLML", "CHML", "CNML", "DBML", "FPML", "GFML", "HFML", "HNML",
        "JPML", "KSML", "LCML", "LFML", "LPML", "LSML", "MOML", "NBML", "NFML", "NLML",
        "ORML", "PFML", "PRML", "RVML", "SFML", "SPML", "VGML", "VJML", "VLML", "VOML",
    }
)  # fmt: skip
MEDICAL_SSR: frozenset[str] = frozenset(
    {
        # Mobility, sensory and medical assistance, reveal health (art. 13(4)).
        "WCHR", "WCHS", "WCHC", "WCBD", "WCBW", "WCMP", "WCOB", "WCLB", "BLND", "DEAF",
        "DPNA", "MEDA", "MEQT", "OXYG", "STCR", "LEGL", "LEGR", "ESAN", "SVAN", "PPOC",
        "POCS", "CPAP", "MAAS",
    }
)  # fmt: skip

# OSDM 3.9 `schemas/person.yml`: `prmNeeds` (persons with reduced mobility) is health data,
# art. 13(4); deleted on receipt (shared/reference/pnr.md, "Rail").
OSDM_SENSITIVE_FIELDS: frozenset[str] = frozenset({"prmNeeds"})

# Free text revealing religion or health (art. 13(4)); English and French keywords as they
# appear in remarks, matched at word starts (PRAYER matches PRAYERS; CHURCH does not match
# inside SCHURCH). A false positive deletes a remark, which the directive allows; a miss keeps
# sensitive data, which it does not.
SENSITIVE_TEXT: dict[str, re.Pattern[str]] = {
    "religion": re.compile(
        r"\b(HALAL|KOSHER|KASHER|MUSLIM|MUSULMAN|ISLAM|JEWISH|JUIF|JUIVE|HINDU|HINDOU|SIKH|"
        r"BUDDHIST|BOUDDHIST|CATHOLI|CHRISTIAN|CHRETIEN|RAMADAN|SHABBAT|SABBATH|MOSQU|"
        r"SYNAGOG|CHURCH|EGLISE|PRAYER|PRIERE|PILGRIM|PELERIN|HAJJ|UMRAH)",
        re.IGNORECASE,
    ),
    "health": re.compile(
        r"\b(WHEELCHAIR|FAUTEUIL ROULANT|MEDICAL|MEDICAUX|MEDIF|PREGNAN|ENCEINTE|DIABET|"
        r"OXYGEN|OXYGENE|BLIND|AVEUGLE|DEAF|SOURD|STRETCHER|CIVIERE|EPILEP|ALLERG|DISABIL|"
        r"HANDICAP|HIV\b|VIH\b|CANCER|PACEMAKER|INSULIN|DIALYS|CPAP|WCH[RCS]\b)",
        re.IGNORECASE,
    ),
}

# Segment tags of the PNRGOV message (IATA/WCO/ICAO PNRGOV EDIFACT implementation guide);
# used to recover a missing terminator ("…+9TIF+KIM…").
PNRGOV_TAGS: frozenset[str] = frozenset(
    [
        "ABI",
        "ADD",
        "APD",
        "DAT",
        "EBD",
        "EQN",
        "FAR",
        "FOP",
        "FTI",
        "IFT",
        "LTS",
        "MON",
        "MSG",
        "ORG",
        "PTK",
        "RCI",
        "REF",
        "RPI",
        "SAC",
        "SRC",
        "SSD",
        "SSR",
        "TBD",
        "TIF",
        "TKT",
        "TRI",
        "TVL",
        "TXD",
    ]
)
# SSR codes kept (IATA AIRIMP codes), with the Annex I item they carry; every other SSR code
# is outside Annex I (art. 6(1)) or sensitive (art. 13(4)) and is not kept.
KEPT_SSR: dict[str, int] = {
    "UMNR": 12,
    "INFT": 17,
    "CHLD": 17,
    "TKNE": 13,
    "TKNA": 13,
    "CKIN": 10,
    "SEAT": 14,
    "RQST": 14,
    "NSST": 14,
    "NSSA": 14,
    "NSSW": 14,
    "XBAG": 16,
    "ABAG": 16,
    "PBAG": 16,
    "FQTV": 8,
    "FQTR": 8,
    "FQTS": 8,
}


# Item 12 read strictly (CJEU C-817/19, para. 136 (verify)): only unaccompanied-minor remarks.
UMNR_SSR: frozenset[str] = frozenset({"UMNR"})  # IATA AIRIMP: unaccompanied minor


def sensitive_ssr_category(code: str) -> str | None:
    """``"meal"`` or ``"medical"`` when an SSR code is sensitive data (art. 13(4)), else None."""
    code = code.strip().upper()
    if code in MEAL_SSR:
        return "meal"
    if code in MEDICAL_SSR:
        return "medical"
    return None


def sensitive_text_category(text: str) -> str | None:
    """``"religion"`` or ``"health"`` when free text reveals them (art. 13(4)), else None."""
    for category, pattern in SENSITIVE_TEXT.items():
        if pattern.search(text):
            return category
    return None
