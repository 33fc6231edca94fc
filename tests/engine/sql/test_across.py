"""The SQL text reads across kinds and years: aggregates over a relation's members, paths
through references, `streak` and `held` from the table `history(key, year, award)`, and
league tables; run on DuckDB, every value, qualification, place and award is the row
engine's (`harness.assert_same`), for every bundled example with data and for rules that
reach each aggregate's edge cases (no members, missing values, a missing reference)."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emurules
from emurules.engine.sql import lower
from tests.engine.sql.harness import assert_same, plan_for
from tests.helpers import ROOT
from tests.helpers import example_rows as rows

YEARS = {"national-dx-2025": 2027}  # a ruleset of several years: its review year
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/data"))
# the communes' history read through their lineage: refused by place (test_pools.py runs
# the example without it)
REFUSED = {"capital-city-plan"}


def law_2022() -> tuple[emurules.Rules, dict[str, list[dict[str, str]]], list[dict[str, str]]]:
    """The law-2022 example: its rules, its two kinds' records and its history, for the
    PostgreSQL and Spark runs."""
    rules = emurules.load(ROOT / "examples" / "law-2022" / "criteria.emu")
    data = {kind: rows("law-2022", kind) for kind in ("collective", "individual")}
    return rules, data, rows("law-2022", "history")


@pytest.mark.parametrize("example", sorted(set(EXAMPLES) - REFUSED))
def test_every_example_through_the_printed_sql(example: str) -> None:
    rules = emurules.load(ROOT / "examples" / example / "criteria.emu")
    files = sorted(p.stem for p in (ROOT / "examples" / example / "data").glob("*.csv"))
    data = {name: rows(example, name) for name in files if name != "history"}
    year = YEARS.get(example, 2025)
    got = assert_same(rules, data, year, history=rows(example, "history"))
    assert len(got) == sum(len(records) for records in data.values())
    plan, _ = plan_for(rules, data, year)
    assert plan.across or plan.history  # what the text reads beyond a kind's own table


def test_the_examples_left_are_refused_by_place() -> None:
    for example in REFUSED:
        rules = emurules.load(ROOT / "examples" / example / "criteria.emu")
        refused: list[Any] = []
        lower(rules.plan, rules.schema, "duckdb", refused=refused)
        said = {d.message.id for e in refused for d in e.diagnostics}
        assert said == {"sql.unsupported-lineage"}, said
        assert all(d.span is not None for e in refused for d in e.diagnostics)


ACROSS = """\
ruleset "Across" { year 2025 }
enum rating ordered { poor, fair, good, top }
subject block { code: text key  weight: number? }
subject unit { id: text key  block: block  size: int >= 0 = 0  region: text }
subject person {
  id: text key
  unit: unit
  mentor: person?
  task: rating
  points: number >= -5 = 0
}
relation staff: unit -> person by unit
relation units: block -> unit by block
relation peers: unit -> unit by region

award good "Good" for person { when task >= good }
award star "Star" for person {
  when points > 2
  rank by points desc
  quota floor(30% * count(group)) within unit
}
criterion bonus "Bonus" for person where task >= good max 20 = points * 2
let streak_now "Streak" for person = streak(good)
let streak_before "Before" for person = streak(good, before)
let held_three "Held" for person = held(star, last 3)
let unit_size "Size" for person = unit.size
let unit_block "Block" for person = unit.block
let block_weight "Weight" for person = unit.block.weight ?? 1
let mentor_points "Mentor's points" for person = mentor.points ?? -9
let mentor_star "Mentor a star" for person = mentor.star ?? false

let headcount "Headcount" for unit = count(staff)
let good_ones "Good ones" for unit = count(staff where good)
let total "Total" for unit = sum(staff, points)
let bonuses "Bonuses" for unit = sum(staff, bonus ?? 0)
let least "Least" for unit = min(staff where good, bonus ?? 0)
let most "Most" for unit = max(staff, points)
let all_good "All good" for unit = all(staff, good)
let any_star "Any star" for unit = any(staff, star)
let no_poor "No poor" for unit = none(staff, task == poor)
let good_share "Good share" for unit = share(staff, good)
let mean "Mean" for unit = avg(staff, points)
let mean_bonus "Mean bonus" for unit = avg(staff where task == top, bonus ?? 0)
let mean_good "Mean of the good" for unit = avg(staff where good, points)
let peer_count "Peers" for unit = count(peers)
let peer_good "Peers' good" for unit = sum(peers, good_ones)
let block_units "Units" for block = count(units)
let block_staff "Staff" for block = sum(units, headcount)
let block_best "Best" for block = max(units, good_share)
let in_star_unit "In a star unit" for person = unit.any_star

