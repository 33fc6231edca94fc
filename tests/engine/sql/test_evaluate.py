"""`Rules.evaluate(..., engine="sql")`: on records in memory (an embedded DuckDB) and on
tables that live in a database (DuckDB, and PostgreSQL when a server answers), the
result is the row engine's, byte for byte, explanations included; every mistake is an
error that says what it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

import emurules
from emurules.engine.sql.connect import Database, QueryFailed
from emurules.engine.sql.run import Prepared
from emurules.errors import DataError, EmurulesError, UsageError
from emurules.i18n import render
from emurules.rules import Rules
from tests.engine.sql.conftest import postgres_or_skip
from tests.engine.sql.test_tables import (
    PEER,
    PEER_COLUMNS,
    TRAPS,
    TRAPS_COLUMNS,
    _load,
    _natural,
    _peer_people,
    _traps,
    _typed,
)
from tests.engine.test_engines_equal import law_rows

ROOT = Path(__file__).resolve().parents[3]
RULE = """
ruleset "Rules of data" { year 2025 }
subject person { id: text key  done: int >= 0  planned: int >= 0 }
require "no more done than planned" for person: done <= planned
criterion share "Share" for person = done / planned
award good "Good" for person { when share >= 0.5 }
"""


def made(rules: Rules, data: Any, **options: Any) -> tuple[Any, Any]:
    """`to_json()` with and without explanations, the engine's name left out; or twice
    the error raised, as its `to_dict()`."""
    try:
        result = rules.evaluate(data, **options)
    except UsageError:
        raise
    except EmurulesError as error:
        raised = {"raised": dict(error.to_dict())}
        return raised, raised
    found = (dict(result.to_json()), dict(result.to_json(explanations=True)))
    for one in found:
        one.pop("provenance")
    return found


def by_key(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records in a database table's order: by key, in code point order."""
    return sorted(people, key=lambda person: str(person["id"]))


def assert_same(expected: tuple[Any, Any], found: tuple[Any, Any]) -> None:
    for left, right in zip(expected, found, strict=True):
        assert json.dumps(left, ensure_ascii=False) == json.dumps(right, ensure_ascii=False)


# ---- records in memory --------------------------------------------------------------------


def test_records_in_memory_give_the_row_engines_result() -> None:
    rules = emurules.load(PEER)
    people = _peer_people(500, 3)
    row = made(rules, {"person": people}, engine="row")
    sql = made(rules, {"person": people}, engine="sql")
    assert_same(row, sql)
    result = rules.evaluate({"person": people}, engine="sql")
    assert result.provenance is not None and result.provenance.engine == "sql"


def test_records_beyond_64_bits_are_computed_as_128_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    """In memory as in a database: an overflow of a narrowed query (forced here) runs the
    HUGEINT one; the numbers are the row engine's."""
    import importlib

    monkeypatch.setattr(importlib.import_module("emurules.engine.sql.lower"), "NARROW_DIGITS", 38)
    rules = emurules.compile(
        'ruleset "Big" { year 2025 }\nsubject person { id: text key  a: number }\n'
        'criterion twice "Twice" for person = 2 * a\n'
    )
    people = [{"id": "A", "a": "12345678901234567.5"}, {"id": "B", "a": "-3.25"}]
    assert_same(made(rules, {"person": people}, engine="row"),
                made(rules, {"person": people}, engine="sql"))  # fmt: skip


def test_a_division_by_zero_is_the_row_engines_error() -> None:
    rules = emurules.compile(RULE)
    people = [{"id": "A", "done": 0, "planned": 0}, {"id": "B", "done": 1, "planned": 2}]
    row = made(rules, {"person": people}, engine="row")
    assert "raised" in row[0]
    assert_same(row, made(rules, {"person": people}, engine="sql"))


# ---- tables in a database -----------------------------------------------------------------


def test_the_peer_rule_on_a_databases_table(db: Database) -> None:
    rules = emurules.load(PEER)
    people = _peer_people(400, 16)
    _load(db, "person", _typed(db, PEER_COLUMNS), _natural(rules, {"person": people}, "person"))
    expected = made(rules, {"person": by_key(people)}, engine="row")
    assert_same(expected, made(rules, db.connection, engine="sql"))


