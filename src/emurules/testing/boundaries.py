"""Where the criteria draw lines: the literal values each input is compared against.

Unfairness hides at thresholds (a 69.9% share, a group of exactly seven, a tie at the
cut-off), so generated populations favour values on both sides of every literal the
criteria compare a field with. This is a read-only view of the plan's IR, walked through
its attrs fields, so that a node type added later is walked without a change here (only
what it compares is unseen until it is taught here).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from emurules.plan import ir, steps
from emurules.plan.steps import Plan
from emurules.values import EnumValue

Target = tuple[str, str]  # (subject kind, name): a field, a computed name or a relation

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
DAY = datetime.timedelta(days=1)
HISTORY_YEARS = 3  # how far back history goes when no literal says
MOST_YEARS = 8


@attrs.frozen
class Boundaries:
    """What the criteria compare, by (kind, name).

    `values`: literals compared with a field or computed value, each with its neighbours
    on both sides (numbers, dates, texts, enum values), sorted; `counts`: member counts
    compared with a relation's `count` (both sides), by (owner kind, relation); `groups`:
    group sizes that make a kind's quotas bite (a 15% quota needs 7); `awards` and `past`:
    how many years of history an award's streak or a value's past reaches back."""

    values: Mapping[Target, tuple[Any, ...]]
    counts: Mapping[Target, tuple[int, ...]]
    groups: Mapping[str, tuple[int, ...]]
    awards: Mapping[Target, int]
    past: Mapping[Target, int]

    def of(self, kind: str, name: str) -> tuple[Any, ...]:
        """The values near which `kind.name` changes the outcome (empty when none)."""
        return self.values.get((kind, name), ())


def boundaries(plan: Plan) -> Boundaries:
    """The view of a plan: every declaration as written (`Plan.written`) is walked."""
    walker = _Walker()
    for written in plan.written:
        walker.walk(written, None)
    return walker.result()


def _is_node(value: object) -> bool:
    cls = type(value)
    return cls.__module__ == ir.__name__ and cls is not ir.VType and attrs.has(cls)


def _is_step(value: object) -> bool:
    cls = type(value)
    return cls.__module__ == steps.__name__ and attrs.has(cls)


def _fields(value: Any) -> Iterator[tuple[str, object]]:
    for field in attrs.fields(type(value)):
        yield field.name, getattr(value, field.name)


class _Walker:
    def __init__(self) -> None:
        self.values: dict[Target, set[Any]] = {}
        self.counts: dict[Target, set[int]] = {}
        self.groups: dict[str, set[int]] = {}
        self.awards: dict[Target, int] = {}
        self.past: dict[Target, int] = {}

    def result(self) -> Boundaries:
        return Boundaries(
            values={t: tuple(sorted(v, key=_order)) for t, v in self.values.items()},
            counts={t: tuple(sorted(v)) for t, v in self.counts.items()},
            groups={k: tuple(sorted(v)) for k, v in self.groups.items()},
            awards=dict(self.awards),
            past=dict(self.past),
        )

    def walk(self, value: object, kind: str | None) -> None:
        """Visit `value` (a node, a step, a tuple of them) read in the scope of `kind`."""
        if isinstance(value, tuple):
            for item in value:
                self.walk(item, kind)
        elif _is_node(value):
            self.node(value, kind)  # type: ignore[arg-type]
        elif _is_step(value):
            own = getattr(value, "kind", None)
            scope = own if isinstance(own, str) else kind
            if isinstance(value, steps.Award):
                self.quota(value)
            for _, child in _fields(value):
                self.walk(child, scope)

    def node(self, node: ir.Node, kind: str | None) -> None:
        if kind is not None:
            self.visit(node, kind)
        member = getattr(node, "member", None)
        for name, child in _fields(node):
            # a node over a relation's members (an aggregate, a filter) reads all it holds
            # beside the members themselves in the scope of the members' kind
            inner = member if isinstance(member, str) and name != "members" else kind
            self.walk(child, inner)

    # ---- what a node compares -------------------------------------------------------------
    def visit(self, node: ir.Node, kind: str) -> None:
        match node:
            case ir.Compare(left=left, right=right):
                for side, other in ((left, right), (right, left)):
                    value = _literal(other)
                    if value is not None:
                        self.compared(side, value, kind)
            case ir.InRange(operand=operand, low=low, high=high):
                for bound in (low, high):
                    value = _literal(bound)
                    if value is not None:
                        self.compared(operand, value, kind)
            case ir.InSet(operand=operand, items=items):
                for item in items:
                    value = _literal(item)
                    if value is not None:
                        self.compared(operand, value, kind)
            case ir.Match(subject=subject, arms=arms):
                for pattern, _ in arms:
                    value = _literal(pattern)
                    if value is not None:
                        self.compared(subject, value, kind)
            case ir.Function(name=name, args=args) if name in ("min", "max", "cap"):
                literals = [v for v in map(_literal, args) if v is not None]
                for arg in args:
                    for value in literals:
                        self.compared(arg, value, kind)
            case ir.Held(award=award, years=years):
                self.history(self.awards, (kind, award), years)
            case ir.Streak(award=award):
                self.history(self.awards, (kind, award), HISTORY_YEARS)
            case ir.Past(name=name, back=back):
                self.history(self.past, (kind, name), back)
            case _:
                pass

    def history(self, found: dict[Target, int], target: Target, years: int) -> None:
        found[target] = min(MOST_YEARS, max(found.get(target, 0), years))

    def compared(self, side: ir.Node, value: Any, kind: str) -> None:
        """`side` is compared with the literal `value`: note the inputs it reads."""
        for target, solved, vtype in _solve(side, value, kind):
            if vtype.kind == "relation":
                if isinstance(solved, Decimal):
                    self.counts.setdefault(target, set()).update(_whole_sides(solved, low=0))
            elif vtype.kind not in ("ref", "unknown"):
                self.values.setdefault(target, set()).update(_sides(solved, vtype))
        if isinstance(side, ir.Streak) and isinstance(value, Decimal):
            self.history(self.awards, (kind, side.award), int(value) + 1)

    def quota(self, award: steps.Award) -> None:
        """Group sizes at which the award's quota starts to award (and to leave out)."""
        if award.quota is None:
            return
        sizes = self.groups.setdefault(award.kind, set())
        for node in _nodes(award.quota):
            value = _literal(node)
            if isinstance(value, Decimal) and 0 < value < 1:
                least = math.ceil(1 / value)
                sizes.update((least, least + 1))
            elif isinstance(value, Decimal) and value >= 1 and value == value.to_integral_value():
                sizes.update((int(value), int(value) + 1))


