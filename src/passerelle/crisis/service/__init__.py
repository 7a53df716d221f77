"""The crisis services, one module per concept: ``store`` (validate, store, quarantine, audited
reads), ``issue`` (messages composed here and Acks), ``acks`` (acknowledgement tracking and
escalation), ``exchange`` (federation message types), ``feeds`` (files and URL feeds),
``situation`` (active areas and timeline) and ``retention``."""
