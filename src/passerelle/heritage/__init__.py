"""Cultural goods: an Object ID registry with provenance chains, the import and trade rules
for an object offered for sale, and screening against stolen and at-risk objects."""
