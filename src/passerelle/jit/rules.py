"""Regulatory and protocol facts of the JIT domain, each with the text it comes from.

Values marked ``UNVERIFIED`` were not checked against the official text while writing them;
values marked ``project default`` are choices of this project that a JIT agreement may change.
"""

from __future__ import annotations

from datetime import timedelta

REG = "Regulation (EU) 2023/969 (JITs collaboration platform)"
MODEL_AGREEMENT = "Council Resolution on a Model Agreement for setting up a JIT (2017/C 18/01)"
FRAMEWORK = (
    "Council Framework Decision 2002/465/JHA on joint investigation teams; Convention on "
    "Mutual Assistance in Criminal Matters of 29 May 2000, art. 13"
)
LEGAL_BASIS = "Framework Decision 2002/465/JHA art. 1; Convention of 29 May 2000 art. 13"
PURPOSE = "joint investigation team (criminal investigation shared by the member states)"

#: Roles of a member in a JIT (model agreement, points 5-7: leaders, members, seconded
#: members; participation of Eurojust and Europol, point 8).
ROLES = ("leader", "member", "seconded", "eurojust", "europol")

#: Operational data (evidence) stored on the platform: kept until every intended recipient
#: has downloaded it, and never longer than four weeks after upload; then deleted
#: automatically and permanently (Reg. 2023/969 art. 21 — article number as given in the
#: project's reference sheet, UNVERIFIED against the Official Journal).
EVIDENCE_MAX_STORAGE = timedelta(weeks=4)
EVIDENCE_SOURCE = (
    "Regulation (EU) 2023/969 art. 21 (storage of operational data on the JITs collaboration "
    "platform) — article number UNVERIFIED"
)

#: Non-operational data of the workspace (agreement, members, planning, statements, custody
#: trail without content) are kept for five years after the JIT closed, for the evaluation and
#: any court proceedings (project default, UNVERIFIED: the Regulation sets the retention of
#: non-operational data in its art. 21 as well; to be confirmed).
WORKSPACE_RETENTION = timedelta(days=5 * 365)
WORKSPACE_SOURCE = f"{REG} art. 21 (non-operational data) — period: project default, UNVERIFIED"
#: Interrupted uploads that never completed: erased after 7 days (project default).
UPLOAD_RETENTION = timedelta(days=7)
UPLOAD_SOURCE = "Regulation (EU) 2016/679 art. 5(1)(e) — period: project default"

#: tus resumable upload protocol 1.0.0 (tus.io/protocols/resumable-upload): core protocol and
#: the creation extension.
TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = ("creation", "checksum", "termination")
#: checksum extension: algorithms this server checks (Upload-Checksum header).
TUS_CHECKSUMS = ("sha256", "sha1")
TUS_CONTENT_TYPE = "application/offset+octet-stream"

#: Handling codes of an evidence item (federation handling codes of the project).
HANDLING = ("H0", "H1", "H2", "H3")

#: A press statement is publishable once a leader of each country of the JIT approved its
#: latest version (Declaration FR-BE: coordinated communication; model agreement point 12).
STATEMENT_SOURCE = f"{MODEL_AGREEMENT}, point on communication with the media"

#: Sections of the model agreement (2017/C 18/01, Appendix): heading per language.
AGREEMENT_SECTIONS: dict[str, dict[str, str]] = {
    "parties": {
        "en": "1. Parties to the agreement",
        "fr": "1. Parties à l'accord",
        "nl": "1. Partijen bij de overeenkomst",
    },
    "purpose": {
        "en": "2. Purpose of the JIT",
        "fr": "2. Objet de l'ECE",
        "nl": "2. Doel van het GOT",
    },
    "period": {
        "en": "3. Period covered by the agreement",
        "fr": "3. Période couverte par l'accord",
        "nl": "3. Looptijd van de overeenkomst",
    },
    "leaders": {"en": "4. JIT leaders", "fr": "4. Responsables de l'ECE", "nl": "4. GOT-leiders"},
    "members": {"en": "5. Members", "fr": "5. Membres", "nl": "5. Leden"},
    "seconded": {
        "en": "6. Seconded members",
        "fr": "6. Membres détachés",
        "nl": "6. Gedetacheerde leden",
    },
    "participants": {
        "en": "7. Participation of Eurojust and Europol",
        "fr": "7. Participation d'Eurojust et d'Europol",
        "nl": "7. Deelname van Eurojust en Europol",
    },
    "evidence": {
        "en": "8. Evidence and information",
        "fr": "8. Preuves et informations",
        "nl": "8. Bewijs en informatie",
    },
    "confidentiality": {
        "en": "9. Confidentiality",
        "fr": "9. Confidentialité",
        "nl": "9. Vertrouwelijkheid",
    },
    "communication": {
        "en": "10. Communication with the media",
        "fr": "10. Communication avec les médias",
        "nl": "10. Communicatie met de media",
    },
    "legal_basis": {"en": "Legal basis", "fr": "Base juridique", "nl": "Rechtsgrond"},
    "history": {
        "en": "Extensions and amendments",
        "fr": "Prolongations et modifications",
        "nl": "Verlengingen en wijzigingen",
    },
}
AGREEMENT_TITLE = {
    "en": "Agreement on the setting up of a joint investigation team",
    "fr": "Accord relatif à la création d'une équipe commune d'enquête",
    "nl": "Overeenkomst tot oprichting van een gemeenschappelijk onderzoeksteam",
}
LANGUAGES = ("fr", "nl", "en")
