"""IR -> Polars expressions over one kind's frame, with the row engine's meaning.

The row engine evaluates some operands only when they matter (the rest of an `and` after a
false part, a branch not taken, a `??` after a value): a division by zero there is never
reported. Every expression is therefore lowered with the rows that reach it (`reach`), so
that a division by zero is recorded only where the row engine would meet it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from emurules.engine.columnar import exact
from emurules.engine.columnar.exact import Col, Guards
from emurules.plan import ir
from emurules.values import MISSING, EnumValue

Reach = pl.Expr | None

NUMBERS = frozenset({"int", "number", "percent"})


def kind_of(vtype: ir.VType) -> exact.Kind:
    """How a value of this type is held in a column."""
    found = ir.storage(vtype)
    return "num" if found == "number" else "other" if found is None else found


def true(col: Col | pl.Expr) -> pl.Expr:
    """Where a truth value is true (missing is not)."""
    expr = col.expr if isinstance(col, Col) else col
    return expr.fill_null(False)


def _and(reach: Reach, mask: pl.Expr) -> pl.Expr:
    return mask if reach is None else reach & mask


class Lowering:
    """Lowers the expressions of one kind: `columns` holds what each name reads (fields and
    the values computed so far); divisions by zero the row engine would meet are collected
    in `zero_divisions`, overflow guards in `guards`. In a quota (`group` set), aggregates
    over the group are windows over the `within` column (or the whole frame: `group` ""),
    or over `over`, a column of the groups' codes (integers partition faster than texts)."""

    def __init__(
        self,
        columns: dict[str, Col],
        year: int,
        guards: Guards,
        *,
        group: str | None = None,
        decided: Callable[[str], tuple[str, str]] | None = None,
        foreign: Callable[[ir.Node], Col] | None = None,
        over: str | None = None,
        rows: int | None = None,
    ) -> None:
        self.columns = columns
        self.year = year
        self.guards = guards
        self.group = group
        self.over = over or group
        self.rows = rows  # the subjects of the kind: no count over them is larger
        self.decided = decided
        self.foreign = foreign  # a value read from other subjects, as a column of this kind
        self.zero_divisions: list[pl.Expr] = []

    def __call__(self, node: ir.Node, reach: Reach = None) -> Col:
        match node:
            case ir.Const():
                return self.const(node)
            case ir.Read(name=name):
                return self.columns[name]
            case ir.Year():
                return Col(exact.integer(self.year), "num", 0, abs(self.year))
            case ir.Sum(operands=operands):
                return self.guards.add([self(o, reach) for o in operands])
            case ir.Binary(op=op, left=left, right=right):
                a, b = self(left, reach), self(right, reach)
                if op == "-":
                    return self.guards.subtract(a, b)
                if op == "*":
                    return self.guards.multiply(a, b)
                zero = a.expr.is_not_null() & (b.expr == 0)
                self.zero_divisions.append(_and(reach, zero.fill_null(False)))
                return self.guards.divide(a, b)
            case ir.Neg(operand=operand):
                return exact.negate(self(operand, reach))
            case ir.Compare(op=op, left=left, right=right):
                return Col(compare(op, self(left, reach), self(right, reach), self.guards), "bool")
            case ir.Logic(op=op, operands=operands):
                return self.logic(op, operands, reach)
            case ir.Not(operand=operand):
                return Col(~true(self(operand, reach)), "bool")
            case ir.Coalesce(operands=operands):
                return self.coalesce(operands, reach)
            case ir.InSet(operand=operand, items=items, negated=negated):
                return self.in_set(self(operand, reach), items, negated, reach)
            case ir.InRange(operand=operand, low=low, high=high, negated=negated):
                x, lo, hi = self(operand, reach), self(low, reach), self(high, reach)
                inside = compare(">=", x, lo, self.guards) & compare("<=", x, hi, self.guards)
                return Col(~inside if negated else inside, "bool")
            case ir.IsMissing(operand=operand, negated=negated):
                missing = self(operand, reach).expr.is_null()
                return Col(~missing if negated else missing, "bool")
            case ir.Branches(branches=branches, default=default):
                return self.branches(branches, default, reach)
            case ir.Match():
                return self.match(node, reach)
            case ir.Function():
                return self.function(node, reach)
            case ir.Aggregate(members=ir.Group()):
                return self.aggregate(node, reach)
            case ir.Aggregate() | ir.Path() | ir.Streak() | ir.Held() | ir.Past():
                assert self.foreign is not None
                return self.foreign(node)
            case ir.Decided(name=name, award=award):
                assert self.decided is not None
                met, received = self.decided(award)
                if name == "qualified":
                    return Col(pl.col(met), "bool")
                return Col(pl.col(met) & ~pl.col(received), "bool")
            case ir.GroupValue():
                assert self.group, "a group's value is read in a quota with `within`"
                return self.columns[self.group]
            case ir.Recipients(award=award):
                return Col(self.window(pl.col(award).cast(exact.INT).sum()), "num", 0, self.rows)
            case ir.Weighted(items=items):
                return self.weighted(items)
            case ir.ApplicableMax(items=items):
                parts = [
                    Col(
                        pl.when(self.columns[name].expr.is_not_null())
                        .then(exact.constant(maximum).expr)
                        .otherwise(exact.integer(0)),
                        "num",
                        exact.constant(maximum).scale,
                        exact.constant(maximum).bound,
                    )
                    for name, maximum in items
                ]
                return self.guards.add(parts) if parts else exact.zero()
        raise AssertionError(f"refused when planned: {type(node).__name__}")

    def const(self, node: ir.Const) -> Col:
        value, kind = node.value, kind_of(node.type)
        if value is MISSING:
            return Col(pl.lit(None, dtype=_DTYPES.get(kind)), kind)
        if isinstance(value, bool):
            return Col(pl.lit(value), "bool")
        if isinstance(value, Decimal):
            return exact.constant(value)
        if isinstance(value, EnumValue):
            return Col(pl.lit(value.index, dtype=pl.Int64), "enum")
        if isinstance(value, datetime.date):
            return Col(pl.lit(value, dtype=pl.Date), "date")
        assert isinstance(value, str)
        return Col(pl.lit(value, dtype=pl.String), "text")

    def logic(self, op: str, operands: Sequence[ir.Node], reach: Reach) -> Col:
        """`and` stops at the first part that is not true, `or` at the first that is: the
        parts after are reached only by the rows the row engine evaluates them for."""
        if op == "implies":
            left = true(self(operands[0], reach))
            right = true(self(operands[1], _and(reach, left)))
            return Col(~left | right, "bool")
        found: pl.Expr | None = None
        for operand in operands:
            if found is None:
                part = true(self(operand, reach))
                found = part
                continue
            go_on = found if op == "and" else ~found
            part = true(self(operand, _and(reach, go_on)))
            found = (found & part) if op == "and" else (found | part)
        assert found is not None
        return Col(found, "bool")

    def coalesce(self, operands: Sequence[ir.Node], reach: Reach) -> Col:
        cols: list[Col] = []
        missing: pl.Expr | None = None
        for operand in operands:
            col = self(operand, reach if missing is None else _and(reach, missing))
            cols.append(col)
            is_null = col.expr.is_null()
            missing = is_null if missing is None else missing & is_null
        cols = self.same(cols)
        bound = exact.bounded(*(c.bound for c in cols))
        return Col(pl.coalesce([c.expr for c in cols]), cols[0].kind, cols[0].scale, bound)

    def in_set(self, col: Col, items: Sequence[ir.Node], negated: bool, reach: Reach) -> Col:
        found: pl.Expr | None = None
        for item in items:
            option = self(item, reach if found is None else _and(reach, ~found))
            equal = compare("==", col, option, self.guards)
            found = equal if found is None else found | equal
        hit = found if found is not None else pl.lit(False)
        return Col(~hit if negated else hit, "bool")

    def branches(
        self, branches: Sequence[tuple[ir.Node, ir.Node]], default: ir.Node, reach: Reach
    ) -> Col:
        tests: list[pl.Expr] = []
        values: list[Col] = []
        before: pl.Expr | None = None  # no earlier test was true
        for test_node, value_node in branches:
            test = true(self(test_node, reach if before is None else _and(reach, before)))
            taken = test if before is None else before & test
            values.append(self(value_node, _and(reach, taken)))
            tests.append(test)
            before = ~test if before is None else before & ~test
        other = self(default, reach if before is None else _and(reach, before))
        return self.chain(tests, values, other)

    def match(self, node: ir.Match, reach: Reach) -> Col:
        subject = self(node.subject, reach)
        tests: list[pl.Expr] = []
        values: list[Col] = []
        before: pl.Expr | None = None
        for pattern_node, value_node in node.arms:
            pattern = self(pattern_node, reach if before is None else _and(reach, before))
            test = compare("==", subject, pattern, self.guards)
            taken = test if before is None else before & test
            values.append(self(value_node, _and(reach, taken)))
            tests.append(test)
            before = ~test if before is None else before & ~test
        if node.default is None:  # every value has its arm: none matches only a missing one
            other = Col(pl.lit(None), values[0].kind if values else "other")
        else:
            other = self(node.default, reach if before is None else _and(reach, before))
        return self.chain(tests, values, other)

    def chain(self, tests: list[pl.Expr], values: list[Col], other: Col) -> Col:
        cols = self.same([*values, other])
        *chosen, last = cols
        if not tests:
            return last
        expr: Any = pl.when(tests[0]).then(chosen[0].expr)
        for test, value in zip(tests[1:], chosen[1:], strict=True):
            expr = expr.when(test).then(value.expr)
        bound = exact.bounded(*(c.bound for c in cols))
        return Col(expr.otherwise(last.expr), last.kind, last.scale, bound)

    def same(self, cols: list[Col]) -> list[Col]:
        """Values that stand in one place (branches, `??`): numbers at one scale."""
        numbers = [c for c in cols if c.kind == "num"]
        if not numbers:
            return cols
        scale = max(c.scale for c in numbers)
        return [self.guards.rescale(c, scale) if c.kind == "num" else c for c in cols]

    def function(self, node: ir.Function, reach: Reach) -> Col:
        args = [self(a, reach) for a in node.args]
        any_missing = pl.any_horizontal([a.expr.is_null() for a in args])
        match node.name:
            case "abs":
                (x,) = args
                return Col(x.expr.abs(), "num", x.scale, x.bound)
            case "floor":
                return exact.floor(args[0])
            case "ceil":
                return exact.ceil(args[0])
            case "round":
                digits = 0
                if len(node.args) == 2:
                    written = node.args[1]
                    assert isinstance(written, ir.Const) and isinstance(written.value, Decimal)
                    digits = int(written.value)
                return exact.round_to(args[0], digits)
            case "min" | "max" | "cap":
                cols = self.same(args)
                pick = pl.max_horizontal if node.name == "max" else pl.min_horizontal
                chosen = pick([c.expr for c in cols])
                value = pl.when(any_missing).then(None).otherwise(chosen)
                bound = exact.bounded(*(c.bound for c in cols))
                return Col(value, cols[0].kind, cols[0].scale, bound)
            case "days":
                start, end = args
                days = (end.expr - start.expr).dt.total_days().cast(exact.INT)
                return Col(days, "num", 0)
        raise AssertionError(f"refused when planned: {node.name}")

    def window(self, expr: pl.Expr) -> pl.Expr:
        """An aggregate over the quota's group, given to each of its members."""
        assert self.group is not None, "aggregates over the group are read in a quota"
        return expr.over(self.over) if self.over else expr

    def aggregate(self, node: ir.Aggregate, reach: Reach) -> Col:
        """`count(group)`, `sum(group, x)`...: in a quota, over the group's members."""
        if node.body is None:
            return Col(self.window(pl.len().cast(exact.INT)), "num", 0, self.rows)
        body = self(node.body, None)
        match node.name:
            case "count":
                counted = true(body).cast(exact.INT).sum()
                return Col(self.window(counted), "num", 0, self.rows)
            case "sum":
                return Col(self.window(body.expr.sum()), "num", body.scale)
            case "min" | "max":
                picked = body.expr.min() if node.name == "min" else body.expr.max()
                return Col(self.window(picked), body.kind, body.scale, body.bound)
            case "all" | "any" | "none":
                truth = true(body)
                found = truth.all() if node.name == "all" else truth.any()
                return Col(self.window(~found if node.name == "none" else found), "bool")
            case "avg":
                total = Col(self.window(body.expr.sum()), "num", body.scale)
                count = Col(self.window(body.expr.count().cast(exact.INT)), "num", 0)
                mean = self.guards.divide(total, count)
                return Col(pl.when(count.expr == 0).then(None).otherwise(mean.expr), "num", 18)
            case "share":
                hits = Col(self.window(true(body).cast(exact.INT).sum()), "num", 0)
                size = Col(self.window(pl.len().cast(exact.INT)), "num", 0)
                ratio = self.guards.divide(hits, size)
                none = exact.integer(0)
                return Col(pl.when(size.expr == 0).then(none).otherwise(ratio.expr), "num", 18)
        raise AssertionError(f"refused when planned: {node.name}")

    def weighted(self, items: Sequence[tuple[str, Decimal, Decimal]]) -> Col:
        """`builtins.evaluation.weighted`, column by column."""
        declared = exact.constant(sum((w for _, w, _ in items), Decimal(0)))
        terms: list[Col] = []
        weights: list[Col] = []
        for name, weight, maximum in items:
            if maximum == 0:
                continue
            value = self.columns[name]
            present = value.expr.is_not_null()
            share = self.guards.divide(
                self.guards.multiply(exact.constant(weight), value), exact.constant(maximum)
            )
            nothing = exact.integer(0)
            terms.append(
                Col(pl.when(present).then(share.expr).otherwise(nothing), "num", share.scale)
            )
            w = exact.constant(weight)
            weights.append(
                Col(pl.when(present).then(w.expr).otherwise(nothing), "num", w.scale, w.bound)
            )
        if not terms:
            return exact.zero()
        total, applied = self.guards.add(terms), self.guards.add(weights)
        result = self.guards.divide(self.guards.multiply(total, declared), applied)
        return Col(
            pl.when(applied.expr == 0).then(exact.integer(0)).otherwise(result.expr),
            "num",
            result.scale,
        )


_DTYPES: dict[str, pl.DataType] = {
    "num": pl.Int128(),
    "bool": pl.Boolean(),
    "text": pl.String(),
    "enum": pl.Int64(),
    "date": pl.Date(),
}


def compare(op: str, left: Col, right: Col, guards: Guards) -> pl.Expr:
    """A comparison that is false where either value is missing (`compile.compare`)."""
    a, b = left.expr, right.expr
    if left.kind == "num" and right.kind == "num":
        x, y = guards.align([left, right])
        a, b = x.expr, y.expr
    match op:
        case "==":
            found = a == b
        case "!=":
            found = a != b
        case "<":
            found = a < b
        case "<=":
            found = a <= b
        case ">":
            found = a > b
        case _:
            found = a >= b
    return found.fill_null(False)
