"""Joint investigation teams: the agreement, members, a workspace replicated on each member
node, evidence exchange over tus 1.0 with a signed chain of custody, coordinated press
statements, planning and the evaluation at closure."""
