"""The columnar run: the plan's steps in dependency order, each one column (or, for an
award, a qualification and a decision) over every subject of its kind at once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import polars as pl

from emurules.data.columns import Cells, KindCells
from emurules.engine.columnar import exact
from emurules.engine.columnar.decide import GroupOf, decide_columns
from emurules.engine.columnar.exact import Col, Guards
from emurules.engine.columnar.frames import KEY, ROW, column, reader
from emurules.engine.columnar.lower import Lowering, true
from emurules.engine.decide import Decision
from emurules.plan import ir
from emurules.plan.passes import children
from emurules.plan.steps import Award, Criterion, Let, Plan, Score
from emurules.values import MISSING


class NeedsRow(Exception):
    """This table needs the row engine: a value beyond 38 digits, or a division by zero it
    reports (with every other, in its order)."""


def qualified_name(award: str) -> str:
    return f"__qualified_{award}"


class ColumnarEngine:
    """Evaluates a plan on a kind's records given as columns (`KindCells`); `run` fills
    `frames` and `decisions`."""

    def __init__(self, plan: Plan, cells: Mapping[str, KindCells], year: int) -> None:
        self.plan = plan
        self.cells = cells
        self.year = year
        self.frames: dict[str, pl.DataFrame] = {}
        self.columns: dict[str, dict[str, Col]] = {}
        self.types: dict[str, dict[str, ir.VType]] = {}
        self.decisions: dict[str, Decision] = {}
        for kind in plan.kinds:
            self.load(kind)

    def load(self, kind: str) -> None:
        """The kind's fields that the rules read, as columns, with the subjects' keys and
        their rows' places."""
        found = self.cells.get(kind) or KindCells([], {})
        reads = _fields(self.plan, kind)
        height = len(found.keys)
        series = [
            pl.Series(KEY, found.keys, dtype=pl.String),
            pl.Series(ROW, range(height), dtype=pl.UInt32),
        ]
        columns: dict[str, Col] = {}
        for name, vtype in reads.items():
            cells = found.fields.get(name) or Cells([MISSING], [0] * height)
            made, col = column(name, cells.values, vtype)
            given = cells.codes
            codes = given if isinstance(given, pl.Series) else pl.Series(given, dtype=pl.UInt32)
            series.append(made.gather(codes))
            columns[name] = col
        self.frames[kind] = pl.DataFrame(series)
        self.columns[kind] = columns
        self.types[kind] = dict(reads)

    def run(self) -> None:
        for step in self.plan.steps:
            match step:
                case Criterion():
                    self.criterion(step)
                case Score() | Let():
                    self.value(step)
                case Award():
                    self.award(step)

    def lowering(self, kind: str, guards: Guards, group: str | None = None) -> Lowering:
        def decided(award: str) -> tuple[str, str]:
            return qualified_name(award), award

        return Lowering(self.columns[kind], self.year, guards, group=group, decided=decided)

    def store(self, kind: str, made: dict[str, Col], guards: Guards, zeros: list[pl.Expr]) -> None:
        """Add the columns `made` to the kind's frame, unless the table needs the row
        engine (an overflow guard fired, or a division by zero it would meet)."""
        checks = [*guards.found, *zeros]
        exprs = [col.expr.alias(name) for name, col in made.items()]
        if checks:
            exprs.append(pl.any_horizontal(checks).fill_null(False).any().alias("__stop"))
        frame = self.frames[kind].lazy().with_columns(exprs).collect()
        if checks:
            if frame.height and frame.get_column("__stop")[0]:
                raise NeedsRow
            frame = frame.drop("__stop")
        self.frames[kind] = frame
        for name, col in made.items():
            self.columns[kind][name] = Col(pl.col(name), col.kind, col.scale)

    def criterion(self, step: Criterion) -> None:
        guards = Guards()
        lower = self.lowering(step.kind, guards)
        where = None if step.where is None else true(lower(step.where))
        value = lower(step.expr, where)
        if step.maximum is not None and value.kind == "num":
            value = _clamp(value, step.maximum, guards)
        if where is not None:
            value = Col(pl.when(where).then(value.expr).otherwise(None), value.kind, value.scale)
        self.types[step.kind][step.name] = step.expr.type
        self.store(step.kind, {step.name: value}, guards, lower.zero_divisions)

    def value(self, step: Score | Let) -> None:
        guards = Guards()
        lower = self.lowering(step.kind, guards)
        value = lower(step.expr)
        if isinstance(step, Score) and step.digits is not None and value.kind == "num":
            value = exact.round_to(value, step.digits)
            if value.scale < step.digits:
                value = guards.rescale(value, step.digits)
        self.types[step.kind][step.name] = step.expr.type
        self.store(step.kind, {step.name: value}, guards, lower.zero_divisions)

    def award(self, step: Award) -> None:
        kind = step.kind
        guards = Guards()
        lower = self.lowering(kind, guards)
        tests: list[pl.Expr] = []
        for condition in step.conditions:
            if condition.requires is not None:
                tests.append(pl.col(condition.requires).fill_null(False))
            elif condition.parts:
                parts = [true(lower(p.expr)) for p in condition.parts if p.expr is not None]
                tests.append(pl.any_horizontal(parts))
            elif condition.expr is not None:
                tests.append(true(lower(condition.expr)))
        met = pl.all_horizontal(tests) if tests else pl.lit(True)
        made: dict[str, Col] = {qualified_name(step.name): Col(met, "bool")}
        self.store(kind, made, guards, lower.zero_divisions)
        qualified = pl.col(qualified_name(step.name))
        guards = Guards()
        lower = self.lowering(kind, guards)
        keys: dict[str, Col] = {}
        for index, key in enumerate(step.rank_by):
            keys[f"__rank{index}"] = lower(key.expr, qualified)
        zeros = list(lower.zero_divisions)
        within = step.within.name if isinstance(step.within, ir.Read) else None
        if step.quota is not None:
            quota_lower = self.lowering(kind, guards, group=within or "")
            count = quota_lower(step.quota)
            zeros.extend(quota_lower.zero_divisions)
            whole = exact.truncate(count) if count.kind == "num" else pl.lit(0, dtype=exact.INT)
            keys["__quota"] = Col(whole.fill_null(0), "num", 0)
        self.store(kind, keys, guards, zeros)
        key_cols = [f"__rank{i}" for i in range(len(step.rank_by))]
        readers = [
            reader(self.columns[kind][name], key.expr.type, self.plan.schema)
            for name, key in zip(key_cols, step.rank_by, strict=True)
        ]
        frame = self.frames[kind]
        if any(frame.get_column(c).null_count() for c in key_cols):
            raise NeedsRow  # a missing rank value: the row engine says what it makes of it
        decision, received = decide_columns(
            frame,
            met=qualified_name(step.name),
            within=within,
            keys=key_cols,
            descending=[k.descending for k in step.rank_by],
            readers=readers,
            quota="__quota" if step.quota is not None else None,
            quota_text=step.quota_text,
            tie_include=step.tie_include,
            group_of=self.group_of(kind, within),
        )
        self.decisions[step.name] = decision
        frame = frame.drop([*key_cols, *(["__quota"] if step.quota is not None else [])])
        self.frames[kind] = frame.with_columns(received.alias(step.name))
        self.columns[kind][step.name] = Col(pl.col(step.name), "bool")
        self.types[kind][step.name] = ir.VType("bool")

    def group_of(self, kind: str, within: str | None) -> GroupOf | None:
        """Each subject's value of the `within` field, as validated."""
        if within is None:
            return None
        found = self.cells[kind]
        cells = found.fields[within]
        return GroupOf(found.keys, cells.values, cells.codes)

    def values(self, kind: str, names: tuple[str, ...]) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each subject's computed values, as the row engine holds them, in record order."""
        frame = self.frames[kind]
        present = [n for n in names if n in frame.columns]
        reads = [
            reader(self.columns[kind][n], self.types[kind][n], self.plan.schema) for n in present
        ]
        data = [frame.get_column(n).to_list() for n in present]
        keys = frame.get_column(KEY).to_list()
        for index, key in enumerate(keys):
            yield key, {n: r(d[index]) for n, r, d in zip(present, reads, data, strict=True)}


