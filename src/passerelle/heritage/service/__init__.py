"""Business logic of the cultural-goods domain."""
