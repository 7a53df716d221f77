"""Services of the precursors domain: registers (sellers, catalogue, licences, watched
persons), the transaction check, reports, pattern detection, exchange and retention."""
