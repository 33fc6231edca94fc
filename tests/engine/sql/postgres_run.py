"""The PostgreSQL SQL run on a server and compared with the DuckDB SQL's output (itself
compared with the row engine): called by test_dialects.py when a server is running."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import emurules
from emurules.data.validate import validate
from emurules.engine.sql.data import create_table, measure, scaled_rows
from emurules.engine.sql.lower import lower
from tests.engine.sql.harness import assert_same, peer_people, read_row, run_duckdb
from tests.engine.sql.test_duckdb import traps_people

TRAPS = Path(__file__).with_name("traps.emu")
PEER = Path(__file__).resolve().parents[3] / "benchmarks" / "peer.emu"


def compare_on_postgres(connection: Any) -> None:
    """The rounding traps, and the peer rule's decision (windows, keys by code point
    whatever the server's locale: keys mixing case and accents, and ties)."""
    _compare(connection, emurules.load(TRAPS), {"person": traps_people(5, 150)})
    people = peer_people(300, 7)
    for index, person in enumerate(people):
        person["id"] = ("p", "P", "É", "e")[index % 4] + person["id"][1:]
        if index % 5 == 0:
            person.update(task="good", initiatives=2, training="10")  # ties at the cut-off
    rules = emurules.load(PEER)
    assert_same(rules, {"person": people})  # DuckDB's output is the row engine's
    _compare(connection, rules, {"person": people})


def _compare(connection: Any, rules: emurules.Rules, data: dict[str, Any]) -> None:
    expected = run_duckdb(rules, data)
    table = validate(rules.schema, data, year=2025)
    scales, digits = measure(rules.schema, table)
    plan = lower(rules.plan, rules.schema, "postgres", scales=scales, digits=digits)
    query = plan.query("person")
    try:
        with connection.cursor() as cursor:
            cursor.execute('DROP TABLE IF EXISTS "person"')
            cursor.execute(create_table(plan, "person"))
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'")
            if cursor.fetchone():  # a locale's order (p < P < É), not the code points'
                cursor.execute('ALTER TABLE "person" ALTER COLUMN "id" TYPE TEXT '
                               'COLLATE "und-x-icu"')  # fmt: skip
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
