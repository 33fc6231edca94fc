"""The read-only view of where the criteria draw lines: both sides of every literal a field
is compared with, member counts, quota group sizes and how far history reaches."""

from __future__ import annotations

import datetime
from decimal import Decimal

import emurules
from emurules.testing.boundaries import boundaries
from emurules.values import EnumValue

RULES = emurules.compile("""
ruleset "b" { year 2025 }
enum rating ordered { low, mid, high }
subject unit { id: text key, region: text, opened: date }
subject person {
  id: text key
  unit: unit
  task: rating
  share: percent
  points: int >= 0
  hours: number >= 0 = 0
  leave: number?
}
relation members: unit -> person by unit
criterion p "P" for person = 10 * points
award worker "Worker" for person {
  when share >= 70%
  when 10 * points >= 30
  when leave ?? 0 <= 3
  when task in {mid, high}
  when hours in 0..40
}
award fighter "Fighter" for person {
  requires worker
  rank by p desc
  quota floor(15% * count(worker)) within unit
}
award provincial "Provincial" for person {
  when streak(fighter) >= 3
  when held(worker, last 2) >= 1
}
criterion growth "Growth" for person = points - (past(points, 2) ?? 0)
award big "Big" for unit {
  when count(members) >= 3
  when region == "North"
  when opened < 2025-06-01
  when count(members where task == high) >= 1
}
""")

VIEW = boundaries(RULES.plan)


def test_both_sides_of_a_percent_threshold() -> None:
    values = VIEW.of("person", "share")
    assert {Decimal("0.69"), Decimal("0.7"), Decimal("0.71")} <= set(values)
    assert values == tuple(sorted(values))


def test_a_scaled_and_a_guarded_field_are_solved_for() -> None:
    assert {Decimal(2), Decimal(3), Decimal(4)} <= set(VIEW.of("person", "points"))
    assert {Decimal("2.99"), Decimal(3), Decimal("3.01")} <= set(VIEW.of("person", "leave"))
    assert {Decimal(0), Decimal(40), Decimal("40.01")} <= set(VIEW.of("person", "hours"))


def test_enum_texts_and_dates_compared() -> None:
    tasks = set(VIEW.of("person", "task"))
    assert EnumValue("rating", "mid", 1) in tasks and EnumValue("rating", "high", 2) in tasks
    assert VIEW.of("unit", "region") == ("North",)
    june = datetime.date(2025, 6, 1)
    assert set(VIEW.of("unit", "opened")) == {
        june - datetime.timedelta(days=1),
        june,
        june + datetime.timedelta(days=1),
    }


def test_member_counts_on_both_sides() -> None:
    assert {2, 3, 4} <= set(VIEW.counts[("unit", "members")])
    assert 0 in VIEW.counts[("unit", "members")]  # `>= 1` through a filter


def test_a_quota_names_the_group_size_at_which_it_bites() -> None:
    assert 7 in VIEW.groups["person"]


def test_history_depths() -> None:
    assert VIEW.awards[("person", "fighter")] >= 4  # streak >= 3: three years and one more
    assert VIEW.awards[("person", "worker")] == 2
    assert VIEW.past[("person", "points")] == 2


def test_a_filter_reads_its_condition_in_the_members_kind() -> None:
    assert EnumValue("rating", "high", 2) in VIEW.of("person", "task")
    assert VIEW.of("unit", "task") == ()


def test_every_example_file_has_a_view() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in sorted(root.glob("examples/*/criteria.emu")):
        view = boundaries(emurules.load(path).plan)
        assert view.values, path
