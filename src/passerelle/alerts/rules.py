"""Regulatory constants of the alerts domain, each with the text it comes from.

A lawyer can review this file without reading the code: SIS alert categories, the minimum and
optional data of a person alert, warning flags, the content of a hit report, the SIRENE answer
deadline, review periods, forbidden criterion attributes, the default harmonised criteria and
the default deadlines of the release calendar. Values marked ``UNVERIFIED`` were not checked
against the Official Journal text while writing them and must be reviewed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from passerelle.digits import to_int

SIS = "Regulation (EU) 2018/1862 (SIS police and judicial cooperation)"


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    article: str
    #: Period after entry (or after the last recorded review) within which the issuing country
    #: must review the alert; without an extension it is deleted when the period ends.
    review_within: timedelta
    review_source: str


_YEAR = timedelta(days=365)
_ART53 = f"{SIS} art. 53"
#: Date the corrected citations of this file were checked against the text (legal review of
#: 2026-12, /work/shared/reference/legal-review.md, rows A1-A21).
CHECKED = "checked 2026-12-03"
# Art. 53 read at https://gesetze.legal/eu/vo_eu_2018_1862/53 (consolidated, incl. 2022/1190).
# Source strings stay short: they are written to the audit log's legal basis (200 characters).

#: Person-alert categories (facts: reference/alerts.md) and their review periods, art. 53:
#: (2) art. 26 and 32(1)(a),(b) — 5 years; (3) art. 34 and 40 — 3 years; (4) art. 32(1)(c),(d),
#: (e), 36 and 37a — 1 year. Art. 37b is the hit procedure of 37a alerts, not a category.
CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category(
            "art26",
            "Arrest for surrender or extradition",
            f"{SIS} art. 26",
            5 * _YEAR,
            f"{_ART53}(2) — {CHECKED}",
        ),
        Category(
            "art32",
            "Missing person (art. 32(1)(a)-(b))",
            f"{SIS} art. 32(1)(a) and (b)",
            5 * _YEAR,
            f"{_ART53}(2) — {CHECKED}",
        ),
        Category(
            "art32_c",
            "Child at risk of parental abduction (art. 32(1)(c))",
            f"{SIS} art. 32(1)(c)",
            _YEAR,
            f"{_ART53}(4) — {CHECKED}",
        ),
        Category(
            "art32_d",
            "Child to be prevented from travelling (art. 32(1)(d))",
            f"{SIS} art. 32(1)(d)",
            _YEAR,
            f"{_ART53}(4) — {CHECKED}",
        ),
        Category(
            "art32_e",
            "Vulnerable adult to be prevented from travelling (art. 32(1)(e))",
            f"{SIS} art. 32(1)(e)",
            _YEAR,
            f"{_ART53}(4) — {CHECKED}",
        ),
        Category(
            "art34",
            "Sought for a judicial procedure",
            f"{SIS} art. 34",
            3 * _YEAR,
            f"{_ART53}(3) — {CHECKED}",
        ),
        Category(
            "art36_discreet",
            "Discreet check",
            f"{SIS} art. 36 and 37(3)",
            _YEAR,
            f"{_ART53}(4) — {CHECKED}",
        ),
        Category(
            "art36_inquiry",
            "Inquiry check",
            f"{SIS} art. 36 and 37(4)",
            _YEAR,
            f"{_ART53}(4) — {CHECKED}",
        ),
        Category(
            "art36_specific",
            "Specific check",
            f"{SIS} art. 36 and 37(5)",
            _YEAR,
            f"{_ART53}(4) — {CHECKED}",
        ),
        Category(
            "art37a",
            "Information alert (Europol proposal, third-country national)",
            f"{SIS} art. 37a (inserted by Regulation (EU) 2022/1190); hit procedure art. 37b",
            _YEAR,
            f"{_ART53}(4) as amended by Reg. 2022/1190 — {CHECKED}",
        ),
        Category(
            "art40",
            "Unknown wanted person",
            f"{SIS} art. 40",
            3 * _YEAR,
            f"{_ART53}(3) — {CHECKED}",
        ),
    )
}
#: Categories this node stored before the review and what they became (migration alerts_0003).
#: "art37b" was never a category (art. 37b = execution of the action on a 37a alert).
RENAMED_CATEGORIES: dict[str, str] = {"art37b": "art37a"}

#: Extension of an alert (art. 53(6)): only "following a comprehensive individual assessment,
#: which shall be recorded". Each extension records who assessed, why the alert is kept and what
#: was assessed; a text shorter than this is not an assessment.
EXTENSION_SOURCE = f"{_ART53}(6) — {CHECKED}"
EXTENSION_MIN_TEXT = 20
#: Automatic deletion at the end of the period (art. 53(7)); CS-SIS informs the issuing Member
#: State four months in advance. Four calendar months are at most 123 days: the warning starts
#: then, so it is never later than the regulation's.
EXPIRY_WARNING_BEFORE = timedelta(days=123)
EXPIRY_SOURCE = f"{_ART53}(7) — {CHECKED}"

#: Withdrawn alerts (purpose achieved, decision revoked) are deleted, not kept until their
#: review period ends: art. 55 [read: https://legislation.gov.uk/eur/2018/1862/article/55].
WITHDRAWN_SOURCE = f"{SIS} art. 55 — {CHECKED}"

#: Categories whose hit triggers an art. 37(1) report to the issuing country.
REPORTING_CATEGORIES = frozenset({"art36_discreet", "art36_inquiry", "art36_specific", "art37a"})
#: An inquiry check is an interview based on the issuing country's questions (art. 37(4)).
QUESTIONS_CATEGORY = "art36_inquiry"

#: Minimum data of a person alert: art. 22(1)(a) of Reg. 2018/1862 (surname, date of birth,
#: reason for the alert, action to be taken) — field names of this package.
MINIMUM_DATA: dict[str, str] = {
    "family_name": "surname",
    "date_of_birth": "date of birth",
    "reason": "reason for the alert",
    "action": "action to be taken",
}
MINIMUM_DATA_SOURCE = f"{SIS} art. 22"

#: Warning flags an alert may carry: art. 20(3)(j)(i)-(vi) of Reg. 2018/1862 ((i) is
#: nationalities) [read: https://legislation.gov.uk/eur/2018/1862/chapter/V/2018-11-28/data.xht].
WARNING_FLAGS: dict[str, str] = {
    "armed": "Armed",
    "violent": "Violent",
    "absconded": "Has absconded or escaped",
    "suicide_risk": "Suicide risk",
    "public_health_risk": "Threat to public health",
    "terrorist_activity": "Involved in a terrorist activity (Directive (EU) 2017/541 arts. 3-14)",
}
WARNING_FLAGS_SOURCE = f"{SIS} art. 20(3)(j) — {CHECKED}"

#: Identity-document categories an alert may record: art. 20(3)(s)-(v) (category, country,
#: number, date of issue; (w) is photographs) — checked 2026-12-03, same source as the flags.
DOCUMENT_CATEGORIES = ("passport", "identity_card", "residence_permit", "driving_licence", "other")

#: Content of the report a country sends after a hit on an art. 36 alert: art. 37(1)(a)-(i)
#: [read: https://gesetze.legal/eu/vo_eu_2018_1862/37, checked 2026-12-03].
HIT_REPORT_FIELDS: dict[str, str] = {
    "located": "the person was located (art. 37(1)(a))",
    "place": "place of the check (art. 37(1)(b))",
    "checked_at": "time of the check (art. 37(1)(b))",
    "reason_of_check": "reason for the check (art. 37(1)(b))",
    "route": "route of the journey (art. 37(1)(c))",
    "destination": "destination (art. 37(1)(c))",
    "companions": "persons accompanying, or occupants of the vehicle (art. 37(1)(d))",
    "document_user": "identity revealed and description of the person using the alerted "
    "blank or issued identity document (art. 37(1)(e))",
    "vehicle": "vehicle, boat, aircraft, container or non-cash means of payment used "
    "(art. 37(1)(f))",
    "objects": "objects carried, including travel documents (art. 37(1)(g))",
    "circumstances": "circumstances in which the person was located (art. 37(1)(h))",
    "answers": "other information sought by the issuing country (art. 37(1)(i), 36(2), 37(4))",
}
HIT_REPORT_SOURCE = f"{SIS} art. 37(1)"
#: A hit on an art. 37a information alert reports the art. 37b(1)(a)-(f) list only
#: [read: https://gesetze.legal/eu/vo_eu_2018_1862/37b, checked 2026-12-03].
INFORMATION_HIT_FIELDS: dict[str, str] = {
    "located": "the person was located (art. 37b(1)(a))",
    "place": "place of the check (art. 37b(1)(b))",
    "checked_at": "time of the check (art. 37b(1)(b))",
    "reason_of_check": "reason for the check (art. 37b(1)(b))",
    "route": "route of the journey (art. 37b(1)(c))",
    "destination": "destination (art. 37b(1)(c))",
    "companions": "persons accompanying (art. 37b(1)(d))",
    "objects": "objects carried, including travel documents (art. 37b(1)(e))",
    "circumstances": "circumstances in which the person was located (art. 37b(1)(f))",
}
INFORMATION_HIT_SOURCE = f"{SIS} art. 37b(1)"
#: Where the issuing country's questions are answered in a hit report.
ANSWERS_POINT = "(i)"


def hit_report_fields(category: str) -> tuple[dict[str, str], str]:
    """The fields a hit report on an alert of ``category`` carries, and their source."""
    if category == "art37a":
        return INFORMATION_HIT_FIELDS, INFORMATION_HIT_SOURCE
    return HIT_REPORT_FIELDS, HIT_REPORT_SOURCE


#: SIRENE bureaux answer requests for supplementary information within 12 hours: art. 8(3)
#: (read, NL text on inview.nl). UNVERIFIED: the rest of art. 8(3) on alerts for terrorist
#: offences (very likely faster handling) was not fully read — listed in docs/privacy.md.
SIRENE_ANSWER_WITHIN = timedelta(hours=12)
SIRENE_ANSWER_SOURCE = (
    f"{SIS} art. 8(3) ({CHECKED}); SIRENE Manual (Implementing Decision (EU) 2023/202)"
)

#: Special categories that no criterion may use: Directive (EU) 2016/680 art. 10, and Reg.
#: 2018/1862 art. 36(2) (special categories only where strictly necessary for the alert's
#: purpose) [read: legislation.gov.uk, chapter IX, checked 2026-12-03].
FORBIDDEN_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "race": ("race", "racial"),
    "ethnic origin": ("ethnic", "ethnicity"),
    "religion": ("religion", "religious", "faith", "belief"),
    "political opinion": ("political", "politics", "opinion"),
    "health": ("health", "medical", "disease", "disability"),
    "sexual orientation": ("sexual", "orientation", "sex_life"),
}
FORBIDDEN_SOURCE = (
    "Directive (EU) 2016/680 art. 10 (special categories of personal data); "
    f"{SIS} art. 36(2) — {CHECKED}"
)

#: Detainees in scope of the release follow-up (the declaration of 11 June 2018).
DETAINEE_SCOPES: dict[str, str] = {
    "terrorist_offence": "Convicted of a terrorist offence (Directive (EU) 2017/541)",
    "violent_radicalised": "Violent radicalised common-law detainee",
}
RELEASE_KINDS: dict[str, str] = {
    "end_of_sentence": "End of sentence",
    "conditional_release": "Conditional release",
    "leave": "Prison leave",
}
RETURNEE_KINDS: dict[str, str] = {
    "ftf": "Returning foreign terrorist fighter",
    "minor": "Returning minor",
}
#: Role allowed to see returning minors' records (privacy.rules ROLES, UN CRC art. 3 and 16).
MINORS_ROLE = "minors"

#: Steps due before each release and their default lead time (days before the release date).
#: Project defaults, configurable with ``PASSERELLE_ALERTS_STEP_DAYS``; the declaration asks to
#: anticipate releases and to hold a joint concertation, it sets no figure.
RELEASE_STEPS: dict[str, tuple[str, int]] = {
    "assessment": ("Risk assessment", 180),
    "concertation": ("Concertation with the other country", 90),
    "alert_proposal": ("Alert proposal (harmonised criteria)", 60),
    "alert_validation": ("Alert validation", 30),
}
RELEASE_STEPS_SOURCE = "Joint declaration FR-BE of 11 June 2018 (sortants); project defaults"


def step_days() -> dict[str, int]:
    """Lead time of each release step in days; ``PASSERELLE_ALERTS_STEP_DAYS`` overrides
    (``assessment=120,concertation=60``)."""
    days = {code: d for code, (_, d) in RELEASE_STEPS.items()}
    raw = os.environ.get("PASSERELLE_ALERTS_STEP_DAYS", "").strip()
    for part in filter(None, (p.strip() for p in raw.split(","))):
        code, _, value = part.partition("=")
        number = to_int(value.strip(), 5)
        if code.strip() in days and number is not None:
            days[code.strip()] = number
    return days


#: Hit reports and supplementary information: kept only as long as necessary and at the latest
#: one year after the related alert is deleted (art. 64(2)), unless a national file keeps them
#: under national law (art. 64(3)): then ``PASSERELLE_ALERTS_NATIONAL_FILE_DAYS`` and
#: ``PASSERELLE_ALERTS_NATIONAL_FILE_SOURCE`` (both, or neither) set the period and its source.
HIT_REPORT_RETENTION = _YEAR
# Art. 64 read (RO text): https://sintact.ro/legislatie/jurnalul-oficial-ue/
# regulamentul-1862-28-nov-2018-privind-instituirea-functionarea-79160873/art-64
HIT_REPORT_RETENTION_SOURCE = f"{SIS} art. 64(2) — {CHECKED}"
NATIONAL_FILE_DAYS_ENV = "PASSERELLE_ALERTS_NATIONAL_FILE_DAYS"
NATIONAL_FILE_SOURCE_ENV = "PASSERELLE_ALERTS_NATIONAL_FILE_SOURCE"


@dataclass(frozen=True)
class HitReportRetention:
    after_alert_deleted: timedelta
    source: str
    national: bool


def hit_report_retention() -> HitReportRetention:
    """How long hit reports stay after their alert is deleted: art. 64(2), or a national file
    (art. 64(3)) configured with its period and national source."""
    days = os.environ.get(NATIONAL_FILE_DAYS_ENV, "").strip()
    source = os.environ.get(NATIONAL_FILE_SOURCE_ENV, "").strip()
    if not days and not source:
        return HitReportRetention(HIT_REPORT_RETENTION, HIT_REPORT_RETENTION_SOURCE, False)
    source = source[:120]
    if not days.isdigit() or int(days) < 1 or len(source) < 5:
        raise ValueError(
            f"a national file of hit reports needs both {NATIONAL_FILE_DAYS_ENV} (days, > 0) "
            f"and {NATIONAL_FILE_SOURCE_ENV} (the national legal source); got {days!r}, "
            f"{source!r}"
        )
    return HitReportRetention(
        timedelta(days=int(days)), f"{SIS} art. 64(3); national file: {source}", True
    )


#: Detainees' and returnees' records: no EU figure exists; national law (FR/BE) decides —
#: project defaults, UNVERIFIED (Directive (EU) 2016/680 art. 5: appropriate time limits).
DETAINEE_RETENTION_AFTER_RELEASE = 2 * _YEAR
RETURNEE_RETENTION = 5 * _YEAR
RETENTION_SOURCE = "Directive (EU) 2016/680 art. 5 — project default, UNVERIFIED"

#: The harmonised criteria catalogue each node starts with (version 1). Criteria look only at
#: facts about the offence, the sentence, behaviour in detention and links abroad.
DEFAULT_CRITERIA: list[dict[str, Any]] = [
    {
        "code": "C1",
        "title": "Terrorist offence and high assessed risk",
        "facts": ["terrorist_offence", "high_risk_assessment"],
        "category": "art36_specific",
        "action": "Specific check; search the person and objects; inform the issuing SIRENE.",
        "source": f"{SIS} art. 36(3)(c) and 37(5)",
    },
    {
        "code": "C1a",
        "title": "Terrorist offence and concrete indications of an offence being planned",
        "facts": ["terrorist_offence", "offence_planned"],
        "category": "art36_specific",
        "action": "Specific check; search the person and objects; inform the issuing SIRENE.",
        "source": f"{SIS} art. 36(3)(a) and 37(5)",
    },
    {
        "code": "C2",
        "title": "Terrorist offence, sentence still being executed (conditional release, leave)",
        "facts": ["terrorist_offence", "sentence_execution"],
        "category": "art36_inquiry",
        "action": "Inquiry check: interview on the issuing country's questions.",
        "source": f"{SIS} art. 36(3)(b) and 37(4)",
    },
    {
        "code": "C3",
        "title": "Violent radicalisation with links abroad",
        "facts": ["violent_radicalised", "links_abroad"],
        "category": "art36_inquiry",
        "action": "Inquiry check: interview on the issuing country's questions.",
        "source": f"{SIS} art. 36(3)(c) and 37(4)",
    },
    {
        "code": "C4",
        "title": "Violent radicalisation",
        "facts": ["violent_radicalised"],
        "category": "art36_discreet",
        "action": "Discreet check: report place, time, route and companions.",
        "source": f"{SIS} art. 36(3)(c) and 37(3)",
    },
]
#: What each art. 36(3) ground requires of a criterion citing it [read:
#: https://gesetze.legal/eu/vo_eu_2018_1862/36, checked 2026-12-03]: (a) a clear indication that
#: the person intends to commit or is committing a listed offence; (b) information needed to
#: execute a custodial sentence (conditional release, leave — not an end-of-sentence release).
GROUND_FACTS: dict[str, tuple[str, str]] = {
    "36(3)(a)": ("offence_planned", "concrete indications of an offence being planned"),
    "36(3)(b)": ("sentence_execution", "a sentence still being executed (conditional release or "
                 "leave)"),
}  # fmt: skip
#: Release kinds during which the sentence is still being executed (art. 36(3)(b)).
SENTENCE_EXECUTION_KINDS = frozenset({"conditional_release", "leave"})
#: Facts a criterion may look at (the catalogue refuses others).
KNOWN_FACTS: dict[str, str] = {
    "terrorist_offence": "Convicted of a terrorist offence",
    "high_risk_assessment": "Latest assessment rates the risk high",
    "violent_radicalised": "Assessed as violent and radicalised in detention",
    "links_abroad": "Residence, family or travel links with another country",
    "incidents_in_detention": "Violent incidents in detention",
    "conditional_release": "Released under conditions",
    "offence_planned": "Concrete indications that the person is planning a listed offence",
    "sentence_execution": "Next release is a conditional release or leave (sentence still "
    "being executed); set from the release calendar",
}
