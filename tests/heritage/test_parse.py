"""The object JSON gets typed errors naming the field (fuzzed in tests/test_parsers.py)."""

from __future__ import annotations

import pytest

from passerelle.errors import MalformedInput, ValidationFailed
from passerelle.heritage.service.parse import object_json


def test_bad_object_files_name_the_field_and_reason() -> None:
    with pytest.raises(MalformedInput, match="not JSON"):
        object_json(b"{not json")
    with pytest.raises(ValidationFailed, match="title") as missing:
        object_json(b'{"object_type": "vase"}')
    assert missing.value.details["field"] == "title"
    with pytest.raises(ValidationFailed) as impossible:
        object_json(
            b'{"object_type": "vase", "title": "V", "provenance": '
            b'[{"kind": "ownership", "date_from": "2021-02-30"}]}'
        )
    assert impossible.value.details["field"] == "provenance.0.date_from"
    with pytest.raises(ValidationFailed, match="date_to is before date_from"):
        object_json(
            b'{"object_type": "vase", "title": "V", "provenance": [{"kind": "export", '
            b'"date_from": "2021-02-03", "date_to": "2020-01-01"}]}'
        )


def test_a_number_beyond_the_integer_conversion_limit_is_malformed_not_a_crash() -> None:
    huge = b'{"object_type": "vase", "title": "V", "year_made": ' + b"9" * 5000 + b"}"
    with pytest.raises(MalformedInput, match="not JSON") as error:
        object_json(huge)
    assert error.value.details["field"] == "object"
