"""Generated criteria and populations (the engines' shared strategies): where the SQL
computes the rules, it gives every value and qualification the row engine gives."""

from __future__ import annotations

from hypothesis import HealthCheck, given, reject, settings

import emurules
from emurules.engine.sql import Unsupported
from tests.engine.engines_strategies import Case, cases
from tests.engine.sql.harness import assert_same, plan_for


@given(cases())
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_generated_criteria_on_generated_people(case: Case) -> None:
    rules = emurules.compile(case.text)
    data = {"person": case.people}
    try:
        plan_for(rules, data)
    except Unsupported:  # refused when planned (quotas read, rankings...): tested elsewhere
        reject()
    assert_same(rules, data)
