"""Built-in functions and aggregates for the row engine."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from emurules.check.functions import AGGREGATES, literal_number
from emurules.syntax import ast
from emurules.values import MISSING

if TYPE_CHECKING:
    from emurules.engine.row import RowEngine, Scope

ZERO = Decimal(0)


def call(engine: RowEngine, node: ast.Call, scope: Scope) -> Any:
    from emurules.engine.row import ceil, floor, round_to

    name = node.func.text
    args = [a.value for a in node.args]
    if name == "weighted":
        return _weighted(engine, node, scope)
    if name == "applicable_max":
        return _applicable_max(engine, args, scope)
    if name in ("streak", "held"):
        return _history(engine, name, args, scope)
    if name == "past":
        return _past(engine, args, scope)
    if name in AGGREGATES and args and _is_relation(engine, args[0], scope):
        return _aggregate(engine, name, args, scope)
    if name == "count" and scope.group is not None:
        award = args[0]
        assert isinstance(award, ast.Name)
        kind = scope.kind
        return Decimal(sum(1 for k in scope.group if engine.values[(kind, k)].get(award.name)))
    values = [engine.ev(a, scope) for a in args]
    if any(v is MISSING for v in values):
        return MISSING
    match name:
        case "min" | "cap":
            return min(values)
        case "max":
            return max(values)
        case "abs":
            return abs(values[0])
        case "floor":
            return floor(values[0])
        case "ceil":
            return ceil(values[0])
        case "round":
            digits = int(values[1]) if len(values) > 1 else 0
            return round_to(values[0], digits)
        case "days":
            return Decimal((values[1] - values[0]).days)
    raise AssertionError(f"function {name}")


def _is_relation(engine: RowEngine, node: ast.Expr, scope: Scope) -> bool:
    kind = engine.model.types.get(id(node))
    return kind is not None and kind.kind == "relation"


def _aggregate(engine: RowEngine, name: str, args: list[ast.Expr], scope: Scope) -> Any:
    from emurules.engine.row import divide

    members = engine.ev(args[0], attrs.evolve(scope, trace=None))
    relation_type = engine.model.types[id(args[0])]
    member_kind = relation_type.name
    assert member_kind is not None

    def each(node: ast.Expr) -> list[Any]:
        from emurules.engine.row import Scope

        return [engine.ev(node, Scope(member_kind, key)) for key in members]

    if name == "count":
        if len(args) == 1:
            return Decimal(len(members))
        return Decimal(sum(1 for v in each(args[1]) if v is True))
    if name == "share":
        if not members:
            return ZERO
        return divide(Decimal(sum(1 for v in each(args[1]) if v is True)), Decimal(len(members)))
    if name == "all":
        return all(v is True for v in each(args[1]))
    if name == "any":
        return any(v is True for v in each(args[1]))
    if name == "none":
        return not any(v is True for v in each(args[1]))
    numbers = [v for v in each(args[1]) if v is not MISSING]
    if name == "sum":
        return sum(numbers, ZERO)
    if not numbers:
        return MISSING
    if name == "avg":
        return divide(sum(numbers, ZERO), Decimal(len(numbers)))
    return min(numbers) if name == "min" else max(numbers)


def _criterion(engine: RowEngine, name: str, scope: Scope) -> tuple[Any, Decimal | None]:
    detail = engine.criteria[(scope.kind, scope.key, name)]
    return detail.value, detail.maximum


def _weighted(engine: RowEngine, node: ast.Call, scope: Scope) -> Any:
    from emurules.engine.row import divide

    total = ZERO
    weights = ZERO
    for argument in node.args:
        assert argument.name is not None
        value, maximum = _criterion(engine, argument.name.text, scope)
        weight = literal_number(argument.value)
        assert weight is not None and maximum is not None
        if value is MISSING or maximum == 0:
            continue
        total += divide(weight * value, maximum)
        weights += weight
    if weights == 0:
        return ZERO
    declared = sum((literal_number(a.value) or ZERO for a in node.args), ZERO)
    return divide(total * declared, weights)


def _applicable_max(engine: RowEngine, args: list[ast.Expr], scope: Scope) -> Any:
    total = ZERO
    for node in args:
        assert isinstance(node, ast.Name)
        value, maximum = _criterion(engine, node.name, scope)
        if value is not MISSING and maximum is not None:
            total += maximum
    return total


def _history(engine: RowEngine, name: str, args: list[ast.Expr], scope: Scope) -> Any:
    award = args[0]
    assert isinstance(award, ast.Name)
    history = engine.table.history
    kind, key, year = scope.kind, scope.key, engine.year
    if name == "held":
        last = args[1]
        assert isinstance(last, ast.Last)
        years = history.awards.get((kind, key), {})
        first = year - last.count
        held = sum(1 for y, got in years.items() if first <= y < year and award.name in got)
        return Decimal(held)
    count = 0
    current = year
    if len(args) == 1:
        if engine.values[(kind, key)].get(award.name) is not True:
            return ZERO
        count = 1
    current = year - 1
    while history.received(kind, key, award.name, current):
        count += 1
        current -= 1
    return Decimal(count)


def _past(engine: RowEngine, args: list[ast.Expr], scope: Scope) -> Any:
    target, back = args
    assert isinstance(target, ast.Name) and isinstance(back, ast.IntLit)
    return engine.table.history.values.get(
        (scope.kind, scope.key, target.name, engine.year - back.value), MISSING
    )