def _nodes(node: ir.Node) -> Iterator[ir.Node]:
    yield node
    for _, child in _fields(node):
        for item in child if isinstance(child, tuple) else (child,):
            if _is_node(item):
                yield from _nodes(item)


def _literal(node: ir.Node) -> Any:
    """The value of a literal (a negative number included), or None."""
    if isinstance(node, ir.Const) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ir.Neg) and isinstance(node.operand, ir.Const):
        inner = node.operand.value
        return -inner if isinstance(inner, Decimal) else None
    return None


def _solve(node: ir.Node, value: Any, kind: str) -> Iterator[tuple[Target, Any, ir.VType]]:
    """The inputs `node` reads directly, each with the value it must have for `node` to
    equal `value`: `10 * x >= 30` puts x at 3, `x ?? 0 <= 3` puts x at 3."""
    match node:
        case ir.Read(name=name, type=vtype):
            yield (kind, name), value, vtype
        case ir.Path(kind=target, name=name, what="field" | "computed", type=vtype):
            yield (target, name), value, vtype
        case ir.Coalesce(operands=operands):
            for operand in operands:
                yield from _solve(operand, value, kind)
        case ir.Aggregate(name="count", members=members):
            found = _relation(members, kind)
            if found is not None:
                yield found, value, ir.VType("relation")
        case ir.Neg(operand=operand) if isinstance(value, Decimal):
            yield from _solve(operand, -value, kind)
        case ir.Binary(op=op, left=left, right=right) if isinstance(value, Decimal):
            a, b = _literal(left), _literal(right)
            if op == "*" and isinstance(a, Decimal) and a != 0:
                yield from _solve(right, value / a, kind)
            elif op == "*" and isinstance(b, Decimal) and b != 0:
                yield from _solve(left, value / b, kind)
            elif op == "/" and isinstance(b, Decimal):
                yield from _solve(left, value * b, kind)
            elif op == "-" and isinstance(b, Decimal):
                yield from _solve(left, value + b, kind)
            elif op == "-" and isinstance(a, Decimal):
                yield from _solve(right, a - value, kind)
        case ir.Sum(operands=operands) if isinstance(value, Decimal):
            literals = [_literal(o) for o in operands]
            rest = [o for o, v in zip(operands, literals, strict=True) if v is None]
            if len(rest) == 1 and all(isinstance(v, Decimal) for v in literals if v is not None):
                known = sum((v for v in literals if v is not None), Decimal(0))
                yield from _solve(rest[0], value - known, kind)
        case _:
            pass


def _relation(members: ir.Node, kind: str) -> Target | None:
    """The relation whose members a node lists (through a filter too), as (owner kind,
    relation)."""
    match members:
        case ir.Relation(name=relation):
            return (kind, relation)
        case ir.Path(kind=owner, name=relation, what="relation"):
            return (owner, relation)
        case _:
            inner: Any = getattr(members, "members", None)
            return _relation(inner, kind) if _is_node(inner) else None


def _sides(value: Any, vtype: ir.VType) -> set[Any]:
    """A literal and its neighbours on both sides, as a field of type `vtype` holds them."""
    if isinstance(value, Decimal):
        if vtype.kind == "int":
            return {Decimal(n) for n in _whole_sides(value)}
        steps_ = (CENT, MILLI) if vtype.kind == "percent" else (CENT, Decimal(1))
        return {value, *(value + s for s in steps_), *(value - s for s in steps_)}
    if isinstance(value, datetime.date):
        return {value - DAY, value, value + DAY}
    if isinstance(value, EnumValue | str):
        return {value}  # an enum's neighbours are found with its values (strategies)
    return set()


def _whole_sides(value: Decimal, low: int | None = None) -> set[int]:
    whole = {math.floor(value) - 1, math.floor(value), math.ceil(value), math.ceil(value) + 1}
    return {n for n in whole if low is None or n >= low}


def _order(value: Any) -> tuple[int, Any]:
    """Sorting a set of mixed literals: by type, then by value."""
    if isinstance(value, EnumValue):
        return (2, (value.enum, value.index))
    if isinstance(value, Decimal):
        return (0, value)
    if isinstance(value, datetime.date):
        return (1, value.toordinal())
    return (3, str(value))
