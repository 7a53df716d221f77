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
from datetime import timedelta
from functools import lru_cache

__all__ = [
    "ANNEX_I",
    "CRITERIA_ATTRIBUTES",
    "CRITERIA_MAX_REVIEW",
    "EU_MEMBER_STATES",
    "EXCLUDED_LIST_TAGS",
    "FORBIDDEN_ATTRIBUTES",
    "GARBAGE_MIN_ITEMS",
    "GARBAGE_SHARE",
    "KEPT_SSR",
    "MASKED_AT_SIX_MONTHS",
    "MASK_AFTER",
    "MAX_SEGMENTS",
    "MEAL_SSR",
    "MEDICAL_SSR",
    "OSDM_SENSITIVE_FIELDS",
    "PNRGOV_TAGS",
    "QUARANTINE_RAW_SHOWN",
    "QUARANTINE_RETENTION",
    "RETENTION",
    "RETENTION_GROUNDS",
    "RETENTION_POLICY_SOURCE",
    "SCREEN_THRESHOLD",
    "SENSITIVE_TEXT",
    "UIC_COUNTRIES",
    "UMNR_SSR",
    "AnnexItem",
    "airport_country",
    "intra_eu_place",
    "sensitive_ssr_category",
    "sensitive_text_category",
    "uic_country",
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

# Bag counts (EBD, TBD: UN/EDIFACT data element 6060 "Quantity", n..15) longer than this are
# not read: no passenger checks 10,000 bags, and a bounded field cannot overflow a column.
MAX_BAG_DIGITS = 4

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


# ---- Service layer: storage, masking, retention, scope, criteria --------------------------

#: Art. 12(2): data are depersonalised "upon expiry of a period of six months" after
#: transfer. Six calendar months are at most 184 days; 183 (the average half year) is used.
MASK_AFTER = timedelta(days=183)
MASK_SOURCE = "Directive (EU) 2016/681 art. 12(2)"

#: Art. 12(1) and (4): kept five years from transfer, then permanently deleted.
RETENTION = timedelta(days=5 * 365 + 1)
RETENTION_SOURCE = "Directive (EU) 2016/681 art. 12(1), (4)"

#: Retention after six months: only bookings with an objective link to a risk are kept, masked,
#: up to five years (CJEU C-817/19, Ligue des droits humains: a general 5-year retention of all
#: passengers is precluded [press release 105/2022; paragraph numbers UNVERIFIED]). The former
#: "national" policy (every booking five years, ``PASSERELLE_PNR_RETENTION_POLICY``) was removed
#: on 2026-12-03 (issue #16); bookings kept under it are re-evaluated at the next retention run.
RETENTION_POLICY_SOURCE = (
    "CJEU C-817/19: after six months keep only bookings with objective evidence of a risk"
)

#: The objective grounds that keep a booking past six months (``link_case``). Each is recorded
#: with who, when and a review date; free text alone keeps nothing.
RETENTION_GROUNDS: dict[str, str] = {
    "confirmed_hit": "a confirmed hit on the booking (art. 6(5) review done)",
    "judicial_case": "a case with a judicial reference (investigating judge, prosecutor)",
    "investigation": "an ongoing investigation, with its number and the approval of a person "
    "of another agency",
}
#: A ground carries a review date at most this far ahead; once it passes without a renewal the
#: ground no longer keeps the booking (project choice; CJEU C-817/19 requires the link to stay
#: objective).
RETENTION_GROUND_MAX_REVIEW = timedelta(days=366)
RETENTION_GROUND_SOURCE = "CJEU C-817/19 (objective link to a risk); project review period"

#: Quarantined raw input may hold sensitive codes that were never filtered: kept only long
#: enough for the carrier to be told and to resend (project choice under art. 6(1), 13(4)).
QUARANTINE_RETENTION = timedelta(days=30)
QUARANTINE_SOURCE = "Directive (EU) 2016/681 art. 6(1), 13(4); data minimisation"

#: Bounds on one push (project choices, not law: a red-team push of 300,000 empty segments
#: made 300,002 quarantine rows, +128 MB of database and a 25 MB answer). Items beyond
#: ``PASSERELLE_PNR_QUARANTINE_ROWS`` per push are counted, not kept. A push whose unreadable
#: segments are at least ``GARBAGE_MIN_ITEMS`` and more than ``GARBAGE_SHARE`` of all its
#: segments is refused whole and kept raw once; so is one of more than ``MAX_SEGMENTS``
#: segments (a 400-passenger flight with history is about 20,000).
GARBAGE_SHARE = 0.5
GARBAGE_MIN_ITEMS = 50
MAX_SEGMENTS = 200_000
#: Raw text shown per quarantine item in listings (the row keeps all of it).
QUARANTINE_RAW_SHOWN = 4000

#: An approved re-personalisation opens the masked data for this long (project choice; the
#: approval is for one case, art. 12(3)(b)).
REPERSONALISATION_VALIDITY = timedelta(days=30)
REPERSONALISATION_SOURCE = "Directive (EU) 2016/681 art. 12(3)"

#: Purposes and legal bases written to the audit log.
PURPOSE_ASSESS = "assess passengers before arrival or departure"
BASIS_ASSESS = "Directive (EU) 2016/681 art. 6(2)(a), 6(3)"
PURPOSE_REQUEST = "duly reasoned request, case by case"
BASIS_REQUEST = "Directive (EU) 2016/681 art. 6(2)(b), 9(2)"
BASIS_EMERGENCY = "Directive (EU) 2016/681 art. 9(3) (emergency request)"
BASIS_RESULTS = "Directive (EU) 2016/681 art. 9(1) (results to other PIUs)"
BASIS_SENSITIVE = "Directive (EU) 2016/681 art. 13(4) (sensitive data deleted on receipt)"
BASIS_OUTSIDE_ANNEX = "Directive (EU) 2016/681 art. 6(1) (data outside Annex I deleted)"
BASIS_REVIEW = "Directive (EU) 2016/681 art. 6(5) (individual review by non-automated means)"
BASIS_SCOPE = "CJEU C-817/19 (intra-EU flights and rail only on selected routes or under a threat)"
#: Re-personalisation approved by another competent national authority (12(3)(b)(ii)): the DPO
#: is informed (and reviews afterwards) — an audit entry the DPO sees in the audit viewer.
BASIS_DPO_INFORMED = "Directive (EU) 2016/681 art. 12(3)(b)(ii) (data protection officer informed)"
APPROVAL_BASES: dict[str, str] = {
    "judicial": "Directive (EU) 2016/681 art. 12(3)(b)(i) (judicial authority)",
    "competent_authority": "Directive (EU) 2016/681 art. 12(3)(b)(ii) (other competent "
    "national authority; DPO informed, ex-post review)",
}

#: PNR is compared only with databases on persons or objects sought or under alert for terrorism
#: and serious crime (art. 6(3)(a) read with CJEU C-817/19 [team: secondary sources; judgment
#: paragraph UNVERIFIED]). Watchlist entries tagged with these purposes are never screened:
#: missing or vulnerable persons (SIS art. 32) and witnesses or persons sought for a judicial
#: procedure (SIS art. 34). Checked 2026-12-03 (legal review P15).
EXCLUDED_LIST_TAGS: dict[str, str] = {
    "sis:art32": "Reg. 2018/1862 art. 32 (missing or vulnerable persons)",
    "sis:art32_c": "Reg. 2018/1862 art. 32(1)(c) (children at risk of abduction)",
    "sis:art32_d": "Reg. 2018/1862 art. 32(1)(d) (children to be prevented from travelling)",
    "sis:art32_e": "Reg. 2018/1862 art. 32(1)(e) (vulnerable adults)",
    "sis:art34": "Reg. 2018/1862 art. 34 (witnesses, persons sought for a judicial procedure)",
}
EXCLUDED_LISTS_SOURCE = (
    "Directive (EU) 2016/681 art. 6(3)(a); CJEU C-817/19: only terrorism and serious crime"
)

#: Art. 6(5): watchlist candidates at or above this identity score enter the review queue.
SCREEN_THRESHOLD = 0.85

#: EU member states (ISO 3166-1 alpha-2): intra-EU transport needs a scope decision.
_EU = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
EU_MEMBER_STATES: frozenset[str] = frozenset(_EU.split())

#: Rail: UIC country codes (first two digits of a UIC station code) from UIC leaflet 920-14
#: [read: https://uic.org/support-activities/it/article/country-codes; list incl. 24 LT, 25 LV,
#: 26 EE, 52 BG, 60 IE, 78 HR read at https://wikimili.com/en/List_of_UIC_country_codes;
#: checked 2026-12-03]: every EU member state with a railway (CY and MT have none), and the
#: non-EU neighbours. A code missing here counts as intra-EU (fail closed: never collected
#: without a decision). Non-EU entries other than GB, NO and CH are UNVERIFIED (team recollection).
UIC_COUNTRIES: dict[str, tuple[str, bool]] = {
    "10": ("FI", True), "24": ("LT", True), "25": ("LV", True), "26": ("EE", True),
    "51": ("PL", True), "52": ("BG", True), "53": ("RO", True), "54": ("CZ", True),
    "55": ("HU", True), "56": ("SK", True), "60": ("IE", True), "71": ("ES", True),
    "73": ("GR", True), "74": ("SE", True), "78": ("HR", True), "79": ("SI", True),
    "80": ("DE", True), "81": ("AT", True), "82": ("LU", True), "83": ("IT", True),
    "84": ("NL", True), "86": ("DK", True), "87": ("FR", True), "88": ("BE", True),
    "94": ("PT", True),
    "70": ("GB", False), "76": ("NO", False), "85": ("CH", False),
    "20": ("RU", False), "21": ("BY", False), "22": ("UA", False), "23": ("MD", False),
    "41": ("AL", False), "62": ("ME", False), "65": ("MK", False), "72": ("RS", False),
    "75": ("TR", False),
}  # fmt: skip
UIC_SOURCE = "UIC leaflet 920-14 (country codes), checked 2026-12-03"

#: Criteria review: every criterion carries a review date at most this far ahead, and is not
#: applied once it has passed (art. 6(4) "regularly reviewed"; CJEU C-817/19 para. 201).
CRITERIA_MAX_REVIEW = timedelta(days=366)
CRITERIA_SOURCE = "Directive (EU) 2016/681 art. 6(4); CJEU C-817/19 paras. 194-201"

#: Attributes a criterion may test, with their meaning (routes, timing, booking patterns,
#: payment, art. 6(3)(b)).
CRITERIA_ATTRIBUTES: dict[str, str] = {
    "mode": "air or rail",
    "route": "ORIGIN-DESTINATION of the journey (airports, or UIC station codes)",
    "origin": "first airport or station",
    "destination": "last airport or station",
    "carrier": "carrier code",
    "service": "flight or train number",
    "legs": "number of legs in the itinerary",
    "hours_before_departure": "hours between booking and departure",
    "departure_hour": "local hour of departure (0-23)",
    "passengers_on_booking": "number of travellers on the booking",
    "payment": "forms of payment (e.g. CASH, CC)",
    "one_way": "true when the itinerary does not return to its origin",
    "changes": "number of history entries (changes to the booking)",
    "checked_in": "true when the traveller is checked in",
    "bags": "number of checked bags",
    "has_document": "true when API document data were sent",
}

#: Attributes a criterion may never test (art. 6(4): never based on race or ethnic origin,
#: political opinions, religion or philosophical beliefs, trade-union membership, health, sex
#: life or sexual orientation). Names, nationality and gender are refused as proxies (CJEU
#: C-817/19 paras. 197-198: criteria must not be discriminatory).
FORBIDDEN_ATTRIBUTES: dict[str, str] = {
    "race": "art. 6(4)",
    "ethnic_origin": "art. 6(4)",
    "ethnicity": "art. 6(4)",
    "political_opinion": "art. 6(4)",
    "religion": "art. 6(4)",
    "belief": "art. 6(4)",
    "trade_union": "art. 6(4)",
    "health": "art. 6(4)",
    "meal": "art. 6(4), 13(4): special meals reveal religion or health",
    "prm_needs": "art. 6(4), 13(4): reduced-mobility needs are health data",
    "sex_life": "art. 6(4)",
    "sexual_orientation": "art. 6(4)",
    "nationality": "CJEU C-817/19 para. 197: a proxy for ethnic origin",
    "gender": "CJEU C-817/19 para. 197: discriminatory",
    "name": "CJEU C-817/19 para. 197: a proxy for ethnic origin or religion",
    "surname": "CJEU C-817/19 para. 197: a proxy for ethnic origin or religion",
    "given_names": "CJEU C-817/19 para. 197: a proxy for ethnic origin or religion",
    "date_of_birth": "CJEU C-817/19 para. 197: age alone is not a risk factor",
}


def uic_station(station: str) -> bool:
    """Whether ``station`` has the shape of a UIC station code (``urn:uic:stn:8727100``)."""
    code = station.rsplit(":", 1)[-1]
    return len(code) >= 7 and code.isdigit()


def uic_country(station: str) -> tuple[str, bool] | None:
    """``(ISO country, EU member)`` of a UIC station (``urn:uic:stn:8727100`` or ``8727100``);
    None when the code is malformed or its country is missing from the table."""
    if not uic_station(station):
        return None
    return UIC_COUNTRIES.get(station.rsplit(":", 1)[-1][:2])


def airport_country(code: str) -> str | None:
    """ISO country of an IATA airport code (OurAirports data via ``airportsdata``, MIT)."""
    return _airports().get(code.strip().upper())


@lru_cache(maxsize=1)
def _airports() -> dict[str, str]:
    import airportsdata

    return {iata: str(info["country"]) for iata, info in airportsdata.load("IATA").items()}


def intra_eu_place(place: str, mode: str) -> bool:
    """Whether one airport or station is in an EU member state; an unknown code counts as
    intra-EU (fail closed: never collected without a decision)."""
    if mode == "rail":
        country = uic_country(place)
        return country is None or country[1]
    iso = airport_country(place)
    return iso is None or iso in EU_MEMBER_STATES
