"""The checks of LANGUAGE.md as properties: `check "label" for KIND: expr` (every subject
satisfies it), `check monotone X for KIND in f, -g, members.h, history` (a raise never
lowers X nor takes award X away) and `check order_independent` (shuffling the records
changes nothing). Each is one function from the check to its `Property`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

import attrs
from hypothesis import strategies as st

from emurules.errors import DataError
from emurules.i18n import message
from emurules.plan.schema import FieldSchema
from emurules.plan.steps import FairnessCheck, MonotoneCheck, OrderCheck
from emurules.result import Explanation
from emurules.testing.cases import (
    Case,
    Cases,
    Context,
    Failure,
    Property,
    differences,
    lowered,
    replaced,
    unchanged,
)
from emurules.testing.evaluation import Evaluated, Invalid
from emurules.testing.outcome import Change, Reorder
from emurules.testing.rename import Renaming
from emurules.testing.strategies import OMIT, Population, field_values, typed
from emurules.values import MISSING, EnumValue

MAX_MOVED: Final = 10
STEPS: Final = 10  # a raised number moves by up to this many units (or hundredths)
HISTORY_YEARS: Final = 3


# ---- check "label" for KIND: expr -------------------------------------------------------------
def fairness(context: Context, check: FairnessCheck) -> Property:
    def breaks(case: Case) -> Failure | None:
        evaluated = context.run(case.population)
        keys = evaluated.breaking(check.kind, check.expr)
        if not keys:
            return None
        return Failure(
            kind=check.kind, breaking=keys, result=evaluated.result, reads=reads(evaluated, check)
        )

    return Property(
        label=check.label,
        form="check",
        span=check.span,
        parts=(lambda populations: populations.map(Case),),
        breaks=breaks,
        rename=unchanged,
        context=context,
        check=check,
    )


def reads(evaluated: Evaluated, check: FairnessCheck) -> Callable[[str], Explanation]:
    """What the check read for a subject: its condition with the values it compared, and
    the members each aggregate counted."""
    return lambda key: evaluated.condition(check.kind, key, check.expr, check.label, check.text)


# ---- check monotone X for KIND in f, -g, members.h, history -----------------------------------
@attrs.frozen
class _Move:
    """One move of a monotone check: the subject's field `name`, a field of one member of
    `relation`, or (`history`) an award held in an earlier year."""

    name: str | None
    down: bool = False
    relation: str | None = None
    history: bool = False

    @property
    def text(self) -> str:
        if self.history:
            return "history"
        sign = "-" if self.down else ""
        return f"{sign}{self.relation}.{self.name}" if self.relation else f"{sign}{self.name}"


def _moves(check: MonotoneCheck) -> tuple[_Move, ...]:
    written = getattr(check, "moves", ())
    if written:
        return tuple(
            _Move(m.name, m.decreasing, m.relation, m.history or m.name is None) for m in written
        )
    return tuple(_Move(name, down) for name, down in check.fields)


def monotone(context: Context, check: MonotoneCheck) -> Property:
    rules = context.rules
    schema = rules.schema
    info = schema.kinds[check.kind]
    target = info.names.get(check.target)
    award = target is not None and target.sort == "award"
    moves = _moves(check)
    label = f"monotone {check.target} for {check.kind} in {', '.join(m.text for m in moves)}"
    relations = {r.name: r for r in rules.plan.relations if r.owner == check.kind}
    awards = [n for n, i in info.names.items() if i.sort == "award"]
    depth = max(
        [HISTORY_YEARS, *(n for (k, _), n in context.bounds.awards.items() if k == check.kind)]
    )

    def own(draw: st.DrawFn, population: Population, move: _Move) -> Case:
        rows = population.data[check.kind]
        index = draw(st.integers(0, len(rows) - 1))
        population, after = _raise(draw, context, population, check.kind, index, move)
        if after is None:
            return Case(population)
        key = context.key_of(check.kind, rows[index])
        return Case(population, ("own", key, move.name, move.down, after))

    def member(draw: st.DrawFn, population: Population, move: _Move) -> Case:
        relation = relations.get(move.relation or "")
        if relation is None:
            return Case(population)
        pairs = _members(context, population, relation)
        if not pairs:
            return Case(population)
        owner, index = draw(st.sampled_from(pairs))
        population, after = _raise(draw, context, population, relation.member, index, move)
        if after is None:
            return Case(population)
        key = context.key_of(relation.member, population.data[relation.member][index])
        return Case(population, ("member", owner, relation.name, key, move.name, move.down, after))

    def held(draw: st.DrawFn, population: Population) -> Case:
        if not awards:
            return Case(population)
        rows = population.data[check.kind]
        key = context.key_of(check.kind, draw(st.sampled_from(rows)))
        title = draw(st.sampled_from(awards))
        year = population.year - draw(st.integers(1, depth))
        return Case(population, ("history", key, title, year))

    def cases(move: _Move) -> Cases:
        def made(populations: st.SearchStrategy[Population]) -> st.SearchStrategy[Case]:
            @st.composite
            def draw_case(draw: st.DrawFn) -> Case:
                population = draw(populations.filter(lambda p: bool(p.data.get(check.kind))))
                if move.history:
                    return held(draw, population)
                if move.relation is not None:
                    return member(draw, population, move)
                return own(draw, population, move)

            return draw_case()

        return made

    def breaks(case: Case) -> Failure | None:
        if case.extra is None:
            return None
        found = _changed(context, case, check.kind)
        if found is None:
            return None
        key, moved, field_change = found
        first = context.run(case.population)
        if case.extra[0] == "member":
            _, owner, relation, member_key, *_ = case.extra
            if member_key not in first.engine.world.relation(check.kind, relation, owner):
                return None
        try:
            second = context.run(moved)
        except (DataError, Invalid):
            return None  # a change that breaks a range or a data rule is not tried
        was = first.result.subject(key, check.kind).values.get(check.target, MISSING)
        became = second.result.subject(key, check.kind).values.get(check.target, MISSING)
        if not lowered(was, became):
            return None
        change = attrs.evolve(field_change, target=check.target, award=award, was=was,
                              became=became)  # fmt: skip
        return Failure(
            kind=check.kind,
            breaking=(key,),
            result=first.result,
            states=(
                (message("testing.before"), first.result),
                (message("testing.after"), second.result),
            ),
            detail=change,
        )

    def rename(extra: Any, renaming: Renaming) -> Any:
        match extra:
            case ("own", key, name, down, after):
                after = renaming.raw(check.kind, name, after)
                return ("own", renaming.text(check.kind, key), name, down, after)
            case ("member", owner, relation, key, name, down, after):
                member = relations[relation].member
                owner, key = renaming.text(check.kind, owner), renaming.text(member, key)
                return ("member", owner, relation, key, name, down,
                        renaming.raw(member, name, after))  # fmt: skip
            case ("history", key, title, year):
                return ("history", renaming.text(check.kind, key), title, year)
            case _:
                return extra

    parts = tuple(cases(move) for move in moves)
    return Property(
        label=label,
        form="monotone",
        span=check.span,
        parts=parts,
        breaks=breaks,
        rename=rename,
        context=context,
        check=check,
    )


def _changed(context: Context, case: Case, kind: str) -> tuple[str, Population, Change] | None:
    """The watched subject (of `kind`), the population after the case's change, and the
    change (its target and values still to fill); None when it is no longer a raise (or
    no longer possible: a subject left out, an award already held)."""
    rules = context.rules
    population = case.population
    match case.extra:
        case ("history", key, title, year):
            if _index(context, population, kind, key) is None or any(
                str(r.get("key")) == key and r.get("year") == year and r.get("award") == title
                for r in population.history
            ):
                return None
            row = {"key": key, "year": year, "award": title}
            if any("kind" in r for r in population.history):
                row["kind"] = kind
            moved = attrs.evolve(population, history=[*population.history, row])
            change = Change(kind=kind, key=key, field=title, before=False, after=True,
                            target="", award=False, was=None, became=None, year=year)  # fmt: skip
            return key, moved, change
        case ("own", key, name, down, raised):
            where, subject, member = kind, key, None
        case ("member", key, relation, subject, name, down, raised):
            where = next(r.member for r in rules.plan.relations
                         if r.owner == kind and r.name == relation)  # fmt: skip
            member = (where, subject)
        case _:
            return None
    index = _index(context, population, where, subject)
    if index is None or _index(context, population, kind, key) is None:
        return None
    row = population.data[where][index]
    field = rules.schema.kinds[where].fields[name]
    before = typed(rules.schema, field, row.get(name, OMIT))
    after = typed(rules.schema, field, raised)
    if before is MISSING or not (after < before if down else before < after):
        return None
    if isinstance(before, EnumValue) and abs(after.index - before.index) != 1:
        return None  # an enum moves by one value
    moved = replaced(population, where, index, {**row, name: raised})
    change = Change(kind=kind, key=key, field=name, before=before, after=after, target="",
                    award=False, was=None, became=None, percent=field.type.kind == "percent",
                    member=member)  # fmt: skip
    return key, moved, change


def _index(context: Context, population: Population, kind: str, key: str) -> int | None:
    rows = population.data.get(kind, [])
    return next((i for i, r in enumerate(rows) if context.key_of(kind, r) == key), None)


def _members(context: Context, population: Population, relation: Any) -> list[tuple[str, int]]:
    """(owner key, index of a member record) for every member of every owner."""
    owners = population.data.get(relation.owner, [])
    members = population.data.get(relation.member, [])
    by = getattr(relation, "by", None)
    found = []
    for owner in owners:
        key = context.key_of(relation.owner, owner)
        for index, row in enumerate(members):
            if by is not None:
                if row is not owner and by in row and row.get(by) == owner.get(by):
                    found.append((key, index))
            elif str(row.get(relation.via, "")) == key and relation.via in row:
                found.append((key, index))
    return found


def _raise(
    draw: st.DrawFn, context: Context, population: Population, kind: str, index: int, move: _Move
) -> tuple[Population, Any]:
    """The population with the record's field `move.name` set to a value it can move
    from, and the raw value it moves to (None when it cannot move)."""
    rules = context.rules
    field = rules.schema.kinds[kind].fields[move.name or ""]
    row = population.data[kind][index]
    start = _start(context, kind, field, move.down)
    if start is not None:
        row = {**row, field.name: draw(start)}
        population = replaced(population, kind, index, row)
    before = typed(rules.schema, field, row.get(field.name, OMIT))
    return population, draw(_moved(rules, field, before, move.down))


def _start(context: Context, kind: str, field: FieldSchema, down: bool) -> Any:
    """A value the field can move from: for an enum or a bool each step as likely, for a
    number one near the criteria's boundaries (the population's own value is often the
    default, at a bound); None for a field of no order."""
    rules = context.rules
    if field.type.kind == "bool":
        return st.just(down)
    if field.type.kind == "enum":
        values = rules.schema.enums[field.type.name or ""]
        movable = values[1:] if down else values[:-1]
        return st.sampled_from(movable) if movable else None
    if field.type.kind in ("int", "number", "percent"):
        return field_values(rules.schema, context.bounds, kind, field, context.year)
    return None


def _moved(rules: Any, field: FieldSchema, before: Any, down: bool) -> st.SearchStrategy[Any]:
    """The field's value raised (lowered when `down`) within its range, as raw data; or
    None when it cannot move (at its bound, missing, or of a type without order)."""
    kind = field.type.kind
    if before is MISSING:
        return st.none()
    if kind == "bool":
        return st.just(not down) if before is down else st.none()
    if kind == "enum" and isinstance(before, EnumValue):
        values = rules.schema.enums[field.type.name or ""]
        index = before.index + (-1 if down else 1)
        return st.just(values[index]) if 0 <= index < len(values) else st.none()
    if kind not in ("int", "number", "percent") or not isinstance(before, Decimal):
        return st.none()
    unit = Decimal(1) if kind == "int" else Decimal("0.01")
    bound = field.low if down else field.high
    room = Decimal(STEPS * 100) if bound is None else abs(bound[0] - before) - (
        unit if bound[1] else 0)  # fmt: skip
    most = int(min(room / unit, Decimal(STEPS * (1 if kind == "int" else 100))))
    if most < 1:
        return st.none()
    sign = -1 if down else 1
    if kind == "int":
        return st.integers(1, most).map(lambda n: int(before) + sign * n)
    return st.integers(1, most).map(lambda n: before + sign * n * unit)


# ---- check order_independent ---------------------------------------------------------------
def order(context: Context, check: OrderCheck) -> Property:
    def cases(populations: st.SearchStrategy[Population]) -> st.SearchStrategy[Case]:
        @st.composite
        def draw_case(draw: st.DrawFn) -> Case:
            population = draw(populations)
            orders = []
            for kind, rows in population.data.items():
                keys = [context.key_of(kind, r) for r in rows]
                if len(keys) > 1:
                    orders.append((kind, tuple(draw(st.permutations(keys)))))
            return Case(population, tuple(orders))

        return draw_case()

    def breaks(case: Case) -> Failure | None:
        population = case.population
        orders = dict(case.extra or ())
        data = {}
        for kind, rows in population.data.items():
            wanted = {k: i for i, k in enumerate(orders.get(kind, ()))}
            at = [wanted.get(context.key_of(kind, r), len(wanted)) for r in rows]
            data[kind] = [row for _, row in sorted(zip(at, rows, strict=True), key=_first)]
        first = context.run(population)
        second = context.run(attrs.evolve(population, data=data))
        moved = differences(first.result, second.result)
        if not moved:
            return None
        kinds = {m.kind for m in moved}
        kind = kinds.pop() if len(kinds) == 1 else ""
        return Failure(
            kind=kind,
            breaking=tuple(sorted({m.key for m in moved})) if kind else (),
            result=first.result,
            states=(
                (message("testing.in-first-order"), first.result),
                (message("testing.in-second-order"), second.result),
            ),
            detail=Reorder(
                first=_orders(context, population.data),
                second=_orders(context, data),
                moved=tuple(moved[:MAX_MOVED]),
            ),
        )

    def rename(extra: Any, renaming: Renaming) -> Any:
        if extra is None:
            return None
        return tuple(
            (kind, tuple(renaming.text(kind, key) for key in keys)) for kind, keys in extra
        )

    return Property(
        label="order_independent",
        form="order_independent",
        span=check.span,
        parts=(cases,),
        breaks=breaks,
        rename=rename,
        context=context,
        check=check,
    )


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


def _orders(
    context: Context, data: dict[str, list[dict[str, Any]]]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (kind, tuple(context.key_of(kind, r) for r in rows))
        for kind, rows in data.items()
        if len(rows) > 1
    )
