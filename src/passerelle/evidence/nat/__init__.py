"""The NAT-log store of an access provider: partitioned Parquet, RFC 7422 pools, lookup.

Nothing here imports the node or the database: ``passerelle nat lookup`` answers from files.
"""
