"""Terrorism financing: suspicious-transaction reports (goAML XML, CSV, console), matching
between financial intelligence units that reveals nothing (keyed Bloom-filter encodings),
money-flow analysis with FATF-sourced rules, crypto-asset address checks."""
