"""Regulatory constants of the precursors domain, each with the text it comes from.

A lawyer can review this file without reading the code: the Annex I and Annex II substance
tables (CAS number, limit value, licence upper limit, CN codes), the country licensing regimes,
the art. 8 verification, the art. 9 indicators, the reporting deadline, the retention periods
and the pattern thresholds. Values marked ``UNVERIFIED`` must be checked by each country.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

REG = "Regulation (EU) 2019/1148"
GUIDELINES = "Commission guidelines 2020/C 210/01"


@dataclass(frozen=True)
class Substance:
    name: str
    cas: str
    annex: str  # "I" (restricted and reportable) or "II" (reportable)
    #: Limit value in % w/w: above it the substance is not made available to the general public
    #: (Annex I column 2); None for Annex II.
    limit: float | None
    #: Upper limit for a licence (art. 5(3), Annex I column 3); None when no licence is possible.
    licence_upper: float | None
    cn_pure: str
    cn_mixture: str
    source: str
    note: str = ""


_A1 = f"{REG} Annex I"
_A2 = f"{REG} Annex II"
#: Where the tables below were checked, and when. The CN codes are those of the Regulation's
#: annexes (Implementing Regulation (EU) 2017/1925); later amendments of the Combined
#: Nomenclature (Annex I to Regulation (EEC) No 2658/87) may renumber them (the annexes'
#: own footnote says to consult them).
ANNEX_CHECKED = (
    "checked 2026-12-03 against the consolidated text of Regulation (EU) 2019/1148 "
    "(CELEX 02019R1148-20190711, Annexes I and II as reproduced from EUR-Lex) and the "
    "project's reference/precursors.md"
)

#: Annex I: restricted explosives precursors: CAS, limit values, licence upper limits and CN
#: codes checked (see ANNEX_CHECKED).
ANNEX_I: tuple[Substance, ...] = (
    Substance("nitric acid", "7697-37-2", "I", 3.0, 10.0, "ex 2808 00 00", "ex 3824 99 96", _A1),
    Substance(
        "hydrogen peroxide", "7722-84-1", "I", 12.0, 35.0, "2847 00 00", "ex 3824 99 96", _A1
    ),
    Substance(
        "sulphuric acid", "7664-93-9", "I", 15.0, 40.0, "ex 2807 00 00", "ex 3824 99 96", _A1
    ),
    Substance("nitromethane", "75-52-5", "I", 16.0, 100.0, "ex 2904 20 00", "ex 3824 99 92", _A1),
    Substance(
        "ammonium nitrate",
        "6484-52-2",
        "I",
        45.7,
        None,
        "3102 30 10 / 3102 30 90",
        "ex 3824 99 96",
        _A1,
        "16 % w/w of nitrogen from ammonium nitrate (about 45.7 % w/w ammonium nitrate)",
    ),
    Substance(
        "potassium chlorate", "3811-04-9", "I", 40.0, None, "ex 2829 19 00", "ex 3824 99 96", _A1
    ),
    Substance(
        "potassium perchlorate",
        "7778-74-7",
        "I",
        40.0,
        None,
        "ex 2829 90 10",
        "ex 3824 99 96",
        _A1,
    ),
    Substance("sodium chlorate", "7775-09-9", "I", 40.0, None, "2829 11 00", "ex 3824 99 96", _A1),
    Substance(
        "sodium perchlorate", "7601-89-0", "I", 40.0, None, "ex 2829 90 10", "ex 3824 99 96", _A1
    ),
)

_POWDER = "only as a powder of particle size < 200 µm and ≥ 70 % w/w of the metal"

#: Annex II: reportable explosives precursors: CAS and CN codes checked (see ANNEX_CHECKED).
#: The annex gives magnesium powder no mixture code, and aluminium powder 7603 10 00 (pure)
#: and ex 7603 20 00 (mixtures): an empty ``cn_mixture`` means the annex names none.
ANNEX_II: tuple[Substance, ...] = (
    Substance("hexamine", "100-97-0", "II", None, None, "ex 2933 69 40", "ex 3824 99 93", _A2),
    Substance("acetone", "67-64-1", "II", None, None, "2914 11 00", "ex 3824 99 92", _A2),
    Substance(
        "potassium nitrate", "7757-79-1", "II", None, None, "2834 21 00", "ex 3824 99 96", _A2
    ),
    Substance("sodium nitrate", "7631-99-4", "II", None, None, "3102 50 00", "ex 3824 99 96", _A2),
    Substance(
        "calcium nitrate", "10124-37-5", "II", None, None, "ex 2834 29 80", "ex 3824 99 96", _A2
    ),
    Substance(
        "calcium ammonium nitrate",
        "15245-12-2",
        "II",
        None,
        None,
        "ex 3102 60 00",
        "ex 3824 99 96",
        _A2,
    ),
    Substance(
        "magnesium powder",
        "7439-95-4",
        "II",
        None,
        None,
        "ex 8104 30 00",
        "",
        _A2,
        _POWDER,
    ),
    Substance(
        "magnesium nitrate hexahydrate",
        "13446-18-9",
        "II",
        None,
        None,
        "ex 2834 29 80",
        "ex 3824 99 96",
        _A2,
    ),
    Substance(
        "aluminium powder",
        "7429-90-5",
        "II",
        None,
        None,
        "7603 10 00",
        "ex 7603 20 00",
        _A2,
        _POWDER,
    ),
)

SUBSTANCES: dict[str, Substance] = {s.cas: s for s in (*ANNEX_I, *ANNEX_II)}

#: Powders of Annex II count only below this particle size (µm) and from this metal content.
POWDER_CAS = ("7439-95-4", "7429-90-5")
POWDER_MAX_PARTICLE_UM = 200.0
POWDER_MIN_METAL = 70.0


@dataclass(frozen=True)
class Regime:
    """How a country makes Annex I substances above the limit value available to the public.

    ``licence``: a licence from the national register allows the sale up to the licence upper
    limit (art. 5(3)); ``prohibited``: never sold to the public above the limit value.
    """

    country: str
    kind: str
    authority: str
    contact_point: str
    source: str


#: Default regimes; each node may override them with PASSERELLE_PRECURSORS_REGIMES.
#: Art. 5(3)-(5) checked 2026-12-03 (a Member State MAY keep a licensing regime, notifies it,
#: and the Commission publishes the list of notified measures). National facts checked
#: 2026-12-03 against the authorities' own pages (see REGIME_CHECKED):
#:
#: - FR (verified): the public may not acquire Annex I substances (no licence), décret
#:   n° 2021-1033 du 4 août 2021 (code de la défense, partie réglementaire); national contact
#:   point: the PIXAF of the gendarmerie nationale, arrêté du 4 août 2021.
#: - BE (verified): contact point at the Federal Police (DJSOC, Terrorism section); national
#:   rules by the law of 15 July 2016. The SPF/FOD Economie page says members of the general
#:   public may not buy, hold, use or bring in Annex I substances: Belgium runs NO licensing
#:   regime, so BE is ``prohibited``. The licence flow of art. 5(3) runs for any country a node
#:   configures as ``licence`` with PASSERELLE_PRECURSORS_REGIMES (the demo does so for a
#:   country it names as an illustration, never for BE or FR).
#: - Still UNVERIFIED: the number of the Belgian royal decree, if any, and the Commission's
#:   published list of art. 5(5) notifications (not available to check against).
REGIMES: dict[str, Regime] = {
    "BE": Regime(
        "BE",
        "prohibited",
        "SPF Economie / FOD Economie (no licence issued to the public)",
        "Police fédérale / Federale Politie (DJSOC, Terrorisme / Terrorisme)",
        f"{REG} art. 5(3), 9(1); loi du 15 juillet 2016 / wet van 15 juli 2016",
    ),
    "FR": Regime(
        "FR",
        "prohibited",
        "—",
        "PIXAF, pôle judiciaire de la gendarmerie nationale (arrêté du 4 août 2021)",
        f"{REG} art. 5(1), 9(1); décret n° 2021-1033 du 4 août 2021 (code de la défense)",
    ),
}

#: Where the national regimes were checked (2026-12-03).
REGIME_CHECKED = (
    "FR: interieur.gouv.fr, Service central des armes et explosifs, page « Précurseurs "
    "d'explosifs » (décret n° 2021-1033 and arrêté du 4 août 2021); BE: economie.fgov.be, "
    "« Prévenir et lutter contre les explosifs artisanaux » / « Voorkomen en bestrijden van "
    "zelfgemaakte explosieven » (Federal Police contact point; law of 15 July 2016)"
)
REGIME_KINDS = ("licence", "prohibited")

#: Art. 8 verification items recorded for each sale.
VERIFICATION_SOURCE = f"{REG} art. 8(1)-(2), Annex IV"
#: Records of transactions are kept 18 months from the date of the transaction.
RECORD_RETENTION = timedelta(days=548)
RECORD_SOURCE = f"{REG} art. 8(4) (18 months; verify national law for each country)"

#: Suspicious transactions are reported within 24 hours (art. 9(1)).
REPORT_DEADLINE = timedelta(hours=24)
REPORT_SOURCE = f"{REG} art. 9(1)"
#: Reports and detected patterns are police data at the contact point — UNVERIFIED period.
REPORT_RETENTION = timedelta(days=3 * 365)
REPORT_RETENTION_SOURCE = "Directive (EU) 2016/680 art. 5 (national time limit — UNVERIFIED)"
#: Purchase notices from peers serve only the pattern window.
NOTICE_RETENTION = timedelta(days=30)
NOTICE_SOURCE = f"{REG} art. 9 and recital 25; Framework Decision 2006/960/JHA art. 8 (purpose)"
#: A licence leaves the register 18 months after it expired or was revoked: the art. 8 records
#: citing it (kept 18 months) can be verified until then. The period is this node's policy
#: (storage limitation), not a figure of the Regulation — UNVERIFIED with each authority.
LICENCE_RETENTION = timedelta(days=548)
LICENCE_SOURCE = (
    f"{REG} art. 6 (licences) and art. 8(4) (18 months); Regulation (EU) 2016/679 art. 5(1)(e) "
    "(period: node policy, UNVERIFIED)"
)
#: A watched person is dropped three years after being added unless added again (review).
WATCHED_RETENTION = timedelta(days=3 * 365)
WATCHED_SOURCE = (
    "Directive (EU) 2016/680 art. 5 (periodic review; national time limit — UNVERIFIED)"
)
QUARANTINE_RETENTION = timedelta(days=30)
QUARANTINE_SOURCE = "Regulation (EU) 2016/679 art. 5(1)(e) (storage limitation)"

#: Art. 9 indicators a seller records (art. 9(2) and the authorities' additions).
INDICATORS: dict[str, str] = {
    "unclear_use": "The customer is unclear about the intended use",
    "unfamiliar_use": "The customer appears unfamiliar with the intended use or cannot "
    "explain it plausibly",
    "unusual_quantity": "The customer wants quantities, combinations or concentrations "
    "uncommon for legitimate use",
    "no_identity": "The customer is unwilling to prove identity, residence or professional status",
    "unusual_payment": "The customer insists on unusual payment methods, including large "
    "amounts of cash",
    "evasive": "Evasive behaviour (authorities' indicator)",
    "unusual_delivery": "Unusual packaging or delivery (authorities' indicator)",
}
INDICATOR_SOURCE = f"{REG} art. 9(2); {GUIDELINES} section 9"
#: Cash payments from this amount (EUR) count as the "large amounts of cash" indicator.
LARGE_CASH_EUR = 500.0

CUSTOMER_TYPES = ("public", "professional")
CHANNELS = ("online", "offline")
SELLER_KINDS = ("shop", "marketplace", "distributor")
PAYMENT_METHODS = ("card", "transfer", "cash", "voucher", "crypto", "other")
DELIVERY_METHODS = ("pickup", "address", "locker")
REPORT_KINDS = ("suspicious", "disappearance", "theft")
DECISIONS = ("allowed", "licence_required", "refused", "report")

#: Pattern detection (the thresholds are this node's policy, not the regulation's).
PATTERN_WINDOW = timedelta(days=7)
ADDRESS_WINDOW = timedelta(days=30)
#: Split purchases: at least this many purchases of one substance, each at or below the limit
#: value or small, whose total exceeds SPLIT_TOTAL_KG within the window.
SPLIT_MIN_PURCHASES = 3
SPLIT_TOTAL_KG = 5.0
#: One delivery address used by this many different customers within the window.
ADDRESS_MIN_CUSTOMERS = 3
#: Substances bought together to make home-made explosives (TATP, HMTD, chlorate and
#: nitrate mixtures): a combination across sellers or borders is an art. 9 indicator
#: ("combinations uncommon for legitimate use").
COMBINATIONS: tuple[tuple[str, str, str], ...] = (
    ("67-64-1", "7722-84-1", "acetone and hydrogen peroxide (TATP)"),
    ("100-97-0", "7722-84-1", "hexamine and hydrogen peroxide (HMTD)"),
    ("7664-93-9", "67-64-1", "sulphuric acid and acetone (TATP catalyst)"),
    ("7697-37-2", "7664-93-9", "nitric and sulphuric acid (nitration)"),
    ("7429-90-5", "6484-52-2", "aluminium powder and ammonium nitrate"),
    ("3811-04-9", "7439-95-4", "potassium chlorate and magnesium powder"),
)
PATTERN_SOURCE = f"{REG} art. 9(2) (combinations uncommon for legitimate use); {GUIDELINES}"
PATTERN_KINDS = ("combination", "split", "shared_address")

#: Identity: a customer is the same person from this score of the identity engine.
SAME_PERSON = 0.85

#: Federation: purchase notices between contact points.
EXCHANGE_LEGAL_BASIS = f"{REG} art. 9(1), recital 25; Framework Decision 2006/960/JHA"
MAX_LINE_BYTES = 64 * 1024
MAX_FILE_LINES = 100_000


def combination_substances() -> frozenset[str]:
    return frozenset(c for a, b, _ in COMBINATIONS for c in (a, b))


def combination_of(a: str, b: str) -> str | None:
    for x, y, label in COMBINATIONS:
        if {a, b} == {x, y}:
            return label
    return None
