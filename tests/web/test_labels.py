"""The label registry: codes shown in the user's language, unknown codes left as they are."""

from __future__ import annotations

from passerelle.kit import i18n, labels
from passerelle.privacy import AUDIT_ACTIONS, LEGACY_AUDIT_ACTIONS, ROLES


def test_codes_are_shown_as_labels_in_the_current_language() -> None:
    i18n.set_locale("fr")
    assert labels.label("role", "dpo") == "Délégué à la protection des données"
    assert (
        labels.label("message.type", "alerts.hit_answer") == "Réponse à un rapport de concordance"
    )
    i18n.set_locale("nl")
    assert labels.label("direction", "in") == "ontvangen"
    assert labels.label("audit.action", "erase") == "Wissing"
    i18n.set_locale("en")
    assert labels.label("role", "judicial") == "Judicial authority"


def test_an_unknown_code_is_shown_as_it_is() -> None:
    assert labels.label("role", "astronaut") == "astronaut"
    assert labels.label("no such group", None) == ""


def test_every_role_and_audit_action_has_a_label() -> None:
    assert set(labels.labels_of("role")) == set(ROLES)
    assert set(labels.labels_of("audit.action")) == {*AUDIT_ACTIONS, *LEGACY_AUDIT_ACTIONS}


def test_options_give_code_and_translated_label_for_a_filter() -> None:
    i18n.set_locale("fr")
    assert ("out", "envoyé") in labels.options("direction")
