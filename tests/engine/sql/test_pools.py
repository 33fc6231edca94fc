"""Pools in the SQL text: the awards of several kinds that share one quota, decided in one
CTE and joined back to each kind; every qualification, place and award the row
engine's (`engine/decide.py`'s `decide_pool`)."""

from __future__ import annotations

import random
import re
from typing import Any

import duckdb
import pytest

import emurules
from emurules.engine.sql.data import create_table, scaled_rows
from tests.engine.sql.harness import assert_same, plan_for, read_row
from tests.helpers import ROOT, example_rows

CAPITAL = ROOT / "examples" / "capital-city-plan"


def capital_without_lineage() -> emurules.Rules:
    """The capital's criteria without what the SQL refuses (the communes' lineage and the
    award that reads it, with its checks and examples): its pool of four kinds stays."""
    text = (CAPITAL / "criteria.emu").read_text(encoding="utf-8")
    text = re.sub(r"award leading .*?\n}\n", "", text, flags=re.S)
    text = text.replace("lineage for commune { held any  past mean }", "")
    text = text[: text.index('example "ba năm')]
    text = re.sub(r"check \"xã, phường dẫn đầu[^\n]*\n[^\n]*\n", "", text)
    text = text.replace("check monotone leading for commune in history\n", "")
    return emurules.compile(text, "capital.emu")


def capital_data() -> dict[str, list[dict[str, str]]]:
    """The capital's records, every kind (its history left out: it reads the lineage)."""
    names = sorted(p.stem for p in (CAPITAL / "data").glob("*.csv") if p.stem != "history")
    return {name: example_rows(CAPITAL.name, name) for name in names}


def test_the_capitals_pool_of_four_kinds() -> None:
    got = assert_same(capital_without_lineage(), capital_data())
    pooled = ("typical_body", "typical_organisation", "typical_enterprise", "typical_person")
    received = [row for row in got.values() for a in pooled if row.get(a) is True]
    assert len(received) == 30  # the pool's quota, shared by the four kinds


POOL = """\
ruleset "Pool" { year 2025 }
subject unit { id: text key  points: int >= 0 = 0  size: int >= 0 = 0 }
subject person { id: text key  unit: unit  points: number >= 0 = 0 }
award a "A" for person {
  when points > 0
  rank by points desc
}
award b "B" for unit {
  when size > 0
  rank by points desc
}
pool p "P" {
  awards a, b
  quota QUOTA
  TIE
}
"""


def run(
    rules: emurules.Rules, data: dict[str, list[dict[str, Any]]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The SQL's output by kind and key (a person and a unit may share a key)."""
    plan, table = plan_for(rules, data)
    connection = duckdb.connect()
    for query in plan.queries:
        connection.execute(create_table(plan, query.kind))
        rows = scaled_rows(plan, table, query.kind)
        marks = ", ".join("?" for c in query.columns if c.role == "input")
        connection.executemany(f'INSERT INTO "{query.kind}" VALUES ({marks})', rows)
    found = {}
    for query in plan.queries:
        for row in connection.execute(plan.sql(query.kind)).fetchall():
            values = read_row(rules, query, row)
            found[(query.kind, values["id"])] = values
    return found


@pytest.mark.parametrize("tie", ["", "on tie include"])
@pytest.mark.parametrize("seed", range(4))
def test_ties_at_the_cut_off_and_keys_two_kinds_share(seed: int, tie: str) -> None:
    """Scores tie across kinds at the cut-off; a person and a unit share each key, so
    the award's place in the pool breaks their ties (a's before b's)."""
    rng = random.Random(seed)
    quota = rng.randint(1, 8)
    rules = emurules.compile(POOL.replace("QUOTA", str(quota)).replace("TIE", tie))
    units = [{"id": f"K{i}", "points": str(rng.randint(0, 3)), "size": str(rng.randint(0, 2))}
             for i in range(8)]  # fmt: skip
    people = [{"id": f"K{i}", "unit": f"K{i % 8}", "points": str(rng.randint(0, 3))}
              for i in range(20)]  # fmt: skip
    data = {"unit": units, "person": people}
    got = run(rules, data)
    result = rules.evaluate(data)
    recipients = 0
    for (kind, key), row in got.items():
        award = "a" if kind == "person" else "b"
        outcome = result.outcome(key, award)
        assert row[f"qualified__{award}"] == outcome.qualified, (kind, key)
        assert row[award] == outcome.received, (kind, key)
        assert (
            None if row[f"place__{award}"] is emurules.MISSING else int(row[f"place__{award}"])
        ) == outcome.rank, (kind, key)
        recipients += outcome.received
    assert recipients >= min(quota, 1)
