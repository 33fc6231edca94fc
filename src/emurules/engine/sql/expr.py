"""IR expressions -> sqlglot expressions over scaled integers (see `scaled`).

Missing is NULL. The row engine's rules for it are written out: arithmetic with a missing
value is missing (SQL's own), a comparison involving one is FALSE (`COALESCE(a < b,
FALSE)`), `and`/`or`/`not` and `if` read anything not TRUE as false, `??` is COALESCE.
Beside its value each expression carries where the row engine would stop on a division by
zero (`Value.fails`), following the row engine's order of evaluation (`and`, `or`, `??`,
`in`, `if`/`case` stop early), so that a step can flag it rather than give a value.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal

import attrs
from sqlglot import exp

from emurules.engine.sql.refuse import refuse, refuse_node
from emurules.engine.sql.scaled import MAX_DIGITS, Arithmetic, Value, column, scaled, sort_of
from emurules.i18n import message
from emurules.plan import ir
from emurules.values import MISSING, EnumValue

_COMPARE: dict[str, type[exp.Binary]] = {
    "==": exp.EQ,
    "!=": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
}


def _or(*parts: exp.Expr | None) -> exp.Expr | None:
    found = [p for p in parts if p is not None]
    if not found:
        return None
    result = found[0]
    for part in found[1:]:
        result = exp.Or(this=_wrap(result), expression=_wrap(part))
    return result


def _and(*parts: exp.Expr) -> exp.Expr:
    result = parts[0]
    for part in parts[1:]:
        result = exp.And(this=_wrap(result), expression=_wrap(part))
    return result


def _wrap(sql: exp.Expr) -> exp.Expr:
    return exp.paren(sql) if isinstance(sql, exp.Or | exp.And | exp.Not) else sql


def truth(value: Value) -> exp.Expr:
    """TRUE where the value is TRUE, FALSE otherwise (missing included)."""
    if not value.nullable:
        return value.sql
    return exp.Coalesce(this=value.sql, expressions=[exp.false()])


def holds(value: Value) -> exp.Expr:
    """TRUE where the row engine would find the condition true: it is, and nothing in it
    divided by zero (a condition that fails is not met)."""
    if value.fails is None:
        return truth(value)
    return _and(exp.Not(this=_wrap(value.fails)), truth(value))


_PER_SUBJECT = (ir.Streak, ir.Held, ir.Past, ir.Path, ir.Aggregate)


def _in_group(node: ir.Node) -> bool:
    """A node a quota's window reads: an aggregate over the group, its value, `count(A)`."""
    if isinstance(node, ir.Aggregate):
        return isinstance(node.members, ir.Group)
    return isinstance(node, ir.GroupValue | ir.Recipients)


