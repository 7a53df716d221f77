"""Regulatory and technical facts of the evidence domain, each with its source.

A lawyer can review this file without reading the code. Values marked ``UNVERIFIED`` were
taken from the project's reference notes (``reference/evidence.md``) and must be checked
against the Official Journal text before production use.
"""

from __future__ import annotations

from datetime import timedelta

REG = "Regulation (EU) 2023/1543"
DIR = "Directive (EU) 2023/1544"

# -- Data categories (art. 3(9)-(12)) ---------------------------------------------------------
SUBSCRIBER = "subscriber"
IDENTIFICATION = "identification"  # data requested solely to identify the user (IP + port + time)
TRAFFIC = "traffic"
CONTENT = "content"
CATEGORIES = (SUBSCRIBER, IDENTIFICATION, TRAFFIC, CONTENT)
CATEGORY_SOURCE = f"{REG} art. 3(9)-(12)"

# -- Issuing authorities (art. 4) -------------------------------------------------------------
JUDGE = "judge"
COURT = "court"
INVESTIGATING_JUDGE = "investigating_judge"
PROSECUTOR = "prosecutor"
OTHER = "other"  # another competent authority: needs validation by one of the above
AUTHORITIES = (JUDGE, COURT, INVESTIGATING_JUDGE, PROSECUTOR, OTHER)
#: Who may issue (or validate) a production order for each category (art. 4(1), 4(2)).
PRODUCTION_ISSUERS = {
    SUBSCRIBER: (JUDGE, COURT, INVESTIGATING_JUDGE, PROSECUTOR),
    IDENTIFICATION: (JUDGE, COURT, INVESTIGATING_JUDGE, PROSECUTOR),
    TRAFFIC: (JUDGE, COURT, INVESTIGATING_JUDGE),
    CONTENT: (JUDGE, COURT, INVESTIGATING_JUDGE),
}
#: A preservation order for any category: judge, court, investigating judge or prosecutor
#: (art. 4(3)).
PRESERVATION_ISSUERS = (JUDGE, COURT, INVESTIGATING_JUDGE, PROSECUTOR)
ISSUER_SOURCE = f"{REG} art. 4(1)-(3)"
#: Emergency: an order for subscriber or identification data issued by another competent
#: authority without prior validation, validated within 48 hours (art. 4(5)).
EMERGENCY_VALIDATION = timedelta(hours=48)
EMERGENCY_CATEGORIES = (SUBSCRIBER, IDENTIFICATION)
EMERGENCY_SOURCE = f"{REG} art. 4(5)"

# -- Offences (art. 5) ------------------------------------------------------------------------
#: Traffic or content data: offences punishable by a custodial sentence of a maximum of at
#: least 3 years, or a listed offence (art. 5(4)(b)); UNVERIFIED: the exact list.
MIN_MAX_SENTENCE_YEARS = 3
LISTED_OFFENCES = (
    "terrorism",  # Directive (EU) 2017/541 arts 3-12, 14
    "child_sexual_abuse",  # Directive 2011/93/EU arts 3-7
    "non_cash_payment_fraud",  # Directive (EU) 2019/713 arts 3-8
    "attacks_on_information_systems",  # Directive 2013/40/EU arts 3-8
)
#: Subscriber or identification data: any criminal offence, or executing a custodial sentence
#: or detention order of at least 4 months (art. 5(3)).
MIN_SENTENCE_TO_EXECUTE_MONTHS = 4
OFFENCE_SOURCE = f"{REG} art. 5(3)-(4) (list of offences UNVERIFIED)"

# -- Notification of the enforcing state (art. 8) ---------------------------------------------
NOTIFIED_CATEGORIES = (TRAFFIC, CONTENT)
NOTIFICATION_SOURCE = (
    f"{REG} art. 8(1)-(2): not needed when the offence was committed, is being committed or is "
    "likely to be committed in the issuing State and the person lives there"
)

