"""Trying to falsify checks: for each form an unfair file is falsified and its fair twin
holds; a counterexample is minimal (leaving out any subject or history row, or setting any
field back to its default, no longer breaks the check), reproducible from its seed, and
nothing is written into the working directory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import emurules
import emurules.engine.rank
from emurules.errors import DataError
from emurules.testing.outcome import CheckRun
from emurules.testing.properties import check_all
from emurules.testing.strategies import Population, without

Breaks = Callable[[Population], bool]

FAST = {"max_examples": 25}


def _run(text: str, **options: Any) -> CheckRun:
    (run,) = check_all(emurules.compile(text), **{**FAST, **options})
    return run


def _broken(rules: emurules.Rules, test: Callable[[emurules.Result], bool]) -> Breaks:
    """A check's own oracle, through the public API: a population that does not validate
    breaks nothing."""

    def breaks(population: Population) -> bool:
        try:
            return test(population.evaluate(rules))
        except DataError:
            return False

    return breaks


def assert_minimal(rules: emurules.Rules, population: Population, breaks: Breaks) -> None:
    assert breaks(population)
    schema = rules.schema
    for kind, rows in population.data.items():
        info = schema.kinds[kind]
        for index, row in enumerate(rows):
            key = str(row[info.key])
            data, history = without(rules, population.data, population.history, {(kind, key)})
            smaller = attrs.evolve(population, data=data, history=history)
            assert not breaks(smaller), f"{kind} {key} is not needed"
            for name in row:
                field = info.fields[name]
                if name == info.key or (field.default is None and not field.optional):
                    continue
                reset = {n: v for n, v in row.items() if n != name}
                changed = {**population.data, kind: [*rows[:index], reset, *rows[index + 1 :]]}
                assert not breaks(attrs.evolve(population, data=changed)), f"{key}.{name}"
    for index in range(len(population.history)):
        history = population.history[:index] + population.history[index + 1 :]
        assert not breaks(attrs.evolve(population, history=history)), population.history[index]


# ---- check "label" for KIND: expr ------------------------------------------------------------
FAIRNESS = """
ruleset "u" {{ year 2025 }}
subject person {{ id: text key, points: int >= 0, late: bool = false, bonus: int >= 0 = 0 }}
award good "Good" for person {{ when points + bonus >= 3 {extra} }}
check "late people are never good" for person: late implies not good
"""


def test_an_unfair_check_is_falsified_with_a_minimal_counterexample() -> None:
    text = FAIRNESS.format(extra="")
    run = _run(text)
    assert not run.passed and run.form == "check"
    example = run.counterexample
    assert example is not None
    assert example.breaking == ("P1",)
    rules = emurules.compile(text)

    def breaks(population: Population) -> bool:
        late = {r["id"] for r in population.data["person"] if r.get("late", False)}
        try:
            result = population.evaluate(rules)
        except DataError:
            return False
        return bool(late & set(result.recipients("good")))

    assert_minimal(rules, example.population, breaks)
    lines = list(run.lines())
    assert "failed" in lines[0] and '"late people are never good"' in lines[0]
    assert any("Received “Good” [good]" in line for line in lines)  # the explanation
    assert json.loads(json.dumps(run.to_json()))["counterexample"]["breaking"] == ["P1"]


def test_its_fair_twin_holds() -> None:
    run = _run(FAIRNESS.format(extra='when not late "not late"'))
    assert run.passed and run.counterexample is None
    assert run.populations >= 25
    assert "held on" in next(iter(run.lines()))


QUOTA = """
ruleset "q" {{ year 2025 }}
subject unit {{ id: text key }}
subject person {{ id: text key, unit: unit, points: int >= 0 }}
award fighter "F" for person {{
  when points >= 1
  rank by points desc
  quota floor(15% * count(group)) within unit
}}
check "{label}" for person: {expr}
"""


def test_a_quota_that_bites_only_in_a_large_group_is_found() -> None:
    text = QUOTA.format(label="nobody is a fighter", expr="not fighter")
    run = _run(text)
    assert not run.passed and run.counterexample is not None
    rules = emurules.compile(text)
    population = run.counterexample.population
    assert len(population.data["person"]) == 7
    assert_minimal(rules, population, _broken(rules, lambda r: bool(r.recipients("fighter"))))
    fair = _run(QUOTA.format(label="fighters scored", expr="fighter implies points >= 1"))
    assert fair.passed


def test_the_check_is_also_evaluated_on_real_data() -> None:
    rules = emurules.compile(FAIRNESS.format(extra=""))
    data = {
        "person": [
            {"id": "A", "points": 5, "late": True},
            {"id": "B", "points": 5},
            {"id": "C", "points": 4, "late": True},
        ]
    }
    generated, real = check_all(rules, data=data, **FAST)
    assert not generated.on_data and real.on_data
    assert not real.passed and real.counterexample is not None
    assert real.counterexample.breaking == ("A", "C")
    assert {e.key for e in real.counterexample.explanations} == {"A", "C"}
    assert [row[0] for row in real.counterexample.tables[0].rows] == ["A", "C"]
    assert "is broken by the data" in next(iter(real.lines()))


# ---- check monotone ----------------------------------------------------------------------------
MONOTONE_AWARD = """
ruleset "m" {{ year 2025 }}
subject person {{ id: text key, points: int >= 0, late: bool = false }}
award good "Good" for person {{ when points >= 3 {extra} }}
check monotone good for person in points
"""


def test_an_award_taken_away_by_a_raise_is_found() -> None:
    text = MONOTONE_AWARD.format(extra="when points < 8")
    run = _run(text)
    assert not run.passed and run.form == "monotone"
    example = run.counterexample
    assert example is not None and example.change is not None
    change = example.change
    assert (change.field, change.award, change.was, change.became) == ("points", True, True, False)
    assert change.before < 8 <= change.after
    rules = emurules.compile(text)

    def breaks(population: Population) -> bool:
        """The recorded raise still takes the award away."""
        rows = population.data["person"]
        found = [i for i, r in enumerate(rows) if r["id"] == change.key]
        if not found:
            return False
        (i,) = found
        if rows[i].get("points", 0) >= int(change.after):
            return False
        raised = [*rows[:i], {**rows[i], "points": int(change.after)}, *rows[i + 1 :]]
        before = population.evaluate(rules).subject(change.key).values["good"]
        after = attrs.evolve(population, data={"person": raised}).evaluate(rules)
        return bool(before and not after.subject(change.key).values["good"])

    assert_minimal(rules, example.population, breaks)
    lines = list(run.lines())
    assert any("is taken away" in line for line in lines)
    assert any(line.split()[:3] == ["points", str(change.before), str(change.after)]
               for line in lines)  # fmt: skip
    assert _run(MONOTONE_AWARD.format(extra="")).passed


MONOTONE_SCORE = """
ruleset "m" {{ year 2025 }}
enum rating ordered {{ low, mid, high }}
subject person {{
  id: text key
  points: int >= 0
  share: percent = 0%
  task: rating = low
  late: int >= 0 = 0
}}
criterion c "C" for person =
  10 * points + 5 * share + case task {{ high: {high}, mid: 5, else: 0 }} - {late} * late
