"""Checks that a change makes no difference where it must not: `check ignores f, g for KIND`
(changing only these fields of one subject changes nothing for anyone), `check local
within G for KIND` (changing a subject changes nothing in another group) and `check
equal_treatment for KIND` (a subject's exact twin is treated alike, but for a tie at a
quota's cut-off). Each is one function from the check to its `Property`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import strategies as st

from emurules.errors import DataError
from emurules.i18n import message
from emurules.plan.steps import EqualTreatmentCheck, IgnoresCheck, LocalCheck
from emurules.result import Outcome
from emurules.testing.cases import (
    Case,
    Cases,
    Context,
    Failure,
    Property,
    differences,
    keys_by_kind,
    outcome_text,
    replaced,
)
from emurules.testing.evaluation import Evaluated, Invalid
from emurules.testing.outcome import Edit, Moved, Twins
from emurules.testing.rename import Renaming
from emurules.testing.strategies import OMIT, Population, typed
from emurules.values import MISSING

MAX_MOVED = 10


def _edit_cases(context: Context, kind: str, names: tuple[str, ...], least: int = 1) -> Cases:
    """Cases that edit the fields `names` of one subject of `kind` (in a population with
    at least `least` of them); extra is (key, ((field, raw value), ...))."""
    fields = context.rules.schema.kinds[kind].fields

    def cases(populations: st.SearchStrategy[Population]) -> st.SearchStrategy[Case]:
        @st.composite
        def draw_case(draw: st.DrawFn) -> Case:
            population = draw(populations.filter(lambda p: len(p.data.get(kind, ())) >= least))
            rows = population.data[kind]
            row = rows[draw(st.integers(0, len(rows) - 1))]
            keys = keys_by_kind(context, population)
            edits = tuple((name, draw(context.values(kind, fields[name], keys))) for name in names)
            if all(row.get(name, OMIT) == raw for name, raw in edits):
                return Case(population)
            return Case(population, (context.key_of(kind, row), edits))

        return draw_case()

    return cases


def _rename_edit(kind: str) -> Callable[[Any, Renaming], Any]:
    """`Property.rename` of the cases of `_edit_cases`: the subject's key, and a new value
    of a reference."""

    def rename(extra: Any, renaming: Renaming) -> Any:
        if extra is None:
            return None
        key, edits = extra
        return (
            renaming.text(kind, key),
            tuple((name, renaming.raw(kind, name, raw)) for name, raw in edits),
        )

    return rename


def _edited(context: Context, case: Case, kind: str) -> tuple[Evaluated, Evaluated, Edit] | None:
    """The case's population evaluated before and after its edit, and the edit; None
    when there is no edit or the edited data does not validate (such a change is not
    tried)."""
    if case.extra is None:
        return None
    key, edits = case.extra
    population = case.population
    rows = population.data.get(kind, [])
    index = next((i for i, r in enumerate(rows) if context.key_of(kind, r) == key), None)
    if index is None:
        return None
    row = rows[index]
    fields = context.rules.schema.kinds[kind].fields
    changed = [
        (name, typed(context.rules.schema, fields[name], row.get(name, OMIT)),
         typed(context.rules.schema, fields[name], raw))
        for name, raw in edits
    ]  # fmt: skip
    changed = [(name, a, b) for name, a, b in changed if a != b]
    if not changed:
        return None
    first = context.run(population)
    try:
        second = context.run(replaced(population, kind, index, {**row, **dict(edits)}))
    except (DataError, Invalid):
        return None
    return first, second, Edit(kind=kind, key=key, fields=tuple(changed), moved=())


# ---- check ignores f, g for KIND --------------------------------------------------------------
def ignores(context: Context, check: IgnoresCheck) -> Property:
    def breaks(case: Case) -> Failure | None:
        found = _edited(context, case, check.kind)
        if found is None:
            return None
        first, second, edit = found
        moved = differences(first.result, second.result)
        if not moved:
            return None
        return Failure(
            kind=check.kind,
            breaking=(edit.key,),
            result=first.result,
            states=(
                (message("testing.before"), first.result),
                (message("testing.after"), second.result),
            ),
            detail=attrs.evolve(edit, moved=tuple(moved[:MAX_MOVED])),
        )

    return Property(
        label=f"ignores {', '.join(check.fields)} for {check.kind}",
        form="ignores",
        span=check.span,
        parts=(_edit_cases(context, check.kind, check.fields),),
        breaks=breaks,
        rename=_rename_edit(check.kind),
        context=context,
        check=check,
    )


# ---- check local within G for KIND ------------------------------------------------------------
def local(context: Context, check: LocalCheck) -> Property:
    info = context.rules.schema.kinds[check.kind]
    editable = [name for name in info.fields if name != info.key]

    def breaks(case: Case) -> Failure | None:
        found = _edited(context, case, check.kind)
        if found is None:
            return None
        first, second, edit = found
        before = first.values(check.kind, check.within)
        after = second.values(check.kind, check.within)
        touched = {before.get(edit.key), after.get(edit.key)}

        def elsewhere(kind: str, key: str) -> bool:
            return kind == check.kind and before.get(key, MISSING) not in touched

        moved = differences(first.result, second.result, elsewhere)
        if not moved:
            return None
        return Failure(
            kind=check.kind,
            breaking=tuple(sorted({m.key for m in moved})),
            result=first.result,
            states=(
                (message("testing.before"), first.result),
                (message("testing.after"), second.result),
            ),
            detail=attrs.evolve(edit, moved=tuple(moved[:MAX_MOVED])),
        )

    return Property(
        label=f"local within {check.within_text} for {check.kind}",
        form="local",
        span=check.span,
        parts=tuple(_edit_cases(context, check.kind, (name,), least=2) for name in editable),
        breaks=breaks,
        rename=_rename_edit(check.kind),
        context=context,
        check=check,
    )


# ---- check equal_treatment for KIND -----------------------------------------------------------
def equal_treatment(context: Context, check: EqualTreatmentCheck) -> Property:
    rules = context.rules
    names = rules.schema.kinds[check.kind].names
    compared = [n for n, i in names.items() if i.sort in ("criterion", "bonus", "penalty",
                                                            "let", "score")]  # fmt: skip
    awards = [a.name for a in rules.plan.awards(check.kind)]

    def cases(populations: st.SearchStrategy[Population]) -> st.SearchStrategy[Case]:
        @st.composite
        def draw_case(draw: st.DrawFn) -> Case:
            population = draw(populations.filter(lambda p: bool(p.data.get(check.kind))))
            rows = population.data[check.kind]
            row = rows[draw(st.integers(0, len(rows) - 1))]
            return Case(population, context.key_of(check.kind, row))

        return draw_case()

    def breaks(case: Case) -> Failure | None:
        key = case.extra
        made = _with_twin(context, case.population, check.kind, key)
        if made is None:
            return None
        population, twin = made
        try:
            evaluated = context.run(population)
        except (DataError, Invalid):
            return None
        result = evaluated.result
        one, two = result.subject(key, check.kind).values, result.subject(twin, check.kind).values
        moved = [
            Moved(kind=check.kind, key=key, name=n, first=one.get(n, MISSING),
                  second=two.get(n, MISSING))
            for n in compared
            if one.get(n, MISSING) != two.get(n, MISSING)
        ]  # fmt: skip
        for award in awards:
            a, b = result.outcome(key, award), result.outcome(twin, award)
            if _unequal(a, b):
                moved.append(Moved(kind=check.kind, key=key, name=award,
                                   first=outcome_text(a), second=outcome_text(b)))  # fmt: skip
        if not moved:
            return None
        return Failure(
            kind=check.kind,
            breaking=(key, twin),
            result=result,
            detail=Twins(kind=check.kind, key=key, twin=twin, moved=tuple(moved[:MAX_MOVED])),
            shown=population,
        )

    return Property(
        label=f"equal_treatment for {check.kind}",
        form="equal_treatment",
        span=check.span,
        parts=(cases,),
        breaks=breaks,
        rename=lambda key, renaming: renaming.text(check.kind, key),
        context=context,
        check=check,
    )


def _unequal(a: Outcome, b: Outcome) -> bool:
    """Twins' outcomes differ beyond a tie at the cut-off (which leaves one of two equal
    subjects out by their keys)."""
    if a.qualified != b.qualified:
        return True
    if a.received == b.received:
        return False
    tie = (a.quota is not None and a.quota.tie) or (b.quota is not None and b.quota.tie)
    return not tie


def _with_twin(
    context: Context, population: Population, kind: str, key: str
) -> tuple[Population, str] | None:
    """The population with an exact twin of subject `key`: its fields, copies of its
    members (through each relation of which it is the owner) and its history."""
    schema = context.rules.schema
    rows = population.data.get(kind, [])
    row = next((r for r in rows if context.key_of(kind, r) == key), None)
    if row is None:
        return None
    used = {context.key_of(k, r) for k, rs in population.data.items() for r in rs}
    renamed: dict[tuple[str, str], Any] = {}

    def fresh(kind_: str, old: Any) -> Any:
        new: Any = old
        while str(new) in used:
            new = new + 1000 if isinstance(new, int) else f"{new}b"
        used.add(str(new))
        renamed[(kind_, str(old))] = new
        return new

    twin = fresh(kind, row[schema.kinds[kind].key])
    data = {k: list(rs) for k, rs in population.data.items()}
    data[kind].append({**row, schema.kinds[kind].key: twin})
    for relation in context.rules.plan.relations:
        if relation.owner != kind or getattr(relation, "by", None) is not None:
            continue
        info = schema.kinds[relation.member]
        for member in population.data.get(relation.member, []):
            if relation.via in member and str(member[relation.via]) == key:
                copy = {**member, info.key: fresh(relation.member, member[info.key]),
                        relation.via: twin}  # fmt: skip
                data[relation.member].append(copy)
    history = list(population.history)
    for past in population.history:
        for (k, old), new in renamed.items():
            if str(past.get("key")) == old and past.get("kind", k) == k:
                history.append({**past, "key": new})
    return attrs.evolve(population, data=data, history=history), str(twin)
