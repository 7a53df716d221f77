"""Orders and answers exported as JSON and as PDF certificates in French, Dutch or English
(the Annex I / II / III headings of the regulation; the text of the forms themselves is the
Official Journal's, the labels here are the project's)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from passerelle.errors import UsageError
from passerelle.evidence import pdf, rules
from passerelle.evidence.schemas import OrderOut

LANGUAGES = ("fr", "nl", "en")
_L: dict[str, dict[str, str]] = {
    "EPOC": {"en": "European Production Order Certificate (EPOC) — Annex I",
             "fr": "Certificat d'injonction européenne de production (EPOC) — annexe I",
             "nl": "Certificaat Europees verstrekkingsbevel (EPOC) — bijlage I"},
    "EPOC-PR": {"en": "European Preservation Order Certificate (EPOC-PR) — Annex II",
                "fr": "Certificat d'injonction européenne de conservation (EPOC-PR) — annexe II",
                "nl": "Certificaat Europees bewaringsbevel (EPOC-PR) — bijlage II"},
    "order": {"en": "A. Order", "fr": "A. Injonction", "nl": "A. Bevel"},
    "authority": {"en": "B. Issuing authority", "fr": "B. Autorité d'émission",
                  "nl": "B. Uitvaardigende autoriteit"},
    "data": {"en": "C. Data requested", "fr": "C. Données demandées",
             "nl": "C. Gevraagde gegevens"},
    "deadlines": {"en": "D. Deadlines", "fr": "D. Délais", "nl": "D. Termijnen"},
    "answers": {"en": "E. Answers of the provider", "fr": "E. Réponses du fournisseur",
                "nl": "E. Antwoorden van de dienstverlener"},
    "reference": {"en": "Reference", "fr": "Référence", "nl": "Referentie"},
    "status": {"en": "Status", "fr": "Statut", "nl": "Status"},
    "issued": {"en": "Issued", "fr": "Émise le", "nl": "Uitgevaardigd op"},
    "country": {"en": "Issuing state", "fr": "État d'émission", "nl": "Uitvaardigende staat"},
    "enforcing": {"en": "Enforcing state", "fr": "État d'exécution",
                  "nl": "Tenuitvoerleggingsstaat"},
    "provider": {"en": "Addressee", "fr": "Destinataire", "nl": "Geadresseerde"},
    "type": {"en": "Type", "fr": "Type", "nl": "Soort"},
    "name": {"en": "Name", "fr": "Nom", "nl": "Naam"},
    "validator": {"en": "Validated by", "fr": "Validée par", "nl": "Gevalideerd door"},
    "category": {"en": "Category", "fr": "Catégorie", "nl": "Categorie"},
    "offence": {"en": "Offence", "fr": "Infraction", "nl": "Strafbaar feit"},
    "sentence": {"en": "Maximum sentence (years)", "fr": "Peine maximale (années)",
                 "nl": "Maximumstraf (jaren)"},
    "emergency": {"en": "Emergency", "fr": "Urgence", "nl": "Noodgeval"},
    "notify": {"en": "Enforcing authority notified", "fr": "Autorité d'exécution notifiée",
               "nl": "Tenuitvoerleggingsautoriteit in kennis gesteld"},
    "target": {"en": "Identifier", "fr": "Identifiant", "nl": "Identificator"},
    "period": {"en": "Period", "fr": "Période", "nl": "Periode"},
    "grounds": {"en": "Grounds", "fr": "Motifs", "nl": "Gronden"},
    "due": {"en": "Production due", "fr": "Production due le", "nl": "Verstrekking uiterlijk"},
    "review": {"en": "Review window until", "fr": "Délai d'examen jusqu'au",
               "nl": "Toetsingstermijn tot"},
    "preserve": {"en": "Preserved until", "fr": "Conservation jusqu'au",
                 "nl": "Bewaring tot"},
    "validation_due": {"en": "Validation due", "fr": "Validation due le",
                       "nl": "Validatie uiterlijk"},
    "yes": {"en": "yes", "fr": "oui", "nl": "ja"},
    "no": {"en": "no", "fr": "non", "nl": "nee"},
    "none": {"en": "none yet", "fr": "aucune à ce jour", "nl": "nog geen"},
    "impossibility": {"en": "Annex III — impossibility to execute",
                      "fr": "Annexe III — impossibilité d'exécuter",
                      "nl": "Bijlage III — onmogelijkheid tot uitvoering"},
    "data_answer": {"en": "Data produced", "fr": "Données produites",
                    "nl": "Verstrekte gegevens"},
    "source": {"en": "Legal basis", "fr": "Base légale", "nl": "Rechtsgrond"},
}  # fmt: skip


def as_json(order: OrderOut) -> bytes:
    """The order with its answers and file hashes (not the file contents)."""
    body: dict[str, Any] = order.model_dump(mode="json")
    body["form_source"] = rules.FORMS[order.form]
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def as_pdf(order: OrderOut, lang: str) -> bytes:
    if lang not in LANGUAGES:
        raise UsageError(f"lang: one of {', '.join(LANGUAGES)}", field="lang")

    def t(key: str) -> str:
        return _L[key][lang]

    yes_no = {True: t("yes"), False: t("no")}
    targets = [
        (t("target"), " ".join(str(v) for v in (x.get("kind"), x.get("value"), x.get("port"),
                                                 x.get("at")) if v is not None))
        for x in order.targets
    ]  # fmt: skip
    answers: list[tuple[str, str]] = []
    for a in order.answers:
        label = t("impossibility") if a.kind == "impossibility" else t("data_answer")
        answers.append((label, f"{_when(a.answered_at)} — {a.reason} {a.note}".strip()))
        answers += [("", f"{f.name} ({f.size} B) SHA-256 {f.sha256}") for f in a.files]
    sections = [
        (t("order"), [(t("reference"), order.reference), (t("status"), order.status),
                      (t("issued"), _when(order.issued_at)),
                      (t("country"), order.issuing_country),
                      (t("enforcing"), order.enforcing_country),
                      (t("provider"), order.provider),
                      (t("source"), rules.FORMS[order.form])]),
        (t("authority"), [(t("type"), order.authority_type), (t("name"), order.authority_name),
                          (t("validator"), f"{order.validator_type} {order.validator_name}"
                                           .strip() or "—")]),
        (t("data"), [(t("category"), order.category), (t("offence"), order.offence),
                     (t("sentence"), str(order.max_sentence_years)),
                     (t("emergency"), yes_no[order.emergency]),
                     (t("notify"), yes_no[order.notify_enforcing]), *targets,
                     (t("period"), f"{_when(order.period_from)} — {_when(order.period_to)}"),
                     (t("grounds"), order.grounds)]),
        (t("deadlines"), [(t("due"), _when(order.due_at)),
                          (t("review"), _when(order.review_until)),
                          (t("preserve"), _when(order.preserve_until)),
                          (t("validation_due"), _when(order.validation_due_at))]),
        (t("answers"), answers or [("", t("none"))]),
    ]  # fmt: skip
    return pdf.render(t(order.form), sections)
