"""Screening constants, each with where it comes from, so a reviewer can check them in one place.

Nothing here is learnt from data at run time (DESIGN principle 5: no self-learning model may
change screening criteria). Values marked "calibrated" were chosen once on the project's
synthetic evaluation set (``benchmarks/identity_synthetic.py``) and are changed only by a reviewed
commit.
"""

from __future__ import annotations

# --- Operating point ---------------------------------------------------------------------
# Recommended threshold: at this score the synthetic evaluation gives the precision/recall
# reported in docs/benchmarks/identity.md (calibrated). Every match at or above it is a
# *candidate* for human review (PNR Directive (EU) 2016/681 art. 6(5)), never a decision.
DEFAULT_THRESHOLD = 0.85

# --- Name score ----------------------------------------------------------------------------
# Share of the name score taken from coverage of the shorter name (missing middle names are
# common and cost little) versus coverage of the longer name (calibrated).
COVERAGE_SHORT_WEIGHT = 0.8
COVERAGE_LONG_WEIGHT = 0.2
# A one-part name (mononym or given name only) against a longer name is weak evidence: cap.
SINGLE_PART_CAP = 0.75
# Two one-part names that agree: below the threshold on the name alone. When the part carries
# full information (INFO_MONONYM: a rare or long part, not a common given name or an initial)
# the cap is that of a low-information name (LOW_INFORMATION_CAP), so that a year of birth that
# agrees (+0.02) reaches 0.85 (calibrated on names-dev: listed one-part names, often Arabic
# compounds such as "X-uddin", given with their year); otherwise MONONYM_WEAK_CAP.
MONONYM_CAP = 0.83
MONONYM_WEAK_CAP = 0.8
INFO_MONONYM = 1.0
# Information carried by a name part, relative to a family name (1.0): a common given name
# (reference population, :mod:`passerelle.identity.reference`) or a patronymic is shared by
# many people (calibrated on names-dev: shared given name + patronymic + loosely matched
# family name was the main source of false positives).
WEIGHT_GIVEN_NAME = 0.7
WEIGHT_PATRONYMIC = 0.5
# Weight of an initial ("J.") compared to a full name part.
INITIAL_WEIGHT = 0.5
# Name parts compared per name (longer inputs are truncated for speed and predictability).
MAX_NAME_PARTS = 8
# Characters kept per name part.
MAX_PART_LENGTH = 40

# Token similarity for rule-based equivalences (calibrated): a rule-based equivalence is
# worth slightly less than identical spelling so that exact matches rank first.
SIM_EXACT = 1.0
SIM_SPELLING_VARIANT = 0.96  # same phonetic key (French/Dutch/romanisation variants)
SIM_SKELETON = 0.95  # same consonant skeleton across Arabic and Latin script
SIM_SKELETON_VARIANT = 0.93  # same skeleton once ق/خ/ظ/ض/ذ/ث take their other usual spelling
SIM_PARTICLE_CORE = 0.93  # "de Gaulle" ~ "Gaulle", "Van den Berghe" ~ "Berghe"
SIM_INITIAL = 0.9  # "J." ~ "Jean"
SIM_SKELETON_LATIN = 0.9  # same skeleton between two Latin spellings
SIM_SKELETON_SHORT = 0.86  # same two-consonant skeleton between two Latin spellings
# One typing error (OSA distance 1) in parts of three letters or more is at least a good pair
# (calibrated on names-dev's perturbation set: typos in short parts fell to 0.64-0.73).
SIM_ONE_EDIT = 0.8
SIM_FLOOR = 0.5  # below this two parts are not paired at all
# Cross-script skeleton equality on fewer than three consonants ("Ali" ~ علي ~ "Ola") is
# weak evidence (calibrated on names-dev: two-consonant Arabic or Korean tokens matched
# anything at SIM_SKELETON).
SIM_SKELETON_TWO = 0.92
SIM_SKELETON_ONE = 0.88
# Same skeleton, but a long vowel that Arabic script writes (و, ي) is not written in the Latin
# spelling, or the other way round (محمود ~ "Mohamed"): different names sharing consonants,
# a weak pair (calibrated on names-dev: most Arabic-script false positives were such pairs).
SIM_LONG_VOWEL_CONFLICT = 0.75
# A pair below SIM_WEAK is a poor match: it earns only WEAK_PAIR_CREDIT of its similarity
# (calibrated on names-dev: a loosely matched family name beside shared given names made
# most false positives).
SIM_WEAK = 0.8
WEAK_PAIR_CREDIT = 0.5
# Information: the summed weight of the well-matched pairs (see WEIGHT_*), a pair whose
# parts have a skeleton of 1 or 2 consonants ("Ali", "Said") counting at most these shares.
# A name match carrying less than INFO_MIN (e.g. a given name and a patronymic, two common
# given names) is capped at LOW_INFORMATION_CAP, below the operating point (calibrated on
# names-dev).
INFO_SHORT_SKELETON = (0.0, 0.4, 0.7)
INFO_MIN = 1.25
# Each rare part (weight 1) left unmatched on either side asks for this much more, for at
# most INFO_EXTRA_PARTS_MAX parts (calibrated on names-dev: a short listed name of common
# parts inside a longer record, or two names sharing only given names).
INFO_PER_EXTRA_PART = 0.25
INFO_EXTRA_PARTS_MAX = 2
LOW_INFORMATION_CAP = 0.83  # + a year of birth that agrees (+0.02) reaches 0.85
# Adjacent parts are tried merged ("Hasan Ali" ~ حسنعلی) when the name score is below
# MERGE_TRY_BELOW and the merged part matches a part of the other name at SIM_MERGE.
MERGE_TRY_BELOW = 0.97
SIM_MERGE = 0.88

