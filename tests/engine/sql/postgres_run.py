"""The PostgreSQL SQL run on a server and compared with the DuckDB SQL's output (itself
compared with the row engine): called by test_dialects.py when a server is running."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import emurules
from emurules.data.validate import validate
from emurules.engine.sql.data import create_table, measure, scaled_rows
from emurules.engine.sql.lower import lower
from tests.engine.sql.harness import read_row, run_duckdb
from tests.engine.sql.test_duckdb import traps_people

TRAPS = Path(__file__).with_name("traps.emu")


def compare_on_postgres(connection: Any) -> None:
    rules = emurules.load(TRAPS)
    data = {"person": traps_people(5, 150)}
    expected = run_duckdb(rules, data)
    table = validate(rules.schema, data, year=2025)
    scales, digits = measure(rules.schema, table)
    plan = lower(rules.plan, rules.schema, "postgres", scales=scales, digits=digits)
    query = plan.query("person")
    try:
        with connection.cursor() as cursor:
            cursor.execute('DROP TABLE IF EXISTS "person"')
            cursor.execute(create_table(plan, "person"))
            marks = ", ".join("%s" for c in query.columns if c.role == "input")
            cursor.executemany(
                f'INSERT INTO "person" VALUES ({marks})', scaled_rows(plan, table, "person")
            )
            cursor.execute(plan.sql("person"))
            rows = cursor.fetchall()
    finally:
        connection.rollback()
    assert len(rows) == len(expected)
    for row in rows:
        got = read_row(rules, query, tuple(row))
        assert got == expected[got["id"]], got["id"]
