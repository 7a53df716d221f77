"""Regulatory facts of the cultural-goods domain, each with its source. Facts that could not be
checked against the official text here are marked ``verified=False`` (shown as such)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

OBJECT_ID = "Object ID standard (Getty Information Institute / ICOM, 1997)"
REG_880 = "Regulation (EU) 2019/880 on the introduction and import of cultural goods"
REG_IRAQ = "Council Regulation (EC) No 1210/2003 art. 3"
REG_SYRIA = "Council Regulation (EU) No 36/2012 art. 11c (inserted by Regulation 1332/2013)"
ICOM = "ICOM Red Lists of cultural objects at risk (icom.museum)"
INTERPOL = "INTERPOL Stolen Works of Art database (ID-Art)"

#: The nine Object ID categories (besides photographs and a short description).
OBJECT_ID_CATEGORIES = (
    "object_type",
    "materials_techniques",
    "measurements",
    "inscriptions",
    "distinguishing_features",
    "title",
    "subject",
    "date_period",
    "maker",
)
#: Object ID's optional fields.
OPTIONAL_FIELDS = (
    "inventory_number",
    "related_material",
    "place_of_origin",
    "cross_reference",
    "date_documented",
)

#: Categories of Regulation 2019/880 an object is declared under.
CATEGORY_ARCHAEOLOGICAL = "archaeological"
CATEGORY_MONUMENT = "monument_element"
CATEGORY_OTHER_LISTED = "other_listed"
CATEGORY_NONE = "not_listed"
CATEGORIES = (CATEGORY_ARCHAEOLOGICAL, CATEGORY_MONUMENT, CATEGORY_OTHER_LISTED, CATEGORY_NONE)

#: Regulation 2019/880 art. 4: import licence, archaeological objects and monument elements.
LICENCE_MIN_AGE_YEARS = 250
LICENCE_SOURCE = f"{REG_880} art. 4 and Annex Part B (c), (d): import licence, > 250 years"
#: Art. 5: importer statement for other listed categories.
STATEMENT_MIN_AGE_YEARS = 200
STATEMENT_MIN_VALUE_EUR = 18_000
STATEMENT_SOURCE = f"{REG_880} art. 5 and Annex Part C: importer statement, > 200 years, ≥ €18,000"
BAN_SOURCE = f"{REG_880} art. 3(1): goods illicitly exported from their country of origin"
#: Regulation 2019/880 applies in full (licences and statements through ICG) since this date.
REG_880_FULL_APPLICATION = date(2025, 6, 28)

IRAQ_CUTOFF = date(1990, 8, 6)
#: Syria: sources disagree on the cut-off (9 May 2011 in art. 11c; 15 March 2011 is also cited);
#: the node's setting ``PASSERELLE_HERITAGE_SYRIA_CUTOFF`` decides, this is its default.
SYRIA_CUTOFF_DEFAULT = date(2011, 5, 9)
SYRIA_CUTOFF_ALTERNATIVE = date(2011, 3, 15)


@dataclass(frozen=True)
class RedListCategory:
    """A category of objects at risk of one ICOM Red List: object types and materials."""

    code: str
    country: str
    label: str
    object_types: tuple[str, ...]
    materials: tuple[str, ...]
    source: str


#: A subset of the ICOM Red Lists (categories summarised; not verified against each list).
RED_LISTS = (
    RedListCategory(
        "IQ-tablets",
        "IQ",
        "Cuneiform tablets, cylinder seals and inscribed objects",
        ("tablet", "seal", "cylinder seal", "cone", "brick"),
        ("clay", "terracotta", "stone"),
        f"{ICOM}: Emergency Red List of Iraqi Cultural Antiquities at Risk (2015)",
    ),
    RedListCategory(
        "IQ-statuary",
        "IQ",
        "Statuary, reliefs and figurines",
        ("statue", "statuette", "figurine", "relief", "head"),
        ("stone", "alabaster", "gypsum", "clay", "bronze"),
        f"{ICOM}: Emergency Red List of Iraqi Cultural Antiquities at Risk (2015)",
    ),
    RedListCategory(
        "SY-mosaics",
        "SY",
        "Mosaics, funerary reliefs and architectural elements",
        ("mosaic", "relief", "stele", "capital", "bust"),
        ("stone", "limestone", "marble", "tesserae"),
        f"{ICOM}: Emergency Red List of Syrian Cultural Objects at Risk (2013)",
    ),
    RedListCategory(
        "SY-vessels",
        "SY",
        "Vessels, lamps and figurines",
        ("vase", "vessel", "jar", "lamp", "figurine", "bowl"),
        ("clay", "terracotta", "glass", "bronze"),
        f"{ICOM}: Emergency Red List of Syrian Cultural Objects at Risk (2013)",
    ),
    RedListCategory(
        "YE-inscriptions",
        "YE",
        "Inscribed stelae, incense burners and statuary",
        ("stele", "incense burner", "statue", "statuette", "plaque"),
        ("alabaster", "limestone", "bronze", "stone"),
        f"{ICOM}: Emergency Red List of Cultural Objects at Risk – Yemen (2018)",
    ),
    RedListCategory(
        "LY-sculpture",
        "LY",
        "Sculpture, funerary busts and coins",
        ("statue", "bust", "head", "coin", "relief"),
        ("marble", "limestone", "bronze", "silver"),
        f"{ICOM}: Emergency Red List of Libyan Cultural Objects at Risk (2015)",
    ),
)

#: Risk levels, lowest first.
RISKS = ("low", "medium", "high")
#: Sale channels an object is offered through.
CHANNELS = ("dealer", "auction", "customs", "online")
#: Kinds of provenance events.
EVENT_KINDS = ("discovery", "ownership", "transaction", "export", "import")
#: Object states in the registry.
STATUSES = ("registered", "stolen", "recovered")
#: A silence longer than this between two provenance events is a gap.
GAP_TOLERANCE = timedelta(days=366)
#: Measurements match within max(absolute, relative) of the larger value.
MEASURE_TOLERANCE_CM = 2.0
MEASURE_TOLERANCE_REL = 0.05

# ---- retention --------------------------------------------------------------------------------
RETENTION_SOURCE = (
    "Directive (EU) 2016/680 art. 4(1)(e) and 5 (storage limitation, time limits); periods "
    "set by the node's operator — not verified against national law"
)
#: A check of an object offered for sale (it names the seller).
CHECK_RETENTION = timedelta(days=5 * 365)
#: A peer's screening request and the answers to it.
EXCHANGE_RETENTION = timedelta(days=365)
#: Owners named in a recovered object's provenance chain, after the recovery.
RECOVERED_RETENTION = timedelta(days=10 * 365)
#: Quarantined input (unreadable object JSON, refused photographs) is kept only to be
#: corrected and submitted again (project choice, as the other domains).
QUARANTINE_RETENTION = timedelta(days=30)
QUARANTINE_SOURCE = "Regulation (EU) 2016/679 art. 5(1)(e) (storage limitation); project choice"
#: Bytes of a refused input kept in quarantine (an oversize photograph is not kept whole).
QUARANTINE_RAW_KEPT = 1024 * 1024

EXCHANGE_LEGAL_BASIS = (
    "Council Framework Decision 2006/960/JHA (exchange of information between law enforcement "
    "authorities); Regulation (EU) 2019/880 art. 3"
)
