"""A database the SQL engine reads where its tables are: a DuckDB connection or file, a
psycopg connection or a PostgreSQL URL (`Database.of`), which runs SQL and gives rows or
a Polars frame (a whole-number DECIMAL, such as a scaled integer, as Int128)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import urlsplit, urlunsplit

from emurules.errors import UsageError, given
from emurules.i18n import message

if TYPE_CHECKING:
    import polars as pl

DatabaseDialect = Literal["duckdb", "postgres"]


# PostgreSQL type OIDs -> how a frame holds the column
_PG_INTEGERS: Final = (20, 21, 23, 26)
_PG_NUMERIC: Final = 1700
_PG_FLOATS: Final = (700, 701)
_PG_TEXTS: Final = (19, 25, 1042, 1043)
_PG_BOOL: Final = 16
_PG_DATE: Final = 1082


# ---- the database -------------------------------------------------------------------------


class QueryFailed(UsageError):
    """The database refused a query or could not finish it (the reason is the driver's
    first line): the caller's connection, rights or server, not the rules."""


def _driver_error(error: Exception) -> bool:
    """Whether the error is a database driver's (DuckDB's or psycopg's)."""
    for name, base in (("duckdb", "Error"), ("psycopg", "Error")):
        module = sys.modules.get(name)
        if module is not None and isinstance(error, getattr(module, base)):
            return True
    return False


class Database:
    """A database to read: a DuckDB connection, a psycopg connection, or one opened from a
    URL (`Database.of`). `close()` closes only what it opened."""

    def __init__(self, connection: Any, dialect: DatabaseDialect, *, owned: bool = False) -> None:
        self.connection = connection
        self.dialect: DatabaseDialect = dialect
        self.owned = owned

    @classmethod
    def of(cls, source: object) -> Database:
        """`source` as a database: a `Database`, a DuckDB or psycopg connection, a
        `postgresql://` (or `postgres://`) URL, or a DuckDB file (`duckdb:///path`, or a
        path ending `.duckdb` or `.db`, opened read-only). Raises UsageError otherwise."""
        if isinstance(source, Database):
            return source
        duckdb = sys.modules.get("duckdb")
        if duckdb is not None and isinstance(source, duckdb.DuckDBPyConnection):
            return cls(source, "duckdb")
        psycopg = sys.modules.get("psycopg")
        if psycopg is not None and isinstance(source, psycopg.Connection):
            return cls(source, "postgres")
        if isinstance(source, str | os.PathLike):
            text = os.fspath(source)
            if isinstance(text, str):
                if text.startswith(("postgresql://", "postgres://")):
                    return cls(_postgres(text), "postgres", owned=True)
                path = text.removeprefix("duckdb://") if text.startswith("duckdb://") else None
                if path is None and Path(text).suffix.lower() in (".duckdb", ".db"):
                    path = text
                if path is not None:
                    return cls(_duckdb(path, text), "duckdb", owned=True)
        said = message("database.not-a-database", given=_shown(source))
        raise UsageError(said, hint=message("database.accepts"))

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows of a query, as the driver gives them."""
        with self._failing():
            if self.dialect == "duckdb":
                return list(self.connection.execute(sql).fetchall())
            with self.connection.cursor() as cursor:
                cursor.execute(sql)
                return [tuple(row) for row in cursor.fetchall()]

    @contextlib.contextmanager
    def _failing(self) -> Iterator[None]:
        """A query the database refuses or cannot finish (a lost connection, a permission,
        a cell it cannot convert) as a `QueryFailed` naming the reason, never the
        driver's own exception; a PostgreSQL transaction it aborted is rolled back, so
        that the tables' problems can still be looked for."""
        try:
            yield
        except QueryFailed:
            raise
        except Exception as error:
            if not _driver_error(error):
                raise
            if self.dialect == "postgres":
                with contextlib.suppress(Exception):
                    self.connection.rollback()
            first = str(error).strip().splitlines()
            reason = first[0] if first else type(error).__name__
            raise QueryFailed(message("database.query-failed", reason=reason)) from None

    def frame(self, sql: str) -> pl.DataFrame:
        """The rows of a query as a Polars frame; a whole-number DECIMAL or NUMERIC
        column (a scaled integer) as Int128, exactly."""
        with self._failing():
            return self._frame(sql)

    def _frame(self, sql: str) -> pl.DataFrame:
        import polars as pl

        if self.dialect == "duckdb":
            found: pl.DataFrame = self.connection.sql(sql).pl()
            whole = [
                name
                for name, dtype in found.schema.items()
                if isinstance(dtype, pl.Decimal) and dtype.scale == 0
            ]
            return found.with_columns(pl.col(*whole).cast(pl.Int128)) if whole else found
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
            described = [(d.name, d.type_code) for d in cursor.description or ()]
        series = []
        for index, (name, oid) in enumerate(described):
            values = [row[index] for row in rows]
            series.append(pl.Series(name, *_pg_column(values, oid)))
        return pl.DataFrame(series)

    def close(self) -> None:
        """Closes the connection if this opened it (from a URL or a path)."""
        if self.owned:
            self.connection.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _pg_column(values: list[Any], oid: int) -> tuple[list[Any], Any]:
    """A PostgreSQL column's values and its Polars type: NUMERIC of whole numbers (a
    scaled integer) as Int128, integers as Int64, others by their type."""
    import polars as pl

    if oid == _PG_NUMERIC:
        present = [v for v in values if v is not None]
        if all(v == v.to_integral_value() for v in present):
            return [None if v is None else int(v) for v in values], pl.Int128
        places = max(max(-_exponent(v), 0) for v in present)
        return values, pl.Decimal(38, places)
    if oid in _PG_INTEGERS:
        return values, pl.Int64
    kinds = {_PG_BOOL: pl.Boolean, _PG_DATE: pl.Date} | dict.fromkeys(_PG_FLOATS, pl.Float64)
    if oid in kinds:
        return values, kinds[oid]
    if oid in _PG_TEXTS:
        return values, pl.String
    return values, None


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def _shown(source: object) -> str:
    """A source as a message shows it: a URL without its user and password."""
    if isinstance(source, str) and "://" in source:
        parts = urlsplit(source)
        host = parts.netloc.rpartition("@")[2]
        return repr(urlunsplit((parts.scheme, host, parts.path, "", "")))
    return given(source)


def _postgres(url: str) -> Any:
    try:
        import psycopg
    except ImportError:
        raise UsageError(message("database.needs-driver", package="psycopg")) from None
    try:
        connection = psycopg.connect(url)
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        said = message("database.cannot-open", given=_shown(url), reason=reason)
        raise UsageError(said) from None
    # One snapshot for inspecting, validating and evaluating, and nothing written.
    connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    connection.read_only = True
    return connection


def _duckdb(path: str, written: str) -> Any:
    try:
        import duckdb
    except ImportError:
        raise UsageError(message("database.needs-driver", package="duckdb")) from None
    if not Path(path).is_file():
        reason = message("database.no-such-file")
        raise UsageError(message("database.cannot-open", given=repr(written), reason=reason))
    try:
        return duckdb.connect(path, read_only=True)
    except duckdb.Error as error:
        said = message("database.cannot-open", given=repr(written), reason=str(error))
        raise UsageError(said) from None


__all__ = ["Database", "DatabaseDialect", "QueryFailed"]