def test_a_table_in_any_order_gives_the_records_in_key_order(db: Database) -> None:
    """A table kept in key order is read as it comes; any other is sorted by key: the
    result is the same either way."""
    rules = emurules.load(PEER)
    people = _peer_people(200, 8)
    expected = made(rules, {"person": by_key(people)}, engine="row")
    rows = sorted(_natural(rules, {"person": people}, "person"), key=lambda row: row[0])
    for table, order in (("ordered", rows), ("reversed", rows[::-1])):
        _load(db, table, _typed(db, PEER_COLUMNS), order)
        found = made(rules, db.connection, engine="sql", tables={"person": table})
        assert_same(expected, found)


def test_the_rounding_traps_on_a_databases_table(db: Database) -> None:
    rules = emurules.load(TRAPS)
    for seed in (1, 2, 3):
        people = _traps(150, seed)
        table = f"people_{seed}"
        rows = _natural(rules, {"person": people}, "person")
        _load(db, table, _typed(db, TRAPS_COLUMNS), rows)
        expected = made(rules, {"person": by_key(people)}, engine="row")
        found = made(rules, db.connection, engine="sql", tables={"person": table})
        assert_same(expected, found)


def test_a_database_file_is_opened_read_only(tmp_path: Path) -> None:
    rules = emurules.load(PEER)
    people = _peer_people(50, 5)
    path = tmp_path / "staff.duckdb"
    connection = duckdb.connect(str(path))
    _load(Database.of(connection), "person", _typed(Database.of(connection), PEER_COLUMNS),
          _natural(rules, {"person": people}, "person"))  # fmt: skip
    connection.close()
    expected = made(rules, {"person": by_key(people)}, engine="row")
    assert_same(expected, made(rules, str(path), engine="sql"))
    assert_same(expected, made(rules, path, engine="sql"))


def test_every_bad_row_of_a_table_is_reported_at_once(duck: Database) -> None:
    rules = emurules.load(PEER)
    columns = _typed(duck, PEER_COLUMNS)
    rows = [
        ("P1", "U1", "good", 1, "1.5"),
        ("P2", "U1", "splendid", 1, "1.5"),  # no such rating
        ("P2", "U1", "good", 1, "1.5"),  # the same key again
        (None, "U1", "good", 1, "1.5"),  # no key
    ]
    _load(duck, "person", columns, rows)
    with pytest.raises(DataError) as raised:
        rules.evaluate(duck.connection, engine="sql")
    codes = sorted(d.code for d in raised.value.diagnostics)
    assert len(codes) >= 3, raised.value
    assert all(d.place is not None and d.place.file == "person" for d in raised.value.diagnostics)


def test_a_record_breaking_a_data_rule_is_refused_as_in_memory(duck: Database) -> None:
    rules = emurules.compile(RULE)
    rows = [("A", 3, 2), ("B", 1, 2), ("C", 5, 1)]
    _load(duck, "person", [("id", "TEXT"), ("done", "INTEGER"), ("planned", "INTEGER")], rows)
    with pytest.raises(DataError) as raised:
        rules.evaluate(duck.connection, engine="sql")
    found = [(d.code, d.place.key if d.place else None) for d in raised.value.diagnostics]
    assert found == [("D0103", "A"), ("D0103", "C")]
    assert "no more done than planned" in str(raised.value)


def test_a_division_by_zero_in_a_database_is_the_row_engines_error(duck: Database) -> None:
    rules = emurules.compile(RULE)
    people = [{"id": "A", "done": 0, "planned": 0}, {"id": "B", "done": 1, "planned": 2}]
    _load(duck, "person", [("id", "TEXT"), ("done", "INTEGER"), ("planned", "INTEGER")],
          [("A", 0, 0), ("B", 1, 2)])  # fmt: skip
    expected = made(rules, {"person": people}, engine="row")
    assert "raised" in expected[0]
    assert_same(expected, made(rules, duck.connection, engine="sql"))


