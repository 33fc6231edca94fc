"""Hand-computed cases for the engine: every construct and its edges."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import emurules
from emurules.values import MISSING

BASE = """
ruleset "t" { year 2025  round 2 }
enum rating ordered { incomplete, complete, good, excellent }
subject unit { id: text key  block: text  allotment: int = 1 }
subject person {
  id: text key
  unit: unit
  task: rating
  points: number >= 0 = 0
  initiatives: int >= 0 = 0
  leave: number?
  share_online: percent = 0%
}
relation members: unit -> person by unit
score for person = points
"""


def run(
    extra: str,
    units: list[dict[str, Any]],
    people: list[dict[str, Any]],
    history: list[dict[str, Any]] | None = None,
) -> emurules.Result:
    rules = emurules.compile(BASE + extra)
    return rules.evaluate({"unit": units, "person": people}, history=history or [])


UNITS = [{"id": "U1", "block": "A"}, {"id": "U2", "block": "A"}, {"id": "U3", "block": "B"}]


def person(key: str, unit: str = "U1", task: str = "good", **more: Any) -> dict[str, Any]:
    return {"id": key, "unit": unit, "task": task, **more}


def test_rounding_is_decimal_half_away_from_zero() -> None:
    result = run(
        'let r "R" for person = round(points, 2)\nlet n "N" for person = round(-2.675, 2)\n',
        UNITS,
        [person("P1", points="80.585"), person("P2", points=2.675)],
    )
    assert result.subject("P1").values["r"] == Decimal("80.59")
    assert result.subject("P1").score == Decimal("80.59")
    assert result.subject("P2").score == Decimal("2.68")
    assert result.subject("P1").values["n"] == Decimal("-2.68")


def test_criteria_clamp_to_max_and_not_applicable() -> None:
    extra = (
        'criterion c "C" for person max 10 = points\n'
        'criterion o "O" for person where leave is not missing max 20 = leave * 2\n'
        'let total "T" for person = 100 * (c + (o ?? 0)) / applicable_max(c, o)\n'
        'let w "W" for person = 100 * weighted(c: 0.5, o: 0.5)\n'
    )
    result = run(extra, UNITS, [person("P1", points=15, leave=5), person("P2", points=-0.0)])
    p1, p2 = result.subject("P1").values, result.subject("P2").values
    assert p1["c"] == 10 and p1["o"] == 10
    assert round(p1["total"], 10) == Decimal("66.6666666667")
    assert p1["w"] == Decimal("75")  # 0.5*10/10 + 0.5*10/20 = 0.75
    assert p2["o"] is MISSING
    assert p2["total"] == 0
    assert p2["w"] == 0  # only c applies: 0/10, renormalised
    assert "Criterion “O”: not applicable [o]" in str(result.explain("P2"))


def test_aggregates_over_empty_and_full_relations() -> None:
    extra = (
        'let a "A" for unit = all(members, task >= good)\n'
        'let b "B" for unit = any(members, task >= good)\n'
        'let s "S" for unit = share(members, task >= good)\n'
        'let n "N" for unit = count(members)\n'
        'let m "M" for unit = avg(members, points) ?? -1\n'
        'let t "T" for unit = sum(members, points)\n'
        'let hi "Hi" for unit = max(members, points) ?? -1\n'
    )
    result = run(extra, UNITS, [person("P1", points=3), person("P2", task="complete", points=6)])
    u1, u3 = result.subject("U1").values, result.subject("U3").values
    assert (u1["a"], u1["b"], u1["s"], u1["n"], u1["m"], u1["t"], u1["hi"]) == (
        False,
        True,
        Decimal("0.5"),
        2,
        Decimal("4.5"),
        9,
        6,
    )
    assert (u3["a"], u3["b"], u3["s"], u3["n"], u3["m"], u3["t"], u3["hi"]) == (
        True,
        False,
        0,
        0,
        -1,
        0,
        -1,
    )


def test_quota_on_another_awards_recipients_and_the_tie_flag() -> None:
    extra = (
        'award adv "Adv" for person { when task >= good }\n'
        'award fighter "F" for person {\n  requires adv\n  rank by score desc\n'
        "  quota floor(50% * count(adv)) within unit\n}\n"
    )
    people = [
        person("P1", points=9),
        person("P2", points=7),
        person("P3", points=7),
        person("P4", points=5),
        person("P5", task="complete", points=10),
        person("Q1", unit="U2", points=1),
    ]
    result = run(extra, UNITS, people)
    assert result.recipients("adv") == ("P1", "P2", "P3", "P4", "Q1")
    assert result.recipients("fighter") == ("P1", "P2")  # floor(50% * 4) = 2 in U1; 0 in U2
    cut = result.outcome("P3", "fighter")
    assert cut.qualified and not cut.received and cut.reason == "quota"
    assert cut.quota is not None and cut.quota.tie and cut.quota.quota == 2
    assert cut.rank == 3 and cut.group == "U1"
    assert result.outcome("P5", "fighter").failed[0].id == "requires:adv"
    q1 = result.outcome("Q1", "fighter")
    assert q1.qualified and not q1.received and q1.quota is not None and q1.quota.quota == 0


def test_on_tie_include_reports_the_overshoot() -> None:
    extra = 'award best "B" for person {\n  rank by score desc\n  quota 1\n  on tie include\n}\n'
    result = run(
        extra, UNITS, [person("P1", points=5), person("P2", points=5), person("P3", points=4)]
    )
    assert result.recipients("best") == ("P1", "P2")
    info = result.outcome("P1", "best").quota
    assert info is not None and info.tie and info.overshoot == 1


def test_quota_reads_the_referenced_subject() -> None:
    extra = (
        'award x "X" for person {\n  rank by score desc, initiatives asc\n'
        "  quota unit.allotment within unit\n}\n"
    )
    units = [{"id": "U1", "block": "A", "allotment": 2}, {"id": "U2", "block": "A"}]
    people = [
        person("P1", points=1),
        person("P2", points=3),
        person("P3", points=2),
        person("Q1", unit="U2", points=1),
        person("Q2", unit="U2", points=1, initiatives=1),
    ]
    result = run(extra, units, people)
    assert result.recipients("x") == ("P2", "P3", "Q1")


def test_streak_held_and_past() -> None:
    extra = (
        'award f "F" for person { when task >= good }\n'
        'let s "S" for person = streak(f)\nlet sb "SB" for person = streak(f, before)\n'
        'let h "H" for person = held(f, last 2)\n'
        'let p "P" for person = past(task, 1) ?? incomplete\n'
    )
    history = [
        {"key": "P1", "year": 2024, "award": "f"},
        {"key": "P1", "year": 2023, "award": "f"},
        {"key": "P2", "year": 2024, "award": "f"},
        {"key": "P2", "year": 2022, "award": "f"},
        {"key": "P3", "year": 2024, "award": "f"},
        {"key": "P1", "year": 2024, "name": "task", "value": "excellent"},
    ]
    result = run(extra, UNITS, [person("P1"), person("P2"), person("P3", task="complete")], history)
    values = {k: result.subject(k).values for k in ("P1", "P2", "P3")}
    assert [values[k]["s"] for k in ("P1", "P2", "P3")] == [3, 2, 0]
    assert [values[k]["sb"] for k in ("P1", "P2", "P3")] == [2, 1, 1]
    assert [values[k]["h"] for k in ("P1", "P2", "P3")] == [2, 1, 1]
    assert str(values["P1"]["p"]) == "excellent" and str(values["P2"]["p"]) == "incomplete"


def test_missing_optional_values_and_guarded_division() -> None:
    extra = (
        'let l "L" for person = leave ?? 0\n'
        'let ratio "R" for person = points / leave if leave is not missing and leave != 0 else 0\n'
    )
    result = run(
        extra, UNITS, [person("P1", points=6, leave=3), person("P2", leave=0), person("P3")]
    )
    assert [result.subject(k).values["ratio"] for k in ("P1", "P2", "P3")] == [2, 0, 0]
    assert result.subject("P3").values["l"] == 0


def test_unguarded_division_by_zero_is_a_diagnostic() -> None:
    rules = emurules.compile(BASE + 'let r "R" for person = points / initiatives\n')
    with pytest.raises(emurules.EvaluationError) as raised:
        rules.evaluate({"unit": UNITS, "person": [person("P1"), person("P2", initiatives=1)]})
    (problem,) = raised.value.diagnostics
    assert "division by zero in 'points / initiatives' for person 'P1'" in str(problem.message)


def test_rankings_with_and_without_shared_ranks() -> None:
    extra = (
        'ranking plain "P" for person by score desc\n'
        'ranking pub "Pub" for person by score desc shared\n'
        'ranking local "L" for person by score desc within unit.block\n'
    )
    people = [
        person("P1", points=5),
        person("P2", points=7),
        person("P3", points=5),
        person("P4", points=1),
        person("Q1", unit="U3", points=0),
    ]
    result = run(extra, UNITS, people)
    ranks = {k: result.subject(k).values for k in ("P1", "P2", "P3", "P4", "Q1")}
    assert [ranks[k]["plain"] for k in ("P2", "P1", "P3", "P4", "Q1")] == [1, 2, 3, 4, 5]
    assert [ranks[k]["pub"] for k in ("P2", "P1", "P3", "P4", "Q1")] == [1, 2, 2, 4, 5]
    assert ranks["Q1"]["local"] == 1 and ranks["P4"]["local"] == 4


def test_within_a_path_and_every_failed_condition() -> None:
    extra = (
        'award a "A" for person {\n  when task >= good "good work"\n'
        "  when ok: initiatives >= 1\n  rank by score desc\n  within unit.block\n}\n"
    )
    result = run(
        extra,
        UNITS,
        [
            person("P1", task="complete"),
            person("P2", initiatives=2),
            person("Q1", unit="U3", initiatives=1),
        ],
    )
    failed = result.outcome("P1", "a").failed
    assert [(c.id, c.label) for c in failed] == [("when1", "good work"), ("ok", None)]
    assert dict(failed[0].values) == {"task": emurules_enum("complete")}
    assert result.recipients("a") == ("P2", "Q1")
    assert result.outcome("Q1", "a").group == "B"


def emurules_enum(name: str) -> Any:
    from emurules.values import EnumValue

    order = ["incomplete", "complete", "good", "excellent"]
    return EnumValue("rating", name, order.index(name))


def test_explanation_reads_as_plain_text() -> None:
    extra = 'award a "Advanced" for person {\n  when task >= good "good work"\n}\n'
    result = run(extra, UNITS, [person("P1", task="complete")])
    text = str(result.explain("P1"))
    assert "Did not qualify for “Advanced” (not met: good work) [a]" in text
    assert "✗ good work: not met (task: complete) [when1]" in text


def test_json_and_rows() -> None:
    extra = 'award a "A" for person { when task >= good }\n'
    result = run(extra, UNITS, [person("P1", points="1.5"), person("P2", task="complete")])
    data = result.to_json()
    assert data["schema"] == "emurules.result/1"
    (award,) = data["awards"]
    assert award["recipients"] == ["P1"]
    outcome = next(o for o in award["outcomes"] if o["key"] == "P2")
    assert outcome["failed"] == [
        {"id": "when1", "label": None, "text": "task >= good", "holds": False,
         "values": {"task": "complete"}, "parts": []}
    ]  # fmt: skip
    rows = result.to_rows()
    assert {r["key"]: r["received"] for r in rows} == {"P1": True, "P2": False}


def test_a_criterion_that_adds_up_others_explains_as_a_tree() -> None:
    extra = (
        'criterion online "Online" for person max 10 = points\n'
        'criterion digitised "Digitised" for person max 20 = 2 * points\n'
        'criterion content "Digital government" for person max 30 = online + digitised\n'
        'let total "Total" for person = content\n'
    )
    result = run(extra, UNITS, [person("P1", points=4)])
    text = str(result.explain("P1"))
    assert (
        "  Criterion “Digital government”: 12 of 30 points [content]\n"
        "    Criterion “Digitised”: 8 of 20 points [digitised]\n"
        "    Criterion “Online”: 4 of 10 points [online]\n"
    ) in text
