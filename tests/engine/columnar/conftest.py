"""These tests compare the columnar engine's results with the row engine's, not with
golden files: the parent folder's golden results are not opted into here."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _golden() -> None:
    """No golden results: each test compares the two engines."""