# ---- mistakes -----------------------------------------------------------------------------


def test_a_database_needs_the_sql_engine(duck: Database) -> None:
    rules = emurules.load(PEER)
    for engine in (None, "row", "columnar"):
        with pytest.raises(UsageError, match="engine='sql'"):
            rules.evaluate(duck.connection, engine=engine)


def _columns_of(rules: Rules, kind: str) -> list[tuple[str, str, str]]:
    """Natural column types for a kind's fields (DuckDB's, PostgreSQL's)."""
    types = {
        "int": ("BIGINT", "BIGINT"),
        "number": ("DECIMAL(20, 6)", "NUMERIC(20, 6)"),
        "percent": ("DECIMAL(12, 8)", "NUMERIC(12, 8)"),
        "bool": ("BOOLEAN", "BOOLEAN"),
        "date": ("DATE", "DATE"),
    }
    found = []
    for name, field in rules.schema.kinds[kind].fields.items():
        duck, pg = types.get(field.type.kind, ("VARCHAR", "TEXT"))
        found.append((name, duck, pg))
    return found


def test_the_law_2022_example_on_a_databases_tables(db: Database) -> None:
    """The acceptance scenario where a ministry keeps it: collectives and their members in
    two tables, the history given beside them; relations, paths and streaks are computed
    over the columns the database answered, every other step in SQL. The same result as
    the row engine on the same records in memory."""
    rules = emurules.load(ROOT / "examples" / "law-2022" / "criteria.emu")
    data = _law_tables(db, rules)
    history = law_rows("history")
    ordered = {kind: by_key(rows) for kind, rows in data.items()}
    expected = made(rules, ordered, engine="row", history=history)
    assert_same(expected, made(rules, db.connection, engine="sql", history=history))
    prepared = rules._prepare("sql")
    assert isinstance(prepared, Prepared)
    assert ("collective", "fighters") in prepared.over_columns  # count(members, ...)
    assert ("individual", "provincial_fighter") in prepared.over_columns  # streak(...)
    assert ("individual", "grassroots_fighter") not in prepared.over_columns


HISTORY_COLUMNS = [("key", "VARCHAR", "TEXT"), ("year", "INTEGER", "INTEGER"),
                   ("award", "VARCHAR", "TEXT")]  # fmt: skip


def _law_tables(db: Database, rules: Rules) -> dict[str, list[dict[str, str]]]:
    data = {kind: law_rows(kind) for kind in ("collective", "individual")}
    for kind in data:
        _load(db, kind, _typed(db, _columns_of(rules, kind)), _natural(rules, data, kind))
    return data


def test_the_history_is_read_from_its_table(db: Database) -> None:
    """A table called `history` (or the one `tables["history"]` names) is the history,
    when the rules read one: the same result as the rows given in memory."""
    rules = emurules.load(ROOT / "examples" / "law-2022" / "criteria.emu")
    data = _law_tables(db, rules)
    history = law_rows("history")
    rows = [(h["key"], int(h["year"]), h["award"]) for h in history]
    _load(db, "history", _typed(db, HISTORY_COLUMNS), rows)
    _load(db, "past_awards", _typed(db, HISTORY_COLUMNS), rows)
    ordered = {kind: by_key(found) for kind, found in data.items()}
    expected = made(rules, ordered, engine="row", history=history)
    assert_same(expected, made(rules, db.connection, engine="sql"))
    named = made(rules, db.connection, engine="sql", tables={"history": "past_awards"})
    assert_same(expected, named)
    # `history=[]` says there is none: the table is not read
    without = made(rules, ordered, engine="row", history=[])
    assert without[0]["awards"] != expected[0]["awards"]  # the history decides some titles
    assert_same(without, made(rules, db.connection, engine="sql", history=[]))


