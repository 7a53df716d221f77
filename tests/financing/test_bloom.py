"""The encoded filter: typos and other scripts still match, the file holds nothing readable,
its size is rounded, a dictionary attack without the key learns nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from passerelle.errors import MalformedInput, UsageError
from passerelle.financing.service import bloom, keys
from passerelle.financing.service.encoding import Encoder
from passerelle.identity import PersonRecord as P

NOW = datetime(2026, 12, 3, tzinfo=UTC)
SUBJECTS = [
    P("s1", full_name="Sergei Ivanov", date_of_birth="1980-03-04"),
    P("s2", full_name="Muhammad Hasan", date_of_birth="1975-01-02"),
    P("s3", given_names="Jean-Luc", family_name="Lefèvre", date_of_birth="1988-06-12"),
]
#: Common synthetic names an attacker would try (first names x family names x years).
COMMON_GIVEN = ["Sergei", "Muhammad", "Jean-Luc", "Marie", "Ahmed", "Pierre", "Anna", "Ali"]
COMMON_FAMILY = ["Ivanov", "Hasan", "Lefèvre", "Martin", "Dubois", "Peeters", "Janssens"]


@pytest.fixture
def key() -> keys.Key:
    return keys.generate(NOW)


def test_another_script_a_typo_or_another_order_still_matches(key: keys.Key) -> None:
    flt, labels = bloom.build(key, SUBJECTS)
    matcher = bloom.Matcher(bloom.loads(bloom.dumps(flt)), key)
    candidates = [
        P("c1", full_name="Сергей Иванов", date_of_birth="1980-03-04"),
        P("c2", full_name="محمد الحسن", date_of_birth="1975-01-02"),
        P("c3", full_name="LEFEVRE Jean Luc", date_of_birth="1988-06-12"),
        P("c4", full_name="Sergey Ivanov", date_of_birth="1980-03-05"),
        P("c5", full_name="Pierre Martin", date_of_birth="1988-06-12"),
    ]
    found = {cid: (labels[row], score) for cid, row, score in matcher.best(candidates)}
    assert {cid: label for cid, (label, _) in found.items()} == {
        "c1": "s1",
        "c2": "s2",
        "c3": "s3",
        "c4": "s1",
    }
    assert found["c3"][1] == 1.0 and 0.7 <= found["c4"][1] < 1.0


def test_the_file_holds_no_name_date_or_id_and_a_rounded_size(key: keys.Key) -> None:
    data = bloom.dumps(bloom.build(key, SUBJECTS)[0])
    # (only strings of five bytes or more: shorter ones occur by chance in 256 kB of bits)
    for secret in (b"Ivanov", b"IVANOV", b"ivanov", b"1980-03-04", b"Hasan", key.secret):
        assert secret not in data
    assert bloom.loads(data).rows.shape == (1000, bloom.ROW)
    assert [bloom.rounded_size(n) for n in (3, 950, 1000, 1200, 100_000)] == [
        1000, 1000, 1250, 1600, 125_000
    ]  # fmt: skip


def test_a_dictionary_attack_without_the_key_finds_no_subject(key: keys.Key) -> None:
    """The attacker holds the filter and encodes every common name and birth date with keys
    of his own: nothing scores as a match, while the same dictionary under the real key
    (the partner FIU) finds each subject, which is why the key is shared with one FIU only."""
    flt, labels = bloom.build(key, SUBJECTS)
    dictionary = [
        P(f"{g}|{f}|{d}", given_names=g, family_name=f, date_of_birth=d)
        for g in COMMON_GIVEN
        for f in COMMON_FAMILY
        for d in ("1980-03-04", "1975-01-02", "1988-06-12")
    ]
    for attempt in range(3):
        guess = keys.generate(NOW)
        forged = bloom.Filter(guess.key_id, flt.rows)
        assert bloom.Matcher(forged, guess).best(dictionary, 0.5) == [], attempt
    insider = {labels[row] for _, row, _ in bloom.Matcher(flt, key).best(dictionary)}
    assert insider == {"s1", "s2", "s3"}


def test_a_filter_of_another_key_is_refused(key: keys.Key) -> None:
    flt, _ = bloom.build(key, SUBJECTS)
    with pytest.raises(UsageError, match="rotated"):
        bloom.Matcher(flt, keys.generate(NOW))


def test_dummies_look_like_subjects_and_match_nothing(key: keys.Key) -> None:
    flt, labels = bloom.build(key, SUBJECTS)
    real = [i for i, label in enumerate(labels) if label]
    weights = [int(sum(bin(b).count("1") for b in flt.rows[i])) for i in range(len(flt))]
    low, high = min(weights[i] for i in real), max(weights[i] for i in real)
    dummies = [w for i, w in enumerate(weights) if not labels[i]]
    assert all(low <= w <= high for w in dummies)
    probe = Encoder(key).encode(SUBJECTS[0])
    assert probe in {bytes(flt.rows[i]) for i in real}


@pytest.mark.parametrize(
    "data", [b"", b"PASSERELLE-FILTER/1\n\x00\x00\x00\x02{}", bloom.MAGIC + b"\x00\x00\x00\x01x"]
)
def test_damaged_filters_are_typed_errors(data: bytes) -> None:
    with pytest.raises(MalformedInput):
        bloom.loads(data)


def test_key_files_round_trip_and_damaged_ones_are_refused(key: keys.Key) -> None:
    assert keys.loads(keys.dumps(key)).secret == key.secret
    with pytest.raises(MalformedInput, match="key_id"):
        keys.loads(keys.dumps(key).replace(key.key_id, "0" * 16))
