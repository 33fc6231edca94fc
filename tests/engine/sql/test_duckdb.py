"""The DuckDB SQL gives every value and qualification the row engine gives."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emurules
from emurules.engine.sql.data import scaled_rows
from emurules.errors import UsageError
from emurules.values import MISSING
from tests.engine.sql.harness import assert_same, peer_people, plan_for

ROOT = Path(__file__).resolve().parents[3]
TRAPS = Path(__file__).with_name("traps.emu")
RATINGS = ["incomplete", "complete", "good", "excellent"]
NUMBERS = [
    "80.585",
    "-80.585",
    "2.675",
    "-2.675",
    "0",
    "1",
    "-1",
    "10.005",
    "33.333333",
    "12",
    "-0.5",
    "0.5",
    "49.995",
    "50",
    "50.001",
    "-7",
    "7.7",
    "0.000001",
]


def test_peer_rule_on_generated_people() -> None:
    rules = emurules.load(ROOT / "benchmarks" / "peer.emu")
    people = peer_people()
    got = assert_same(rules, {"person": people})
    assert len(got) == 400
    assert any(row["qualified__peer"] for row in got.values())


def traps_people(seed: int, count: int = 300) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    people = []
    for i in range(count):
        person: dict[str, Any] = {
            "id": f"P{i:03d}",
            "unit": f"U{i % 5}",
            "task": rng.choice(RATINGS),
            "points": rng.choice(NUMBERS),
            "n": rng.randint(0, 3),
        }
        for field in ("leave", "bonus"):
            if rng.random() < 0.5:
                person[field] = rng.choice(NUMBERS)
        if rng.random() < 0.5:
            person["note"] = rng.choice(["x", "y"])
        if rng.random() < 0.5:
            person["active"] = rng.random() < 0.5
        person["online"] = rng.choice(["0%", "50%", "49.9%", "100%"])
        people.append(person)
    return people


def test_rounding_traps_missing_values_enums_and_case() -> None:
    rules = emurules.load(TRAPS)
    got = assert_same(rules, {"person": traps_people(1)})
    values = {k: v for k, v in got.items()}
    some = next(iter(values.values()))
    assert some["thirds"] == Decimal("0.999999999999999999")
    assert some["neg"] == Decimal("-0.666666666666666667")
    assert some["sevenths"] == Decimal("0.999999999999999999")
    by_points: dict[str, dict[str, Any]] = {}
    for row in values.values():
        by_points.setdefault(str(row["points"].normalize()), row)
    assert by_points["80.585"]["r2"] == Decimal("80.59")
    assert by_points["-2.675"]["r2"] == Decimal("-2.68")
    assert by_points["-80.585"]["r2"] == Decimal("-80.59")
    assert by_points["-0.5"]["r0"] == Decimal("-1")
    assert by_points["-0.5"]["down"] == Decimal("-1") and by_points["-0.5"]["up"] == 0
    assert any(row["c2"] is MISSING for row in values.values())


def test_the_exact_quotient_at_eighteen_places() -> None:
    """`divide` cut and rounded once: 2.675 / 1, -80.585 / 1, 1 / 3, -2 / 3."""
    text = TRAPS.read_text(encoding="utf-8") + (
        'let q1 "Q1" for person = points / 1\nlet q3 "Q3" for person = points / -3\n'
        'let q7 "Q7" for person = (points + 0.000001) / 7 * 7\n'
    )
    rules = emurules.compile(text)
    assert_same(rules, {"person": traps_people(2, 120)})


DIVIDING = """
ruleset "Dividing" { year 2025 }
subject person { id: text key  x: number  n: int >= 0 = 0 }
let guarded "G" for person = n != 0 and x / n > 1
let either "E" for person = (x / n if n != 0 else 0) ?? 1
let ratio "R" for person = x / n
"""


def test_a_division_by_zero_is_flagged_where_the_row_engine_stops() -> None:
    rules = emurules.compile(DIVIDING)
    people = [{"id": "A", "x": "3", "n": 2}, {"id": "B", "x": "-1.5", "n": 4}]
    got = assert_same(rules, {"person": people})
    assert got["A"]["failed__ratio"] is False
    people.append({"id": "Z", "x": "1", "n": 0})
    got = assert_same(rules, {"person": people})  # the row engine raises; the SQL flags
    assert got["Z"]["failed__ratio"] is True and got["Z"]["ratio"] is MISSING
    assert got["Z"]["failed__guarded"] is False and got["Z"]["guarded"] is False


def test_data_beyond_the_assumed_scale_is_refused() -> None:
    rules = emurules.compile(DIVIDING)
    data = {"person": [{"id": "A", "x": "3.25", "n": 2}]}
    plan, table = plan_for(rules, data)
    assert scaled_rows(plan, table, "person") == [("A", 325, 2)]
    from emurules.engine.sql.lower import lower

    narrow = lower(rules.plan, rules.schema, "duckdb", scales={"x": 1})
    with pytest.raises(UsageError, match="more than the 1 places"):
        scaled_rows(narrow, table, "person")


PROPERTY = """
ruleset "Property" { year 2025  round 3 }
subject person { id: text key  a: number  b: number  c: number? }
let s "S" for person = a + b - (c ?? 0)
let p "P" for person = a * b
let q "Q" for person = a / b if b != 0 else 0
let r "R" for person = round(a / 7, 2) + round(b, 1)
let f "F" for person = floor(a * 1.5) - ceil(b / 3)
criterion k "K" for person max 7.5 = a - b
score for person = (c ?? a) / 3 + k
award w "W" for person { when s >= 1 or q < -0.5 "some" }
"""

number = st.decimals(
    min_value=-(10**6), max_value=10**6, places=4, allow_nan=False, allow_infinity=False
)


@given(st.lists(st.tuples(number, number, st.none() | number), min_size=1, max_size=25))
@settings(max_examples=40, deadline=None)
def test_generated_numbers_through_a_fixed_ruleset(
    rows: list[tuple[Decimal, Decimal, Decimal | None]],
) -> None:
    rules = _property_rules()
    people = []
    for i, (a, b, c) in enumerate(rows):
        person: dict[str, Any] = {"id": f"P{i}", "a": str(a), "b": str(b)}
        if c is not None:
            person["c"] = str(c)
        people.append(person)
    assert_same(rules, {"person": people})


_RULES: list[emurules.Rules] = []


def _property_rules() -> emurules.Rules:
    if not _RULES:
        _RULES.append(emurules.compile(PROPERTY))
    return _RULES[0]


WEIGHTED = """
ruleset "Weighted" { year 2025  round 2 }
subject person { id: text key  a: number in 0..100  b: number?  ok: bool }
criterion ca "A" for person max 10 = a / 10
criterion cb "B" for person where b is not missing max 5 = b ?? 0
criterion cz "Z" for person where ok max 0 = 0
let room "Room" for person = applicable_max(ca, cb)
score for person = weighted(ca: 2, cb: 1, cz: 1)
"""


def test_weighted_and_applicable_max_leave_out_what_does_not_apply() -> None:
    rules = emurules.compile(WEIGHTED)
    rng = random.Random(4)
    people: list[dict[str, Any]] = []
    for i in range(200):
        person: dict[str, Any] = {
            "id": f"P{i}",
            "a": str(round(rng.uniform(0, 100), 3)),
            "ok": rng.random() < 0.5,
        }
        if rng.random() < 0.5:
            person["b"] = str(round(rng.uniform(-2, 8), 2))
        people.append(person)
    assert_same(rules, {"person": people})


DATES = """
ruleset "Dates" { year 2025 }
enum grade ordered { low, mid, high }
subject person { id: text key  hired: date = 2020-01-01  left: date?  grade: grade?  x: int }
let tenure "T" for person = days(hired, left ?? 2025-12-31)
let early "E" for person = hired < 2021-06-30
let recent "R" for person = year - x
let level "L" for person = case grade ?? low { high: 3, mid: 2, else: 1 }
let upper "U" for person = (grade ?? low) >= mid and (grade ?? low) != high
"""


def test_dates_the_year_and_optional_enums() -> None:
    rules = emurules.compile(DATES)
    rng = random.Random(7)
    people: list[dict[str, Any]] = []
    for i in range(60):
        person: dict[str, Any] = {"id": f"P{i}", "x": rng.randint(0, 40)}
        if rng.random() < 0.7:
            person["hired"] = f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        if rng.random() < 0.5:
            person["left"] = f"2025-0{rng.randint(1, 9)}-2{rng.randint(0, 8)}"
        if rng.random() < 0.6:
            person["grade"] = rng.choice(["low", "mid", "high"])
        people.append(person)
    assert_same(rules, {"person": people})


AWARDS = """
ruleset "Awards" { year 2025 }
subject person { id: text key  points: number  n: int >= 0 = 0 }
award base "Base" for person { when points > 1 "enough" }
award next "Next" for person {
  requires base
  when qualified(base) and not cut(base) "decided"
  rank by points / n desc
}
let both "Both" for person = 1 if base and next else 0
award top "Top" for person {
  when points > 2
  rank by points desc
  quota 1
}
let q "Q" for person = qualified(top)
"""


def test_awards_without_a_quota_are_received_by_every_qualified_subject() -> None:
    """`requires`, an award's value, `qualified(A)` and `cut(A)`: received is qualified
    when nothing cuts; `qualified(A)` of an award with a quota is its qualification."""
    rules = emurules.compile(AWARDS)
    people = [{"id": f"P{i}", "points": str(i / 2), "n": 1 + i % 3} for i in range(12)]
    got = assert_same(rules, {"person": people})
    assert got["P4"]["both"] == 1 and got["P1"]["both"] == 0
    people.append({"id": "Z", "points": "5", "n": 0})  # ranking `points / n` fails for Z
    got = assert_same(rules, {"person": people})
    assert got["Z"]["failed__next"] is True


RULED = """
ruleset "Ruled" { year 2025 }
subject person { id: text key  x: number  n: int >= 0 = 0 }
require "x is not far below zero" for person: x > -10
require "x per n is small" for person: x / n < 100
let y "Y" for person = x * 2
"""


def test_data_rules_are_flagged_where_a_record_breaks_them() -> None:
    rules = emurules.compile(RULED)
    people = [{"id": "A", "x": "3", "n": 1}, {"id": "B", "x": "-1.5", "n": 4}]
    got = assert_same(rules, {"person": people})
    assert got["A"]["broken__1"] is False and got["A"]["broken__2"] is False
    people.append({"id": "Z", "x": "-20", "n": 0})  # breaks both: the second divides by 0
    got = assert_same(rules, {"person": people})  # the row engine refuses the data
    assert got["Z"]["broken__1"] is True and got["Z"]["broken__2"] is True