score for person = c
check monotone score for person in points, share, task, -late
"""


@pytest.mark.parametrize(
    ("high", "late", "field"),
    [("0", "2", "task"), ("10", "-2", "late")],
)
def test_a_value_lowered_by_an_enum_step_or_a_lowered_field_is_found(
    high: str, late: str, field: str
) -> None:
    run = _run(MONOTONE_SCORE.format(high=high, late=late), max_examples=60)
    assert not run.passed
    example = run.counterexample
    assert example is not None and example.change is not None
    assert example.change.field == field and not example.change.award
    assert example.change.became < example.change.was
    states = [e.state for e in example.explanations]
    assert len(states) == 2 and None not in states


def test_a_monotone_score_holds() -> None:
    assert _run(MONOTONE_SCORE.format(high="10", late="2"), max_examples=60).passed


# ---- check order_independent ---------------------------------------------------------------------
ORDER = """
ruleset "o" { year 2025 }
subject person { id: text key, team: text, points: int >= 0 }
award top "Top" for person { rank by points desc quota 1 within team }
check order_independent
"""


def test_outcomes_do_not_depend_on_the_order_of_the_records() -> None:
    run = _run(ORDER)
    assert run.passed and run.form == "order_independent"


def test_a_tie_broken_by_record_order_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    def by_input_order(entries: Any, descending: Any) -> list[Any]:
        ordered = list(entries)  # no ordering by key first: ties keep the records' order
        ordered.sort(key=lambda e: e[1], reverse=bool(descending and descending[0]))
        return ordered

    monkeypatch.setattr(emurules.engine.rank, "order", by_input_order)
    run = _run(ORDER)
    assert not run.passed
    example = run.counterexample
    assert example is not None and example.reorder is not None
    assert len(example.population.data["person"]) == 2
    assert example.reorder.first != example.reorder.second
    assert {m.key for m in example.reorder.moved} == {
        r["id"] for r in example.population.data["person"]
    }
    assert any("in the first order" in line for line in run.lines())


# ---- reproducible, and nothing written ----------------------------------------------------------
def test_the_same_seed_gives_the_same_counterexample() -> None:
    text = QUOTA.format(label="nobody is a fighter", expr="not fighter")

    def found(seed: int) -> dict[str, Any]:
        data = _run(text, seed=seed).to_json()
        del data["seconds"]
        return data

    first = found(7)
    assert first == found(7)
    assert first["seed"] == 7
    assert _run(text).seed == 0


def test_no_hypothesis_folder_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = _run(FAIRNESS.format(extra=""))
    assert not run.passed
    assert list(tmp_path.iterdir()) == []


def test_a_time_limit_stops_the_search() -> None:
    run = _run(FAIRNESS.format(extra='when not late "not late"'), max_examples=10_000, deadline=0.2)
    assert run.passed and run.populations < 10_000


# ---- the forms reviewers asked for: ignores, local, equal_treatment, monotone over members ----
IGNORES = """
ruleset "i" {{ year 2025 }}
enum gender {{ female, male }}
subject person {{ id: text key, gender: gender, name: text, points: int >= 0 }}
score for person = points{bias}
award top "Top" for person {{ rank by score desc quota 1 }}
check ignores gender, name for person
"""


def test_a_field_that_must_be_ignored_changes_a_score() -> None:
    text = IGNORES.format(bias=" + (1 if gender == male else 0)")
    run = _run(text)
    assert not run.passed and run.form == "ignores"
    example = run.counterexample
    assert example is not None and example.detail is not None
    assert example.detail.to_json()["fields"][0]["field"] == "gender"
    rules = emurules.compile(text)

    def breaks(population: Population) -> bool:
        """Flipping the recorded subject's gender changes some value or outcome."""
        key = example.breaking[0]
        rows = population.data["person"]
        found = [i for i, r in enumerate(rows) if r["id"] == key]
        if not found:
            return False
        (i,) = found
        flipped = "male" if rows[i]["gender"] == "female" else "female"
        other = [*rows[:i], {**rows[i], "gender": flipped}, *rows[i + 1 :]]
        try:
            one = population.evaluate(rules).to_json()
            two = attrs.evolve(population, data={"person": other}).evaluate(rules).to_json()
        except DataError:
            return False
        return bool(one != two)

    assert_minimal(rules, example.population, breaks)
    assert _run(IGNORES.format(bias="")).passed


