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

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, assert_never

import attrs

from emurules.builtins import BUILTINS
from emurules.engine.arithmetic import divide
from emurules.plan import ir
from emurules.values import MISSING, EnumValue

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

    Plain closures are `specialised` (see `_Inline`); the traced ones, made for one
    subject at a time, stay generic."""

    def __init__(self, traced: bool, *, specialise: bool = True) -> None:
        self.traced = traced
        self.specialise = specialise and not traced

    def __call__(self, node: ir.Node) -> Fn:
        c = self
        if c.specialise and not isinstance(node, ir.Const | ir.Read):
            inline = _Inline(c)
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


_DEPTH: Final = 6
"""How deep one generated closure inlines its operands (deeper ones are called): keeps
each function small and its source far below the parser's nesting limit."""
_WIDTH: Final = 12
"""Chains (sums, `and`/`or`, `??`, branches) longer than this keep their generic loop."""
_SCALAR: Final = frozenset({"bool", "int", "number", "percent", "text", "date"})
"""Types whose values compare to a `bool` of themselves (decimals, text, dates, bools)."""
_HASHED: Final = (Decimal, str, bool, datetime.date)
"""Literals that a dict or set finds exactly as `==` does (their hash agrees with it)."""


def _quotient(dividend: Any, divisor: Any, node: ir.Binary) -> Any:
    if divisor == 0:
        raise DivisionByZero(node)
    return divide(dividend, divisor)


