"""The types of built-in functions and aggregates over relations."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from emurules.check import types as t
from emurules.limits import ROUND_DIGITS
from emurules.suggest import suggest
from emurules.syntax import ast
from emurules.syntax.printer import expr as show

if TYPE_CHECKING:
    from emurules.check.typecheck import Ctx, Typer

FUNCTIONS = (
    "min",
    "max",
    "cap",
    "abs",
    "floor",
    "ceil",
    "round",
    "days",
    "count",
    "share",
    "all",
    "any",
    "none",
    "sum",
    "avg",
    "weighted",
    "applicable_max",
    "streak",
    "held",
    "past",
)
AGGREGATES = frozenset({"count", "share", "all", "any", "none", "sum", "avg", "min", "max"})

# (fewest, most) positional arguments; None: no upper bound.
_ARITY: dict[str, tuple[int, int | None]] = {
    "min": (2, None),
    "max": (2, None),
    "cap": (2, 2),
    "abs": (1, 1),
    "floor": (1, 1),
    "ceil": (1, 1),
    "round": (1, 2),
    "days": (2, 2),
    "count": (1, 2),
    "share": (2, 2),
    "all": (2, 2),
    "any": (2, 2),
    "none": (2, 2),
    "sum": (2, 2),
    "avg": (2, 2),
    "applicable_max": (1, None),
    "streak": (1, 2),
    "held": (2, 2),
    "past": (2, 2),
}


def _arity_error(typer: Typer, node: ast.Call, low: int, high: int | None) -> None:
    name = node.func.text
    if high == low:
        wanted = f"{low} argument{'s' if low != 1 else ''}"
    elif high is None:
        wanted = f"at least {low} arguments"
    else:
        wanted = f"{low} or {high} arguments"
    typer.report("E0303", f"{name}(...) takes {wanted}, not {len(node.args)}", node.span)


def type_call(typer: Typer, node: ast.Call, ctx: Ctx) -> t.Type:
    name = node.func.text
    if name not in FUNCTIONS:
        typer.report(
            "E0206", f"unknown function '{name}'", node.func.span, hint=suggest(name, FUNCTIONS)
        )
        for arg in node.args:
            typer.maybe(arg.value, ctx)
        return t.UNKNOWN
    if name == "weighted":
        return _weighted(typer, node, ctx)
    for arg in node.args:
        if arg.name is not None:
            typer.report(
                "E0303",
                f"{name}(...) takes no named arguments",
                arg.name.span,
                hint="only weighted(criterion: weight, ...) names its arguments",
            )
            return t.UNKNOWN
    values = [a.value for a in node.args]
    if name in AGGREGATES and values and _relation_kind(typer, values[0], ctx, probe=True):
        return _aggregate(typer, node, ctx)
    low, high = _ARITY[name]
    if len(values) < low or (high is not None and len(values) > high):
        _arity_error(typer, node, low, high)
        return t.UNKNOWN
    match name:
        case "min" | "max" | "cap":
            return t.join([typer.number(v, ctx, f"{name}(...)") for v in values])
        case "abs":
            return typer.number(values[0], ctx, "abs(...)")
        case "floor" | "ceil":
            typer.number(values[0], ctx, f"{name}(...)")
            return t.INT
        case "round":
            typer.number(values[0], ctx, "round(...)")
            if len(values) == 1:
                return t.INT
            digits = values[1]
            if not isinstance(digits, ast.IntLit):
                typer.report(
                    "E0303",
                    "the digits of round(x, digits) are a whole number written out, like 2",
                    digits.span,
                )
                return t.NUMBER
            if digits.value not in ROUND_DIGITS:
                low, high = ROUND_DIGITS[0], ROUND_DIGITS[-1]
                typer.report(
                    "E0314",
                    f"round(x, digits) takes between {low} and {high} digits, not {digits.value}",
                    digits.span,
                    hint=f"numbers have at most {high} digits after the decimal point",
                )
                return t.NUMBER
            return t.INT if digits.value == 0 else t.NUMBER
        case "days":
            for v in values:
                typer.need(v, typer.value(v, ctx), lambda k: k.kind == "date", "days(...): a date")
            return t.INT
        case "count" | "share" | "all" | "any" | "none" | "sum" | "avg":
            return _aggregate(typer, node, ctx)
        case "applicable_max":
            for v in values:
                _criterion_with_max(typer, v, ctx, "applicable_max(...)")
            return t.NUMBER
        case "streak" | "held":
            return _history(typer, node, ctx)
        case "past":
            return _past(typer, node, ctx)
    raise AssertionError(name)


def _relation_kind(typer: Typer, node: ast.Expr, ctx: Ctx, probe: bool = False) -> str | None:
    """The member kind when `node` names a relation (or `group` in a quota)."""
    if probe:
        if not isinstance(node, ast.Name | ast.Path):
            return None
        if isinstance(node, ast.Name):
            if ctx.group is not None:
                return ctx.group.kind if node.name == "group" else None
            info = typer.tables.subjects.get(ctx.subject)
            symbol = info.names.get(node.name) if info is not None else None
            return (
                symbol.type.name
                if symbol is not None and symbol.kind == "relation" and symbol.type is not None
                else None
            )
    found = typer.maybe(node, ctx)
    if found.kind == "relation":
        return found.name
    if found.known:
        typer.report(
            "E0209",
            f"'{show(node)}' is {found}, not a relation",
            node.span,
            hint="aggregates read a relation declared with 'relation NAME: KIND -> KIND by FIELD'",
        )
    return None


def _aggregate(typer: Typer, node: ast.Call, ctx: Ctx) -> t.Type:
    name = node.func.text
    values = [a.value for a in node.args]
    if name == "count" and len(values) == 1 and ctx.group is not None:
        award = values[0]
        if isinstance(award, ast.Name) and award.name != "group":
            info = typer.tables.subjects[ctx.group.kind]
            symbol = info.names.get(award.name)
            if symbol is None or symbol.kind != "award":
                typer.report(
                    "E0207",
                    f"count({award.name}) in a quota counts an award's "
                    f"recipients, and {ctx.group.kind} has no award '{award.name}'",
                    award.span,
                    hint=suggest(award.name, info.names),
                )
                return t.INT
            typer.symbol_type(symbol, award)
            return t.INT
    low, high = _ARITY[name]
    if len(values) < low or (high is not None and len(values) > high):
        _arity_error(typer, node, low, high)
        return t.UNKNOWN
    member = _relation_kind(typer, values[0], ctx)
    if member is None:
        return t.UNKNOWN if name not in ("count",) else t.INT
    if len(values) > 2:  # min(members, score, fighter): a third argument would be ignored
        typer.report(
            "E0303",
            f"{name}(...) over a relation takes the relation and one value of each member, "
            f"not {len(values)} arguments",
            node.span,
            hint=f"to keep some members only, test them in the value: "
            f"{name}({show(values[0])}, ... if ... else ...), or use a let",
        )
        return t.UNKNOWN
    inner = attrs.evolve(ctx, subject=member, guards=frozenset(), group=None)
    if name in ("count", "share", "all", "any", "none"):
        if len(values) == 2:
            typer.condition(values[1], inner, f"{name}(...)")
        return {"count": t.INT, "share": t.PERCENT}.get(name, t.BOOL)
    found = typer.number(values[1], inner, f"{name}(...)")
    if name == "sum":
        return found
    if name == "avg":
        return t.NUMBER.maybe()
    return found.maybe()


def _criterion_with_max(typer: Typer, node: ast.Expr, ctx: Ctx, where: str) -> Decimal | None:
    """The `max` of the criterion a name refers to, reporting anything else."""
    info = typer.tables.subjects.get(ctx.subject)
    if not isinstance(node, ast.Name) or info is None:
        typer.report("E0303", f"{where} takes names of criteria", node.span)
        return None
    symbol = info.names.get(node.name)
    if symbol is None:
        typer.report(
            "E0201",
            f"unknown name '{node.name}' for {ctx.subject}",
            node.span,
            hint=suggest(node.name, info.names),
        )
        return None
    decl = symbol.decl
    if not isinstance(decl, ast.CriterionDecl):
        typer.report(
            "E0303", f"{where} takes criteria; '{node.name}' is {symbol.describe}", node.span
        )
        return None
    typer.read(symbol.subject, symbol.name)
    maximum = literal_number(decl.max) if decl.max is not None else None
    if maximum is None:
        typer.report(
            "E0307",
            f"criterion '{node.name}' has no 'max', which {where} needs",
            node.span,
            hint="declare it with 'max M'",
        )
    return maximum


def _weighted(typer: Typer, node: ast.Call, ctx: Ctx) -> t.Type:
    total = Decimal(0)
    exact = True
    if not node.args:
        typer.report("E0303", "weighted(...) needs at least one criterion: weight", node.span)
        return t.NUMBER
    for arg in node.args:
        if arg.name is None:
            typer.report(
                "E0303",
                "weighted(...) takes criterion: weight pairs, "
                "e.g. weighted(task: 0.6, digital: 0.4)",
                arg.value.span,
            )
            exact = False
            continue
        _criterion_with_max(
            typer, ast.Name(name=arg.name.text, span=arg.name.span), ctx, "weighted(...)"
        )
        weight = literal_number(arg.value)
        if weight is None:
            typer.report(
                "E0303", "a weight is a number written out, like 0.3 or 30%", arg.value.span
            )
            exact = False
        else:
            total += weight
    if exact and total != 1:
        typer.report(
            "W0102",
            f"the weights add up to {total.normalize():f}, not 1",
            node.span,
            severity="warning",
            hint="weights that add up to 1 keep the result on the scale of 'max'",
        )
    return t.NUMBER


def _award(typer: Typer, node: ast.Expr, ctx: Ctx, where: str) -> bool:
    """Check that `node` names an award of the subject kind (history reads, no dependency)."""
    info = typer.tables.subjects.get(ctx.subject)
    if info is None:
        return False
    if isinstance(node, ast.Name):
        symbol = info.names.get(node.name)
        if symbol is not None and symbol.kind == "award":
            return True
        awards = info.names_of("award")
        typer.report(
            "E0207",
            f"{where} reads an award, and {ctx.subject} has no award '{node.name}'",
            node.span,
            hint=suggest(node.name, awards),
        )
        return False
    typer.report("E0207", f"{where} takes the name of an award", node.span)
    return False


def _history(typer: Typer, node: ast.Call, ctx: Ctx) -> t.Type:
    name = node.func.text
    award, *rest = [a.value for a in node.args]
    if not _award(typer, award, ctx, f"{name}(...)"):
        return t.INT
    assert isinstance(award, ast.Name)
    if name == "streak":
        if rest and not (isinstance(rest[0], ast.Name) and rest[0].name == "before"):
            typer.report(
                "E0303", "the second argument of streak(...) can only be 'before'", rest[0].span
            )
        if not rest:
            info = typer.tables.subjects[ctx.subject]
            typer.symbol_type(info.names[award.name], award)
        return t.INT
    if not isinstance(rest[0], ast.Last):
        typer.report(
            "E0303", "held(...) counts the last N years: write held(award, last N)", rest[0].span
        )
    elif rest[0].count < 1:
        typer.report("E0303", "held(award, last N) needs N of at least 1", rest[0].span)
    return t.INT


def _past(typer: Typer, node: ast.Call, ctx: Ctx) -> t.Type:
    target, years = (a.value for a in node.args)
    info = typer.tables.subjects.get(ctx.subject)
    if not isinstance(years, ast.IntLit) or years.value < 1:
        typer.report(
            "E0303",
            "past(x, N) needs N, the years back, as a whole number of at least 1",
            years.span,
        )
    if info is None:
        return t.UNKNOWN
    if not isinstance(target, ast.Name):
        typer.report(
            "E0303", "past(x, N) reads a name of the subject, not an expression", target.span
        )
        return t.UNKNOWN
    symbol = info.names.get(target.name)
    if symbol is None or symbol.kind in ("relation", "year", "ranking"):
        typer.report(
            "E0201",
            f"past(...) reads a field, criterion, let or score of "
            f"{ctx.subject}; '{target.name}' is none of them",
            target.span,
            hint=suggest(target.name, info.names),
        )
        return t.UNKNOWN
    found = typer.symbol_type(symbol, target, history=True)
    typer.types[id(target)] = found
    return found.maybe()


def literal_number(node: ast.Expr) -> Decimal | None:
    """The value of a number literal (`0.5`, `30`, `15%`), or None for anything else."""
    match node:
        case ast.IntLit(value=value):
            return Decimal(value)
        case ast.NumberLit(value=value):
            return value
        case ast.PercentLit():
            return node.fraction
        case _:
            return None