LOCAL = """
ruleset "l" {{ year 2025 }}
subject unit {{ id: text key }}
subject person {{ id: text key, unit: unit, points: int >= 0 }}
award top "Top" for person {{ when points >= 1 rank by points desc quota 1{within} }}
check local within unit for person
"""


def test_a_change_in_one_unit_that_moves_another_is_found() -> None:
    run = _run(LOCAL.format(within=""))
    assert not run.passed and run.form == "local"
    example = run.counterexample
    assert example is not None and example.detail is not None
    assert example.breaking and example.breaking[0] not in {example.detail.to_json()["key"]}
    assert _run(LOCAL.format(within=" within unit")).passed


EQUAL = """
ruleset "e" {{ year 2025 }}
subject person {{ id: text key, team: text, points: int >= 0 }}
{let}
award top "Top" for person {{ when points >= 1 rank by points desc quota 1 within team }}
check equal_treatment for person
"""


def test_twins_treated_apart_are_found_and_a_tie_at_the_cut_off_is_allowed() -> None:
    run = _run(EQUAL.format(let='let first "First" for person = id == "P1"'))
    assert not run.passed and run.form == "equal_treatment"
    example = run.counterexample
    assert example is not None and len(example.breaking) == 2
    assert len(example.population.data["person"]) == 2  # the subject and its twin
    assert any("are equal in every field" in line for line in run.lines())
    assert _run(EQUAL.format(let="")).passed  # the twins tie at the cut-off: allowed


MEMBERS = """
ruleset "g" {{ year 2025 }}
enum rating ordered {{ low, mid, high }}
subject unit {{ id: text key }}
subject person {{ id: text key, unit: unit, task: rating }}
relation members: unit -> person by unit
award good_unit "G" for unit {{ when count(members) >= 1 when {condition} }}
check monotone good_unit for unit in members.task
"""


def test_a_members_raise_that_takes_the_units_award_is_found() -> None:
    run = _run(MEMBERS.format(condition="none(members, task == high)"))
    assert not run.passed
    change = run.counterexample.change if run.counterexample else None
    assert change is not None and change.member is not None
    assert (change.before.name, change.after.name) == ("mid", "high")  # one step of the enum
    assert _run(MEMBERS.format(condition="all(members, task >= mid)")).passed


HISTORY = """
ruleset "h" {{ year 2025 }}
subject person {{ id: text key, points: int >= 0 }}
award star "Star" for person {{ when points >= 1 {extra} }}
check monotone star for person in history
"""


def test_a_title_held_before_that_takes_a_title_away_is_found() -> None:
    run = _run(HISTORY.format(extra="when held(star, last 2) == 0"))
    assert not run.passed
    change = run.counterexample.change if run.counterexample else None
    assert change is not None and change.year is not None and change.field == "star"
    assert _run(HISTORY.format(extra="")).passed