class _Inline:
    """One specialised closure, generated as Python source from a node and the operands
    within `_DEPTH` levels below it.

    A generic closure calls one closure per operand and dispatches on the operator for each
    subject; here the operator is written into the source, literals are captured values,
    the current subject's fields are read by key in place, enum values compare by their
    index and `case` or `in` over literals is one dict or set look-up. The source does what
    the generic closures do, in the same order: every operand of an arithmetic operator, a
    comparison or a call is evaluated before missing values are looked for (so a division by
    zero in any of them is raised as before); `and`, `or`, `??`, `if` and `case` stop where
    they stopped. A test compares the two on generated trees.
    """

    def __init__(self, compiler: Compiler) -> None:
        self.compiler = compiler
        self.captured: dict[str, Any] = {}
        self.temps = 0

    def build(self, text: str) -> Fn:
        names = ", ".join(self.captured)
        source = f"def make({names}):\n    def fn(e):\n        return {text}\n    return fn\n"
        scope = {"MISSING": MISSING, "divide": divide, "_quotient": _quotient}
        exec(compile(source, "<emurules closure>", "exec"), scope)
        make: Callable[..., Fn] = scope["make"]  # type: ignore[assignment]
        return make(**self.captured)

    def capture(self, value: Any) -> str:
        name = f"k{len(self.captured)}"
        self.captured[name] = value
        return name

    def temp(self) -> str:
        self.temps += 1
        return f"t{self.temps}"

    def operand(self, node: ir.Node, depth: int) -> str:
        """An expression for `node`'s value: inlined, or a call of its own closure."""
        text = self.expr(node, depth + 1) if depth < _DEPTH else None
        if text is None:
            text = f"{self.capture(self.compiler(node))}(e)"
        return text

    def value(self, node: ir.Node, depth: int) -> tuple[str, str, bool]:
        """An operand used twice: how it is first evaluated (bound to a name, unless a
        literal), how it is read after, and whether it may be missing."""
        if isinstance(node, ir.Const):
            name = self.capture(node.value)
            return name, name, node.value is MISSING
        name = self.temp()
        return f"({name} := {self.operand(node, depth)})", name, True

    def strict(self, nodes: tuple[ir.Node, ...], depth: int, missing: str, then: str) -> str:
        """`then` of the operands' values (`{0}`, `{1}`...), or `missing` when one is
        missing: every operand evaluated first, in order."""
        found = [self.value(n, depth) for n in nodes]
        checks = [f"({first} is MISSING)" for first, _, may in found if may]
        after = then.format(*(read if may else first for first, read, may in found))
        if not checks:
            return f"({after})"
        return f"({missing} if {' | '.join(checks)} else {after})"

    def expr(self, node: ir.Node, depth: int) -> str | None:
        """Python source evaluating `node` as its generic closure does, or None where the
        generic closure is kept."""
        match node:
            case ir.Const(value=value):
                return self.capture(value)
            case ir.Read(name=name, computed=False):
                return f"e.row[{name!r}]"
            case ir.Read(name=name):
                return f"e.row.get({name!r}, MISSING)"
            case ir.Year():
                return "e.world.year"
            case ir.Sum(operands=operands) if len(operands) <= _WIDTH:
                then = " + ".join(f"{{{i}}}" for i in range(len(operands)))
                return self.strict(operands, depth, "MISSING", then)
            case ir.Binary(op="-" | "*" as op, left=left, right=right):
                return self.strict((left, right), depth, "MISSING", f"{{0}} {op} {{1}}")
            case ir.Binary(right=ir.Const(value=Decimal() as divisor)) if divisor != 0:
                return self.strict((node.left, node.right), depth, "MISSING", "divide({0}, {1})")
            case ir.Binary():
                at = self.capture(node)
                return self.strict((node.left, node.right), depth, "MISSING",
                                   f"_quotient({{0}}, {{1}}, {at})")  # fmt: skip
            case ir.Neg(operand=operand):
                return self.strict((operand,), depth, "MISSING", "-{0}")
            case ir.Compare(op=op, left=left, right=right):
                return self.compare(op, left, right, depth)
            case ir.Logic(op=op, operands=operands) if len(operands) <= _WIDTH:
                tests = [self.operand(o, depth) for o in operands]
                if op == "implies":
                    return f"({tests[0]} is not True or {tests[1]} is True)"
                return "(" + f" {op} ".join(f"{t} is True" for t in tests) + ")"
            case ir.Not(operand=operand):
                return f"({self.operand(operand, depth)} is not True)"
            case ir.IsMissing(operand=operand, negated=negated):
                return f"({self.operand(operand, depth)} is {'not ' if negated else ''}MISSING)"
            case ir.Coalesce(operands=operands) if len(operands) <= _WIDTH:
                *firsts, last = operands
                text = self.operand(last, depth)
                for o in reversed(firsts):
                    name = self.temp()
                    found = self.operand(o, depth)
                    text = f"{name} if ({name} := {found}) is not MISSING else {text}"
                return f"({text})"
            case ir.Branches(branches=branches, default=default) if len(branches) <= _WIDTH:
                text = self.operand(default, depth)
                for test, value in reversed(branches):
                    when, then = self.operand(test, depth), self.operand(value, depth)
                    text = f"{then} if {when} is True else {text}"
                return f"({text})"
            case ir.Match():
                return self.match(node, depth)
            case ir.InSet(operand=operand, items=items, negated=negated):
                keys = self.keys(operand, items)
                if keys is None:
                    return None
                name, found = self.temp(), self.operand(operand, depth)
                read = f"{name}.index" if operand.type.kind == "enum" else name
                within = self.capture(frozenset(keys))
                inside = f"(({name} := {found}) is not MISSING and {read} in {within})"
                return f"(not {inside})" if negated else inside
            case ir.InRange(operand=operand, low=ir.Const() as low, high=ir.Const() as high) if (
                {operand.type.kind, low.type.kind, high.type.kind} <= _SCALAR
                and low.value is not MISSING
                and high.value is not MISSING
            ):
                name, found = self.temp(), self.operand(operand, depth)
                lo, hi = self.capture(low.value), self.capture(high.value)
                inside = f"({name} := {found}) is not MISSING and {name} >= {lo} and {name} <= {hi}"
                return f"(({inside}) is {not node.negated})"
            case ir.Function(name=name, args=args):
                apply = self.capture(BUILTINS[name].form("values", len(args)).evaluate)
                call = ", ".join(f"{{{i}}}" for i in range(len(args)))
                return self.strict(args, depth, "MISSING", f"{apply}({call})")
            case ir.Group():
                return "e.group"
            case ir.GroupValue():
                return "e.group_value"
            case _:
                return None

    def compare(self, op: str, left: ir.Node, right: ir.Node, depth: int) -> str:
        """Values of one enum compare by their index (as `Compiler.enum_compare` does)."""
        if left.type.kind == "enum" and right.type.kind == "enum":
            sides = tuple(self.index(n) for n in (left, right))
            then = f"{{0}}{sides[0][1]} {op} {{1}}{sides[1][1]}"
            return self.strict((sides[0][0], sides[1][0]), depth, "False", then)
        then = f"{{0}} {op} {{1}}"
        if not {left.type.kind, right.type.kind} <= _SCALAR:
            then = f"bool({then})"
        return self.strict((left, right), depth, "False", then)

    @staticmethod
    def index(node: ir.Node) -> tuple[ir.Node, str]:
        """An enum operand: a literal by its index, anything else read by `.index`."""
        if isinstance(node, ir.Const) and isinstance(node.value, EnumValue):
            return attrs.evolve(node, value=node.value.index), ""
        return node, ".index"

    def keys(self, subject: ir.Node, patterns: tuple[ir.Node, ...]) -> list[Any] | None:
        """The literals a subject is looked up among (an enum's by index), or None when a
        dict would not find what `==` finds."""
        found: list[Any] = []
        enum = subject.type.name if subject.type.kind == "enum" else None
        for pattern in patterns:
            match pattern:
                case ir.Const(value=EnumValue() as value) if (
                    enum is not None and value.enum == enum
                ):
                    found.append(value.index)
                case ir.Const(value=value) if (
                    enum is None
                    and isinstance(value, _HASHED)
                    and not (isinstance(value, Decimal) and value.is_nan())
                ):
                    found.append(value)
                case _:
                    return None
        return found

    def match(self, node: ir.Match, depth: int) -> str | None:
        """`case` over literals: one look-up of the first arm with that literal."""
        keys = self.keys(node.subject, tuple(p for p, _ in node.arms))
        if keys is None or node.default is None or len(node.arms) > _WIDTH:
            return None
        arms: dict[Any, int] = {}
        for at, key in enumerate(keys):
            arms.setdefault(key, at)
        values = [v for _, v in node.arms]
        name, found = self.temp(), self.operand(node.subject, depth)
        read = f"{name}.index" if node.subject.type.kind == "enum" else name
        if all(isinstance(v, ir.Const) for v in (*values, node.default)):
            default = self.capture(node.default.value)  # type: ignore[union-attr]
            table = {k: values[at].value for k, at in arms.items()}  # type: ignore[union-attr]
            looked = self.capture(table)
            lookup = f"{looked}.get({read}, {default})"
            return f"({default} if ({name} := {found}) is MISSING else {lookup})"
        chosen, text = self.temp(), self.operand(node.default, depth)
        lookup = f"(-1 if ({name} := {found}) is MISSING else {self.capture(arms)}.get({read}, -1))"
        firsts = sorted(set(arms.values()))
        for at in reversed(firsts):
            test = f"({chosen} := {lookup})" if at == firsts[0] else chosen
            text = f"{self.operand(values[at], depth)} if {test} == {at} else {text}"
        return f"({text})"


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
