"""The SQL engine as the registry runs it: every criterion, let, score and award's
qualification computed by the SQL of `lower`, in a database; ranking, quotas and ties
decided over the returned columns by the columnar engine's `decide`, which holds
`engine/decide.py`'s meaning (ranking is shared, never written a third time).

Records given in memory go to an embedded DuckDB, as Arrow columns of scaled integers
(no copy of a cell through Python); the database's answer comes back as Arrow columns.
A division by zero the SQL flags, or a value the columns cannot hold, hands the table to
the row engine, which reports it as it always does (`NeedsRow`)."""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping
from typing import Any, cast

import attrs
import polars as pl
from sqlglot import exp

from emurules.data.columns import KindCells
from emurules.data.history import History
from emurules.data.validate import Table
from emurules.engine.closures import Compiled
from emurules.engine.columnar import exact, run
from emurules.engine.columnar.engine import ColumnarEngine, NeedsRow, qualified_name
from emurules.engine.columnar.exact import Col
from emurules.engine.columnar.frames import KEY, ROW
from emurules.engine.columnar.lower import kind_of, true
from emurules.engine.columnar.support import Refusal, refusals
from emurules.engine.sql.lower import Query, SqlPlan, lower
from emurules.engine.sql.refuse import Unsupported
from emurules.engine.sql.scaled import column
from emurules.engine.sql.split import over_columns
from emurules.i18n import Message
from emurules.plan import ir
from emurules.plan.steps import Award, Criterion, Let, Plan, Score
from emurules.result import Result
from emurules.source import Span

_DTYPES: dict[str, pl.DataType] = {
    "enum": pl.Int64(),
    "bool": pl.Boolean(),
    "text": pl.String(),
    "date": pl.Date(),
}
SQL = "__sql_"  # a computed column as the database returned it, before its step takes it
KINDS: dict[str, exact.Kind] = {
    "number": "num",
    "bool": "bool",
    "text": "text",
    "enum": "enum",
    "date": "date",
}


@attrs.frozen
class Refused:
    """What the SQL does not compute, as `lower` says it, and where."""

    said: Message
    span: Span | None


@attrs.frozen
class Prepared:
    """What the engine keeps per ruleset: what it refuses (what the columnar stage cannot
    do), the steps it computes over the answered columns rather than in SQL (`split`),
    each with the SQL's reason (`over_columns`, `why`, in file order), and the row
    engine's closures (explanations, and a table handed over)."""

    refused: tuple[Refusal | Refused, ...]
    compiled: Compiled
    over_columns: frozenset[tuple[str, str]] = frozenset()
    why: tuple[Refused, ...] = ()

    @classmethod
    def of(cls, plan: Plan) -> Prepared:
        found: list[Refusal | Refused] = list(refusals(plan))
        schema = plan.schema
        columns: frozenset[tuple[str, str]] = frozenset()
        why: list[Refused] = []
        if schema is not None:  # numbers as small as data can have them: "too large" here
            names = {name for kind in schema.kinds.values() for name in kind.fields}
            least, digits = dict.fromkeys(names, 0), dict.fromkeys(names, 1)
            refused: list[Unsupported] = []
            lower(plan, schema, "duckdb", scales=least, digits=digits, decided=True,
                  refused=refused)  # fmt: skip
            refused.sort(key=lambda error: error.span.start if error.span else -1)  # file order
            columns = over_columns(plan, [e.step for e in refused if e.step is not None])
            why = [Refused(error.message, error.span) for error in refused]
            found.extend(w for w, e in zip(why, refused, strict=True) if e.step is None)
        return cls(tuple(found), Compiled.of(plan), columns, tuple(why))


def evaluate(plan: Plan, prepared: Prepared, table: Table, year: int) -> tuple[Result, str]:
    """The result and the engine that made it: "sql", or "row" (`NeedsRow`)."""
    return evaluate_cells(plan, prepared, run.cells_of(plan, table), table, year, table.history)


def evaluate_cells(
    plan: Plan,
    prepared: Prepared,
    cells: Mapping[str, KindCells],
    table: Table | Any,
    year: int,
    history: History | None = None,
) -> tuple[Result, str]:
    """The same from records read as columns; `table` is the validated table, or what
    makes it (called once, if the row engine is ever needed)."""
    made = table if callable(table) else lambda: table
    ready = run.Prepared((), prepared.compiled)
    engine = functools.partial(SqlEngine, over_columns=prepared.over_columns)
    return run.evaluate_cells(plan, ready, cells, made, year, history, engine, "sql")


