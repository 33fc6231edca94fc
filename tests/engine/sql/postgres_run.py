"""The PostgreSQL SQL run on a server and compared with the DuckDB SQL's output (itself
compared with the row engine): called by test_dialects.py when a server is running."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import emurules
from emurules.data.validate import validate
from emurules.engine.sql.data import create_table, measure, scaled_rows
from emurules.engine.sql.lower import lower
from tests.engine.sql.harness import assert_same, peer_people, read_row, run_duckdb
from tests.engine.sql.test_duckdb import traps_people

TRAPS = Path(__file__).with_name("traps.emu")
ROOT = Path(__file__).resolve().parents[3]
PEER = ROOT / "benchmarks" / "peer.emu"


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


def compare_across_on_postgres(connection: Any) -> None:
    """Relations, paths, the history and league tables: the law-2022 example and the
    rules of test_across.py, whose text keys mix case and accents."""
    from tests.engine.sql.test_across import ACROSS, law_2022, population

    _compare(connection, *law_2022())
    data, history = population(3)
    _compare(connection, emurules.compile(ACROSS, "across.emu"), data, history)


def _compare(
    connection: Any,
    rules: emurules.Rules,
    data: dict[str, Any],
    history: Sequence[Mapping[str, Any]] = (),
) -> None:
    expected = run_duckdb(rules, data, history=history)
    table = validate(rules.schema, data, year=2025)
    scales, digits = measure(rules.schema, table)
    plan = lower(rules.plan, rules.schema, "postgres", scales=scales, digits=digits)
    found: list[tuple[Any, tuple[Any, ...]]] = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'")
            icu = cursor.fetchone() is not None
            for query in plan.queries:
                kind = query.kind
                cursor.execute(f'DROP TABLE IF EXISTS "{kind}"')
                cursor.execute(create_table(plan, kind))
                if icu:  # a locale's order (p < P < É), not the code points'
                    key = rules.schema.kinds[kind].key
                    cursor.execute(f'ALTER TABLE "{kind}" ALTER COLUMN "{key}" TYPE TEXT '
                                   'COLLATE "und-x-icu"')  # fmt: skip
                marks = ", ".join("%s" for c in query.columns if c.role == "input")
                made = scaled_rows(plan, table, kind)
                if made:
                    cursor.executemany(f'INSERT INTO "{kind}" VALUES ({marks})', made)
            cursor.execute('DROP TABLE IF EXISTS "history"')
            cursor.execute('CREATE TABLE "history" ("key" TEXT, "year" INTEGER, "award" TEXT)')
            awarded = [(r["key"], int(r["year"]), r["award"]) for r in history if r.get("award")]
            if awarded:
                cursor.executemany('INSERT INTO "history" VALUES (%s, %s, %s)', awarded)
            for query in plan.queries:
                cursor.execute(plan.sql(query.kind))
                found.extend((query, tuple(row)) for row in cursor.fetchall())
    finally:
        connection.rollback()
    assert len(found) == len(expected)
    for query, row in found:
        got = read_row(rules, query, row)
        key = got[rules.schema.kinds[query.kind].key]
        assert got == expected[key], (query.kind, key)