ranking table "Table" for unit by good_share desc, total desc within block
ranking shared_table "Shared" for unit by headcount desc shared
award best_unit "Best unit" for unit {
  when any_star
  rank by good_share desc
  quota 1 within block
}
"""


def population(
    seed: int, people: int = 60
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Blocks, units (two without staff) and people (some without a mentor or points),
    and a history of `good` and `star` with gaps."""
    rng = random.Random(seed)
    blocks = [{"code": f"B{b}", "weight": rng.choice(["", "1.5", "2", "0.25"])} for b in range(3)]
    units = []
    for u in range(8):
        units.append(
            {
                "id": f"U{u}",
                "block": rng.choice(blocks)["code"],
                "size": "" if u == 7 else str(rng.randint(0, 30)),
                "region": rng.choice(["north", "south", "Nord", "nord"]),
            }
        )
    persons = []
    for p in range(people):
        persons.append(
            {
                "id": rng.choice(["P", "p", "É"]) + f"{p:03d}",
                "unit": f"U{rng.randint(0, 5)}",  # U6 and U7 without staff
                "mentor": "" if p == 0 or rng.random() < 0.3 else persons[rng.randrange(p)]["id"],
                "task": rng.choice(["poor", "fair", "good", "top", "top"]),
                "points": rng.choice(["", "0", "1.5", "2.25", "3", "3", "7.125", "-1"]),
            }
        )
    history = []
    for person in persons:
        for year in range(2019, 2025):
            for award in ("good", "star"):
                if rng.random() < 0.55:
                    history.append({"key": person["id"], "year": str(year), "award": award})
    return {"block": blocks, "unit": units, "person": persons}, history


@pytest.mark.parametrize("seed", range(2))
def test_each_aggregate_path_and_history_function(seed: int) -> None:
    rules = emurules.compile(ACROSS, "across.emu")
    data, history = population(seed)
    got = assert_same(rules, data, history=history)
    units = {k: v for k, v in got.items() if k.startswith("U")}
    assert units["U6"]["headcount"] == 0 and units["U6"]["all_good"] is True  # no members
    assert any(row["streak_before"] > 1 for row in got.values() if "streak_before" in row)


@settings(max_examples=5, deadline=None)  # about 2 s each
@given(seed=st.integers(0, 10**6), people=st.integers(0, 40))
def test_generated_populations_across_kinds(seed: int, people: int) -> None:
    data, history = population(seed, people)
    assert_same(emurules.compile(ACROSS, "across.emu"), data, history=history)


def test_the_text_names_the_history_and_the_tables_it_reads() -> None:
    rules = emurules.compile(ACROSS, "across.emu")
    plan = lower(rules.plan, rules.schema, "duckdb", digits={"points": 3})
    assert plan.across and plan.history
    text = plan.sql("person")
    assert 'FROM "history"' in text and '"unit__' in text  # a person reads its unit's table
    assert '"block__' in plan.sql("unit") and '"person__' in plan.sql("unit")


INT_KEYS = """\
ruleset "Int keys" { year 2025 }
subject unit { id: int key  size: int >= 0 = 0 }
subject person { id: int key  unit: unit  points: int >= 0 = 0 }
relation staff: unit -> person by unit
award good "Good" for person { when points > 0 }
award star "Star" for person {
  when points > 0
  rank by points desc
  quota 2 within unit
}
let streak_now "Streak" for person = streak(good)
let unit_size "Size" for person = unit.size
let total "Total" for unit = sum(staff, points)
ranking table "Table" for person by points desc
ranking units "Units" for unit by total desc
"""


def test_int_keys_break_ties_by_their_digits() -> None:
    """An `int` key breaks ties as the row engine compares keys, as text: 10 before 9;
    references and the history hold it as text, and join."""
    rules = emurules.compile(INT_KEYS, "int.emu")
    units = [{"id": str(u), "size": str(u % 7)} for u in (900, 1000, 1100, 10000)]
    units_of = ("900", "1000", "1100", "10000")
    people = [
        {"id": str(p), "unit": units_of[p % 4], "points": "3" if p in (9, 10) else str(p % 3)}
        for p in range(1, 40)
    ]
    history = [{"key": str(p), "year": "2024", "award": "good"} for p in range(1, 40, 3)]
    got = assert_same(rules, {"unit": units, "person": people}, history=history)
    assert got[Decimal(10)]["table"] < got[Decimal(9)]["table"]  # "10" < "9"
