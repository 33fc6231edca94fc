"""Calls of built-in functions, checked against their forms in the registry (`builtins`).

The registry says how many arguments a function takes, what each one must be (its sort)
and which rule gives the call's type; this module checks each sort where it stands and
gives the call its type by that rule.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from emurules.builtins import BUILTINS, Builtin, Form, Param, sort_phrase
from emurules.check import types as t
from emurules.check.pools import past_rule
from emurules.i18n import message
from emurules.limits import ROUND_DIGITS
from emurules.suggest import suggest
from emurules.syntax import ast
from emurules.syntax.printer import expr as show
from emurules.syntax.syntax_errors import quoted

if TYPE_CHECKING:
    from emurules.check.typecheck import Ctx, Typer


def type_call(typer: Typer, node: ast.Call, ctx: Ctx) -> t.Type:
    name = node.func.text
    builtin = BUILTINS.get(name)
    if builtin is None:
        typer.report(
            "E0206",
            message("check.call-unknown-function", name=name),
            node.func.span,
            hint=suggest(name, BUILTINS),
        )
        for arg in node.args:
            typer.maybe(arg.value, ctx)
        return t.UNKNOWN
    shapes = {f.shape for f in builtin.forms}
    if "weights" in shapes:
        return _weighted(typer, node, ctx)
    for arg in node.args:
        if arg.name is not None:
            typer.report(
                "E0303",
                message("check.call-named-arguments", function=name),
                arg.name.span,
                hint=message("check.call-named-arguments-hint"),
            )
            return t.UNKNOWN
    values = [a.value for a in node.args]
    if builtin.aggregate and values and _relation_kind(typer, values[0], ctx, probe=True):
        return _aggregate(typer, node, builtin, ctx)
    if not _arity(typer, node, builtin):
        return t.UNKNOWN
    if "values" in shapes:
        return _values(typer, node, builtin.form("values", len(values)), ctx)
    if builtin.aggregate:
        return _aggregate(typer, node, builtin, ctx)
    form = builtin.forms[0]
    match form.shape:
        case "criteria":
            for v in values:
                _criterion_with_max(typer, v, ctx, name)
            return t.NUMBER
        case "streak" | "held":
            return _history(typer, node, builtin, ctx)
        case "past":
            return _past(typer, node, ctx)
        case "decision":
            return _decision(typer, node, ctx)
    raise AssertionError(name)


def _arity(typer: Typer, node: ast.Call, builtin: Builtin) -> bool:
    """Does the call have as many arguments as some form takes? If not, say so."""
    low, high = builtin.arity
    given = len(node.args)
    if given >= low and (high is None or given <= high):
        return True
    name = builtin.name
    if high == low:
        found = message("check.call-arity", function=name, count=low, given=given)
    elif high is None:
        found = message("check.call-arity-at-least", function=name, low=low, given=given)
    else:
        found = message("check.call-arity-between", function=name, low=low, high=high, given=given)
    typer.report("E0303", found, node.span)
    return False


def _values(typer: Typer, node: ast.Call, form: Form, ctx: Ctx) -> t.Type:
    """A function of its arguments' values: each argument checked by its sort, the type
    by the form's rule."""
    name = node.func.text
    where = f"{name}(...)"
    numbers: list[t.Type] = []
    digits: int | None = None
    for value, param in zip(node.args, _params(form, len(node.args)), strict=True):
        match param.sort:
            case "number":
                numbers.append(typer.number(value.value, ctx, where))
            case "date":
                wanted = message("check.wanted", what=where, type=sort_phrase("date"))
                found = typer.value(value.value, ctx)
                typer.need(value.value, found, lambda k: k.kind == "date", wanted)
            case "digits":
                digits = _digits(typer, value.value)
                if digits is None:
                    return t.NUMBER
            case _:
                raise AssertionError(param.sort)
    match form.result:
        case "same":
            return t.join(numbers)
        case "int":
            return t.INT
        case "whole-unless-digits":
            return t.INT if not digits else t.NUMBER
    raise AssertionError(form.result)


def _params(form: Form, count: int) -> list[Param]:
    """The parameter each of `count` arguments stands for."""
    params = list(form.params)
    while len(params) < count:
        params.append(form.params[-1])
    return params[:count]


def _digits(typer: Typer, node: ast.Expr) -> int | None:
    """The digits of `round(x, digits)`, a whole number written out within the limits."""
    if not isinstance(node, ast.IntLit):
        typer.report("E0303", message("check.call-round-digits-written"), node.span)
        return None
    if node.value not in ROUND_DIGITS:
        low, high = ROUND_DIGITS[0], ROUND_DIGITS[-1]
        typer.report(
            "E0314",
            message("check.call-round-digits-range", low=low, high=high, digits=node.value),
            node.span,
            hint=message("check.call-round-digits-range-hint", high=high),
        )
        return None
    return node.value


