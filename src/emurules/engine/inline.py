"""Specialised closures: a node and the operands near it as the source of one small Python
function, compiled once per ruleset (as Jinja2 compiles a template), so that evaluating a
subject runs no dispatch on operators or operand kinds. Literals are captured values,
never source text; names are written with `repr`. The generic closures of
`engine/compile.py` stay the reference: a test holds the two equal on generated trees."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from emurules.builtins import BUILTINS
from emurules.engine.arithmetic import divide
from emurules.engine.compile import DivisionByZero, Fn
from emurules.plan import ir
from emurules.values import MISSING, EnumValue

if TYPE_CHECKING:
    from emurules.engine.compile import Compiler


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


class Inline:
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
        if keys is None or node.default is None or not node.arms or len(node.arms) > _WIDTH:
            return None  # without arms the generic closure still evaluates the subject
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
