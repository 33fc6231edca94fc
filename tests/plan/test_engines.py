"""Engines are chosen by name; the plan carries no syntax tree."""

from __future__ import annotations

import pytest

import emurules
from emurules.plan import ir
from tests.helpers import PRELUDE

RULES = PRELUDE + 'award a "A" for person { when task >= good }\n'
DATA = {
    "team": [{"id": "T", "block": "B"}],
    "person": [{"id": "P", "unit": "T", "task": "good"}],
}


def test_the_row_engine_by_name_and_by_default() -> None:
    rules = emurules.compile(RULES)
    assert rules.evaluate(DATA, year=2025, engine="row").recipients("a") == ("P",)
    assert rules.evaluate(DATA, year=2025).recipients("a") == ("P",)


def test_an_unknown_engine_is_a_usage_error() -> None:
    rules = emurules.compile(RULES)
    with pytest.raises(emurules.UsageError, match="engine='fast': the engines are 'row'"):
        rules.evaluate(DATA, year=2025, engine="fast")


def test_long_chains_are_one_node() -> None:
    fields = " ".join(f"x{i}: int = 0" for i in range(300))
    terms = " + ".join(f"x{i}" for i in range(300))
    rules = emurules.compile(
        f"subject s {{ id: text key {fields} }}\nlet total for s = {terms}\n"
        'award a "A" for s { when total >= 1 }\n'
    )
    let = next(step for step in rules.plan.steps if step.name == "total")
    assert isinstance(let.expr, ir.Sum) and len(let.expr.operands) == 300
    result = rules.evaluate({"s": [{"id": "S", "x299": 2}]}, year=2025)
    assert result.subject("S").values["total"] == 2


def test_members_a_relation_reads_must_be_given() -> None:
    rules = emurules.compile(RULES)
    with pytest.raises(emurules.UsageError, match="data has no 'person' records"):
        rules.evaluate({"team": DATA["team"]}, year=2025)
    assert rules.evaluate({"team": DATA["team"], "person": []}, year=2025).recipients("a") == ()


def test_values_are_reported_with_every_digit() -> None:
    rules = emurules.compile(
        "subject s { id: text key  x: number  y: number }\nlet su for s = x + y\n"
        'award a "A" for s { when su > 0 }\n'
    )
    x = "999999999999999999.999999999999999998"
    result = rules.evaluate({"s": [{"id": "A", "x": x, "y": x}]}, year=2025)
    assert (
        result.to_json()["subjects"][0]["values"]["su"] == "1999999999999999999.999999999999999996"
    )