def _relation_kind(typer: Typer, node: ast.Expr, ctx: Ctx, probe: bool = False) -> str | None:
    """The member kind when `node` names a relation (or `group` in a quota)."""
    if probe:
        if isinstance(node, ast.Filtered):
            return _relation_kind(typer, node.relation, ctx, probe=True)
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
        # a path may end at a relation (`unit.members`) or at a value (`unit.size`, as in
        # `min(unit.size, 3)`): look without reporting; the form chosen types it for real
        report, typer.report = typer.report, lambda *args, **kwargs: None
        try:
            found = typer.maybe(node, ctx)
        finally:
            typer.report = report
        return found.name if found.kind == "relation" else None
    found = typer.maybe(node, ctx)
    if found.kind == "relation":
        return found.name
    if found.known:
        typer.report(
            "E0209",
            message("check.call-not-a-relation", formula=show(node), type=found.describe),
            node.span,
            hint=message("check.call-not-a-relation-hint"),
        )
    return None


def _aggregate(typer: Typer, node: ast.Call, builtin: Builtin, ctx: Ctx) -> t.Type:
    name = builtin.name
    values = [a.value for a in node.args]
    quota = [f for f in builtin.forms if f.in_quota and f.accepts(len(values))]
    if quota and ctx.group is not None:
        award = values[0]
        if isinstance(award, ast.Name) and award.name != "group":
            info = typer.tables.subjects[ctx.group.kind]
            symbol = info.names.get(award.name)
            if symbol is None or symbol.kind != "award":
                typer.report(
                    "E0207",
                    message(
                        "check.call-count-not-an-award",
                        function=name,
                        award=award.name,
                        kind=ctx.group.kind,
                    ),
                    award.span,
                    hint=suggest(award.name, info.names),
                )
                return t.INT
            typer.symbol_type(symbol, award)
            return t.INT
    if not _arity(typer, node, builtin):
        return t.UNKNOWN
    member = _relation_kind(typer, values[0], ctx)
    if member is None:
        return t.INT if {f.result for f in builtin.forms} == {"int"} else t.UNKNOWN
    over = [f for f in builtin.forms if f.shape == "over" and f.accepts(len(values))]
    if not over:  # min(members, score, fighter): a third argument would be ignored
        typer.report(
            "E0303",
            message("check.call-over-too-many", function=name, given=len(values)),
            node.span,
            hint=message("check.call-over-too-many-hint", function=name, relation=show(values[0])),
        )
        return t.UNKNOWN
    form = over[0]
    # the members a filter kept are those its condition holds for: what it proves holds too
    kept = typer.proven(values[0].cond, True) if isinstance(values[0], ast.Filtered) else None
    inner = attrs.evolve(ctx, subject=member, guards=kept or frozenset(), group=None)
    found = t.UNKNOWN
    for value, param in zip(values[1:], form.params[1:], strict=True):
        if param.sort == "condition":
            typer.condition(value, inner, f"{name}(...)")
        else:
            found = typer.number(value, inner, f"{name}(...)")
    match form.result:
        case "int":
            return t.INT
        case "percent":
            return t.PERCENT
        case "bool":
            return t.BOOL
        case "each":
            return found
        case "number-maybe":
            return t.NUMBER.maybe()
        case "each-maybe":
            return found.maybe()
    raise AssertionError(form.result)


def type_filtered(typer: Typer, node: ast.Filtered, ctx: Ctx) -> t.Type:
    """`rel where cond`: the relation's type, its condition true/false for each member."""
    found = typer.maybe(node.relation, ctx)
    if found.kind != "relation" or found.name is None:
        if found.known:
            typer.report(
                "E0209",
                message(
                    "check.filter-not-a-relation", formula=show(node.relation), type=found.describe
                ),
                node.relation.span,
                hint=message("check.call-not-a-relation-hint"),
            )
        return t.UNKNOWN
    inner = attrs.evolve(ctx, subject=found.name, guards=frozenset(), group=None)
    typer.condition(node.cond, inner, quoted("where"))
    return found


def _criterion_with_max(typer: Typer, node: ast.Expr, ctx: Ctx, function: str) -> Decimal | None:
    """The `max` of the criterion a name refers to, reporting anything else."""
    info = typer.tables.subjects.get(ctx.subject)
    if not isinstance(node, ast.Name) or info is None:
        typer.report("E0303", message("check.call-takes-criteria", function=function), node.span)
        return None
    symbol = info.names.get(node.name)
    if symbol is None:
        typer.report(
            "E0201",
            message("check.unknown-name", name=node.name, subject=ctx.subject),
            node.span,
            hint=suggest(node.name, info.names),
        )
        return None
    decl = symbol.decl
    if not isinstance(decl, ast.CriterionDecl):
        typer.report(
            "E0303",
            message(
                "check.call-not-a-criterion",
                function=function,
                name=node.name,
                what=symbol.describe,
            ),
            node.span,
        )
        return None
    typer.read(symbol.subject, symbol.name)
    maximum = literal_number(decl.max) if decl.max is not None else None
    if maximum is None:
        typer.report(
            "E0307",
            message("check.call-criterion-without-max", function=function, name=node.name),
            node.span,
            hint=message("check.call-criterion-without-max-hint"),
        )
    return maximum


