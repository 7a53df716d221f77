"""Business logic of the financing domain."""