class Lowering:
    """Lowers the expressions of one subject kind: `columns` holds what a name reads (an
    input column, or the value of an earlier step) as a Value whose SQL is the column."""

    def __init__(self, arithmetic: Arithmetic, columns: Mapping[str, Value], year: int | None):
        self.a = arithmetic
        self.columns = dict(columns)
        self.year = year
        self.step = ""  # the step being lowered, which names its helper columns
        self.helpers: list[tuple[str, exp.Expr]] = []  # in the order they are made
        self.hoisted = 0  # helper columns named after `step` so far
        # what other subjects and the past give (`foreign.Foreign`): None, refused
        self.foreign: Callable[[ir.Node], Value] | None = None
        # award -> whether its recipients are exactly the qualified (no quota, no pool),
        # for the awards lowered so far; their `qualified__<award>` column is computed
        self.awards: dict[str, bool] = {}
        # inside a quota (`decision.py`): what the group's aggregates and value read
        self.window: Callable[[ir.Node], Value] | None = None
        self.group_value: Value | None = None
        arithmetic.hoist = self.hoist

    def hoist(self, value: Value) -> Value:
        """The value as a helper column of the step (computed in a CTE of its own before
        the expression that reads it several times); a column or a literal stays."""
        if isinstance(value.sql, exp.Column | exp.Literal) or value.constant is not None:
            return value
        self.hoisted += 1
        name = f"{self.step}__{self.hoisted}"
        self.helpers.append((name, value.sql))
        return attrs.evolve(value, sql=column(name))

    def __call__(self, node: ir.Node) -> Value:
        value = self.lower(node)
        if value.sort == "number":
            if value.digits > MAX_DIGITS:
                raise refuse(message("sql.too-large", digits=value.digits), node.span)
            self.a.seen(value.digits)
        return value

    def lower(self, node: ir.Node) -> Value:
        a = self.a
        if self.window is not None and _in_group(node):
            return self.window(node)
        if self.window is not None and isinstance(node, _PER_SUBJECT):
            # a quota is the group's, read once (for its first subject): a value of each
            # subject (its history, a path, its members) would give each its own quota
            raise refuse(message("sql.unsupported-quota-part", text=node.text), node.span)
        match node:
            case ir.Const(value=constant):
                return self.constant(constant, node)
            case ir.Read(name=name):
                found = self.columns.get(name)
                if found is None:  # an award's or a ranking's value: decided, not computed
                    raise refuse(message("sql.unsupported-received", name=name), node.span)
                return found
            case ir.Decided(name=said, award=award) if award in self.awards:
                qualified = column(f"qualified__{award}")
                if said == "qualified":
                    return Value(qualified, "bool", nullable=False)
                if said == "cut" and self.awards[award]:  # every qualified one receives it
                    return Value(exp.false(), "bool", nullable=False)
                received = self.columns.get(award)
                if said == "cut" and received is not None:  # decided in SQL (`decision.py`)
                    left_out = exp.and_(qualified, exp.Not(this=_wrap(received.sql)))
                    return Value(left_out, "bool", nullable=False)
                raise refuse_node(node)
            case ir.Year():
                if self.year is None:
                    raise refuse(message("sql.no-year"), node.span)
                return a.constant(self.year, 0)
            case ir.Sum(operands=operands):
                parts = a.align([self(o) for o in operands])
                sql = _operand(parts[0].sql)
                for part in parts[1:]:
                    sql = exp.Add(this=sql, expression=_operand(part.sql))
                return Value(
                    sql,
                    "number",
                    parts[0].scale,
                    max(p.digits for p in parts) + len(str(len(parts))),
                    any(p.nullable for p in parts),
                    _or(*(p.fails for p in parts)),
                )
            case ir.Binary(op="-", left=left, right=right):
                x, y = a.align([self(left), self(right)])
                return Value(
                    exp.Sub(this=_operand(x.sql), expression=_operand(y.sql)),
                    "number",
                    x.scale,
                    max(x.digits, y.digits) + 1,
                    x.nullable or y.nullable,
                    _or(x.fails, y.fails),
                )
            case ir.Binary(op="*", left=left, right=right):
                return product(self(left), self(right))
            case ir.Binary(op="/", left=left, right=right):
                return self.divide(node, self(left), self(right))
            case ir.Neg(operand=operand):
                x = self(operand)
                return attrs.evolve(x, sql=exp.Neg(this=_operand(x.sql)), constant=None)
            case ir.Compare(op=op, left=left, right=right):
                return self.compare(op, self(left), self(right))
            case ir.Logic(op=op, operands=operands):
                return self.logic(op, [self(o) for o in operands])
            case ir.Not(operand=operand):
                x = self(operand)
                return Value(exp.Not(this=_wrap(truth(x))), "bool", nullable=False, fails=x.fails)
            case ir.Coalesce(operands=operands):
                parts = self.same([self(o) for o in operands])
                fails: exp.Expr | None = None
                for part in reversed(parts):  # f1 OR (v1 IS NULL AND (f2 OR ...))
                    rest = None if fails is None else _and(_null(part.sql), fails)
                    fails = _or(part.fails, rest)
                sql = exp.Coalesce(this=parts[0].sql, expressions=[p.sql for p in parts[1:]])
                return attrs.evolve(
                    parts[0],
                    sql=sql,
                    digits=max(p.digits for p in parts),
                    nullable=all(p.nullable for p in parts),
                    fails=fails,
                    constant=None,
                )
            case ir.InSet(operand=operand, items=items, negated=negated):
                x = self(operand)
                tests = [self.compare("==", x, self(item)) for item in items]
                anyof = _or(*(t.sql for t in tests))
                assert anyof is not None
                member = exp.Not(this=_wrap(anyof)) if negated else anyof
                return Value(member, "bool", nullable=False, fails=_or(x.fails, self.chain(tests)))
            case ir.InRange(operand=operand, low=low, high=high, negated=negated):
                x, lo, hi = self(operand), self(low), self(high)
                inside = _and(self.compare(">=", x, lo).sql, self.compare("<=", x, hi).sql)
                return Value(
                    exp.Not(this=_wrap(inside)) if negated else inside,
                    "bool",
                    nullable=False,
                    fails=_or(x.fails, lo.fails, hi.fails),
                )
            case ir.IsMissing(operand=operand, negated=negated):
                x = self(operand)
                test: exp.Expr = _null(x.sql)
                return Value(
                    exp.Not(this=test) if negated else test, "bool", nullable=False, fails=x.fails
                )
            case ir.Branches(branches=branches, default=default):
                tests = [self(t) for t, _ in branches]
                return self.choose(
                    [truth(t) for t in tests],
                    [t.fails for t in tests],
                    [self(v) for _, v in branches],
                    self(default),
                )
            case ir.Match(subject=subject, arms=arms, default=default):
                x = self(subject)
                tests = [self.compare("==", x, self(p)) for p, _ in arms]
                values = [self(v) for _, v in arms]
                # no `else`: the arms cover every value the subject can have
                other = Value(exp.null(), values[0].sort) if default is None else self(default)
                chosen = self.choose(
                    [t.sql for t in tests], [t.fails for t in tests], values, other
                )
                return attrs.evolve(chosen, fails=_or(x.fails, chosen.fails))
            case ir.Function():
                return self.function(node)
            case ir.Weighted() | ir.ApplicableMax():
                from emurules.engine.sql.weighted import criteria

                return criteria(self, node)
            case ir.Aggregate() | ir.Path() | ir.Streak() | ir.Held() if self.foreign:
                return self.foreign(node)
            case _:
                raise refuse_node(node)

    def constant(self, constant: object, node: ir.Const) -> Value:
        if constant is MISSING:
            return Value(exp.null(), sort_of(node.type) or "text")
        match constant:
            case bool():
                return Value(exp.true() if constant else exp.false(), "bool", nullable=False)
            case Decimal():
                number, scale = scaled(constant)
                return self.a.constant(number, scale)
            case EnumValue(index=index):
                return Value(exp.Literal.number(index), "enum", nullable=False)
            case str():
                return Value(exp.Literal.string(constant), "text", nullable=False)
            case datetime.date():
                return Value(
                    exp.cast(exp.Literal.string(constant.isoformat()), "DATE"),
                    "date",
                    nullable=False,
                )
        raise refuse_node(node)

    def same(self, values: list[Value]) -> list[Value]:
        """Values one expression may give (`??`, `if`, `case`, `min`): numbers at one
        scale."""
        if any(v.sort == "number" for v in values):
            return self.a.align(values)
        return values

    def compare(self, op: str, x: Value, y: Value) -> Value:
        x, y = self.same([x, y])
        left, right = x.sql, y.sql
        if x.sort == "text" and op not in ("==", "!=") and self.a.dialect == "postgres":
            left = exp.Collate(this=left, expression=exp.Identifier(this="C", quoted=True))
        sql: exp.Expr = _COMPARE[op](this=_operand(left), expression=_operand(right))
        if x.nullable or y.nullable:
            sql = exp.Coalesce(this=sql, expressions=[exp.false()])
        return Value(sql, "bool", nullable=False, fails=_or(x.fails, y.fails))

    def chain(self, tests: list[Value]) -> exp.Expr | None:
        """Where an `or`-like chain stops on a failure: f1 OR (NOT t1 AND (f2 OR ...))."""
        fails: exp.Expr | None = None
        for test in reversed(tests):
            rest = None if fails is None else _and(exp.Not(this=_wrap(truth(test))), fails)
            fails = _or(test.fails, rest)
        return fails

    def logic(self, op: str, parts: list[Value]) -> Value:
        truths = [truth(p) for p in parts]
        if op == "implies":
            left, right = parts
            sql = _or(exp.Not(this=_wrap(truths[0])), truths[1])
            fails = _or(left.fails, None if right.fails is None else _and(truths[0], right.fails))
        elif op == "and":
            sql = _and(*truths)
            fails = None
            for part, t in zip(reversed(parts), reversed(truths), strict=True):
                fails = _or(part.fails, None if fails is None else _and(t, fails))
        else:
            sql = _or(*truths)
            fails = self.chain(parts)
        assert sql is not None
        return Value(sql, "bool", nullable=False, fails=fails)

    def choose(
        self,
        tests: list[exp.Expr],
        test_fails: list[exp.Expr | None],
        values: list[Value],
        default: Value,
    ) -> Value:
        """The value of the first branch whose test holds, else the default."""
        *chosen, other = self.same([*values, default])
        case = exp.case()
        for test, value in zip(tests, chosen, strict=True):
            case = case.when(test, value.sql)
        case = case.else_(other.sql)
        fails = other.fails
        for test, failed, value in reversed(list(zip(tests, test_fails, chosen, strict=True))):
            taken = None if value.fails is None else _and(test, value.fails)
            passed = None if fails is None else _and(exp.Not(this=_wrap(test)), fails)
            fails = _or(failed, taken, passed)
        return Value(
            case,
            other.sort,
            other.scale,
            max(v.digits for v in (*chosen, other)),
            any(v.nullable for v in (*chosen, other)),
            fails,
        )

    def divide(self, node: ir.Binary, x: Value, y: Value) -> Value:
        quotient, worst, digits = self.a.divide(x, y)
        if worst > MAX_DIGITS:
            raise refuse(message("sql.too-large", digits=worst), node.span)
        if y.constant == 0:
            zero: exp.Expr | None = exp.true() if not x.nullable else exp.Not(this=_null(x.sql))
        elif y.constant is not None:
            zero = None
        else:
            zero = exp.EQ(this=_operand(y.sql), expression=exp.Literal.number(0))
            if y.nullable:
                zero = exp.Coalesce(this=zero, expressions=[exp.false()])
            if x.nullable:
                zero = _and(exp.Not(this=_null(x.sql)), zero)
        return Value(quotient, "number", 18, digits, True, _or(x.fails, y.fails, zero))

    def function(self, node: ir.Function) -> Value:
        args = [self(arg) for arg in node.args]
        fails = _or(*(a.fails for a in args))
        name, a = node.name, self.a
        if name in ("round", "floor", "ceil", "abs") and args[0].sort != "number":
            raise refuse_node(node)
        match name:
            case "round":
                digits = 0
                if len(node.args) > 1:
                    const = node.args[1]
                    if not isinstance(const, ir.Const) or not isinstance(const.value, Decimal):
                        raise refuse_node(node)
                    digits = int(const.value)
                found = a.round_half(args[0], digits)
            case "floor" | "ceil":
                found = a.floor_ceil(args[0], up=name == "ceil")
            case "abs":
                found = attrs.evolve(args[0], sql=exp.Abs(this=args[0].sql), constant=None)
            case "min" | "max" | "cap":
                parts = a.align(args)
                pick: Callable[..., exp.Expr] = exp.Least if name != "max" else exp.Greatest
                chosen = pick(this=parts[0].sql, expressions=[p.sql for p in parts[1:]])
                if any(p.nullable for p in parts):  # LEAST/GREATEST skip NULLs; the rules don't
                    missing = _or(*(_null(p.sql) for p in parts))
                    assert missing is not None
                    chosen = exp.case().when(missing, exp.null()).else_(chosen)
                found = Value(
                    chosen,
                    "number",
                    parts[0].scale,
                    max(p.digits for p in parts),
                    any(p.nullable for p in parts),
                )
            case "days":
                start, end = args
                if a.dialect == "spark":
                    sql: exp.Expr = exp.DateDiff(this=end.sql, expression=start.sql)
                else:
                    sql = exp.Sub(this=end.sql, expression=start.sql)
                found = Value(sql, "number", 0, 7, start.nullable or end.nullable)
            case _:
                raise refuse_node(node)
        return attrs.evolve(found, fails=fails)


def _null(sql: exp.Expr) -> exp.Expr:
    return exp.Is(this=_operand(sql), expression=exp.null())


def _operand(sql: exp.Expr) -> exp.Expr:
    """Parenthesised where precedence could read it otherwise."""
    if isinstance(sql, exp.Binary | exp.Neg | exp.Not | exp.Case | exp.Collate):
        return exp.paren(sql)
    return sql


def product(x: Value, y: Value) -> Value:
    """`x * y`: the scales add, and so do the digits."""
    return Value(
        exp.Mul(this=_operand(x.sql), expression=_operand(y.sql)),
        "number",
        x.scale + y.scale,
        x.digits + y.digits,
        x.nullable or y.nullable,
        _or(x.fails, y.fails),
    )