def _clamp(value: Col, maximum: Decimal, guards: Guards) -> Col:
    """Within 0..maximum, as a criterion's points are."""
    top = exact.constant(maximum)
    v, m = guards.align([value, top])
    clamped = pl.when(v.expr < 0).then(exact.integer(0)).when(v.expr > m.expr).then(m.expr)
    return Col(clamped.otherwise(v.expr), "num", v.scale)


def _fields(plan: Plan, kind: str) -> dict[str, ir.VType]:
    """The input fields (and given awards) of a kind that its steps read, with their types,
    in the order met."""
    computed = {s.name for s in plan.steps if s.kind == kind}
    found: dict[str, ir.VType] = {}
    pending: list[ir.Node] = []
    for step in plan.steps:
        if step.kind != kind:
            continue
        match step:
            case Criterion():
                pending.extend(n for n in (step.expr, step.where) if n is not None)
            case Score() | Let():
                pending.append(step.expr)
            case Award():
                pending.extend(p.expr for c in step.conditions for p in (c, *c.parts) if p.expr)
                for condition in step.conditions:
                    if condition.requires is not None and condition.requires not in computed:
                        found.setdefault(condition.requires, ir.VType("bool"))  # given
                pending.extend(k.expr for k in step.rank_by)
                pending.extend(n for n in (step.quota, step.within) if n is not None)
    while pending:
        node = pending.pop()
        if isinstance(node, ir.Read) and node.name not in computed:
            found.setdefault(node.name, node.type)
        if isinstance(node, ir.Aggregate) and node.body is not None:
            pending.append(node.body)
        pending.extend(children(node))
    return found