class SqlEngine(ColumnarEngine):
    """The columnar engine whose computed steps are read from the SQL's answer, computed
    by an embedded DuckDB over the same columns."""

    def __init__(
        self,
        plan: Plan,
        cells: Mapping[str, KindCells],
        year: int,
        history: History | None = None,
        answers: Mapping[str, tuple[Query, pl.DataFrame]] | None = None,
        over_columns: Collection[tuple[str, str]] = (),
    ) -> None:
        """`answers`: each kind's query and what a database answered (the key as `KEY`,
        answers prefixed `SQL`); None: computed here, on an embedded DuckDB. The steps
        `over_columns` (`(kind, name)`) are computed here, by the columnar engine's code."""
        self.given = dict(answers or {})
        self.over_columns = frozenset(over_columns)
        super().__init__(plan, cells, year, history)
        self.computed: dict[str, dict[str, Col]] = {kind: {} for kind in plan.kinds}
        if answers is None:
            self.compute()
        for query, answer in self.given.values():
            self.take(query, answer, aligned=True)

    def load(self, kind: str, reads: dict[str, ir.VType]) -> None:
        """A kind a database answered is read from the columns it fetched, as the SQL
        presented them (no field's distinct values listed, no codes joined); any other
        as the columnar engine reads records."""
        found = self.given.get(kind)
        key = self.plan.schema.kinds[kind].key if self.plan.schema is not None else None
        plain = all(kind_of(vtype) in ("num", *_DTYPES) for vtype in reads.values())
        if found is None or key in reads or not plain:
            super().load(kind, reads)
            return
        query, answer = found
        scales = {c.name: c.scale for c in query.columns if c.role == "input"}
        series = [
            answer.get_column(KEY).cast(pl.String),
            pl.Series(ROW, range(answer.height), dtype=pl.UInt32),
        ]
        columns: dict[str, Col] = {}
        for name, vtype in reads.items():
            made = answer.get_column(name)
            sort = kind_of(vtype)
            if sort == "num":
                made = made.cast(exact.INT)
                largest = made.abs().max()
                bound = int(cast(int, largest)) if largest is not None else 0
                columns[name] = Col(pl.col(name), "num", scales[name], bound)
            else:
                made = made.cast(_DTYPES[sort])
                columns[name] = Col(pl.col(name), sort)
            series.append(made.alias(name))
        self.frames[kind] = pl.DataFrame(series)
        self.columns[kind] = columns
        self.types[kind] = dict(reads)

    def compute(self) -> None:
        """Run each kind's SQL on DuckDB and keep its answers beside the inputs."""
        import duckdb

        schema = self.plan.schema
        assert schema is not None
        scales: dict[str, int] = {}
        digits: dict[str, int] = {}
        tables = {kind: self.table(kind, scales, digits) for kind in self.plan.kinds}
        sql = functools.partial(lower, self.plan, schema, "duckdb", scales=scales,
                                digits=digits, year=self.year, decided=True,
                                skip=self.over_columns)  # fmt: skip
        try:
            narrow = sql(narrow=True)
        except Unsupported as error:
            if error.message.id != "sql.too-large":
                raise
            raise NeedsRow from error  # this data's numbers would pass 38 digits
        connection = duckdb.connect()
        try:
            for kind in self.plan.kinds:
                connection.register(kind, tables[kind].to_arrow())
            try:
                answers = self.answers(connection, narrow)
            except duckdb.Error:  # a 64-bit overflow the bounds did not foresee
                if not narrow.narrow:
                    raise
                answers = self.answers(connection, sql())
        finally:
            connection.close()
        for query, answer in answers:
            self.take(query, answer)

    def answers(self, connection: Any, sql: SqlPlan) -> list[tuple[Query, pl.DataFrame]]:
        schema = self.plan.schema
        assert schema is not None
        return [
            (query, connection.sql(_outputs(sql, query, schema.kinds[query.kind].key)).pl())
            for query in sql.queries
        ]

    def table(self, kind: str, scales: dict[str, int], digits: dict[str, int]) -> pl.DataFrame:
        """The kind's records as the SQL reads them: every field of the kind (those the
        rules never read as empty columns), numbers as DECIMAL(38, 0) scaled integers."""
        schema = self.plan.schema
        assert schema is not None
        found = schema.kinds[kind]
        frame = self.frames[kind]
        columns: list[pl.Expr] = []
        for name, field in found.fields.items():
            col = self.columns[kind].get(name)
            key = f"{kind}.{name}"
            if name == found.key:
                columns.append(pl.col(KEY).alias(name))
            elif col is None or name not in frame.columns:
                columns.append(_empty(name, field.type.kind))
            elif col.kind == "num":
                scales[key] = col.scale
                digits[key] = _digits(frame.get_column(name), col.scale)
                columns.append(pl.col(name).cast(pl.Decimal(38, 0)))
            else:
                columns.append(pl.col(name))
        return frame.select(columns) if columns else frame.select(pl.col(KEY))

    def take(self, query: Query, answer: pl.DataFrame, *, aligned: bool = False) -> None:
        """Keep the SQL's answers for a kind (`aligned`: row for row in record order, as
        a database's are; else matched by key); a division by zero it flags is the row
        engine's to report."""
        flags = [SQL + c.name for c in query.columns if c.role == "failed"]
        if flags and answer.height and answer.select(pl.any_horizontal(flags).any()).item():
            raise NeedsRow
        wanted = [c for c in query.columns if c.role in ("value", "qualified")]
        casts = [pl.col(KEY).cast(pl.String)]
        for c in wanted:
            dtype = {"number": exact.INT, "enum": pl.Int64}.get(c.sort)
            made = pl.col(SQL + c.name)
            casts.append(made.cast(dtype) if dtype is not None else made)
            self.computed[query.kind][c.name] = Col(pl.col(SQL + c.name), KINDS[c.sort], c.scale)
        taken = answer.select(casts)
        frame = self.frames[query.kind]
        if aligned:
            self.frames[query.kind] = frame.hstack(taken.drop(KEY).get_columns())
            return
        self.frames[query.kind] = frame.join(taken, on=KEY, how="left", maintain_order="left")

    def criterion(self, step: Criterion) -> None:
        if (step.kind, step.name) in self.over_columns:
            super().criterion(step)
            return
        made = self.step(step.kind)
        columns = {step.name: self.computed[step.kind][step.name]}
        if step.where is not None:  # whether it applies, for explanations
            columns[f"__where_{step.name}"] = Col(true(made.lower(step.where)), "bool")
        self.types[step.kind][step.name] = step.expr.type
        self.store(step.kind, columns, made)

    def value(self, step: Score | Let) -> None:
        if (step.kind, step.name) in self.over_columns:
            super().value(step)
            return
        self.types[step.kind][step.name] = step.expr.type
        value = self.computed[step.kind][step.name]
        self.store(step.kind, {step.name: value}, self.step(step.kind))

    def qualify(self, step: Award) -> None:
        """The SQL's qualification, and every award it `requires`, decided here."""
        if (step.kind, step.name) in self.over_columns:
            super().qualify(step)
            return
        met = self.computed[step.kind][f"qualified__{step.name}"]
        required = [pl.col(c.requires).fill_null(False) for c in step.conditions if c.requires]
        if required:
            met = Col(pl.all_horizontal(met.expr.fill_null(False), *required), "bool")
        self.store(step.kind, {qualified_name(step.name): met}, self.step(step.kind))

    def run(self) -> None:
        super().run()
        for kind, frame in self.frames.items():
            self.frames[kind] = frame.drop([c for c in frame.columns if c.startswith(SQL)])


