"""A name-matching explanation in words, in the reader's language.

The identity scorer explains a score as data (``Explanation.to_dict()``: name pairs with the
rule that paired them, date of birth, document, gender, nationality); its ``summary`` string
(``Karim~Karim (exact 1.00) | dob exact``) is for logs. :func:`sentences` turns the data into
short sentences a reviewer reads, each translated; templates call ``explain(explanation)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passerelle.kit import labels
from passerelle.kit.i18n import N_, gettext

__all__ = ["sentences"]

labels.register(
    "name.rule",
    {
        "exact": N_("same spelling"),
        "spelling variant": N_("a known spelling variant"),
        "consonant skeleton": N_("the same consonants (sounds alike)"),
        "consonant skeleton (other spelling)": N_("the same consonants, spelt differently"),
        "consonant skeleton (fuzzy)": N_("nearly the same consonants"),
        "particle, consonant skeleton": N_("the same consonants without the particle"),
        "initial": N_("an initial that fits"),
        "initial differs": N_("initials that differ"),
        "fuzzy spelling": N_("a close spelling"),
        "spelling variant (fuzzy)": N_("close to a known spelling variant"),
        "particle": N_("the same name without its particle (de, van…)"),
        "consonant skeleton (Slavic spelling)": N_("the same consonants, Slavic spelling"),
    },
)
labels.register(
    "explain.date_of_birth",
    {
        "exact": N_("Same date of birth."),
        "compatible": N_("Dates of birth compatible (one is partial)."),
        "conflict": N_("Different dates of birth."),
        "years apart": N_("Dates of birth years apart."),
    },
)
labels.register(
    "explain.document",
    {
        "exact": N_("Same document number."),
        "OCR confusion": N_("Document numbers differ only by characters a scanner confuses."),
        "different": N_("Different document numbers."),
        "other country": N_("Documents of different countries."),
    },
)
labels.register(
    "explain.gender",
    {"same": N_("Same gender."), "conflict": N_("Different gender.")},
)
labels.register(
    "explain.nationality",
    {"same": N_("Same nationality."), "conflict": N_("Different nationality.")},
)


def _percent(value: Any) -> str:
    try:
        return f"{round(float(value) * 100)} %"
    except (TypeError, ValueError):
        return "—"


def sentences(explanation: Mapping[str, Any] | None) -> list[str]:
    """The explanation as sentences; a criterion hit keeps its own text."""
    if not explanation:
        return []
    if "pairs" not in explanation:
        summary = explanation.get("summary")
        return [str(summary)] if summary else []
    out = [gettext("Names alike at %(score)s.") % {"score": _percent(explanation["name_score"])}]
    for pair in explanation.get("pairs") or []:
        rule = str(pair.get("rule", ""))
        how = (
            labels.label("name.rule", rule)
            if rule in labels.labels_of("name.rule")
            else gettext("similar")
        )
        out.append(
            gettext("“%(record)s” and “%(entry)s”: %(how)s (%(score)s).")
            % {
                "record": pair.get("record_part", ""),
                "entry": pair.get("entry_part", ""),
                "how": how,
                "score": _percent(pair.get("similarity")),
            }
        )
    if explanation.get("order_swapped"):
        out.append(gettext("Surname and forenames are in the other order."))
    unpaired = [*explanation.get("unpaired_record", []), *explanation.get("unpaired_entry", [])]
    if unpaired:
        out.append(
            gettext("Not found on the other side: %(parts)s.") % {"parts": ", ".join(unpaired)}
        )
    for field in ("date_of_birth", "document", "gender", "nationality"):
        value = str(explanation.get(field) or "")
        if value in labels.labels_of(f"explain.{field}"):
            out.append(labels.label(f"explain.{field}", value))
    return out