def _weighted(typer: Typer, node: ast.Call, ctx: Ctx) -> t.Type:
    name = node.func.text
    total = Decimal(0)
    exact = True
    if not node.args:
        typer.report("E0303", message("check.call-weighted-empty", function=name), node.span)
        return t.NUMBER
    for arg in node.args:
        if arg.name is None:
            typer.report(
                "E0303", message("check.call-weighted-pairs", function=name), arg.value.span
            )
            exact = False
            continue
        _criterion_with_max(typer, ast.Name(name=arg.name.text, span=arg.name.span), ctx, name)
        weight = literal_number(arg.value)
        if weight is None:
            typer.report("E0303", message("check.call-weight-written"), arg.value.span)
            exact = False
        else:
            total += weight
    if exact and total != 1:
        typer.report(
            "W0102",
            message("check.call-weights-total", total=f"{total.normalize():f}"),
            node.span,
            severity="warning",
            hint=message("check.call-weights-total-hint"),
        )
    return t.NUMBER


def _award(typer: Typer, node: ast.Expr, ctx: Ctx, function: str) -> bool:
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
            message(
                "check.call-unknown-award", function=function, kind=ctx.subject, name=node.name
            ),
            node.span,
            hint=suggest(node.name, awards),
        )
        return False
    typer.report("E0207", message("check.call-takes-award", function=function), node.span)
    return False


def _history(typer: Typer, node: ast.Call, builtin: Builtin, ctx: Ctx) -> t.Type:
    name = builtin.name
    award, *rest = [a.value for a in node.args]
    if not _award(typer, award, ctx, name):
        return t.INT
    assert isinstance(award, ast.Name)
    sorts = {p.sort for f in builtin.forms for p in f.params[1:]}
    if "before" in sorts:
        if rest and not (isinstance(rest[0], ast.Name) and rest[0].name == "before"):
            typer.report("E0303", message("check.call-only-before", function=name), rest[0].span)
        if not rest:  # this year's award too: a dependency
            info = typer.tables.subjects[ctx.subject]
            typer.symbol_type(info.names[award.name], award)
        return t.INT
    assert "last" in sorts
    if not isinstance(rest[0], ast.Last):
        typer.report("E0303", message("check.call-last-years", function=name), rest[0].span)
    elif rest[0].count < 1:
        typer.report("E0303", message("check.call-last-at-least-one", function=name), rest[0].span)
    return t.INT


def _decision(typer: Typer, node: ast.Call, ctx: Ctx) -> t.Type:
    """`qualified(A)`, `cut(A)`: read once A is decided, so A is a dependency."""
    name = node.func.text
    award = node.args[0].value
    if ctx.group is not None:
        typer.report(
            "E0212",
            message("check.quota-reads-subject", name=show(node)),
            node.span,
            hint=message("check.quota-reads-subject-hint"),
        )
        return t.UNKNOWN
    if _award(typer, award, ctx, name):
        assert isinstance(award, ast.Name)
        typer.symbol_type(typer.tables.subjects[ctx.subject].names[award.name], award)
    return t.BOOL


def _past(typer: Typer, node: ast.Call, ctx: Ctx) -> t.Type:
    name = node.func.text
    target, years = (a.value for a in node.args)
    info = typer.tables.subjects.get(ctx.subject)
    if not isinstance(years, ast.IntLit) or years.value < 1:
        typer.report("E0303", message("check.call-past-years", function=name), years.span)
    if info is None:
        return t.UNKNOWN
    if not isinstance(target, ast.Name):
        typer.report("E0303", message("check.call-past-name", function=name), target.span)
        return t.UNKNOWN
    symbol = info.names.get(target.name)
    if symbol is None or symbol.kind in ("relation", "year", "ranking"):
        typer.report(
            "E0201",
            message(
                "check.call-past-unknown-name", function=name, kind=ctx.subject, name=target.name
            ),
            target.span,
            hint=suggest(target.name, info.names),
        )
        return t.UNKNOWN
    declared = typer.symbol_type(symbol, target, history=True)
    found, refused = past_rule(typer.tables, ctx.subject, declared)
    if refused is not None:
        typer.report(
            "E0316",
            message("check.past-lineage", rule=refused, kind=ctx.subject, found=found.describe),
            node.span,
            hint=message("check.past-lineage-hint"),
        )
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