def _outputs(sql: SqlPlan, query: Query, key: str) -> str:
    """The query's answers only (not the inputs it was given back), with the key."""
    wanted = [c for c in query.columns if c.role in ("value", "qualified", "failed")]
    select = exp.select(
        exp.alias_(column(key), KEY, quoted=True),
        *(exp.alias_(column(c.name), SQL + c.name, quoted=True) for c in wanted),
    ).from_(_answers(query.select))
    return select.sql(dialect=sql.dialect)


def _answers(select: exp.Expr) -> exp.Subquery:
    assert isinstance(select, exp.Select)
    return select.subquery("answers")


def _empty(name: str, kind: str) -> pl.Expr:
    """A field the rules never read, as an empty column of the type the SQL expects."""
    dtype: pl.DataType = {
        "int": pl.Decimal(38, 0),
        "number": pl.Decimal(38, 0),
        "percent": pl.Decimal(38, 0),
        "enum": pl.Int64(),
        "bool": pl.Boolean(),
        "date": pl.Date(),
    }.get(kind, pl.String())
    return pl.lit(None, dtype=dtype).alias(name)


def _digits(values: pl.Series, scale: int) -> int:
    """Digits before the point of the largest value (at least 1)."""
    ends = [values.max(), values.min()] if values.len() else []
    largest = max((abs(int(str(v))) for v in ends if v is not None), default=0)
    return max(1, len(str(largest)) - scale)
