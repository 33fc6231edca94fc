"""Runs rules on the row engine and as DuckDB SQL, and compares every value."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import duckdb

from emurules.arithmetic import EXACT
from emurules.data.validate import validate
from emurules.engine.sql.data import create_table, measure, scaled_rows
from emurules.engine.sql.lower import Query, SqlPlan, lower
from emurules.engine.sql.scaled import Dialect
from emurules.errors import DataError, EvaluationError
from emurules.rules import Rules
from emurules.values import MISSING, EnumValue

Data = Mapping[str, list[dict[str, Any]]]
History = Sequence[Mapping[str, Any]]
Run = Callable[[Rules, Data, int, History], dict[str, dict[str, Any]]]


def plan_for(
    rules: Rules, data: Data, year: int = 2025, dialect: Dialect = "duckdb"
) -> tuple[SqlPlan, Any]:
    table = validate(rules.schema, data, year=year)
    scales, digits = measure(rules.schema, table)
    known = None if rules.plan.year is not None else year  # a ruleset of several years
    return lower(rules.plan, rules.schema, dialect, scales=scales, digits=digits, year=known), table


def run_duckdb(
    rules: Rules, data: Data, year: int = 2025, history: History = ()
) -> dict[str, dict[str, Any]]:
    """Every subject's output columns (numbers as Decimals, enums as names), by key. Every
    kind's table is made before any query runs (a query reads other kinds' through its
    relations and paths), and the table `history(key, year, award)` from `history`."""
    plan, table = plan_for(rules, data, year)
    connection = duckdb.connect()
    found: dict[str, dict[str, Any]] = {}
    for query in plan.queries:
        connection.execute(create_table(plan, query.kind))
        rows = scaled_rows(plan, table, query.kind)
        if rows:
            marks = ", ".join("?" for c in query.columns if c.role == "input")
            connection.executemany(f'INSERT INTO "{query.kind}" VALUES ({marks})', rows)
    connection.execute('CREATE TABLE "history" ("key" TEXT, "year" INTEGER, "award" TEXT)')
    awarded = [(r["key"], int(r["year"]), r["award"]) for r in history if r.get("award")]
    if awarded:
        connection.executemany('INSERT INTO "history" VALUES (?, ?, ?)', awarded)
    for query in plan.queries:
        key = rules.schema.kinds[query.kind].key
        for row in connection.execute(plan.sql(query.kind)).fetchall():
            values = read_row(rules, query, row)
            found[values[key]] = values
    return found


def read_row(rules: Rules, query: Query, row: tuple[Any, ...]) -> dict[str, Any]:
    """A row of the SQL's output as the row engine gives values: numbers as Decimals,
    enums as their names, NULL as MISSING."""
    values: dict[str, Any] = {}
    for column, cell in zip(query.columns, row, strict=True):
        if cell is None:
            values[column.name] = MISSING
        elif column.sort == "number":
            values[column.name] = Decimal(int(cell)).scaleb(-column.scale, context=EXACT)
        elif column.sort == "enum" and column.enum is not None:
            values[column.name] = rules.schema.enums[column.enum][int(cell)]
        else:
            values[column.name] = cell
    return values


def _plain(value: Any) -> Any:
    return value.name if isinstance(value, EnumValue) else value


def assert_same(
    rules: Rules, data: Data, year: int = 2025, run: Run = run_duckdb, history: History = ()
) -> dict[str, dict[str, Any]]:
    """The SQL gives every value and qualification the row engine gives (numbers equal
    as decimals); where the row engine stops on a division by zero, a flag is set.
    `run` gives the SQL's output by key (`run_duckdb`; test_spark.py passes Spark's),
    given the data, the year and the `history` rows (key, year, award)."""
    got = run(rules, data, year, history)
    flagged = sorted(
        (key, name)
        for key, row in got.items()
        for name, v in row.items()
        if name.startswith("failed__") and v is True
    )
    broken = sorted(
        (key, name)
        for key, row in got.items()
        for name, v in row.items()
        if name.startswith("broken__") and v is True
    )
    try:
        result = rules.evaluate(data, year=year, history=list(history))
    except DataError as error:
        assert broken, f"the row engine refuses the data; the SQL flags no broken rule: {error}"
        return got
    except EvaluationError:
        assert flagged, "the row engine found a division by zero; the SQL flags none"
        return got
    assert not broken, f"the SQL flags broken data rules the row engine did not: {broken}"
    assert not flagged, f"the SQL flags a division by zero the row engine did not: {flagged}"
    plan, table = plan_for(rules, data, year)
    for query in plan.queries:
        key_field = rules.schema.kinds[query.kind].key
        keys = {r.key for r in table.records.get(query.kind, ())}
        compared = 0
        for found, row in got.items():
            key = str(found)  # an `int` key comes back as a number: "10" as the row engine
            if row.get(key_field) != found or key not in keys:
                continue
            compared += 1
            subject = result.subject(key, query.kind)
            for column in query.columns:
                if column.role == "value":
                    expected = _plain(subject.values.get(column.name, MISSING))
                    actual = row[column.name]
                    assert actual == expected and type(actual) is type(expected), (
                        f"{query.kind} {key} {column.name}: SQL {actual!r}, row {expected!r}"
                    )
                elif column.role in ("qualified", "received", "place"):
                    assert column.step is not None
                    outcome = result.outcome(key, column.step)
                    expected = {
                        "qualified": outcome.qualified,
                        "received": outcome.received,
                        "place": MISSING if outcome.rank is None else outcome.rank,
                    }[column.role]
                    actual = row[column.name]
                    if column.role == "place" and actual is not MISSING:
                        actual = int(actual)
                    assert actual == expected and type(actual) is type(expected), (
                        f"{key} {column.name}: SQL {row[column.name]!r}, row {expected!r}"
                    )
        # every subject compared (unless two kinds share a key: `got` holds one of them)
        assert compared == len(keys) or len(got) < sum(
            len(table.records.get(k, ())) for k in rules.schema.kinds
        ), f"{query.kind}: {compared} of {len(keys)} subjects compared"
    return got


def peer_people(count: int = 400, seed: int = 16) -> list[dict[str, Any]]:
    """People for benchmarks/peer.emu, in nine units, with training hours of 0 to 3 places."""
    import random

    rng = random.Random(seed)
    ratings = ["incomplete", "complete", "good", "excellent"]
    return [
        {
            "id": f"P{i:04d}",
            "unit": f"U{i % 9}",
            "task": rng.choice(ratings),
            "initiatives": rng.randint(0, 6),
            "training": str(round(rng.uniform(0, 60), rng.randint(0, 3))),
        }
        for i in range(count)
    ]


def wide_rules(count: int) -> str:
    """`count` criteria that read only inputs, and a score of them all: wide, not deep."""
    lines = ['ruleset "Wide" { year 2025  round 2 }', "subject person { id: text key  x: number }"]
    lines += [f'criterion c{i} "C{i}" for person max 100 = x * {i + 1} / 7' for i in range(count)]
    lines.append("score for person = " + " + ".join(f"c{i}" for i in range(count)))
    return "\n".join(lines) + "\n"
