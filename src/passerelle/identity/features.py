"""A person prepared once for comparison: name parts, date, gender, countries, document."""

from __future__ import annotations

from dataclasses import dataclass

from passerelle.identity.countries import normalise_country
from passerelle.identity.dates import PartialDate, read_dates
from passerelle.identity.documents import normalise_document
from passerelle.identity.names import Part, name_parts
from passerelle.identity.schemas import PersonRecord

_GENDERS = {
    "m": "M", "male": "M", "h": "M", "homme": "M", "man": "M", "masculin": "M",
    "f": "F", "female": "F", "femme": "F", "v": "F", "vrouw": "F", "w": "F", "féminin": "F",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Features:
    """What the scorer and the index need from a person, computed once."""

    parts: tuple[Part, ...]
    date_of_birth: PartialDate | None  # the first of dates_of_birth
    gender: str | None
    nationality: str | None
    document: str
    document_country: str | None
    dates_of_birth: tuple[PartialDate, ...] = ()


def normalise_gender(value: str | None) -> str | None:
    """``M``, ``F`` or None (unknown, unspecified ``X``, or unrecognised)."""
    if not value:
        return None
    return _GENDERS.get(value.strip().casefold())


def prepare(record: PersonRecord) -> Features:
    """Prepare a record; raises MalformedInput for an unreadable date of birth."""
    dates, _ = read_dates(record.date_of_birth)
    return Features(
        parts=name_parts(record.full_name, record.given_names, record.family_name),
        date_of_birth=dates[0] if dates else None,
        dates_of_birth=dates,
        gender=normalise_gender(record.gender),
        nationality=normalise_country(record.nationality),
        document=normalise_document(record.document_number),
        document_country=normalise_country(record.document_country),
    )
