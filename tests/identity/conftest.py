"""The identity tests borrow the three-node federation fixture for the ``person`` kind."""

from tests.federation.conftest import net

__all__ = ["net"]
