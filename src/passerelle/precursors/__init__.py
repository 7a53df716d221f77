"""Explosive precursors (Regulation (EU) 2019/1148): sales control for shops and online
marketplaces, the art. 8 verification record, suspicious-transaction reports to the national
contact point, patterns across sellers and across the border, art. 19 statistics."""