# --- Name structure (calibrated on names-dev) -----------------------------------------------
# The other name plus names in front of it: a son or daughter carries the father's names.
EXTRA_LEADING_NAME = -0.12
# Both names carry a patronymic and they disagree.
PATRONYMIC_CONFLICT = -0.1

# --- Additive evidence from the other features (calibrated) -------------------------------
DOB_EXACT = 0.06
DOB_COMPATIBLE = 0.02  # one side gives only the year or year-month, and it agrees
DOB_SWAPPED = 0.03  # day and month swapped (US/EU order confusion)
DOB_TYPO = 0.02  # one digit differs
# Graded by year distance (calibrated on names-dev: lists give approximate years, and a flat
# -0.25 pushed identical rare names one year apart below the threshold). More than
# DOB_CLOSE_YEARS apart is a conflict.
DOB_CLOSE_YEARS = 5
DOB_YEARS_APART = (0.0, -0.04, -0.08, -0.12, -0.15, -0.18)  # index: years apart (1 to 5)
DOB_SAME_YEAR = -0.06  # same year, month or day differs (and is not a typo or a swap)
DOB_CONFLICT = -0.25
DOB_APPROX_YEARS = 2  # "1975~" means 1973 to 1977
# A year without month or day ("1975") is often an estimate: it is read as one year either way
# when compared with another year (calibrated on names-dev's perturbation set: lists and
# registers give estimated years as bare years).
DOB_YEAR_ONLY_APPROX = 1
DOCUMENT_EXACT = 0.2
DOCUMENT_OCR = 0.15  # equal after folding OCR confusions (0/O, 1/I, 5/S, 8/B, 2/Z)
GENDER_CONFLICT = -0.1
NATIONALITY_MATCH = 0.01
NATIONALITY_CONFLICT = -0.02  # dual nationality is common: a weak signal only

# --- Candidate generation -----------------------------------------------------------------
# A one-part key whose posting list is longer than this is skipped at query time (it would
# return a large share of the watchlist); pair keys keep such names findable. Measured
# 2026-12-03 with benchmarks/identity_limits.py (the queries of identity_perf.py): 1,000
# instead of 2,000 finds the same listed people (495 of 500 at 200,000 entries, 486 of 500
# at 1,000,000) with half the counting.
POSTING_CAP = 1000
# Candidates scored per query, best-supported first. The slowest queries (common given name
# and family-name prefix) fill the limit with strong candidates; the listed person ranks
# among the first few (same measurement: 40 instead of 64 finds the same listed people).
CANDIDATE_LIMIT = 40
# A candidate must share at least this key weight with a query of two or more name parts
# (one exact part alone gives 2: its phonetic key and its skeleton; calibrated).
MIN_CANDIDATE_WEIGHT = 2
# Candidates below this weight (no pair key, no rare part) are scored only up to WEAK_LIMIT.
STRONG_WEIGHT = 5
WEAK_LIMIT = 8
# Weights used only to rank candidates before scoring. A one-part key counts 1, or 2 when
# its posting list is at most RARE_POSTINGS long (a rare name says more than a common one).
RARE_POSTINGS = 50
RARE_KEY_WEIGHT = 2
KEY_WEIGHT_PAIR = 3
KEY_WEIGHT_DOCUMENT = 10
# A name part's skeleton or phonetic key with the year of birth, or with the other part's
# initial: useful to rank, too common to make a candidate strong on its own.
KEY_WEIGHT_WEAK_PAIR = 1

# --- Documents ----------------------------------------------------------------------------
# Characters that OCR engines and human readers confuse on MRZ and visual zones
# (ICAO Doc 9303 Part 3 section 4.2 restricts the MRZ to A-Z, 0-9 and "<"; these are the
# usual OCR-B look-alikes).
OCR_CONFUSIONS: dict[str, str] = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "I": "1",
    "L": "1",
    "S": "5",
    "B": "8",
    "Z": "2",
    "G": "6",
}
