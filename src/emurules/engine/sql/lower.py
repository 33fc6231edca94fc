"""A `Plan` lowered to SQL: one SELECT per subject kind, built with sqlglot's expression
builders and written for DuckDB, PostgreSQL or Spark SQL.

The SELECT reads a table named after the kind whose columns are the kind's input fields
(numbers as scaled integers, enums as their index in declaration order, see `scaled`)
and computes, in CTEs following the plan's dependency order (`chain`), every criterion,
let and score as a column named after it, and for each award `qualified__<award>`:
whether the subject meets every condition; `broken__<n>` is TRUE where a record breaks
the n-th data rule (`require`, numbered in the order of the file), which the caller must
refuse as `Rules.evaluate` does.

Two uses. The text `emurules sql` prints, for a database to run on its own, also decides
ranked awards and quotas (`decision`), places in league tables, and reads other kinds'
tables and the history through joins (`foreign`): aggregates over a relation's members,
paths through references, `streak` and `held`. The SQL engine's own run (`decided`, or
`tables`) leaves deciding to the shared `engine/decide.py` and refuses those nodes, which
it computes over the columns the database answered (`split`).

A division by zero gives NULL and sets the step's flag column `failed__<step>` (TRUE where
the row engine would report it, following its order of evaluation); the caller must
treat a TRUE flag as the row engine's EvaluationError. Nothing is skipped silently: what
is not computed here (a pool, a past value, a value beyond 38 digits, and in a run the
nodes above) is refused when the SQL is planned, naming the node and its place in the
criteria (`refuse.Unsupported`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import ROUND_CEILING

import attrs
from sqlglot import exp

from emurules.engine.sql.chain import Chain, Chains
from emurules.engine.sql.columns import BAD, ROW, Column
from emurules.engine.sql.decision import COUNT_DIGITS, decide, league, place_name, quota_name
from emurules.engine.sql.expr import Lowering, holds
from emurules.engine.sql.foreign import Foreign
from emurules.engine.sql.pools import Pools
from emurules.engine.sql.refuse import Unsupported, refuse
from emurules.engine.sql.scaled import (
    DIALECTS,
    Arithmetic,
    Dialect,
    Value,
    column,
    digits_of,
    integer_type,
    narrowed,
    sort_of,
)
from emurules.i18n import message
from emurules.plan import ir
from emurules.plan.passes import shared_name
from emurules.plan.schema import FieldSchema, KindSchema, Schema
from emurules.plan.steps import Award, Condition, Criterion, Let, Plan, Ranking, Score, Step
from emurules.source import Span

DEFAULT_SCALE = 6  # places after the point assumed for a number input column
NARROW_DIGITS = 18  # below 10**18, within a 64-bit integer (below 9.2 * 10**18)
DEFAULT_DIGITS = 12  # digits before the point assumed for an input without declared range


@attrs.frozen
class Assumed:
    """What the SQL assumes of a number input column: its scale and a bound on its digits
    before the point (from the declared range, else assumed); data beyond them must be
    refused before it is loaded (`sql.data.scaled_rows`)."""

    kind: str
    field: str
    scale: int
    digits: int


@attrs.frozen
class Query:
    kind: str
    select: exp.Expr
    columns: tuple[Column, ...]


@attrs.frozen
class SqlPlan:
    """The SQL of a ruleset for one dialect: one query per subject kind."""

    title: str | None
    dialect: Dialect
    queries: tuple[Query, ...]
    assumed: tuple[Assumed, ...]
    narrow: bool = False  # its integers are DuckDB BIGINT (`scaled.narrowed`)
    across: bool = False  # a kind's query reads other kinds' tables (relations, paths)
    history: bool = False  # a query reads the table `history(key, year, award)`

    def query(self, kind: str) -> Query:
        return next(q for q in self.queries if q.kind == kind)

    def sql(self, kind: str, *, pretty: bool = True) -> str:
        return self.query(kind).select.sql(dialect=self.dialect, pretty=pretty)

    def text(self) -> str:
        """Every query, each ended by a semicolon."""
        return "\n\n".join(self.sql(q.kind) + ";" for q in self.queries) + "\n"


def lower(
    plan: Plan,
    schema: Schema,
    dialect: Dialect = "duckdb",
    *,
    scales: Mapping[str, int] | None = None,
    digits: Mapping[str, int] | None = None,
    year: int | None = None,
    tables: Mapping[str, exp.Expr] | None = None,
    decided: bool = False,
    refused: list[Unsupported] | None = None,
    skip: Collection[tuple[str, str]] = (),
    narrow: bool = False,
) -> SqlPlan:
    """The SQL of `plan` (with its `schema`) for `dialect`. `scales` and `digits` give a
    number input's places after the point and digits before it, by `"kind.field"` or by
    field name (defaults 6 and 12; a declared range bounds the digits); `year` is the
    assessment year (`year` in the criteria; the plan's when None). `tables` gives, by
    kind, what its query reads instead of the table named after it (`tables.inputs`: a
    table of the database presented in the input format, with a `__row` column giving the
    records' order and a `__bad` flag); such a query also gives `__row` and `__bad` (the
    last columns, roles `row` and `bad`) and its rows in that order. With `decided`, the
    caller decides awards and rankings (the SQL engine's run): a ranking is left out, and
    so is each `requires`, which the caller adds to `qualified__<award>`. Raises
    `refuse.Unsupported` naming the first node the SQL does not compute; given a list as
    `refused`, appends every step's refusal to it instead (all at once, each step's
    first, its `step` set: what is planned then is not to be run). The steps in `skip`
    (`(kind, name)`: computed by the caller, `split.over_columns`) are left out. With
    `narrow`, a DuckDB query whose integers the bounds keep within 18 digits computes
    them as BIGINT (the plan says so: a caller that meets an overflow runs it without)."""
    if dialect not in DIALECTS:
        raise refuse(message("sql.unknown-dialect", dialect=str(dialect), known=DIALECTS))
    _reserved(plan, schema)
    arithmetic = Arithmetic(dialect)
    chains = Chains()
    kinds: dict[str, _Kind] = {}
    assumed: list[Assumed] = []
    planned = [k for k in plan.kinds if k in schema.kinds]
    for kind in planned:
        found = schema.kinds[kind]
        inputs = [_input(kind, f, scales or {}, digits or {}) for f in found.fields.values()]
        assumed.extend(a for _, a in inputs if a is not None)
        for (_, value, _), _ in inputs:
            arithmetic.seen(value.digits)
        prefix = f"{kind}__" if len(planned) > 1 else ""
        table = None if tables is None else tables.get(kind)
        made = _Kind(found, arithmetic, [v for v, _ in inputs], year if year is not None
                     else plan.year, chains, prefix, table)  # fmt: skip
        made.rules(plan)
        kinds[kind] = made
    if not decided and tables is None:  # the text a database runs on its own
        pools = Pools(kinds)
        for made in kinds.values():
            made.lowering.foreign = Foreign(kinds, plan.relations, made.kind.name)
            made.pools = pools
    skipped = set(skip)
    for step in plan.steps:
        lowered = kinds.get(step.kind)
        if lowered is not None and (step.kind, step.name) not in skipped:
            lowered.step(step, decided, refused)
    queries = [lowered.query() for lowered in kinds.values()]
    sql = SqlPlan(plan.title, dialect, tuple(queries), tuple(assumed),
                  across=chains.across, history=chains.history)  # fmt: skip
    if narrow and dialect == "duckdb" and arithmetic.widest <= NARROW_DIGITS:
        narrowed_queries = tuple(attrs.evolve(q, select=narrowed(q.select)) for q in queries)
        return attrs.evolve(sql, queries=narrowed_queries, narrow=True)
    return sql


def _input(
    kind: str, field: FieldSchema, scales: Mapping[str, int], digits: Mapping[str, int]
) -> tuple[tuple[FieldSchema, Value, Column], Assumed | None]:
    sort = sort_of(field.type) or "text"
    enum = field.type.name if sort == "enum" else None
    if sort != "number":
        value = Value(column(field.name), sort, nullable=field.optional)
        return (field, value, Column(field.name, "input", sort, enum=enum)), None
    key = f"{kind}.{field.name}"
    scale = (
        0 if field.type.kind == "int" else scales.get(key, scales.get(field.name, DEFAULT_SCALE))
    )
    places = digits.get(key, digits.get(field.name, DEFAULT_DIGITS))
    if field.low is not None and field.high is not None:
        bound = max(abs(field.low[0]), abs(field.high[0]))
        places = digits_of(int(bound.to_integral_value(rounding=ROUND_CEILING)))
    value = Value(column(field.name), "number", scale, places + scale, field.optional)
    made = Assumed(kind, field.name, scale, places)
    return (field, value, Column(field.name, "input", "number", scale)), made


class _Kind:
    """The query of one subject kind, made step by step: its chain of CTEs, what its
    expressions read (`Lowering`) and its output columns."""

    def __init__(
        self,
        kind: KindSchema,
        a: Arithmetic,
        inputs: list[tuple[FieldSchema, Value, Column]],
        year: int | None,
        chains: Chains,
        prefix: str,
        table: exp.Expr | None,
    ) -> None:
        self.kind = kind
        self.a = a
        self.table = table
        base = exp.select(
            *(
                exp.alias_(exp.cast(column(f.name), integer_type(a.dialect)), f.name, quoted=True)
                if v.sort == "number"
                else column(f.name)
                for f, v, _ in inputs
            )
        ).from_(exp.table_(kind.name, quoted=True) if table is None else table.copy())
        if table is not None:  # a database's table: its records' order and flag come along
            base = base.select(column(ROW), column(BAD))
        self.chain = Chain(chains, prefix, base)
        self.lowering = Lowering(a, {f.name: v for f, v, _ in inputs}, year)
        self.columns = [c for _, _, c in inputs]
        self.pools: Pools | None = None  # deciding pools (the text a database runs)

    def rules(self, plan: Plan) -> None:
        """The data rules (`require`): read on the inputs, before anything is computed."""
        rules = [(i, r) for i, r in enumerate(plan.rules, 1) if r.kind == self.kind.name]
        if not rules:
            return
        lowering = self.lowering
        lowering.step, lowering.helpers, lowering.hoisted = "rules", [], 0
        self.a.hoist = lowering.hoist
        broken = [(f"broken__{i}", exp.not_(holds(lowering(r.expr)))) for i, r in rules]
        self.helpers()
        self.chain.add("rules", broken)
        self.columns.extend(Column(n, "broken", "bool", step=r.label) for (n, _), (_, r) in
                            zip(broken, rules, strict=True))  # fmt: skip

    def helpers(self) -> None:
        for helper, sql in self.lowering.helpers:
            self.chain.add(helper, [(helper, sql)])
        self.lowering.helpers = []

    def step(self, step: Step, decided: bool, refused: list[Unsupported] | None) -> None:
        lowering = self.lowering
        lowering.step, lowering.helpers, lowering.hoisted = step.name, [], 0
        self.a.hoist = lowering.hoist
        try:
            self.lower(step, decided)
        except Unsupported as error:
            if refused is None:
                raise
            error.step = (step.kind, step.name)
            refused.append(error)
            _stand_in(step, lowering)

    def lower(self, step: Step, decided: bool) -> None:
        made = _step(step, self.lowering, self.a, decided, self.kind.key)
        if made is None:
            return
        outputs, value_columns, later = made
        self.helpers()
        self.chain.add(step.name, outputs)
        for name_, sql in later:  # each after what it reads: a decision's steps
            self.chain.add(name_, [(name_, sql)])
        if not _shared(step):
            self.columns.extend(value_columns)
        if isinstance(step, Award) and step.pool is not None and not decided:
            if self.pools is None:  # a database's tables: the caller decides awards
                said = message("sql.unsupported-pool", award=step.name, name=step.pool.name)
                raise refuse(said, step.span)
            self.pools.add(step, self)  # decides the pool with its last award

    def query(self) -> Query:
        columns = list(self.columns)
        if self.table is not None:
            columns.extend((Column(ROW, "row", "number"), Column(BAD, "bad", "bool")))
        last = self.chain.last
        final = exp.select(*(column(c.name) for c in columns)).from_(exp.table_(last, quoted=True))
        if self.table is not None:
            final = final.order_by(column(ROW))
        for cte, select in self.chain.chains.needed(last):
            final = final.with_(exp.to_identifier(cte, quoted=True), as_=select)
        return Query(self.kind.name, final, tuple(columns))


def _reserved(plan: Plan, schema: Schema) -> None:
    """Refuse names holding `__`: the SQL names its own columns so (`qualified__A`,
    `place__A`, a step's helpers `s__1`, its joins `s__join2`), and a column of the same
    name would be read in their stead, silently."""
    found: list[tuple[str, Span | None]] = []
    for kind in plan.kinds:
        info = schema.kinds.get(kind)
        if info is not None:
            found.extend((n, None) for n in (kind, *info.fields) if "__" in n)
    for step in plan.steps:
        if "__" in step.name and not _shared(step):
            found.append((step.name, _span(step)))
    if found:
        name, span = found[0]
        errors = [refuse(message("sql.reserved-name", name=n), at) for n, at in found]
        raise Unsupported(message("sql.reserved-name", name=name), span,
                          [d for e in errors for d in e.diagnostics])  # fmt: skip


def _span(step: Step) -> Span | None:
    match step:
        case Award():
            return step.span
        case Ranking():
            return step.keys[0].expr.span if step.keys else None
    return step.expr.span


def _shared(step: Step) -> bool:
    """A path the plan computes once for the steps that read it (`passes.share_paths`):
    a column of the CTEs, not of the output (the row engine gives no value named so)."""
    match step:
        case Let(expr=ir.Path() as path):
            return step.name == shared_name(path)
    return False


def _stand_in(step: object, lowering: Lowering) -> None:
    """A refused step read by later ones as a missing value of its sort, so that their
    own refusals are found too."""
    match step:
        case Award():
            lowering.awards[step.name] = False
        case Criterion() | Let() | Score():
            sort = sort_of(step.expr.type) or "text"
            lowering.columns[step.name] = Value(exp.null(), sort, 0, 1)


# a step's columns, their descriptions, and columns computed after them (a decision's)
Outputs = tuple[list[tuple[str, exp.Expr]], list[Column], list[tuple[str, exp.Expr]]]


def _step(
    step: object, lowering: Lowering, a: Arithmetic, decided: bool, key: str
) -> Outputs | None:
    match step:
        case Ranking() if decided:
            return None
        case Ranking():
            outputs = league(step, lowering, key)
            lowering.columns[step.name] = Value(column(step.name), "number", 0, COUNT_DIGITS,
                                                nullable=len(outputs) > 1)  # fmt: skip
            columns = [Column(step.name, "value", "number", 0)]
            if len(outputs) > 1:
                columns.append(Column(f"failed__{step.name}", "failed", "bool", step=step.name))
            return outputs, columns, []
        case Award():
            return None if step.given else _award(step, lowering, decided, key)
        case Criterion() | Let() | Score():
            return _value(step, lowering, a)
    return None


def _value(step: Criterion | Let | Score, lowering: Lowering, a: Arithmetic) -> Outputs:
    got = lowering(step.expr)
    if sort_of(step.expr.type) is None:
        raise refuse(message("sql.unsupported-value", name=step.name), step.expr.span)
    if isinstance(step, Score) and step.digits is not None and got.sort == "number":
        got = a.round_half(got, step.digits)
    fails = got.fails
    if isinstance(step, Criterion):
        if step.maximum is not None and got.sort == "number":
            got = a.clamp(got, step.maximum)
        if step.where is not None:
            where = lowering(step.where)
            applies = holds(where)
            taken = None if fails is None else exp.and_(applies, fails)
            parts = [p for p in (where.fails, taken) if p is not None]
            fails = exp.or_(*parts) if parts else None
            sql: exp.Expr = exp.case().when(applies, got.sql)
            got = attrs.evolve(got, sql=sql, nullable=True)
    value = got.sql
    if got.sort == "number":  # stored as the scaled-integer type, whatever the literals
        value = exp.cast(value, integer_type(a.dialect))
    if fails is not None:
        value = exp.case().when(fails, exp.null()).else_(value)
    enum = step.expr.type.name if got.sort == "enum" else None
    lowering.columns[step.name] = Value(column(step.name), got.sort, got.scale, got.digits,
                                        got.nullable or fails is not None)  # fmt: skip
    outputs = [(step.name, value)]
    columns = [Column(step.name, "value", got.sort, got.scale, enum)]
    if fails is not None:
        outputs.append((f"failed__{step.name}", fails))
        columns.append(Column(f"failed__{step.name}", "failed", "bool", step=step.name))
    return outputs, columns, []


def _award(step: Award, lowering: Lowering, decided: bool, subject: str) -> Outputs:
    tests: list[exp.Expr] = []
    fails: list[exp.Expr] = []
    for condition in step.conditions:
        if condition.requires is not None and decided:
            continue
        if condition.requires is not None:
            received = lowering.columns.get(condition.requires)
            if received is None:
                said = message("sql.unsupported-requires", name=step.name,
                               award=condition.requires)  # fmt: skip
                raise refuse(said, condition.span or step.span)
            tests.append(received.sql)
            continue
        test, failed = _condition(condition, lowering)
        tests.append(test)
        fails.extend(failed)
    qualified: exp.Expr = exp.and_(*tests) if tests else exp.true()
    name = f"qualified__{step.name}"
    outputs = [(name, qualified)]
    columns = [Column(name, "qualified", "bool", step=step.name)]
    for key in step.rank_by:  # evaluated for the qualified by the row engine: may fail
        try:
            ranked = lowering(key.expr)
        except Unsupported:  # never computed here; only a division by zero would matter
            continue
        if ranked.fails is not None:
            fails.append(exp.and_(qualified, ranked.fails))
    everyone = step.quota is None and step.pool is None
    if decided and any(c.requires is not None for c in step.conditions):
        everyone = False  # its qualification is completed by the caller
    lowering.awards[step.name] = everyone
    if everyone:  # every qualified subject receives it: its value is the qualification
        lowering.columns[step.name] = Value(column(name), "bool", nullable=False)
    if fails:
        outputs.append((f"failed__{step.name}", exp.or_(*fails)))
        columns.append(Column(f"failed__{step.name}", "failed", "bool", step=step.name))
    later: list[tuple[str, exp.Expr]] = []
    if not decided and step.pool is None and (step.rank_by or step.quota is not None):
        later = decide(step, lowering, subject, column(name))
        if step.rank_by:
            columns.append(Column(place_name(step.name), "place", "number", step=step.name))
        if step.quota is not None:
            columns.append(Column(quota_name(step.name), "quota", "number", step=step.name))
            columns.append(Column(step.name, "received", "bool", step=step.name))
            lowering.columns[step.name] = Value(column(step.name), "bool", nullable=False)
    return outputs, columns, later


def _condition(condition: Condition, lowering: Lowering) -> tuple[exp.Expr, list[exp.Expr]]:
    """Whether a condition holds (a failed one does not), and where it fails. Every
    condition (every part of an `any`) is evaluated, as the row engine does when one may
    fail."""
    if condition.parts:
        found = [_condition(p, lowering) for p in condition.parts]
        return exp.paren(exp.or_(*(t for t, _ in found))), [f for _, fs in found for f in fs]
    assert condition.expr is not None
    got = lowering(condition.expr)
    return holds(got), [] if got.fails is None else [got.fails]


__all__ = ["BAD", "ROW", "Assumed", "Column", "Query", "SqlPlan", "lower"]
