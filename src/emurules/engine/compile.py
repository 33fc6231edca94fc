"""IR -> Python closures, built once per ruleset: the row engine never walks nodes per subject.

A compiled expression is a function of an `Env` (the subject being evaluated, and the
evaluation it belongs to). Two variants exist: the plain one for evaluating a population,
and a traced one, used for one subject on demand, that records each value a condition
reads (a name, a path, an aggregate) for its explanation.

Calls of built-in functions are evaluated by their forms in the registry
(`emurules.builtins`); this module only reads their arguments where they live (the row,
the members of a relation, the history).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, assert_never

from emurules.builtins import BUILTINS
from emurules.engine.arithmetic import divide
from emurules.plan import ir
from emurules.values import MISSING

if TYPE_CHECKING:
    from emurules.engine.row import Env

Fn = Callable[["Env"], Any]
ZERO = Decimal(0)
_NONE: Final[dict[int, set[str]]] = {}


class DivisionByZero(Exception):
    """An unguarded division by zero, caught where a value is stored and reported there."""

    def __init__(self, node: ir.Binary) -> None:
        self.node = node


def _is(value: Any) -> bool:
    return value is True


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}


def compare(op: str, left: Any, right: Any) -> bool:
    if left is MISSING or right is MISSING:
        return False
    return _COMPARE[op](left, right)


class Compiler:
    """Compiles nodes; `traced` closures append (text, value) to `env.trace`.

    Plain closures are `specialised` (see `engine/inline.py`); the traced ones, made for one
    subject at a time, stay generic."""

    def __init__(self, traced: bool, *, specialise: bool = True) -> None:
        self.traced = traced
        self.specialise = specialise and not traced

    def __call__(self, node: ir.Node) -> Fn:
        c = self
        if c.specialise and not isinstance(node, ir.Const | ir.Read):
            from emurules.engine.inline import Inline  # it builds on this module

            inline = Inline(c)
            text = inline.expr(node, 0)
            if text is not None:
                return inline.build(text)
        match node:
            case ir.Const(value=constant):
                return lambda e: constant
            case ir.Read(name=name, computed=False):
                if c.traced:
                    return _traced(name, lambda e: e.row[name])
                return lambda e: e.row[name]
            case ir.Read(name=name):
                if c.traced:
                    return _traced(name, lambda e: e.row.get(name, MISSING))
                return lambda e: e.row.get(name, MISSING)
            case ir.Relation(name=name):
                return lambda e: e.world.relation(e.kind, name, e.key)
            case ir.Year():
                if c.traced:
                    return _traced("year", lambda e: e.world.year)
                return lambda e: e.world.year
            case ir.Path():
                return c.path(node)
            case ir.Sum(operands=operands):
                return c.sum(tuple(c(o) for o in operands))
            case ir.Binary():
                return c.binary(node)
            case ir.Neg(operand=operand):
                inner = c(operand)

                def negate(e: Env) -> Any:
                    value = inner(e)
                    return MISSING if value is MISSING else -value

                return negate
            case ir.Compare(op=op, left=left, right=right) if (
                left.type.kind == "enum" and right.type.kind == "enum"
            ):
                return c.enum_compare(op, c(left), c(right))
            case ir.Compare(op=op, left=left, right=right):
                a, b, test = c(left), c(right), _COMPARE[op]

                def compared(e: Env) -> bool:
                    x, y = a(e), b(e)
                    if x is MISSING or y is MISSING:
                        return False
                    return test(x, y)

                return compared
            case ir.Logic(op=op, operands=operands):
                return c.logic(op, tuple(c(o) for o in operands))
            case ir.Not(operand=operand):
                inner = c(operand)
                return lambda e: inner(e) is not True
            case ir.Coalesce(operands=operands):
                return c.coalesce(tuple(c(o) for o in operands))
            case ir.InSet(operand=operand, items=items, negated=negated):
                tested, options = c(operand), tuple(c(i) for i in items)

                def in_set(e: Env) -> bool:
                    found = tested(e)
                    return any(compare("==", found, o(e)) for o in options) != negated

                return in_set
            case ir.InRange(operand=operand, low=low, high=high, negated=negated):
                ranged, lo, hi = c(operand), c(low), c(high)

                def in_range(e: Env) -> bool:
                    found, a, b = ranged(e), lo(e), hi(e)
                    return (compare(">=", found, a) and compare("<=", found, b)) != negated

                return in_range
            case ir.IsMissing(operand=operand, negated=negated):
                inner = c(operand)
                return lambda e: (inner(e) is MISSING) != negated
            case ir.Branches(branches=branches, default=default):
                return c.branches(tuple((c(t), c(v)) for t, v in branches), c(default))
            case ir.Match(subject=subject, arms=arms, default=default):
                return c.match(c(subject), tuple((c(p), c(v)) for p, v in arms),
                               None if default is None else c(default))  # fmt: skip
            case ir.Function():
                return c.function(node)
            case ir.Aggregate():
                return c.trace_as(node.text, c.aggregate(node))
            case ir.Filter():
                return c.filter(node)
            case ir.Decided():
                return c.trace_as(node.text, _decided(node))
            case ir.Group():
                return lambda e: e.group
            case ir.GroupValue():
                return lambda e: e.group_value
            case ir.Recipients():
                return c.trace_as(node.text, _recipients(node))
            case ir.Streak() | ir.Held() | ir.Past():
                return c.trace_as(node.text, _history(node))
            case ir.Weighted(items=items):
                weighted = BUILTINS["weighted"].form("weights", len(items)).evaluate
                return c.trace_as(node.text, _criteria(items, weighted([i[1:] for i in items])))
            case ir.ApplicableMax(items=items):
                applicable = BUILTINS["applicable_max"].form("criteria", len(items)).evaluate
                return c.trace_as(node.text, _criteria(items, applicable([m for _, m in items])))
            case _:
                assert_never(node)

    def enum_compare(self, op: str, a: Fn, b: Fn) -> Fn:
        """Values of one enum compare by their place in it (what `EnumValue` orders by),
        without its generated comparison methods: the commonest test of all."""
        test = _COMPARE[op]

        def compared(e: Env) -> bool:
            x, y = a(e), b(e)
            if x is MISSING or y is MISSING:
                return False
            return test(x.index, y.index)

        return compared

    def trace_as(self, text: str, fn: Fn) -> Fn:
        """A call's value is traced whatever it is (a relation's members included)."""
        return _traced(text, fn, tuples=True) if self.traced else fn

    def path(self, node: ir.Path) -> Fn:
        base, kind, name, what = self(node.base), node.kind, node.name, node.what

        def read(e: Env) -> Any:
            key = base(e)
            if key is MISSING:
                return MISSING
            if what == "relation":
                return e.world.relation(kind, name, key)
            if what == "year":
                return e.world.year
            return e.world.rows[kind][key].get(name, MISSING)

        return _traced(node.text, read, tuples=True) if self.traced else read

    def sum(self, parts: tuple[Fn, ...]) -> Fn:
        if len(parts) == 2:
            a, b = parts

            def pair(e: Env) -> Any:
                x, y = a(e), b(e)
                if x is MISSING or y is MISSING:
                    return MISSING
                return x + y

            return pair

        def total(e: Env) -> Any:
            values = [p(e) for p in parts]
            if any(v is MISSING for v in values):
                return MISSING
            result = values[0]
            for v in values[1:]:
                result = result + v
            return result

        return total

    def binary(self, node: ir.Binary) -> Fn:
        a, b, op = self(node.left), self(node.right), node.op

        def arith(e: Env) -> Any:
            x, y = a(e), b(e)
            if x is MISSING or y is MISSING:
                return MISSING
            if op == "-":
                return x - y
            if op == "*":
                return x * y
            if y == 0:
                raise DivisionByZero(node)
            return divide(x, y)

        return arith

    def logic(self, op: str, parts: tuple[Fn, ...]) -> Fn:
        if op == "and":
            return lambda e: all(p(e) is True for p in parts)
        if op == "or":
            return lambda e: any(p(e) is True for p in parts)
        left, right = parts
        return lambda e: left(e) is not True or right(e) is True

    def coalesce(self, parts: tuple[Fn, ...]) -> Fn:
        def first(e: Env) -> Any:
            value: Any = MISSING
            for p in parts:
                value = p(e)
                if value is not MISSING:
                    return value
            return value

        return first

    def branches(self, branches: tuple[tuple[Fn, Fn], ...], default: Fn) -> Fn:
        def chosen(e: Env) -> Any:
            for test, value in branches:
                if test(e) is True:
                    return value(e)
            return default(e)

        return chosen

    def match(self, subject: Fn, arms: tuple[tuple[Fn, Fn], ...], default: Fn | None) -> Fn:
        def matched(e: Env) -> Any:
            found = subject(e)
            for pattern, value in arms:
                if compare("==", found, pattern(e)):
                    return value(e)
            assert default is not None, "the checker requires an else arm"
            return default(e)

        return matched

    def function(self, node: ir.Function) -> Fn:
        form = BUILTINS[node.name].form("values", len(node.args))
        apply = form.evaluate
        args = tuple(self(a) for a in node.args)
        if len(args) == 1:
            (only,) = args

            def call(e: Env) -> Any:
                value = only(e)
                return MISSING if value is MISSING else apply(value)

        else:

            def call(e: Env) -> Any:
                values = [a(e) for a in args]
                if any(v is MISSING for v in values):
                    return MISSING
                return apply(*values)

        return self.trace_as(node.text, call) if form.shows_value else call

    def aggregate(self, node: ir.Aggregate) -> Fn:
        plain = Compiler(False, specialise=self.specialise or self.traced)
        members = plain(node.members)
        arity = 1 if node.body is None else 2
        fold = BUILTINS[node.name].form("over", arity).evaluate
        if node.body is None:

            def keys(e: Env) -> Any:
                found = members(e)
                return fold(() if found is MISSING else found)

            return keys
        body, kind = plain(node.body), node.member

        def aggregate(e: Env) -> Any:
            found = members(e)
            envs = e.world.envs[kind]
            return fold([body(envs[k]) for k in (() if found is MISSING else found)])

        return aggregate

    def filter(self, node: ir.Filter) -> Fn:
        """The members for which the condition holds, evaluated for each as an aggregate's
        body is."""
        plain = Compiler(False, specialise=self.specialise or self.traced)
        members, cond, kind = plain(node.members), plain(node.cond), node.member

        def kept(e: Env) -> Any:
            found = members(e)
            if found is MISSING:
                return found
            envs = e.world.envs[kind]
            return tuple([k for k in found if cond(envs[k]) is True])

        return kept


def _decided(node: ir.Decided) -> Fn:
    """`qualified(A)`, `cut(A)`: the registry's function of what A's decision says of the
    subject (A is decided before anything that reads it)."""
    says = BUILTINS[node.name].form("decision", 1).evaluate
    award = node.award
    return lambda e: says(*e.world.decided(award, e.key))


def _traced(text: str, fn: Fn, *, tuples: bool = False) -> Fn:
    """`fn`, recording what it read: a name's relation (a tuple of keys) is not recorded,
    a path's or a call's value always is."""

    def traced(e: Env) -> Any:
        value = fn(e)
        if e.trace is not None and (tuples or not isinstance(value, tuple)):
            e.trace.append((text, value))
        return value

    return traced


def _criteria(items: tuple[tuple[Any, ...], ...], evaluate: Callable[[Any], Any]) -> Fn:
    """`weighted` and `applicable_max`: the registry's function of the named criteria's
    values (each item starts with a criterion's name)."""
    names = tuple(item[0] for item in items)
    return lambda e: evaluate([e.row.get(n, MISSING) for n in names])


def _recipients(node: ir.Recipients) -> Fn:
    count = BUILTINS["count"].form("recipients", 1).evaluate
    award = node.award

    def recipients(e: Env) -> Any:
        rows = e.world.rows[e.kind]
        return count(rows[k].get(award) for k in e.group)

    return recipients


def _history(node: ir.Streak | ir.Held | ir.Past) -> Fn:
    """The history functions, reading the subject's past from the evaluation's history."""
    match node:
        case ir.Streak(award=award, current=current):
            streak = BUILTINS["streak"].form("streak", 1 if current else 2).evaluate

            def streaks(e: Env) -> Any:
                past = e.world.history.awards.get((e.kind, e.key), _NONE)
                now = e.row.get(award) is True if current else None
                return streak(now, lambda y: award in past.get(y, ()), e.world.year_number)

            return streaks
        case ir.Held(award=award, years=years):
            held = BUILTINS["held"].form("held", 2).evaluate

            def helds(e: Env) -> Any:
                past = e.world.history.awards.get((e.kind, e.key), _NONE)
                received = (y for y, got in past.items() if award in got)
                return held(received, e.world.year_number, years)

            return helds
        case ir.Past(name=name, back=back):
            past = BUILTINS["past"].form("past", 2).evaluate

            def pasts(e: Env) -> Any:
                values = e.world.history.values
                key = (e.kind, e.key, name)
                return past(lambda y: values.get((*key, y), MISSING), e.world.year_number, back)

            return pasts


PLAIN = Compiler(False)
TRACED = Compiler(True)
