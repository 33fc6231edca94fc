"""Rules evaluated on tables that live in a database (DuckDB, PostgreSQL): the tables are
inspected and validated in SQL (`tables`), every value and qualification is computed by
the database, and what comes back is each subject's row of inputs and answers, as Arrow
or typed columns; awards are decided here, by the shared ranking (`run.SqlEngine`).

The inputs come back because a result shows them (explanations, what-if, the draft
decision): they arrive as columns, and each field's distinct values are read once."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, cast

import polars as pl
from sqlglot import exp

from emurules.data.columns import Cells, DeferredTable, KeyColumn, KindCells
from emurules.data.frames import FrameRows, Rows, rows_of
from emurules.data.history import History
from emurules.data.past_columns import read_past
from emurules.data.validate import Table, validate
from emurules.engine.columnar import run
from emurules.engine.columnar.exact import Col
from emurules.engine.columnar.frames import KEY, reader
from emurules.engine.columnar.lower import kind_of
from emurules.engine.sql.checks import flags
from emurules.engine.sql.checks import validate as validate_tables
from emurules.engine.sql.connect import Database, QueryFailed
from emurules.engine.sql.lower import BAD, ROW, Query, SqlPlan, lower
from emurules.engine.sql.run import SQL, Prepared, SqlEngine
from emurules.engine.sql.scaled import column
from emurules.engine.sql.tables import Layout, inspect
from emurules.errors import DataError
from emurules.i18n import message
from emurules.plan.schema import Schema
from emurules.plan.steps import Plan
from emurules.result import Result
from emurules.source import Diagnostic, Place
from emurules.values import MISSING, EnumValue

Answers = dict[str, tuple[Query, pl.DataFrame]]


def evaluate_database(
    plan: Plan,
    prepared: Prepared,
    source: object,
    tables: Mapping[str, str] | None,
    year: int,
    past: Rows | None = None,
    locale: str | None = None,
) -> tuple[Result, str, Table]:
    """The result of the rules on the database's tables (one per subject kind, named after
    it unless `tables` names it) and the history rows `past` (None: the database's history
    table, when the rules read the history and it has one), the engine that made it,
    and the records as a table (made only if something asks: what-if, a history the
    columns cannot read, or a division by zero the row engine reports). Raises DataError
    with every problem of the tables, at once."""
    schema = plan.schema
    assert schema is not None
    sources: dict[str, str] = {}
    with Database.of(source) as db:
        layout = inspect(db, schema, plan, tables)
        history_sql = layout.history_sql()
        if past is None and history_sql is not None and layout.history is not None:
            sources["history"] = layout.history[0]  # its rows' problems name the table
            past = rows_of(db.frame(history_sql), "history", layout.history[0])
        past = () if past is None else past
        inputs = layout.inputs(numbered=False, flags=flags(layout))
        sql = functools.partial(lower, plan, schema, db.dialect, scales=layout.scales,
                                digits=layout.digits, year=year, tables=inputs,
                                decided=True, skip=prepared.over_columns)  # fmt: skip
        try:  # the answers first: their flags tell whether a row is bad, their keys
            narrow = sql(narrow=True)  # whether one is used twice
            try:
                answers, flagged = _answers(db, schema, narrow)
            except QueryFailed:  # a 64-bit overflow, or a cell the SQL cannot read
                if not narrow.narrow:
                    raise
                answers, flagged = _answers(db, schema, sql())
        except Exception:  # a cell the SQL cannot read: the tables' problems say which
            problems = validate_tables(db, layout)
            if problems:
                raise DataError(problems) from None
            raise
        if flagged or not all(_unique(answers, kind) for kind in answers):
            problems = validate_tables(db, layout, lambda kind: _unique(answers, kind))
            if problems:
                raise DataError(problems)
    broken = [d for query, frame in answers.values() for d in _broken(query, frame, layout)]
    if broken:
        raise DataError(broken)
    cells = {kind: _cells(plan, query, frame) for kind, (query, frame) in answers.items()}
    for kind in plan.kinds:
        cells.setdefault(kind, KindCells([], {}))
    table = DeferredTable(
        lambda: validate(
            schema,
            {kind: found.rows() for kind, found in cells.items()},
            past,
            year=year,
            locale=locale,
            sources=sources,
        )
    )
    history = (
        read_past(schema, cells, past, year=year, locale=locale, sources=sources)
        if past
        else History()
    )
    if history is None:  # a history row with a problem: the row validator reports it
        history = table.made().history
    ready = run.Prepared((), prepared.compiled)
    make = functools.partial(SqlEngine, answers=answers, over_columns=prepared.over_columns)
    result, ran = run.evaluate_cells(plan, ready, cells, lambda: table, year, history, make, "sql")
    return result, ran, table


def _answers(db: Database, schema: Schema, sql: SqlPlan) -> tuple[Answers, bool]:
    """Each kind's answers in record order, and whether a row was flagged bad. A narrow
    plan that meets a 64-bit overflow raises QueryFailed (the caller runs a wide one)."""
    answers: Answers = {}
    flagged = False
    for query in sql.queries:
        fetched = db.frame(_fetched(sql, query, schema.kinds[query.kind].key))
        flagged = flagged or bool(fetched.get_column(SQL + BAD).any())
        answers[query.kind] = (query, _in_order(fetched))
    return answers, flagged


def _unique(answers: Answers, kind: str) -> bool:
    """Whether the kind's answers name each subject once (a missing key is not checked
    here: validation reports it)."""
    found = answers.get(kind)
    if found is None:
        return False
    keys = found[1].get_column(KEY)  # in order: a key used twice is beside itself
    return not (keys == keys.shift(1)).any()


def _fetched(sql: SqlPlan, query: Query, key: str) -> str:
    """Every input and answer of the query, with the key as `KEY`, unordered: sorting the
    fetched columns costs less than the database sorting them (`_in_order`)."""
    wanted = [c for c in query.columns if c.name != key]  # the key: once
    select = exp.select(
        exp.alias_(column(key), KEY, quoted=True),
        *(exp.alias_(column(c.name), _name(c.name, c.role), quoted=True) for c in wanted),
    ).from_(_subquery(query.select))
    return select.sql(dialect=sql.dialect)


def _in_order(frame: pl.DataFrame) -> pl.DataFrame:
    """The answers in record order: by key, in code point order (Polars compares text by
    its UTF-8 bytes, as DuckDB and `COLLATE "C"` do); the database does not number them.
    A table kept in key order comes in that order (DuckDB keeps a table's order when no
    query asks for another), and is not sorted again, only joined up into one piece per
    column (it comes in batches: every column computed beside it would be in as many)."""
    keys = frame.get_column(KEY)
    ordered = keys.len() < 2 or bool(
        (keys.slice(1) > keys.slice(0, keys.len() - 1)).fill_null(False).all()
    )
    return (frame.rechunk() if ordered else frame.sort(KEY)).drop(ROW, SQL + BAD)


def _name(name: str, role: str) -> str:
    return name if role in ("input", "row") else SQL + name


def _subquery(select: exp.Expr) -> exp.Subquery:
    assert isinstance(select, exp.Select)
    unordered = select.copy()
    unordered.set("order", None)
    return unordered.subquery("answers")


def _broken(query: Query, frame: pl.DataFrame, layout: Layout) -> list[Diagnostic]:
    """A record breaking a data rule (`require`), as `Rules.evaluate` reports it."""
    found: list[Diagnostic] = []
    table = layout.tables[query.kind].table
    for c in query.columns:
        if c.role != "broken" or not frame.height:
            continue
        keys = frame.filter(pl.col(SQL + c.name).fill_null(False)).get_column(KEY).to_list()
        found.extend(
            Diagnostic(
                code="D0103",
                kind="constraint",
                place=Place(file=table, key=str(key)),
                message=message(
                    "engine.breaks-rule", kind=query.kind, key=repr(key), rule=c.step or c.name
                ),
            )
            for key in keys
        )
    return found


def _cells(plan: Plan, query: Query, frame: pl.DataFrame) -> KindCells:
    """A kind's inputs as the columnar engine reads records: each field's distinct values
    (as the row validator gives them) and each row's index into them, made for a field
    the first time it is read (the engine reads the fetched columns: `SqlEngine.load`)."""
    schema = plan.schema
    assert schema is not None
    info = schema.kinds[query.kind]
    fields = info.fields
    keys = KeyColumn(frame.get_column(KEY).cast(pl.String))
    makers: dict[str, Callable[[], Cells]] = {}
    for c in query.columns:
        if c.role != "input" or c.name not in fields:
            continue
        if c.name == info.key:  # every one distinct: no index
            makers[c.name] = functools.partial(Cells, keys, range(len(keys)))
            continue
        vtype = fields[c.name].type
        read = reader(Col(pl.col(c.name), kind_of(vtype), c.scale), vtype, schema)
        makers[c.name] = functools.partial(_field, frame.get_column(c.name), read)
    found = LazyFields(makers)
    names = list(found)
    rows = FrameRows(names, [functools.partial(found.__getitem__, n) for n in names],
                     len(keys), _given)  # fmt: skip
    return KindCells(keys, found, rows)


def _field(values: pl.Series, read: Callable[[Any], Any]) -> Cells:
    distinct = values.unique(maintain_order=True)
    index = distinct.to_frame("v").with_row_index("code")
    codes = (
        values.to_frame("v")
        .join(index, on="v", how="left", nulls_equal=True, maintain_order="left")
        .get_column("code")
    )
    return Cells([read(v) for v in distinct.to_list()], cast(Sequence[int], codes))


class LazyFields(Mapping[str, Cells]):
    """A kind's fields as `Cells`, each made the first time it is read (a group's field
    for the decision, every field for an explanation); safe to read from threads."""

    def __init__(self, makers: Mapping[str, Callable[[], Cells]]) -> None:
        self._makers = dict(makers)
        self._made: dict[str, Cells] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> Cells:
        with self._lock:
            made = self._made.get(name)
            if made is None:
                made = self._made[name] = self._makers[name]()
            return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def _given(made: Callable[[], Cells]) -> list[Any]:
    """A field's cells as a record gives them to the row validator (an enum by name)."""
    cells = made()
    plain: Sequence[Any] = [_plain(v) for v in cells.values]
    codes: Callable[[], list[int]] = getattr(cells.codes, "to_list", lambda: list(cells.codes))
    return [plain[code] for code in codes()]


def _plain(value: Any) -> Any:
    if value is MISSING:
        return None
    return value.name if isinstance(value, EnumValue) else value
