"""`Result.what_if`: one subject's record changed, the population evaluated again (its
group's quota and ranks, its unit's aggregates), and `Rules.evaluate(explain=...)`."""

from __future__ import annotations

import copy
import pickle
import time
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emurules
from emurules.values import EnumValue
from tests.service.population import law_population, law_rules

CRITERIA = """
ruleset "w" { year 2025 }
enum rating ordered { incomplete, complete, good, excellent }
subject unit { id: text key  block: text }
subject person {
  id: text key
  unit: unit
  task: rating
  points: number >= 0 = 0
  mentor: person?
}
relation members: unit -> person by unit
score for person = points
score for unit = sum(members, score)
award best "Best" for person {
  when task >= good
  rank by score desc
  quota 1 within unit
}
award top "Top unit" for unit {
  rank by score desc
  quota 1
}
require "at most 100 points" for person: points <= 100
"""

UNITS = [{"id": "U1", "block": "A"}, {"id": "U2", "block": "A"}]
PEOPLE = [
    {"id": "P1", "unit": "U1", "task": "good", "points": 5},
    {"id": "P2", "unit": "U1", "task": "good", "points": "3"},
    {"id": "P3", "unit": "U2", "task": "excellent", "points": 10},
]


def small() -> emurules.Result:
    return emurules.compile(CRITERIA).evaluate({"unit": UNITS, "person": PEOPLE})


def summary(outcome: emurules.Outcome) -> tuple[Any, ...]:
    return (outcome.qualified, outcome.received, outcome.rank, outcome.group)


def essence(result: emurules.Result) -> dict[str, Any]:
    """`to_json()` without what differs from one evaluation to the next (its time)."""
    found = result.to_json()
    found.pop("provenance", None)
    return found  # type: ignore[return-value]


def test_a_rise_takes_the_quota_from_another_and_reaches_the_unit() -> None:
    result = small()
    assert result.recipients("best") == ("P1", "P3")
    assert result.recipients("top") == ("U2",)
    answer = result.what_if("P2", {"points": 9})
    assert isinstance(answer, emurules.WhatIf)
    assert (answer.kind, answer.key) == ("person", "P2")
    assert answer.changes == {"points": (Decimal(3), Decimal(9))}
    assert answer.changed == {"score": (Decimal(3), Decimal(9)), "best": (False, True)}
    assert answer.before == result.subject("P2") and answer.after.score == Decimal(9)
    before, after = answer.outcomes["best"]
    assert (before.received, before.rank, after.received, after.rank) == (False, 2, True, 1)
    assert answer.moved == ("best",)
    moved = {(o.award, o.key): (summary(o.before), summary(o.after)) for o in answer.others}
    assert moved == {
        ("best", "P1"): ((True, True, 1, "U1"), (True, False, 2, "U1")),
        ("top", "U1"): ((True, False, 2, None), (True, True, 1, None)),
        ("top", "U2"): ((True, True, 1, None), (True, False, 2, None)),
    }
    assert answer.result.subject("U1", "unit").score == Decimal(14)
    assert answer.result.recipients("best") == ("P2", "P3")
    assert "P2" in str(answer.explain())


def test_the_result_asked_is_left_as_it_was() -> None:
    result = small()
    was, explained = essence(result), str(result.explain("P2"))
    result.what_if("P2", {"points": 9, "task": "excellent"})
    assert essence(result) == was
    assert str(result.explain("P2")) == explained
    assert result.what_if("P2", {}).others == ()


def test_moving_a_member_to_another_unit_moves_the_aggregates() -> None:
    answer = small().what_if("P1", {"unit": "U2"})
    after = answer.result
    assert after.subject("U1", "unit").score == Decimal(3)
    assert after.subject("U2", "unit").score == Decimal(15)
    assert answer.outcomes["best"][1].received is False  # P3 has more points in U2
    assert {(o.award, o.key) for o in answer.others} >= {("best", "P2")}


def test_a_change_is_read_as_data_is() -> None:
    result = small()
    assert result.what_if("P2", {" points ": "7.5"}).after.score == Decimal("7.5")
    excellent = EnumValue("rating", "excellent", 3)  # a value as a result shows it
    assert result.what_if("P2", {"task": excellent}).changes["task"][1] == excellent
    assert result.what_if("P2", {"mentor": "P1"}).changes["mentor"][1] == "P1"


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"points": "many"}, "D0101", "points"),
        ({"points": -1}, "D0103", "points"),
        ({"task": "superb"}, "D0102", "task"),
        ({"task": None}, "D0104", "task"),
        ({"mentor": "P9"}, "D0106", "mentor"),
        ({"unit": "U7"}, "D0106", "unit"),
    ],
)
def test_a_bad_value_is_a_data_error_naming_the_field(
    changes: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(emurules.DataError) as raised:
        small().what_if("P2", changes)
    (problem,) = raised.value.diagnostics
    assert problem.code == code
    assert problem.place is not None
    assert (problem.place.file, problem.place.row, problem.place.field) == ("person", 2, field)


def test_a_change_that_breaks_a_data_rule_is_refused() -> None:
    with pytest.raises(emurules.DataError) as raised:
        small().what_if("P2", {"points": 150})
    assert [d.code for d in raised.value.diagnostics] == ["D0103"]
    assert "at most 100 points" in str(raised.value)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"pionts": 3}, ["has no field 'pionts'", "points"]),
        ({"score": 3}, ["'score' is computed by the criteria"]),
        ({"best": True}, ["'best' is computed by the criteria"]),
        ({"id": "P7"}, ["'id' is the key of the person"]),
    ],
)
def test_a_name_that_is_no_field_is_a_usage_error(
    changes: dict[str, Any], words: list[str]
) -> None:
    with pytest.raises(emurules.UsageError) as raised:
        small().what_if("P2", changes)
    text = str(raised.value) + "".join(str(d.hint) for d in raised.value.diagnostics)
    assert all(w in text for w in words), text


