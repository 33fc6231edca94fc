"""The reference engine: evaluates every expression subject by subject, exactly.

Numbers are decimals: sums, differences and products are exact, and only a quotient is cut
(at 40 significant digits, `values.CONTEXT`), so no value is ever rounded silently; `and`,
`or`, `implies`, `if` and `case` evaluate only what they need. Declarations are evaluated
in the checked model's dependency order, a whole population at a time, so an award
reading another award's recipients (or a quota counting them) sees them decided.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    Inexact,
    localcontext,
)
from typing import Any, Final, assert_never

import attrs

from emurules.check.functions import literal_number
from emurules.data.validate import Record, Table
from emurules.engine import rank
from emurules.errors import EvaluationError
from emurules.plan import Plan
from emurules.result import Check, Outcome, QuotaInfo
from emurules.source import Diagnostic
from emurules.syntax import ast
from emurules.syntax.printer import expr as show_expr
from emurules.values import CONTEXT, MISSING, EnumValue

Trace = list[tuple[str, Any]]
ZERO = Decimal(0)
# Inputs have at most 18 digits before the point and 18 after; a product of two of them
# needs 72, so arithmetic other than division runs without a precision limit.
EXACT: Final = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=ROUND_HALF_UP)


QUOTIENT_PLACES: Final = 18
_QUANTUM: Final = Decimal(1).scaleb(-QUOTIENT_PLACES)


def divide(dividend: Decimal, divisor: Decimal) -> Decimal:
    """The one rounded operation: a quotient to 18 decimal places, half away from zero.

    One scale for every engine (SQL's DECIMAL(38, 18) included), so engines agree to the
    last digit. The quotient is first cut (never rounded) two places past the scale, so the
    final rounding is the only one: rounding twice could move a value across a half.
    """
    places = dividend.adjusted() - divisor.adjusted() + 1
    cut = Context(prec=max(1, places + QUOTIENT_PLACES + 2), rounding=ROUND_DOWN, Emax=MAX_EMAX,
                  Emin=MIN_EMIN)  # fmt: skip
    quotient = cut.divide(dividend, divisor)
    if not cut.flags[Inexact] and quotient.as_tuple().exponent >= -QUOTIENT_PLACES:  # type: ignore[operator]
        return quotient
    return quotient.quantize(_QUANTUM, context=EXACT)


def round_to(value: Decimal, digits: int) -> Decimal:
    """Half away from zero to `digits` places, with the precision the result needs."""
    needed = max(CONTEXT.prec, value.adjusted() + digits + 3)
    return value.quantize(
        Decimal(1).scaleb(-digits, EXACT), context=Context(prec=needed, rounding=ROUND_HALF_UP)
    )


class _DivisionByZero(Exception):
    def __init__(self, node: ast.Expr) -> None:
        self.node = node


@attrs.frozen
class Scope:
    kind: str
    key: str
    group: tuple[str, ...] | None = None
    group_value: Any = None
    root: str | None = None
    trace: Trace | None = None


@attrs.define
class CriterionDetail:
    value: Any
    maximum: Decimal | None
    applicable: bool


class RowEngine:
    def __init__(self, plan: Plan, table: Table, year: int) -> None:
        self.plan = plan
        self.model = plan.model
        self.tables = plan.model.tables
        self.table = table
        self.year = year
        self.digits = plan.round_digits
        self.values: dict[tuple[str, str], dict[str, Any]] = {
            (kind, r.key): {} for kind, rows in table.records.items() for r in rows
        }
        self.criteria: dict[tuple[str, str, str], CriterionDetail] = {}
        self.outcomes: dict[str, dict[str, Outcome]] = {}
        self.quota_text: dict[str, str] = {}
        self.league: dict[tuple[str, str, str], tuple[int, Any]] = {}
        self.problems: list[Diagnostic] = []
        self.recipients_order: dict[str, tuple[str, ...]] = {}
        self.relations = self._relations()

    # ---- set-up -------------------------------------------------------------------------
    def _relations(self) -> dict[tuple[str, str], dict[str, tuple[str, ...]]]:
        index: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
        for decl in self.model.module.decls:
            if not isinstance(decl, ast.RelationDecl):
                continue
            members: dict[str, list[str]] = {}
            for record in self.table.records.get(decl.member.text, ()):
                owner = record.values.get(decl.via.text)
                if owner is not None and owner is not MISSING:
                    members.setdefault(owner, []).append(record.key)
            index[(decl.owner.text, decl.name.text)] = {
                owner: tuple(sorted(keys)) for owner, keys in members.items()
            }
        return index

    def record(self, kind: str, key: str) -> Record:
        return self.table.by_key[kind][key]

    # ---- the run ------------------------------------------------------------------------
    def run(self) -> None:
        with localcontext(EXACT):
            for step in self.plan.steps:
                match step.decl:
                    case ast.AwardDecl():
                        self.award(step.decl)
                    case ast.RankingDecl():
                        self.ranking(step.decl)
                    case _:
                        for record in self.table.records.get(step.kind, ()):
                            self.value(step.decl, step.kind, record.key, step.name)
        if self.problems:
            raise EvaluationError(self.problems)

    def broken_rules(self) -> list[tuple[Record, ast.RuleDecl]]:
        """Records that break a data rule (`require`), read before anything is computed."""
        broken = []
        with localcontext(EXACT):
            for rule in self.plan.rules:
                for record in self.table.records.get(rule.subject.text, ()):
                    try:
                        holds = self.ev(rule.expr, Scope(record.kind, record.key)) is True
                    except _DivisionByZero:
                        holds = False
                    if not holds:
                        broken.append((record, rule))
        return broken

    def guarded(self, node: ast.Expr, scope: Scope, what: str) -> Any:
        try:
            return self.ev(node, scope)
        except _DivisionByZero as error:
            self.problems.append(
                Diagnostic(
                    code="V0101",
                    message=f"division by zero in '{show_expr(error.node)}' for {scope.kind} "
                    f"{scope.key!r} ({what})",
                    span=error.node.span,
                    kind="division_by_zero",
                    hint="guard the division, e.g. 'x / n if n != 0 else 0'",
                )
            )
            return MISSING

    def value(self, decl: Any, kind: str, key: str, name: str) -> None:
        scope = Scope(kind, key)
        store = self.values[(kind, key)]
        match decl:
            case ast.CriterionDecl():
                maximum = literal_number(decl.max) if decl.max is not None else None
                applicable = decl.where is None or self.guarded(decl.where, scope, name) is True
                result: Any = MISSING
                if applicable:
                    result = self.guarded(decl.expr, scope, name)
                    if maximum is not None and isinstance(result, Decimal):
                        result = min(max(result, ZERO), maximum)
                self.criteria[(kind, key, name)] = CriterionDetail(result, maximum, applicable)
                store[name] = result
            case ast.ScoreDecl():
                result = self.guarded(decl.expr, scope, "score")
                if self.digits is not None and isinstance(result, Decimal):
                    result = round_to(result, self.digits)
                store["score"] = result
            case ast.LetDecl():
                store[name] = self.guarded(decl.expr, scope, name)
            case _:
                raise AssertionError(decl)

    # ---- awards and rankings ------------------------------------------------------------
    def _groups(self, kind: str, within: ast.Expr | None) -> dict[Any, list[str]]:
        groups: dict[Any, list[str]] = {}
        for record in self.table.records.get(kind, ()):
            value = (
                None if within is None else self.guarded(within, Scope(kind, record.key), "within")
            )
            groups.setdefault(value, []).append(record.key)
        return groups

    def _entries(
        self, kind: str, keys: list[str], rank_by: tuple[ast.RankKey, ...]
    ) -> list[rank.Entry]:
        return [
            rank.Entry(
                key, tuple(self.guarded(k.expr, Scope(kind, key), "rank by") for k in rank_by)
            )
            for key in keys
        ]

    def award(self, decl: ast.AwardDecl) -> None:
        kind, name = decl.subject.text, decl.name.text
        checks: dict[str, tuple[Check, ...]] = {}
        for record in self.table.records.get(kind, ()):
            checks[record.key] = self.conditions(decl, kind, record.key)
        qualified = {k for k, c in checks.items() if all(x.holds for x in c)}
        groups = self._groups(kind, decl.within)
        outcomes: dict[str, Outcome] = {}
        received: set[str] = set()
        placed: dict[str, tuple[int, Any, QuotaInfo | None, str | None]] = {}
        for group_value, members in groups.items():
            candidates = [k for k in members if k in qualified]
            quota_value: int | None = None
            if decl.quota is not None:
                scope = Scope(
                    kind, members[0], tuple(sorted(members)), group_value, _root(decl.within)
                )
                result = self.guarded(decl.quota, scope, "quota")
                quota_value = int(result) if isinstance(result, Decimal) else 0
            if decl.rank_by:
                ordered = rank.order(
                    self._entries(kind, candidates, decl.rank_by),
                    [k.descending for k in decl.rank_by],
                )
            else:
                ordered = [rank.Entry(k, ()) for k in sorted(candidates)]
            cut = rank.apply_quota(ordered, quota_value, decl.tie_include)
            received.update(cut.recipients)
            info = None
            if quota_value is not None:
                info = QuotaInfo(
                    group=group_value,
                    base=len(candidates),
                    quota=quota_value,
                    cutoff=cut.cutoff,
                    tie=cut.tie,
                    overshoot=cut.overshoot,
                    text=show_expr(decl.quota) if decl.quota else "",
                )
            for position, entry in enumerate(ordered, start=1):
                reason = None if entry.key in cut.recipients else "quota"
                placed[entry.key] = (position if decl.rank_by else 0, group_value, info, reason)
        order: list[str] = []
        for group_value in sorted(groups, key=_group_sort):
            members = [k for k in groups[group_value] if k in received]
            members.sort(key=lambda k: (placed[k][0] if k in placed else 0, k))
            order.extend(members)
        for key in sorted(r.key for r in self.table.records.get(kind, ())):
            failed = tuple(c for c in checks[key] if not c.holds)
            position, group_value, info, reason = placed.get(key, (0, None, None, None))
            if key not in qualified:
                reason = "not qualified"
                group_value = next(g for g, m in groups.items() if key in m)
            outcomes[key] = Outcome(
                award=name,
                key=key,
                qualified=key in qualified,
                received=key in received,
                rank=position or None,
                group=group_value,
                failed=failed,
                checks=checks[key],
                reason=reason,
                quota=info,
            )
            self.values[(kind, key)][name] = key in received
        self.outcomes[name] = outcomes
        self.recipients_order[name] = tuple(order)

    def conditions(self, decl: ast.AwardDecl, kind: str, key: str) -> tuple[Check, ...]:
        found: list[Check] = []
        for required in decl.requires:
            holds = self.values[(kind, key)].get(required.text) is True
            found.append(
                Check(
                    id=f"requires:{required.text}",
                    holds=holds,
                    text=f"requires {required.text}",
                    values=((required.text, holds),),
                )
            )
        for position, condition in enumerate(decl.conditions, start=1):
            ident = condition.id.text if condition.id is not None else f"when{position}"
            if isinstance(condition.body, ast.AnyOf):
                parts = tuple(
                    self.check(p.id.text, p.expr, p.label, kind, key) for p in condition.body.parts
                )
                found.append(
                    Check(
                        id=ident,
                        holds=any(p.holds for p in parts),
                        label=condition.label,
                        text="any of",
                        parts=parts,
                    )
                )
            else:
                found.append(self.check(ident, condition.body, condition.label, kind, key))
        return tuple(found)

    def check(self, ident: str, node: ast.Expr, label: str | None, kind: str, key: str) -> Check:
        trace: Trace = []
        value = self.guarded(node, Scope(kind, key, trace=trace), ident)
        seen: dict[str, Any] = {}
        for name, read in trace:
            seen.setdefault(name, read)
        return Check(
            id=ident,
            holds=value is True,
            label=label,
            text=show_expr(node),
            values=tuple(seen.items()),
        )

    def ranking(self, decl: ast.RankingDecl) -> None:
        kind, name = decl.subject.text, decl.name.text
        for group_value, members in self._groups(kind, decl.within).items():
            ordered = rank.order(
                self._entries(kind, members, decl.keys), [k.descending for k in decl.keys]
            )
            for key, position in rank.league(ordered, decl.shared):
                self.values[(kind, key)][name] = Decimal(position)
                self.league[(kind, key, name)] = (position, group_value)

    # ---- expressions --------------------------------------------------------------------
    def ev(self, node: ast.Expr, scope: Scope) -> Any:
        match node:
            case ast.IntLit() | ast.NumberLit() | ast.PercentLit():
                return literal_number(node)
            case ast.TextLit(value=value) | ast.DateLit(value=value) | ast.BoolLit(value=value):
                return value
            case ast.Name():
                return self.name(node, scope)
            case ast.Path():
                return self.path(node, scope)
            case ast.Arith(op=op, left=left, right=right):
                a, b = self.ev(left, scope), self.ev(right, scope)
                if a is MISSING or b is MISSING:
                    return MISSING
                if op == "+":
                    return a + b
                if op == "-":
                    return a - b
                if op == "*":
                    return a * b
                if b == 0:
                    raise _DivisionByZero(node)
                return divide(a, b)
            case ast.Neg(operand=operand):
                value = self.ev(operand, scope)
                return MISSING if value is MISSING else -value
            case ast.Compare(op=op, left=left, right=right):
                return _compare(op, self.ev(left, scope), self.ev(right, scope))
            case ast.Logic(op="and", left=left, right=right):
                return self.ev(left, scope) is True and self.ev(right, scope) is True
            case ast.Logic(op="or", left=left, right=right):
                return self.ev(left, scope) is True or self.ev(right, scope) is True
            case ast.Logic(op="implies", left=left, right=right):
                return self.ev(left, scope) is not True or self.ev(right, scope) is True
            case ast.Logic():
                raise AssertionError(node)
            case ast.Not(operand=operand):
                return self.ev(operand, scope) is not True
            case ast.Coalesce(value=value, fallback=fallback):
                found = self.ev(value, scope)
                return self.ev(fallback, scope) if found is MISSING else found
            case ast.Member(operand=operand, target=target, negated=negated):
                value = self.ev(operand, scope)
                if isinstance(target, ast.SetLit):
                    inside = any(_compare("==", value, self.ev(i, scope)) for i in target.items)
                else:
                    low, high = self.ev(target.low, scope), self.ev(target.high, scope)
                    inside = _compare(">=", value, low) and _compare("<=", value, high)
                return inside != negated
            case ast.IsMissing(operand=operand, negated=negated):
                return (self.ev(operand, scope) is MISSING) != negated
            case ast.Conditional(then=then, cond=cond, otherwise=otherwise):
                return self.ev(then if self.ev(cond, scope) is True else otherwise, scope)
            case ast.Case():
                return self.case(node, scope)
            case ast.Call():
                from emurules.engine.functions import call

                result = call(self, node, scope)
                if scope.trace is not None and node.func.text not in _PLAIN_FUNCTIONS:
                    scope.trace.append((show_expr(node), result))
                return result
            case ast.Last() | ast.SetLit() | ast.RangeLit():
                raise AssertionError(f"{type(node).__name__} outside its place")
            case _:
                assert_never(node)

    def case(self, node: ast.Case, scope: Scope) -> Any:
        if node.subject is not None:
            subject = self.ev(node.subject, scope)
            for arm in node.arms:
                if _compare("==", subject, self.ev(arm.pattern, scope)):
                    return self.ev(arm.value, scope)
        else:
            for arm in node.arms:
                if self.ev(arm.pattern, scope) is True:
                    return self.ev(arm.value, scope)
        assert node.default is not None, "the checker requires an else arm"
        return self.ev(node.default, scope)

    def name(self, node: ast.Name, scope: Scope) -> Any:
        enum = self.model.enum_refs.get(id(node))
        if enum is not None:
            return _enum_value(self, enum, node.name)
        if scope.group is not None:
            if node.name == "group":
                return scope.group
            if node.name == "year":
                return Decimal(self.year)
            if node.name == scope.root:
                return scope.group_value
        value = self.read(scope.kind, scope.key, node.name)
        if scope.trace is not None and not isinstance(value, tuple):
            scope.trace.append((node.name, value))
        return value

    def read(self, kind: str, key: str, name: str) -> Any:
        symbol = self.tables.subjects[kind].names[name]
        match symbol.kind:
            case "year":
                return Decimal(self.year)
            case "field":
                return self.record(kind, key).values[name]
            case "relation":
                return self.relations.get((kind, name), {}).get(key, ())
            case _:
                return self.values[(kind, key)].get(name, MISSING)

    def path(self, node: ast.Path, scope: Scope) -> Any:
        enum = self.model.enum_refs.get(id(node))
        if enum is not None:
            return _enum_value(self, enum, node.attr.text)
        base = self.ev(node.base, scope)
        if base is MISSING:
            value: Any = MISSING
        else:
            base_type = self.model.types[id(node.base)]
            assert base_type.name is not None
            value = self.read(base_type.name, base, node.attr.text)
        if scope.trace is not None:
            scope.trace.append((show_expr(node), value))
        return value


_PLAIN_FUNCTIONS = frozenset({"abs", "cap", "ceil", "floor", "round", "days"})


def _enum_value(engine: RowEngine, enum: str, name: str) -> EnumValue:
    values = [v.text for v in engine.tables.enums[enum].values]
    return EnumValue(enum, name, values.index(name))


def _root(within: ast.Expr | None) -> str | None:
    return within.name if isinstance(within, ast.Name) else None


def _group_sort(value: Any) -> tuple[int, str]:
    return (0 if value is None else 1, str(value))


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is MISSING or right is MISSING:
        return False
    return _COMPARE[op](left, right)


def floor(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_FLOOR)


def ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)
