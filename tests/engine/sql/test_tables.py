"""Tables that already live in a database (`engine/sql/tables.py`): natural-typed tables
presented as the SQL's input give exactly the values of the harness (records loaded as
scaled integers, itself compared with the row engine), every problem of the tables is
reported at once, in DuckDB and, when a server answers, in PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

import emurules
from emurules.data.validate import validate as validate_records
from emurules.engine.sql import checks
from emurules.engine.sql.checks import validate
from emurules.engine.sql.connect import Database, QueryFailed
from emurules.engine.sql.tables import inspect
from emurules.errors import DataError, UsageError
from emurules.i18n import render
from emurules.rules import Rules
from emurules.values import MISSING, EnumValue
from tests.engine.sql.harness import read_row, run_duckdb
from tests.engine.sql.test_duckdb import RATINGS, traps_people

ROOT = Path(__file__).resolve().parents[3]
TRAPS = Path(__file__).with_name("traps.emu")
PEER = ROOT / "benchmarks" / "peer.emu"

# Natural column types: (field, DuckDB type, PostgreSQL type)
PEER_COLUMNS = [
    ("id", "VARCHAR", "TEXT"),
    ("unit", "VARCHAR", "VARCHAR(10)"),
    ("task", "VARCHAR", "TEXT"),
    ("initiatives", "INTEGER", "INTEGER"),
    ("training", "DECIMAL(10, 3)", "NUMERIC(10, 3)"),
]
TRAPS_COLUMNS = [
    ("id", "VARCHAR", "TEXT"),
    ("unit", "VARCHAR", "TEXT"),
    ("task", "VARCHAR", "TEXT"),
    ("points", "DECIMAL(20, 6)", "NUMERIC(20, 6)"),
    ("leave", "DECIMAL(18, 6)", "NUMERIC(18, 6)"),
    ("bonus", "DECIMAL(24, 8)", "NUMERIC"),  # PostgreSQL: no declared scale, measured
    ("n", "BIGINT", "BIGINT"),
    ("note", "VARCHAR", "TEXT"),
    ("online", "DECIMAL(5, 4)", "NUMERIC(5, 4)"),
    ("active", "BOOLEAN", "BOOLEAN"),
]
REFS = """
ruleset "Refs" { year 2025 }
enum rating { low, high "Cao" }
subject unit { code: text key  name: text }
subject person {
  id: text key
  unit: unit
  task: rating
  n: int >= 0 = 0
  share: percent = 0%
  pay: number in 0..1000
  big: number?
  note: text?
}
criterion c "C" for person = n + share + pay
"""


# ---- databases: the fixtures `duck`, `postgres` and `db` are in conftest.py -------------


def _load(
    db: Database, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]
) -> None:
    """CREATE TABLE with these (column, type) and INSERT the rows."""
    ddl = ", ".join(f'"{name}" {kind}' for name, kind in columns)
    mark = "?" if db.dialect == "duckdb" else "%s"
    insert = f"INSERT INTO {table} VALUES ({', '.join(mark for _ in columns)})"
    if db.dialect == "duckdb":
        db.connection.execute(f"CREATE TABLE {table} ({ddl})")
        if rows:
            db.connection.executemany(insert, [list(r) for r in rows])
        return
    with db.connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {table} ({ddl})")
        if rows:
            cursor.executemany(insert, [list(r) for r in rows])


def _typed(db: Database, columns: Sequence[tuple[str, str, str]]) -> list[tuple[str, str]]:
    return [(name, duck if db.dialect == "duckdb" else pg) for name, duck, pg in columns]


def _natural(
    rules: Rules, data: Mapping[str, list[dict[str, Any]]], kind: str
) -> list[tuple[Any, ...]]:
    """The records as natural cells: numbers as Decimals (a percentage as its fraction),
    enums by name; a field the record does not give is NULL (its default applies)."""
    table = validate_records(rules.schema, data, year=2025)
    fields = list(rules.schema.kinds[kind].fields)
    rows = []
    for raw, record in zip(data[kind], table.records[kind], strict=True):
        cells = []
        for name in fields:
            value = record.values.get(name, MISSING)
            if name not in raw or value is MISSING:
                value = None
            elif isinstance(value, EnumValue):
                value = value.name
            cells.append(value)
        rows.append(tuple(cells))
    return rows


def _peer_people(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    people: list[dict[str, Any]] = []
    for i in range(count):
        person: dict[str, Any] = {
            "id": f"P{rng.randrange(10**6):06d}-{i}",  # not in the order of the rows
            "unit": f"U{i % 7}",
            "task": rng.choice(RATINGS),
            "training": str(round(rng.uniform(0, 60), rng.randint(0, 3))),
        }
        if rng.random() < 0.8:  # else NULL: the default 0
            person["initiatives"] = rng.randint(0, 6)
        people.append(person)
    return people


def _traps(count: int, seed: int) -> list[dict[str, Any]]:
    people = traps_people(seed, count)
    for i, person in enumerate(people):
        if i % 7 == 0:
            del person["n"]  # NULL in the table: the default 0
        if i % 5 == 0:
            del person["online"]
    return people


# ---- the tables read as the SQL's input give the harness's values -----------------------------


def _assert_same_as_harness(
    db: Database, rules: Rules, people: list[dict[str, Any]], columns: list[tuple[str, str, str]]
) -> Any:
    data = {"person": people}
    _load(db, "person", _typed(db, columns), _natural(rules, data, "person"))
    expected = run_duckdb(rules, data)
    layout = inspect(db, rules.schema, rules.plan)
    assert validate(db, layout) == []
    plan = layout.lower(rules.plan)
    query = plan.query("person")
    assert [(c.name, c.role) for c in query.columns][-2:] == [("__row", "row"), ("__bad", "bad")]
    rows = db.rows(plan.sql("person"))
    assert len(rows) == len(expected)
    got = [read_row(rules, query, tuple(row)) for row in rows]
    assert [g["__row"] for g in got] == list(range(len(rows)))  # in the order of the key
    assert [g["id"] for g in got] == sorted(expected)
    assert not any(g["__bad"] for g in got)  # valid tables: no row flagged
    for values in got:
        del values["__row"], values["__bad"]
        assert values == expected[values["id"]], values["id"]
    frame = db.frame(plan.sql("person"))
    assert frame.height == len(rows)
    return layout, plan, frame


def test_the_peer_rule_read_from_natural_tables(db: Database) -> None:
    rules = emurules.load(PEER)
    people = _peer_people(300, 16)
    layout, _, frame = _assert_same_as_harness(db, rules, people, PEER_COLUMNS)
    training = layout.tables["person"].columns["training"]
    assert (training.scale, training.places) == (3, 3)
    assert training.digits == 2  # measured: below 60, within NUMERIC(10, 3)'s 7
    assert layout.scales["person.initiatives"] == 0
    assert str(frame.schema["score"]) == "Int128"
    assert any(frame["qualified__peer"].to_list())


def test_the_rounding_traps_read_from_natural_tables(db: Database) -> None:
    rules = emurules.load(TRAPS)
    layout, _, _ = _assert_same_as_harness(db, rules, _traps(200, 7), TRAPS_COLUMNS)
    bonus = layout.tables["person"].columns["bonus"]
    if db.dialect == "postgres":  # NUMERIC without a scale: the data's places
        assert (bonus.places, bonus.scale) == (None, 6)
    else:
        assert (bonus.places, bonus.scale) == (8, 8)
    assert layout.tables["person"].columns["online"].scale == 4


def test_the_inputs_present_enums_by_index_and_defaults() -> None:
    rules = emurules.compile(REFS)
    connection = duckdb.connect()
    db = Database.of(connection)
    _load(db, "unit", [("code", "VARCHAR"), ("name", "VARCHAR")], [("U1", "One")])
    _load(db, "person",
          [("id", "VARCHAR"), ("unit", "VARCHAR"), ("task", "VARCHAR"), ("pay", "INTEGER")],
          [(" P2 ", "U1", "Cao", 5), ("P1", "U1", " low ", 7)])  # fmt: skip
    layout = inspect(db, rules.schema, rules.plan)
    assert validate(db, layout) == []
    plan = layout.lower(rules.plan)
    query = plan.query("person")
    rows = [read_row(rules, query, row) for row in db.rows(plan.sql("person"))]
    assert [(r["id"], r["task"], r["n"], r["share"], r["c"]) for r in rows] == [
        ("P1", "low", 0, 0, 7),
        ("P2", "high", 0, 0, 5),  # the label, trimmed key, defaults for absent columns
    ]
    connection.close()


# ---- every problem of the tables, at once -------------------------------------------------------


def _bad_tables(db: Database) -> None:
    _load(db, "unit", [("code", "VARCHAR(8)"), ("name", "TEXT")],
          [("U1", "One"), ("U2", "Two"), ("U2", "Again"), ("U3", None)])  # fmt: skip
    extra = "DOUBLE" if db.dialect == "duckdb" else "REAL"  # not a field's: left alone
    columns = [("id", "TEXT"), ("unit", "TEXT"), ("task", "TEXT"), ("n", "DECIMAL(6, 2)"),
               ("share", "DECIMAL(5, 4)"), ("pay", "DECIMAL(10, 2)"), ("big", "DECIMAL(38, 0)"),
               ("note", "TEXT"), ("extra", extra)]  # fmt: skip
    huge = Decimal(10**19)
    _load(db, "person", columns, [
        ("P1", "U1", "low", 1, Decimal("0.5"), 10, None, None, 1.5),
        ("P2", "U9", "Cao", None, None, 5, None, None, None),
        ("P3", "U1", "hgh", Decimal("1.5"), Decimal("1.2"), -1, huge, None, None),
        ("P3", "U2", "high", 2, 0, 1, 1, None, None),
        (None, "U1", "low", 1, 0, 1, None, None, None),
        ("  ", "U1", "low", 1, 0, 1, None, None, None),
        ("P5", None, "  ", 1, 0, Decimal("1000.01"), None, None, None),
        ("P6", " U1 ", " high ", -2, 1, 1000, None, "x", None),
    ])  # fmt: skip


def test_every_problem_of_the_tables_is_reported(db: Database) -> None:
    rules = emurules.compile(REFS)
    _bad_tables(db)
    layout = inspect(db, rules.schema, rules.plan)
    found = validate(db, layout)
    got = sorted(
        (d.place.file, d.place.key or "", d.place.field or "", d.kind or "", d.code)
        for d in found
        if d.place is not None
    )
    assert got == sorted([
        ("unit", "U2", "code", "duplicate_key", "D0105"),
        ("unit", "U3", "name", "required", "D0104"),
        ("person", "P3", "id", "duplicate_key", "D0105"),
        ("person", "", "id", "required", "D0104"),
        ("person", "", "id", "required", "D0104"),
        ("person", "P2", "unit", "dangling_reference", "D0106"),
        ("person", "P3", "task", "enum", "D0102"),
        ("person", "P3", "n", "type", "D0101"),
        ("person", "P3", "share", "constraint", "D0103"),
        ("person", "P3", "pay", "constraint", "D0103"),
        ("person", "P3", "big", "limit", "D0130"),
        ("person", "P5", "unit", "required", "D0104"),
        ("person", "P5", "task", "required", "D0104"),
        ("person", "P5", "pay", "constraint", "D0103"),
        ("person", "P6", "n", "constraint", "D0103"),
    ])  # fmt: skip
    assert len(found) == len(got)
    said = {(d.place.key, d.place.field): render(d.message) for d in found if d.place}
    assert said[("P3", "task")] == "'hgh' is not a value of rating"
    assert said[("P3", "id")] == "the key 'P3' is used by 2 rows"
    assert said[("P2", "unit")] == "no unit has the key 'U9'"
    assert said[("P3", "n")] == "1.50 is not a whole number"
    assert said[("P3", "pay")].startswith("-1.00 is outside the range of pay")
    assert said[("P3", "big")].startswith("10000000000000000000 is too large")
    hints = {(d.place.key, d.place.field): d.hint for d in found if d.place}
    assert render(hints[("P3", "task")]) == "did you mean 'high'?"
    error = DataError(found)  # as the engine raises them: every one
    assert len(error.diagnostics) == len(found)
    assert render(found[0].message, "vi")  # the words exist in Vietnamese too


def test_the_main_query_flags_exactly_the_rows_validation_reports(db: Database) -> None:
    """The engine validates in its own query: a row with a problem is flagged `__bad` (and
    then reported by `validate`), a valid row never is; a key used twice is found from the
    keys fetched, not flagged."""
    rules = emurules.compile(REFS)
    _bad_tables(db)
    layout = inspect(db, rules.schema, rules.plan)
    inputs = layout.inputs(flags=checks.flags(layout))
    flagged: dict[str, list[Any]] = {}
    for kind, table in inputs.items():
        select = f"SELECT {layout.tables[kind].key}, __bad FROM ({table.this.sql(db.dialect)}) AS t"
        flagged[kind] = sorted((str(k) for k, bad in db.rows(select) if bad), key=str)
    assert flagged == {
        "unit": ["U3"],
        "person": ["None", "None", "P2", "P3", "P5", "P6"],  # no key, a blank one: NULL
    }  # P3: the first only (the second is valid but for its key)


def test_the_main_query_cleans_each_text_column_once(db: Database) -> None:
    """The presented value, the row number and the `__bad` flag all read a text cleaned:
    it is cleaned once, in a subquery (a database does not share equal expressions), and
    an enum column only where its cell is not spelled exactly as a word."""
    rules = emurules.load(PEER)
    _load(db, "person", _typed(db, PEER_COLUMNS), [("P1", "U1", "good", 1, "1.5")])
    layout = inspect(db, rules.schema, rules.plan)
    (table,) = layout.inputs(flags=checks.flags(layout)).values()
    text = table.sql(db.dialect)
    clean = "NFC_NORMALIZE(" if db.dialect == "duckdb" else "NORMALIZE("
    for name in ("id", "unit"):
        assert text.count(f'{clean}"__this"."{name}"') == 1, name
    exact = "\"__this\".\"task\" IN ('incomplete', 'complete', 'good', 'excellent')"
    assert text.count(exact) == 2  # the required check's and the enum check's shortcut


def test_beyond_the_rows_listed_a_note_counts_the_rest(
    duck: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = emurules.compile(REFS)
    _load(duck, "unit", [("code", "VARCHAR"), ("name", "VARCHAR")],
          [(f"U{i}", None) for i in range(5)] + [("D", "x")] * 4)  # fmt: skip
    _load(duck, "person", [("id", "VARCHAR"), ("unit", "VARCHAR"), ("task", "VARCHAR"),
                           ("pay", "INTEGER")], [])  # fmt: skip
    monkeypatch.setattr(checks, "MAX_LISTED", 2)
    found = validate(duck, inspect(duck, rules.schema, rules.plan))
    required = [d for d in found if d.kind == "required"]
    assert [d.place.key for d in required if d.place] == ["U0", "U1"]
    assert [render(n) for n in required[-1].notes] == [
        "3 more rows of table unit have problems, not listed"
    ]
    assert [render(n, "vi") for n in required[-1].notes] == [
        "còn 3 dòng khác của bảng unit có lỗi, không liệt kê ở đây"
    ]


# ---- the tables' layout --------------------------------------------------------------------------


def test_every_problem_of_the_layout_is_raised_at_once(db: Database) -> None:
    rules = emurules.compile(REFS)
    double = "DOUBLE" if db.dialect == "duckdb" else "DOUBLE PRECISION"
    _load(db, "person", [("id", "TEXT"), ("unit", "TEXT"), ("task", "INTEGER"), ("n", double),
                         ("share", "TEXT"), ("other", "TEXT")], [])  # fmt: skip
    with pytest.raises(DataError) as raised:
        inspect(db, rules.schema, rules.plan, {"staff": "person"})
    got = sorted(
        (d.place.file, d.place.field or "", d.kind or "", d.code)
        for d in raised.value.diagnostics
        if d.place is not None
    )
    assert got == sorted([
        ("person", "", "unknown_kind", "D0110"),  # the mapping names no kind
        ("unit", "", "inputs", "D0112"),  # no table
        ("person", "pay", "required", "D0104"),  # a required field's column is missing
        ("person", "task", "type", "D0101"),
        ("person", "n", "type", "D0101"),
        ("person", "share", "type", "D0101"),
    ])  # fmt: skip
    said = {d.place.field: d for d in raised.value.diagnostics if d.place is not None}
    inexact = render(said["n"].message)
    assert "column n of table person is" in inexact and "approximately" in inexact
    assert said["n"].hint is not None and "DECIMAL(p, s)" in render(said["n"].hint)
    assert render(said["pay"].message) == (
        "table person has no column pay for the field 'pay' of person"
    )


def test_tables_are_named_by_the_caller_and_columns_in_another_case(db: Database) -> None:
    rules = emurules.compile(REFS)
    _load(db, "units", [("CODE", "TEXT"), ("name", "TEXT")], [("U1", "One")])
    _load(db, "staff", [("id", "INTEGER"), ("unit", "TEXT"), ("task", "TEXT"),
                        ("pay", "NUMERIC(8, 2)")], [(7, "U1", "low", Decimal("2.50"))])  # fmt: skip
    schema = "main" if db.dialect == "duckdb" else db.rows("SELECT current_schema()")[0][0]
    layout = inspect(db, rules.schema, rules.plan, {"unit": f"{schema}.units", "person": "staff"})
    assert layout.tables["unit"].columns["code"].column == "CODE"
    assert validate(db, layout) == []
    plan = layout.lower(rules.plan)
    (row,) = db.rows(plan.sql("person"))
    values = read_row(rules, plan.query("person"), row)
    assert (values["id"], values["c"]) == ("7", Decimal("2.5"))  # an integer key as text


# ---- the database ------------------------------------------------------------------------------


def test_a_database_is_a_connection_a_url_or_a_file(tmp_path: Path) -> None:
    path = tmp_path / "hr.duckdb"
    made = duckdb.connect(str(path))
    made.execute("CREATE TABLE t (x HUGEINT, d DECIMAL(38, 0), y DECIMAL(5, 2))")
    made.execute("INSERT INTO t VALUES (170141183460469231731687303715884105727, 10, 1.25)")
    made.close()
    for given in (str(path), path, f"duckdb://{path}"):
        with Database.of(given) as db:
            assert db.dialect == "duckdb" and db.owned
            frame = db.frame("SELECT * FROM t")
            assert frame["x"].to_list() == [2**127 - 1]
            assert [str(t) for t in frame.schema.values()][:2] == ["Int128", "Int128"]
            assert frame["y"].to_list() == [Decimal("1.25")]
            with pytest.raises(QueryFailed, match="read-only"):  # opened read-only
                db.rows("CREATE TABLE u (x INT)")
    connection = duckdb.connect()
    given = Database.of(connection)
    given.close()  # not its own: left open
    assert connection.execute("SELECT 1").fetchall() == [(1,)]
    with pytest.raises(UsageError, match="42 is not a database"):
        Database.of(42)
    with pytest.raises(UsageError, match="no such file"):
        Database.of(tmp_path / "absent.duckdb")
    with pytest.raises(UsageError) as raised:
        Database.of("postgresql://someone:secret@127.0.0.1:1/hr")
    assert "secret" not in str(raised.value) and "127.0.0.1:1/hr" in str(raised.value)


def test_a_postgres_frame_holds_scaled_integers_exactly(postgres: Database) -> None:
    frame = postgres.frame(
        "SELECT CAST('12345678901234567890123456789012345678' AS NUMERIC) AS x, "
        "CAST(NULL AS NUMERIC) AS n, 1.25 AS y, 'a' AS t, TRUE AS b, 3 AS i"
    )
    assert frame.row(0) == (12345678901234567890123456789012345678, None, Decimal("1.25"),
                            "a", True, 3)  # fmt: skip
    assert [str(t) for t in frame.schema.values()][:2] == ["Int128", "Int128"]


WIDE = """
ruleset "Wide" { year 2025 }
subject p { id: text key  x: number  y: number? }
let twice "Twice" for p = x * 2 + (y ?? 0)
let third "Third" for p = x / 3
"""


def test_wide_decimals_are_read_exactly(db: Database) -> None:
    """DECIMAL(38, 18): DuckDB keeps a product's width, so whole part and fraction are
    scaled apart; a NUMERIC without scale is measured. Places beyond 18 are refused."""
    rules = emurules.compile(WIDE)
    xs = ["123456.123456789012345678", "-0.5", "-123456.000000000000000001", "99999999.25"]
    people = [{"id": f"P{i}", "x": x, "y": "1.5" if i % 2 else None} for i, x in enumerate(xs)]
    wide = "DECIMAL(38, 18)" if db.dialect == "duckdb" else "NUMERIC(38, 18)"
    loose = "DECIMAL(38, 20)" if db.dialect == "duckdb" else "NUMERIC"
    rows = [(p["id"], Decimal(p["x"]), None if p["y"] is None else Decimal(p["y"])) for p in people]
    _load(db, "p", [("id", "TEXT"), ("x", wide), ("y", loose)], rows)
    expected = run_duckdb(
        rules, {"p": [{k: v for k, v in p.items() if v is not None} for p in people]}
    )
    layout = inspect(db, rules.schema, rules.plan)
    assert validate(db, layout) == []
    assert layout.tables["p"].columns["x"].scale == 18
    plan = layout.lower(rules.plan)
    got = [read_row(rules, plan.query("p"), row) for row in db.rows(plan.sql("p"))]
    for values in got:
        del values["__row"], values["__bad"]
        assert values == expected[values["id"]], values["id"]
    with db.connection.cursor() if db.dialect == "postgres" else nullcontext() as cursor:
        # 19 places: refused; 2.5 with trailing zeros beyond 18 places: a value
        sql = "INSERT INTO p VALUES ('P9', 1, 1E-19), ('PA', 1, 2.5000000000000000000)"
        (cursor or db.connection).execute(sql)
    found = validate(db, inspect(db, rules.schema, rules.plan))
    assert [(d.place.key, d.kind) for d in found if d.place] == [("P9", "limit")]
    assert "too precise" in render(found[0].message)


def test_an_enum_type_of_the_database_holds_an_enum(db: Database) -> None:
    rules = emurules.compile(REFS)
    mood = "ENUM ('low', 'high', 'medium')" if db.dialect == "duckdb" else "grade"
    if db.dialect == "postgres":
        with db.connection.cursor() as cursor:
            cursor.execute("CREATE TYPE grade AS ENUM ('low', 'high', 'medium')")
    _load(db, "unit", [("code", "TEXT"), ("name", "TEXT")], [("U1", "One")])
    _load(db, "person", [("id", "TEXT"), ("unit", "TEXT"), ("task", mood), ("pay", "INTEGER")],
          [("P1", "U1", "high", 1), ("P2", "U1", "medium", 1)])  # fmt: skip
    layout = inspect(db, rules.schema, rules.plan)
    assert layout.tables["person"].columns["task"].family == "enum"
    found = validate(db, layout)
    assert [(d.place.key, d.kind) for d in found if d.place] == [("P2", "enum")]
    assert render(found[0].message) == "'medium' is not a value of rating"
    db.rows("SELECT 1")  # the connection is still usable
    plan = layout.lower(rules.plan)
    rows = [read_row(rules, plan.query("person"), r) for r in db.rows(plan.sql("person"))]
    assert rows[0]["task"] == "high"
