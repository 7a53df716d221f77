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

#: Person-alert categories (facts: reference/alerts.md). Review periods: art. 53(4)-(6) as
#: recalled — UNVERIFIED against the OJ text (the analogous Reg. 2018/1861 art. 39 was checked:
#: review within three years, five when the national decision is longer).
CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category(
            "art26",
            "Arrest for surrender or extradition",
            f"{SIS} art. 26",
            5 * _YEAR,
            f"{_ART53}(4) — UNVERIFIED",
        ),
        Category(
            "art32",
            "Missing or vulnerable person",
            f"{SIS} art. 32",
            5 * _YEAR,
            f"{_ART53}(4) — UNVERIFIED (1 year for art. 32(1)(c)-(e))",
        ),
        Category(
            "art34",
            "Sought for a judicial procedure",
            f"{SIS} art. 34",
            3 * _YEAR,
            f"{_ART53}(5) — UNVERIFIED",
        ),
        Category(
            "art36_discreet",
            "Discreet check",
            f"{SIS} art. 36 and 37(3)",
            _YEAR,
            f"{_ART53}(6) — UNVERIFIED",
        ),
        Category(
            "art36_inquiry",
            "Inquiry check",
            f"{SIS} art. 36 and 37(4)",
            _YEAR,
            f"{_ART53}(6) — UNVERIFIED",
        ),
        Category(
            "art36_specific",
            "Specific check",
            f"{SIS} art. 36 and 37(5)",
            _YEAR,
            f"{_ART53}(6) — UNVERIFIED",
        ),
        Category(
            "art37a",
            "Information alert (Europol proposal, third-country national)",
            f"{SIS} art. 37a (inserted by Regulation (EU) 2022/1190)",
            _YEAR,
            f"{_ART53} as amended by Reg. 2022/1190 — UNVERIFIED",
        ),
        Category(
            "art37b",
            "Information alert — execution and follow-up",
            f"{SIS} art. 37b (inserted by Regulation (EU) 2022/1190)",
            _YEAR,
            f"{_ART53} as amended by Reg. 2022/1190 — UNVERIFIED",
        ),
        Category(
            "art40",
            "Unknown wanted person",
            f"{SIS} art. 40",
            3 * _YEAR,
            f"{_ART53}(5) — UNVERIFIED",
        ),
    )
}

#: Categories whose hit triggers an art. 37(1) report to the issuing country.
REPORTING_CATEGORIES = frozenset(
    {"art36_discreet", "art36_inquiry", "art36_specific", "art37a", "art37b"}
)
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

#: Warning flags an alert may carry: art. 20(3)(i) of Reg. 2018/1862.
WARNING_FLAGS: dict[str, str] = {
    "armed": "Armed",
    "violent": "Violent",
    "absconded": "Has absconded or escaped",
    "suicide_risk": "Suicide risk",
    "public_health_risk": "Threat to public health",
    "terrorist_activity": "Involved in a terrorist activity (Directive (EU) 2017/541 arts. 3-14)",
}
WARNING_FLAGS_SOURCE = f"{SIS} art. 20(3)(i)"

#: Identity-document categories an alert may record: art. 20(3)(w)-(y) (category, country,
#: number, date of issue).
DOCUMENT_CATEGORIES = ("passport", "identity_card", "residence_permit", "driving_licence", "other")

#: Content of the report a country sends after a hit on an art. 36 alert: art. 37(1)(a)-(h).
HIT_REPORT_FIELDS: dict[str, str] = {
    "located": "the person was located (art. 37(1)(a))",
    "place": "place of the check (art. 37(1)(b))",
    "checked_at": "time of the check (art. 37(1)(b))",
    "reason_of_check": "reason for the check (art. 37(1)(b))",
    "route": "route of the journey (art. 37(1)(c))",
    "destination": "destination (art. 37(1)(c))",
    "companions": "persons accompanying (art. 37(1)(d))",
    "vehicle": "vehicle, boat, aircraft or container used (art. 37(1)(e))",
    "objects": "objects carried (art. 37(1)(f))",
    "circumstances": "circumstances in which the person was located (art. 37(1)(g))",
    "answers": "answers to the issuing country's questions (art. 37(1)(h), 37(4))",
}
HIT_REPORT_SOURCE = f"{SIS} art. 37(1)"

#: SIRENE bureaux answer requests for supplementary information within 12 hours.
SIRENE_ANSWER_WITHIN = timedelta(hours=12)
SIRENE_ANSWER_SOURCE = (
    f"{SIS} art. 8(2) and the SIRENE Manual (Commission Implementing Decision (EU) 2023/202) — "
    "facts: reference/alerts.md"
)

#: Special categories that no criterion may use (Directive (EU) 2016/680 art. 10; the SIS
#: criteria must not discriminate, Reg. 2018/1862 art. 5 and recital 23 — UNVERIFIED numbering).
FORBIDDEN_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "race": ("race", "racial"),
    "ethnic origin": ("ethnic", "ethnicity"),
    "religion": ("religion", "religious", "faith", "belief"),
    "political opinion": ("political", "politics", "opinion"),
    "health": ("health", "medical", "disease", "disability"),
    "sexual orientation": ("sexual", "orientation", "sex_life"),
}
FORBIDDEN_SOURCE = "Directive (EU) 2016/680 art. 10 (special categories of personal data)"

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


#: Retention of the records this package keeps besides alerts. Project defaults — UNVERIFIED,
#: to be set by national law (Directive (EU) 2016/680 art. 5: appropriate time limits).
HIT_REPORT_RETENTION = 3 * _YEAR
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
        "source": f"{SIS} art. 36(3)(a) and 37(5)",
    },
    {
        "code": "C2",
        "title": "Terrorist offence",
        "facts": ["terrorist_offence"],
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
#: Facts a criterion may look at (the catalogue refuses others).
KNOWN_FACTS: dict[str, str] = {
    "terrorist_offence": "Convicted of a terrorist offence",
    "high_risk_assessment": "Latest assessment rates the risk high",
    "violent_radicalised": "Assessed as violent and radicalised in detention",
    "links_abroad": "Residence, family or travel links with another country",
    "incidents_in_detention": "Violent incidents in detention",
    "conditional_release": "Released under conditions",
}
