"""Every result this folder's tests make is compared with its golden `to_json()`."""

from __future__ import annotations

import pytest

from tests.golden.results import golden_results

__all__ = ["golden_results"]


@pytest.fixture(autouse=True)
def _golden(golden_results: None) -> None:
    """Opt every test here into the golden results."""
