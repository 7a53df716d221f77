from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from passerelle.errors import IntegrityError
from passerelle.privacy.crypto import FieldCipher


def test_field_round_trip_and_key_file_is_private(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "fields.key"
    cipher = FieldCipher.from_key_file(key)
    token = cipher.encrypt("DUPONT/JEAN MR", "pnr_passenger:42:name")
    assert "DUPONT" not in token
    assert (
        FieldCipher.from_key_file(key).decrypt(token, "pnr_passenger:42:name") == "DUPONT/JEAN MR"
    )
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_ciphertext_moved_to_another_row_does_not_decrypt(tmp_path: Path) -> None:
    cipher = FieldCipher.from_key_file(tmp_path / "k")
    token = cipher.encrypt("secret", "row:1")
    with pytest.raises(IntegrityError):
        cipher.decrypt(token, "row:2")


def test_keyed_hashes_are_stable_per_key_and_purpose_and_useless_without_the_key() -> None:
    mine, theirs = FieldCipher(os.urandom(32)), FieldCipher(os.urandom(32))
    assert mine.keyed_hash("lefebvre", "checks") == mine.keyed_hash("lefebvre", "checks")
    assert mine.keyed_hash("lefebvre", "checks") != theirs.keyed_hash("lefebvre", "checks")
    assert mine.keyed_hash("lefebvre", "checks") != mine.keyed_hash("lefebvre", "other")
    assert "lefebvre" not in mine.keyed_hash("lefebvre", "checks")
