"""The passenger-data service layer: the only place with business logic.

- :mod:`.store`: ingestion (digest dedupe, scope, storage, screening) in batch transactions;
- :mod:`.scope`: intra-EU flight and rail scope decisions (CJEU C-817/19);
- :mod:`.grounds`: objective grounds that keep a booking past six months;
- :mod:`.criteria`: the pre-determined criteria language and its versions;
- :mod:`.screening`: watchlists and criteria → candidate hits;
- :mod:`.review`: the human review queue;
- :mod:`.masking`: masking, retention, booking view, re-personalisation;
- :mod:`.exchange`: PIU-to-PIU exchange over the federation;
- :mod:`.views`: journeys, statistics, quarantine.
"""

from passerelle.pnr.service.grounds import link_case
from passerelle.pnr.service.masking import (
    booking_view,
    decide_repersonalisation,
    request_repersonalisation,
    retention_rules,
    unmasked_view,
)
from passerelle.pnr.service.review import decide, queue
from passerelle.pnr.service.scope import decide_scope
from passerelle.pnr.service.store import FileOutcome, ingest_bytes, ingest_files

__all__ = [
    "FileOutcome",
    "booking_view",
    "decide",
    "decide_repersonalisation",
    "decide_scope",
    "ingest_bytes",
    "ingest_files",
    "link_case",
    "queue",
    "request_repersonalisation",
    "retention_rules",
    "unmasked_view",
]
