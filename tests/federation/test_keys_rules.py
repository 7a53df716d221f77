"""Node keys, the envelope's codes and the regulatory constants."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.federation import keys, rules
from passerelle.federation.schemas import Envelope, Evaluation, Handling
from passerelle.settings import Settings


def test_generated_private_key_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    key = keys.generate(settings)
    mode = stat.S_IMODE(keys.key_path(settings).stat().st_mode)
    assert mode == 0o600
    assert keys.public_text(keys.load(settings)) == keys.public_text(key)
    assert len(keys.public_text(key)) == 44


def test_an_existing_key_is_never_replaced_silently(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = keys.public_text(keys.generate(settings))
    with pytest.raises(Conflict, match="--force"):
        keys.generate(settings)
    assert keys.public_text(keys.generate(settings, force=True)) != first


def test_missing_key_tells_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="passerelle keys generate"):
        keys.load(Settings(data_dir=tmp_path))


@pytest.mark.parametrize("text", ["not base64!", "AAAA"])
def test_malformed_public_keys_are_refused(text: str) -> None:
    with pytest.raises(ValidationFailed):
        keys.parse_public(text)


def test_h3_needs_its_restrictions_in_text() -> None:
    with pytest.raises(ValidationError, match="H3 needs its restrictions"):
        Handling(code="H3")
    assert Handling(code="H3", text="Not for court use abroad.").text


def test_evaluation_code_is_one_of_the_4x4() -> None:
    assert str(Evaluation(source="X", information="4")) == "X4"
    with pytest.raises(ValidationError):
        Evaluation.model_validate({"source": "D", "information": "1"})
    with pytest.raises(ValidationError):
        Evaluation.model_validate({"source": "A", "information": "5"})


def _envelope(**changes: object) -> Envelope:
    base: dict[str, object] = {
        "id": "6f1c2a4e-0000-4000-8000-000000000001",
        "sender": "BE",
        "recipient": "FR",
        "created_at": datetime(2026, 3, 2, tzinfo=UTC),
        "type": "query.answer",
        "purpose": "p",
        "legal_basis": "l",
        "payload": {"result": "hit", "reference": "ref-x"},
        "handling": {"code": "H0"},
    }
    return Envelope.model_validate({**base, **changes})


def test_an_item_carrying_data_needs_a_handling_code() -> None:
    assert _envelope().handling == Handling(code="H0")
    with pytest.raises(ValidationError, match="needs a handling code"):
        _envelope(handling=None)
    assert _envelope(handling=None, payload={"result": "no_hit"}).handling is None


def test_every_constant_names_its_source() -> None:
    for table in (rules.HANDLING_CODES, rules.SOURCE_RELIABILITY, rules.INFORMATION_ACCURACY):
        assert all(code.source for code in table.values())
    assert set(rules.HANDLING_CODES) == {"H0", "H1", "H2", "H3"}
    assert set(rules.SOURCE_RELIABILITY) == {"A", "B", "C", "X"}
    assert set(rules.INFORMATION_ACCURACY) == {"1", "2", "3", "4"}
    assert all(d.source for d in rules.FOLLOWUP_DEADLINES.values())


def test_person_hits_are_answered_within_twelve_hours_sirene_style() -> None:
    assert rules.deadline_for("person").answer_within == timedelta(hours=12)
    assert rules.deadline_for("anything-else") is rules.DEFAULT_DEADLINE
    assert timedelta(minutes=5) == rules.CLOCK_SKEW


def test_person_queries_are_checked_before_they_leave_the_node() -> None:
    from passerelle.federation.schemas import QueryIn

    base = {"kind": "person", "case_ref": "C", "purpose": "p", "legal_basis": "l"}
    ok = QueryIn.model_validate(
        {**base, "payload": {"family_name": "PEETERS", "birth_date": "1985-03-14"}}
    )
    assert ok.payload == {"family_name": "PEETERS", "birth_date": "1985-03-14"}
    with pytest.raises(ValidationError):
        QueryIn.model_validate({**base, "payload": {"family_name": "X", "birth_date": "14/03/85"}})
    with pytest.raises(ValidationError):
        QueryIn.model_validate({**base, "payload": {"surname": "X"}})
