"""A relation `by` an optional reference: a member whose reference is missing belongs to no
owner through it (docs/language.md, "Fields and relations"). The example: a person works
in a state body or a mass organisation, exactly one, which a data rule demands."""

from __future__ import annotations

import re
from typing import Any

import pytest

import emurules
from emurules.i18n import render
from tests.helpers import ROOT

LANGUAGE = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
EXAMPLE = next(b for b in re.findall(r"```emu\n(.*?)```", LANGUAGE, re.DOTALL) if "employer" in b)
RULES = (
    'ruleset "Employers" { year 2025 }\n'
    + EXAMPLE
    + """\
let staff_initiatives "Initiatives of the staff" for body = sum(staff, initiatives)
let average "Average initiatives" for body = avg(staff, initiatives) ?? -1
let all_active "Every member active" for organisation = all(members, initiatives > 0)
"""
).replace("organisation: organisation? }", "organisation: organisation?  initiatives: int = 0 }")
BODIES = [{"id": "B1"}, {"id": "B2"}]
ORGANISATIONS = [{"id": "O1"}, {"id": "O2"}]


def _values(people: list[dict[str, Any]], *, rules: str = RULES) -> dict[str, dict[str, Any]]:
    data = {"body": BODIES, "organisation": ORGANISATIONS, "person": people}
    result = emurules.compile(rules, "employers.emu").evaluate(data, year=2025)
    return {key: dict(s.values) for (_, key), s in result.subjects.items()}


def test_each_person_counts_for_the_one_owner_their_set_reference_names() -> None:
    people = [
        {"id": "P1", "body": "B1", "initiatives": 2},
        {"id": "P2", "body": "B1", "initiatives": 4},
        {"id": "P3", "organisation": "O1", "initiatives": 0},
        {"id": "P4", "organisation": "O1", "initiatives": 3},
        {"id": "P5", "body": "B2", "initiatives": 1},
    ]
    values = _values(people)
    assert {k: values[k]["headcount"] for k in ("B1", "B2")} == {"B1": 2, "B2": 1}
    assert {k: values[k]["membership"] for k in ("O1", "O2")} == {"O1": 2, "O2": 0}
    assert values["B1"]["staff_initiatives"] == 6 and values["B1"]["average"] == 3
    assert values["O1"]["all_active"] is False and values["O2"]["all_active"] is True
    counted = sum(values[k]["headcount"] for k in ("B1", "B2")) + sum(
        values[k]["membership"] for k in ("O1", "O2")
    )
    assert counted == len(people)  # everyone once, by exactly one owner


def test_a_person_with_neither_or_both_is_refused_by_the_rule() -> None:
    rules = emurules.compile(RULES, "employers.emu")
    people = [
        {"id": "P1", "body": "B1"},
        {"id": "P2"},
        {"id": "P3", "body": "B2", "organisation": "O2"},
    ]
    data = {"body": BODIES, "organisation": ORGANISATIONS, "person": people}
    with pytest.raises(emurules.DataError) as refused:
        rules.evaluate(data, year=2025)
    found = refused.value.diagnostics
    assert [d.code for d in found] == ["D0103", "D0103"]
    assert all("exactly one employer" in render(d.message, "en") for d in found)


def test_without_the_rule_an_unset_reference_is_counted_by_no_owner() -> None:
    rule = next(line for line in RULES.splitlines(keepends=True) if "exactly one" in line)
    unruled = RULES.replace(rule, "")
    assert unruled != RULES
    people = [
        {"id": "P1", "body": "B1", "initiatives": 5},
        {"id": "P2", "initiatives": 7},
        {"id": "P3", "body": "B2", "organisation": "O2", "initiatives": 1},
    ]
    values = _values(people, rules=unruled)
    assert {k: values[k]["headcount"] for k in ("B1", "B2")} == {"B1": 1, "B2": 1}
    assert {k: values[k]["membership"] for k in ("O1", "O2")} == {"O1": 0, "O2": 1}
    assert {k: values[k]["staff_initiatives"] for k in ("B1", "B2")} == {"B1": 5, "B2": 1}
    assert values["O1"]["all_active"] is True  # over no member at all
