"""The SQL tests compare with the row engine on generated populations, not with golden
files: the folder's autouse golden fixture (tests/engine/conftest.py) is replaced."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _golden() -> None:
    """No golden results here: every value is compared with the row engine's instead."""
