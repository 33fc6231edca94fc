"""The row engine's fast paths (a subject's conditions stop at the first that fails when
none can fail; rank values computed at once) give exactly what evaluating every condition
and every value one by one gives: values, recipients, explanations and diagnostics."""

from __future__ import annotations

from typing import Any
from unittest import mock

from hypothesis import given, settings

import emurules
from emurules.engine import row
from tests.plan.test_passes import TEAMS, criteria, outcome, people


@settings(max_examples=60)
@given(criteria(), people)
def test_the_fast_paths_change_nothing(text: str, found: list[dict[str, Any]]) -> None:
    rules = emurules.compile(text)
    data = {"team": TEAMS, "person": [{"id": f"P{i}", **p} for i, p in enumerate(found)]}
    fast = outcome(rules, data)
    with mock.patch.object(row, "_may_fail", lambda condition: True):
        assert outcome(rules, data) == fast