def test_a_history_table_is_named_once_and_must_exist(duck: Database) -> None:
    rules = emurules.load(ROOT / "examples" / "law-2022" / "criteria.emu")
    _law_tables(duck, rules)
    with pytest.raises(DataError, match="no table nowhere for the history"):
        rules.evaluate(duck.connection, engine="sql", tables={"history": "nowhere"})
    history = law_rows("history")
    with pytest.raises(UsageError, match="history is given twice"):
        rules.evaluate(duck.connection, engine="sql", history=history,
                       tables={"history": "nowhere"})  # fmt: skip


def test_a_history_with_a_problem_is_reported_with_a_database(duck: Database) -> None:
    rules = emurules.load(ROOT / "examples" / "law-2022" / "criteria.emu")
    _law_tables(duck, rules)
    history = [{"key": "NOBODY", "year": "2024", "award": "grassroots_fighter"}]
    with pytest.raises(DataError) as raised:
        rules.evaluate(duck.connection, engine="sql", history=history)
    assert "NOBODY" in str(raised.value)
    _load(duck, "history", _typed(duck, HISTORY_COLUMNS), [("NOBODY", 2024, "grassroots_fighter")])
    with pytest.raises(DataError) as raised:
        rules.evaluate(duck.connection, engine="sql")
    places = [d.place for d in raised.value.diagnostics]
    assert any(p is not None and p.file == "history" for p in places), raised.value


def test_a_query_the_database_cannot_run_is_a_usage_error(db: Database) -> None:
    """A lost connection (or a right missing) is reported with the driver's reason, as
    emurules' own error, never the driver's exception."""
    rules = emurules.load(PEER)
    connection = postgres_or_skip() if db.dialect == "postgres" else duckdb.connect()
    connection.close()
    with pytest.raises(QueryFailed, match="the database could not run a query: ") as raised:
        rules.evaluate(connection, engine="sql")
    assert raised.value.__cause__ is None
    assert isinstance(raised.value, UsageError)


def test_tables_must_map_kinds_to_names(duck: Database) -> None:
    rules = emurules.load(PEER)
    with pytest.raises(UsageError, match="tables="):
        rules.evaluate(duck.connection, engine="sql", tables={"person": 3})  # type: ignore[dict-item]


def test_rules_no_stage_of_the_sql_engine_computes_are_refused_by_place(
    duck: Database,
) -> None:
    """A ranking `within` a computed value is decided neither in SQL nor by the columnar
    stage: refused by name before anything runs, every place at once."""
    rules = emurules.compile(
        'ruleset "t" { year 2025 }\n'
        "subject person {\n  id: text key\n  unit: text\n  a: number = 0\n}\n"
        "let team for person = unit\n"
        'ranking league "League" for person by a desc within team\n'
        'ranking other "Other" for person by a asc within team\n'
    )
    with pytest.raises(UsageError) as raised:
        rules.evaluate(duck.connection, engine="sql")
    found = raised.value.diagnostics
    assert len(found) == 2 and all(d.code == "A0103" for d in found)
    assert [d.span.line for d in found if d.span is not None] == [8, 9]
    assert all("within team" in render(d.message) for d in found)


def test_text_in_a_table_reads_as_in_a_file(db: Database) -> None:
    """NFD, a byte-order mark and any space Python strips: the same subjects and groups as
    the same cells in memory (data.cells.clean), in both databases."""
    rules = emurules.load(PEER)
    units = ["Phòng A", "Pho\u0300ng A", "\tPhòng A\u00a0", "\ufeffPhòng B", "Phòng B\u3000"]
    people = [
        {"id": f"{' ' if i % 3 == 0 else ''}P{i:03d}\u2009", "unit": units[i % len(units)],
         "task": ("good", "excellent")[i % 2], "initiatives": i % 5, "training": str(i % 40)}
        for i in range(60)
    ]  # fmt: skip
    raw = [(p["id"], p["unit"], p["task"], p["initiatives"], p["training"]) for p in people]
    _load(db, "person", _typed(db, PEER_COLUMNS), raw)
    in_order = sorted(people, key=lambda person: person["id"].strip())
    expected = made(rules, {"person": in_order}, engine="row")
    assert_same(expected, made(rules, db.connection, engine="sql"))
    groups = {outcome["group"] for outcome in expected[0]["awards"][0]["outcomes"]}
    assert groups == {"Phòng A", "Phòng B"}  # five spellings, two units


