"""Digital evidence: European Production and Preservation Orders (Regulation (EU) 2023/1543)
and CGNAT subscriber attribution (RFC 7422 mapping or NAT-log lookup)."""
