"""PostgreSQL and Spark SQL: parsed back by sqlglot, kept as snapshots, and run on
PostgreSQL where a server is running."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlglot

import emurules
from emurules.engine.sql import DIALECTS, lower
from tests.engine.sql.conftest import postgres_or_skip
from tests.engine.sql.harness import wide_rules

ROOT = Path(__file__).resolve().parents[3]
SNAPSHOTS = Path(__file__).with_name("snapshots")
RULESETS = {
    "peer": ROOT / "benchmarks" / "peer.emu",
    "traps": Path(__file__).with_name("traps.emu"),
    # two kinds, a relation, the history, ranked awards and a league table (test_across.py
    # runs it on DuckDB)
    "law-2022": ROOT / "examples" / "law-2022" / "criteria.emu",
}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", sorted(RULESETS))
def test_the_sql_parses_back_and_matches_its_snapshot(name: str, dialect: str) -> None:
    rules = emurules.load(RULESETS[name])
    plan = lower(rules.plan, rules.schema, dialect)  # type: ignore[arg-type]
    for query in plan.queries:
        text = plan.sql(query.kind)
        parsed = sqlglot.parse_one(text, read=dialect)
        assert parsed.sql(dialect=dialect, pretty=True) == text
    snapshot = SNAPSHOTS / f"{name}.{dialect}.sql"
    if os.environ.get("EMURULES_UPDATE_SNAPSHOTS") == "1":
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(plan.text(), encoding="utf-8")
    assert plan.text() == snapshot.read_text(encoding="utf-8"), (
        f"{snapshot} differs: run with EMURULES_UPDATE_SNAPSHOTS=1 and read the diff"
    )


def test_spark_never_divides_with_div() -> None:
    """Spark's DIV gives a 64-bit integer; the exact quotient is cast back instead."""
    rules = emurules.load(RULESETS["traps"])
    text = lower(rules.plan, rules.schema, "spark").text()
    assert " DIV " not in text and "DECIMAL(38, 0)" in text


def test_enums_compare_by_their_index() -> None:
    rules = emurules.compile(
        'ruleset "t" { year 2025 }\nenum e ordered { a, b }\n'
        "subject p { id: text key  name: text  grade: e }\n"
        'let late "L" for p = grade > a and name in {"Ä", "b"}\n'
    )
    text = lower(rules.plan, rules.schema, "postgres").text()
    assert '"grade" > 0' in text


def test_postgres_runs_the_sql() -> None:
    connection = postgres_or_skip()
    from tests.engine.sql.postgres_run import compare_on_postgres

    try:
        compare_on_postgres(connection)
    finally:
        connection.close()


def test_postgres_runs_the_sql_across_kinds_and_years() -> None:
    connection = postgres_or_skip()
    from tests.engine.sql.postgres_run import compare_across_on_postgres

    try:
        compare_across_on_postgres(connection)
    finally:
        connection.close()


def test_as_many_ctes_as_the_longest_chain_of_steps() -> None:
    """Columns go into the first CTE after those they read: 80 independent criteria and
    a score of them take a handful of CTEs, not 160 (Spark's analyser stops near 50)."""
    rules = emurules.compile(wide_rules(80))
    for dialect in DIALECTS:
        text = lower(rules.plan, rules.schema, dialect).text()  # type: ignore[arg-type]
        assert text.count(" AS (") <= 6, dialect