def test_an_enum_cell_spelled_otherwise_reads_as_in_a_file(db: Database) -> None:
    """A rating padded with spaces Python strips is that rating (read past the exact-word
    shortcut); one that names no rating, or none at all, is reported as in memory."""
    rules = emurules.load(PEER)
    tasks = ["good", " good", "excellent\t", "\u3000complete", "incomplete\u00a0"]
    people = [
        {"id": f"P{i:03d}", "unit": f"U{i % 3}", "task": tasks[i % len(tasks)],
         "initiatives": i % 4, "training": str(i % 30)}
        for i in range(40)
    ]  # fmt: skip
    raw = [(p["id"], p["unit"], p["task"], p["initiatives"], p["training"]) for p in people]
    _load(db, "person", _typed(db, PEER_COLUMNS), raw)
    assert_same(
        made(rules, {"person": people}, engine="row"), made(rules, db.connection, engine="sql")
    )
    broken = [
        ("Q1", "U1", " splendid ", 1, "1"),
        ("Q2", "U1", "  ", 1, "1"),
        ("Q3", "U1", None, 1, "1"),
    ]
    _load(db, "wrong", _typed(db, PEER_COLUMNS), broken)
    found = made(rules, db.connection, engine="sql", tables={"person": "wrong"})[0]
    assert "raised" in found
    keys = [d["place"]["key"] for d in found["raised"]["diagnostics"]]
    assert keys == ["Q1", "Q2", "Q3"], found


def test_integers_beyond_64_bits_are_computed_as_128_bit(
    duck: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB computes in BIGINT only where the bounds keep every integer within 18 digits;
    were a bound wrong, DuckDB's overflow error sends the query back as HUGEINT: never a
    wrapped number. Forced here by narrowing everything, over numbers of 17 digits and 3 places."""
    import importlib

    database = importlib.import_module("emurules.engine.sql.database")
    lowering = importlib.import_module("emurules.engine.sql.lower")  # the module, not `lower`

    rules = emurules.compile(
        'ruleset "Big" { year 2025 }\nsubject person { id: text key  a: number }\n'
        'criterion twice "Twice" for person = 2 * a\n'
        'award big "Big" for person { when twice > 0 }\n'
    )
    rows = [("A", "12345678901234567.5"), ("B", "-3.25"), ("C", "-99999999999999999.999")]
    _load(duck, "person", [("id", "TEXT"), ("a", "DECIMAL(38, 3)")], rows)
    people = [{"id": key, "a": a} for key, a in rows]
    expected = made(rules, {"person": people}, engine="row")
    runs: list[bool] = []
    answers = database._answers

    def counted(db: Database, schema: Any, sql: Any) -> Any:
        runs.append(sql.narrow)
        return answers(db, schema, sql)

    monkeypatch.setattr(database, "_answers", counted)
    assert_same(expected, made(rules, duck.connection, engine="sql"))
    assert runs == [False]  # 20 digits: never narrowed
    runs.clear()
    monkeypatch.setattr(lowering, "NARROW_DIGITS", 38)
    assert_same(expected, made(rules, duck.connection, engine="sql"))
    assert runs == [True, False]  # an overflow, then the 128-bit query


def test_the_peer_rule_is_computed_in_64_bits_on_duckdb() -> None:
    from emurules.engine.sql.lower import lower

    rules = emurules.load(PEER)
    assert rules.plan.schema is not None
    narrow = lower(rules.plan, rules.plan.schema, "duckdb", scales={"training": 1},
                   digits={"training": 4, "initiatives": 4}, narrow=True)  # fmt: skip
    assert narrow.narrow and "INT128" not in narrow.text() and "BIGINT" in narrow.text()
    wide = lower(rules.plan, rules.plan.schema, "duckdb", narrow=True)  # 12 digits and 6 places
    assert not wide.narrow and "INT128" in wide.text()
    assert "INT128" in lower(rules.plan, rules.plan.schema, "duckdb").text()
