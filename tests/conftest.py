"""Shared test options: `--update-golden` rewrites expected outputs; hypothesis profiles;
every `Result.to_json()` validated against its JSON Schema; a fixed evaluation time; the
language English whatever the machine's locale."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

# Results and reports made twice are the same: the evaluation time they record is this
# instant (2026-01-01T00:00:00Z; see emurules.provenance), in subprocesses too.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
# Tests pin the language they read: the machine's locale never chooses it (a test of
# Vietnamese passes --lang vi, or sets LANG itself), in subprocesses too.
for _name in ("LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("default"), max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected output of golden tests instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True, scope="session")
def _results_fit_their_schema() -> Iterator[None]:
    """Every `to_json()` a test makes fits emurules.result/1 (tests/golden/results.py)."""
    from tests.golden.results import validating_to_json

    with validating_to_json():
        yield
