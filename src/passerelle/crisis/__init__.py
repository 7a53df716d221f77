"""Crisis centres: CAP 1.2 alerts between crisis-centre nodes (Belgium's NCCN, France's CIC and
COGIC), validated against the official OASIS schema on the way in and out, exchanged through
federation's domain message types, acknowledged per recipient with escalation, imported from
external feeds, and shown on a shared situation map with a timeline.

Other packages never import this package; the CLI, the API, the console and the demo use it
through its plugin.
"""