# -- Deadlines (art. 10, art. 11) -------------------------------------------------------------
PRODUCTION_DEADLINE = timedelta(days=10)
EMERGENCY_DEADLINE = timedelta(hours=8)
REVIEW_WINDOW = timedelta(days=10)
EMERGENCY_REVIEW_WINDOW = timedelta(hours=96)
DEADLINE_SOURCE = f"{REG} art. 10(2)-(4), art. 12(2)"
PRESERVATION_PERIOD = timedelta(days=60)
PRESERVATION_EXTENSION = timedelta(days=30)
PRESERVATION_SOURCE = f"{REG} art. 11(1), Annexes V and VI"
#: Reminders before each deadline (project choice): the console and ``evidence orders --due``
#: flag an order when this share of its time is gone.
REMINDER_SHARE = 0.75

# -- Grounds for refusal and impossibility (art. 12, Annex III) -------------------------------
REFUSAL_GROUNDS = (
    "immunity_or_privilege",
    "fundamental_rights",
    "ne_bis_in_idem",
    "double_criminality",
)
REFUSAL_SOURCE = f"{REG} art. 12(1)"
#: Annex III (provider cannot execute); UNVERIFIED: the exact list of boxes of the form.
IMPOSSIBILITY_REASONS = (
    "incomplete_or_errors",
    "data_not_held",
    "data_deleted_before_receipt",
    "de_facto_impossibility",
    "conflict_with_third_country_law",
    "not_a_provider_under_regulation",
)
IMPOSSIBILITY_SOURCE = f"{REG} art. 10(6)-(8), Annex III (UNVERIFIED list)"

# -- Forms -------------------------------------------------------------------------------------
FORMS = {
    "EPOC": f"{REG} Annex I",
    "EPOC-PR": f"{REG} Annex II",
    "III": f"{REG} Annex III",
    "V": f"{REG} Annex V",
    "VI": f"{REG} Annex VI",
}

# -- Retention (project choices bounded by law) -----------------------------------------------
#: Orders, answers and their files: kept 5 years after closure for review and legal remedies
#: (art. 18 effective remedies; Directive (EU) 2016/680 art. 5 time limits). UNVERIFIED period:
#: each member state sets it; 5 years mirrors the audit log.
ORDER_RETENTION = timedelta(days=5 * 365 + 1)
ORDER_RETENTION_SOURCE = f"{REG} art. 18; Directive (EU) 2016/680 art. 5 (period UNVERIFIED)"
#: Preserved data not confirmed by a production request goes when preservation ends.
PRESERVATION_RETENTION_SOURCE = PRESERVATION_SOURCE
#: NAT logs: connection data kept one year (France: CPCE art. L34-1 and R10-13 as amended
#: by decree 2021-1362; Belgium: law of 20 July 2022, 12 months for IP data). UNVERIFIED.
NAT_LOG_RETENTION = timedelta(days=365)
NAT_LOG_RETENTION_SOURCE = (
    "FR CPCE art. L34-1 and R10-13 (decree 2021-1362); BE law of 20 July 2022 "
    "(12 months, UNVERIFIED)"
)

# -- CGNAT (RFC 7422) -------------------------------------------------------------------------
RFC7422 = "RFC 7422 §2 (deterministic CGN address mapping)"
#: Order of assignment: inside addresses are dealt round-robin over the outside addresses, then
#: onto the next port block; 1:16 from port 1024 gives (65536 - 1024) / 16 = 4032 ports each,
#: 198.51.100.1 -> 192.0.2.1 ports 1024-5055 (UNVERIFIED against the RFC's worked example:
#: a pool declared with a different order would attribute wrongly; operators must check).
#: Checked 2026-12-03: the stored copies of RFC 7422 reachable here give only its first page,
#: not §2; and vendors differ — Juniper's deterministic NAPT documentation computes the port
#: offset as (inside offset × block size), and the nftables-cgnat generator gives consecutive
#: inside addresses consecutive blocks of the SAME outside address (100.64.0.0 -> 192.0.2.0
#: 1024-9023, 100.64.0.1 -> 192.0.2.0 9024-17023): the opposite of the round-robin here. So
#: the order is a per-pool setting (``Pool.order``: round_robin, the default, or sequential).
RFC7422_ORDER = (
    f"{RFC7422}: round-robin over outside addresses or sequential, per pool (UNVERIFIED)"
)
NAT_LOOKUP_PURPOSE = "subscriber identification (IP address, source port, time)"
