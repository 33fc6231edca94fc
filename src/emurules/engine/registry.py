"""The engines `Rules.evaluate` can run, by name; every engine shares decide/rank, so an
engine plugs in here without touching them."""

from __future__ import annotations

import gc
import importlib.util
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeAlias

import attrs

from emurules.data.validate import Table
from emurules.engine.results import build_result
from emurules.engine.row import Compiled, RowEngine
from emurules.errors import UsageError
from emurules.i18n import message
from emurules.plan.steps import Plan
from emurules.result import Result
from emurules.source import Diagnostic


@attrs.frozen
class Engine:
    """An engine: what it prepares once per ruleset, and how it evaluates a table (the
    result, and the name of the engine that made it: an engine may hand a table over)."""

    name: str
    prepare: Callable[[Plan], object]
    evaluate: Callable[[Plan, object, Table, int], tuple[Result, str]]


@contextmanager
def bulk() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a population is evaluated: it makes
    millions of objects that all live on (values, rows, decisions), and each full
    collection would walk every one of them, so time would grow faster than the
    population. Evaluation leaves no garbage cycles behind; collection resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _row(plan: Plan, prepared: object, table: Table, year: int) -> tuple[Result, str]:
    assert isinstance(prepared, Compiled)
    with bulk():
        engine = RowEngine(plan, table, year, prepared)
        engine.run()
        return build_result(engine, table, year), "row"


def _columnar_prepare(plan: Plan) -> object:
    from emurules.engine.columnar.run import Prepared

    return Prepared.of(plan)


def _columnar(plan: Plan, prepared: object, table: Table, year: int) -> tuple[Result, str]:
    from emurules.engine.columnar.run import Prepared, evaluate

    assert isinstance(prepared, Prepared)
    with bulk():
        return evaluate(plan, prepared, table, year)


def _sql_prepare(plan: Plan) -> object:
    from emurules.engine.sql.run import Prepared

    return Prepared.of(plan)


def _sql(plan: Plan, prepared: object, table: Table, year: int) -> tuple[Result, str]:
    from emurules.engine.sql.run import Prepared, evaluate

    assert isinstance(prepared, Prepared)
    with bulk():
        return evaluate(plan, prepared, table, year)


ENGINES: dict[str, Engine] = {
    "row": Engine("row", Compiled.of, _row),
    "columnar": Engine("columnar", _columnar_prepare, _columnar),
    "sql": Engine("sql", _sql_prepare, _sql),
}
AUTOMATIC_FROM = 20_000
"""Subjects from which the automatic choice takes the columnar engine, when it evaluates
every node of the rules and Polars is installed (below, building columns costs more than
it saves: see the Benchmarks section of docs/design.md)."""


def choose(name: str | None) -> Engine:
    """The engine named (None: the row engine, until `pick` sees the rules and the table);
    an unknown name is a usage error listing the engines."""
    if name is None:
        return ENGINES["row"]
    if not isinstance(name, str) or name not in ENGINES:
        known = tuple(repr(n) for n in ENGINES)
        raise UsageError(message("engine.unknown-engine", name=repr(name), engines=known))
    if name == "columnar" and not has_polars():
        raise UsageError(message("engine.columnar-needs-polars"))
    if name == "sql" and not has_sql():
        raise UsageError(message("engine.sql-needs-extra"))
    return ENGINES[name]


def pick(name: str | None, prepare: Callable[[str], object], subjects: int) -> Engine:
    """The engine for these rules and a table of `subjects`: the one named (refusing rules
    it cannot evaluate, naming each place), or the automatic choice."""
    chosen = choose(name)
    if name is None:
        if subjects < AUTOMATIC_FROM or not has_polars():
            return chosen
        columnar = ENGINES["columnar"]
        return columnar if not _refused(prepare(columnar.name)) else chosen
    refused = _refused(prepare(chosen.name))
    if refused:
        raise UsageError(
            message("engine.unsupported", engine=chosen.name, count=len(refused)),
            [
                Diagnostic(
                    code="A0103",
                    kind="unsupported",
                    span=r.span,
                    message=getattr(r, "said", None)
                    or message("engine.cannot-evaluate", engine=chosen.name, what=r.what),
                    hint=message("engine.use-row"),
                )
                for r in refused
            ],
        )
    return chosen


def _refused(prepared: object) -> tuple[Any, ...]:
    found = getattr(prepared, "refused", ())
    return tuple(found)


class DatabaseConnection(Protocol):
    """An open connection to a database: DuckDB's or psycopg's (what is asked of it is
    read in `engine.sql.connect.Database`)."""

    def close(self) -> None: ...


Connection: TypeAlias = str | os.PathLike[str] | DatabaseConnection
"""A database `Rules.evaluate` reads with the SQL engine: a DuckDB or psycopg connection, a
PostgreSQL URL, a DuckDB file (`engine.sql.connect.Database.of`)."""


def database_given(data: object) -> bool:
    """Whether `data` is a database rather than records: a connection of DuckDB or psycopg,
    a PostgreSQL or DuckDB URL, or a DuckDB file (records are a mapping of kinds)."""
    if isinstance(data, (str, os.PathLike)):
        text = os.fspath(data)
        schemes = ("postgresql://", "postgres://", "duckdb://")
        return str(text).lower().startswith(schemes) or str(text).endswith((".duckdb", ".db"))
    return type(data).__module__.split(".")[0] in ("duckdb", "_duckdb", "psycopg")


def has_sql() -> bool:
    """Whether the SQL engine's libraries (the `sql` and `polars` extras) are installed."""
    found = importlib.util.find_spec
    return all(found(name) is not None for name in ("duckdb", "sqlglot", "polars"))


def has_polars() -> bool:
    """Whether Polars (the `polars` extra) is installed."""
    return importlib.util.find_spec("polars") is not None