def test_unknown_subjects_and_bad_arguments() -> None:
    result = small()
    with pytest.raises(emurules.UnknownNameError, match="P9"):
        result.what_if("P9", {"points": 1})
    with pytest.raises(emurules.UnknownNameError):
        result.what_if("P2", {"points": 1}, kind="unit")
    with pytest.raises(emurules.UnknownNameError, match="persons"):
        result.what_if("P2", {"points": 1}, kind="persons")
    with pytest.raises(emurules.UsageError, match="mapping of field names"):
        result.what_if("P2", [("points", 1)])  # type: ignore[arg-type]
    unit = result.what_if("U1", {"block": "B"}, kind="unit")
    assert unit.kind == "unit" and unit.others == ()


def test_the_answer_can_be_asked_again_and_a_hand_made_result_cannot() -> None:
    result = small()
    first = result.what_if("P2", {"points": 9})
    back = first.result.what_if("P2", {"points": 3})
    assert essence(back.result) == essence(result)
    assert {(o.award, o.key) for o in back.others} == {(o.award, o.key) for o in first.others}
    with pytest.raises(emurules.UsageError, match="cannot be evaluated again"):
        attrs.evolve(result, replay=None).what_if("P2", {"points": 9})


def test_a_pickled_or_copied_result_answers_the_same() -> None:
    result = small()
    expected = result.what_if("P2", {"points": 9})
    for copied in (pickle.loads(pickle.dumps(result)), copy.deepcopy(result)):
        answer = copied.what_if("P2", {"points": 9})
        assert (answer.changed, answer.others) == (expected.changed, expected.others)
        assert essence(answer.result) == essence(expected.result)


def test_explain_none_keeps_no_explanation() -> None:
    rules = emurules.compile(CRITERIA)
    data = {"unit": UNITS, "person": PEOPLE}
    lazy = rules.evaluate(data)
    bare = rules.evaluate(data, explain="none")
    assert essence(bare) == essence(lazy)
    with pytest.raises(emurules.UsageError, match='explain="none"'):
        bare.explain("P1")
    answer = bare.what_if("P2", {"points": 9})
    assert answer.changed == lazy.what_if("P2", {"points": 9}).changed
    with pytest.raises(emurules.UsageError, match='explain="none"'):
        answer.explain()
    with pytest.raises(emurules.UsageError, match="explain='all'"):
        rules.evaluate(data, explain="all")  # type: ignore[arg-type]


@settings(max_examples=10, derandomize=True, deadline=None)
@given(
    index=st.integers(0, 39),
    task=st.sampled_from(["excellent", "good", "complete", "incomplete", None]),
    initiatives=st.sampled_from([0, 1, 2, 4, None]),
    unit=st.sampled_from([None, 0, 1]),
)
def test_what_if_is_the_population_evaluated_again(
    index: int, task: str | None, initiatives: int | None, unit: int | None
) -> None:
    rules = law_rules()
    data, history = law_population(40)
    result = rules.evaluate(data, history=history)
    person = data["individual"][index]
    changes: dict[str, Any] = {}
    if task is not None:
        changes["task"] = task
    if initiatives is not None:
        changes["initiatives"] = initiatives
    if unit is not None:
        changes["unit"] = data["collective"][unit]["id"]
    answer = result.what_if(person["id"], changes)
    person.update({name: str(value) for name, value in changes.items()})
    full = rules.evaluate(data, history=history)
    assert essence(answer.result) == essence(full)
    assert answer.after == full.subject(person["id"])
    assert str(answer.explain()) == str(full.explain(person["id"]))
    moved = {
        (award.name, key)
        for award in result.awards
        for key in result.outcomes[award.name]
        if key != person["id"]
        and summary(result.outcomes[award.name][key]) != summary(full.outcomes[award.name][key])
    }
    assert {(o.award, o.key) for o in answer.others} == moved


def test_one_question_on_300_people_takes_milliseconds() -> None:
    data, history = law_population(300)
    result = law_rules().evaluate(data, history=history)
    key = data["individual"][5]["id"]
    times = []
    for _ in range(5):
        start = time.perf_counter()
        result.what_if(key, {"task": "excellent", "initiatives": 3})
        times.append(time.perf_counter() - start)
    assert min(times) < 0.25, times  # about 10 ms on one core; generous for a busy machine
