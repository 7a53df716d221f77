"""Business logic of the evidence domain (orders, directory, answers, retention, export)."""
