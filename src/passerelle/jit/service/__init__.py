"""Business logic of the JIT domain; routes, console and CLI call these functions."""
