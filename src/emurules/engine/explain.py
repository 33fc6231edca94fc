"""Explanation trees: why a subject got each value and each award, built on demand from
what the evaluation kept (values, decisions) and what it computes again for one subject
(the values each condition read). Every line is a catalogue message; the words are made
when the explanation is read, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emurules.engine.row import RowEngine
from emurules.i18n import Message, message
from emurules.i18n.formatting import Shown
from emurules.plan.steps import Award, Criterion, Let, Ranking, Score
from emurules.result import Check, Explanation, Outcome
from emurules.values import MISSING


def title(name: str, label: str | None) -> Message | str:
    """A name, and its label in quotes when it has one."""
    return message("explain.titled", name=name, label=label) if label else name


def ordinal(n: int) -> Message:
    """1st, 2nd, 3rd, 4th: the categories of English ordinals (CLDR's one, two, few,
    other), which a catalogue may word alike."""
    if not 10 <= n % 100 <= 20:
        if n % 10 == 1:
            return message("explain.ordinal-one", n=n)
        if n % 10 == 2:
            return message("explain.ordinal-two", n=n)
        if n % 10 == 3:
            return message("explain.ordinal-few", n=n)
    return message("explain.ordinal-other", n=n)


def check_line(check: Check) -> Message:
    """One condition: held or not, its id and label, the formula and the values it read."""
    mark = "✓" if check.holds else "✗"
    name = title(check.id, check.label)
    if not check.values:
        return message("explain.check", mark=mark, name=name, formula=check.text)
    read = tuple(message("explain.read", name=n, value=Shown(v)) for n, v in check.values)
    return message("explain.check-read", mark=mark, name=name, formula=check.text, values=read)


def _check(check: Check) -> Explanation:
    return Explanation(check_line(check), tuple(_check(p) for p in check.parts))


def _ranked(outcome: Outcome, rank: int) -> Message:
    place = ordinal(rank)
    group = None if outcome.group is None else Shown(outcome.group)
    if outcome.quota is None:
        if group is None:
            return message("explain.ranked", place=place)
        return message("explain.ranked-in", place=place, group=group)
    base = outcome.quota.base
    if group is None:
        return message("explain.ranked-of", place=place, base=base)
    return message("explain.ranked-of-in", place=place, base=base, group=group)


def _quota(outcome: Outcome) -> Message | None:
    quota = outcome.quota
    if quota is None:
        return None
    line = (
        message("explain.quota", quota=quota.quota, text=quota.text)
        if quota.cutoff is None
        else message(
            "explain.quota-cutoff",
            quota=quota.quota,
            text=quota.text,
            cutoff=tuple(Shown(v) for v in quota.cutoff),
        )
    )
    if quota.tie and quota.overshoot:
        return message("explain.quota-tie-more", line=line, count=quota.overshoot)
    if quota.tie:
        return message("explain.quota-tie", line=line)
    return line


def _award(step: Award, outcome: Outcome) -> Explanation:
    name = title(step.name, step.label)
    if outcome.received:
        head = message("explain.received", award=name)
    elif outcome.qualified:
        head = message("explain.outside-quota", award=name)
    else:
        failed = tuple(c.id for c in outcome.failed)
        head = message("explain.not-qualified", award=name, failed=failed)
    children = [_check(c) for c in outcome.checks]
    if outcome.rank is not None:
        children.append(Explanation(_ranked(outcome, outcome.rank)))
    quota = _quota(outcome)
    if quota is not None:
        children.append(Explanation(quota))
    return Explanation(head, tuple(children), topic=step.name)


_SORTS = {
    "criterion": message("explain.sort-criterion"),
    "bonus": message("explain.sort-bonus"),
    "penalty": message("explain.sort-penalty"),
}


def _criterion(
    engine: RowEngine, criteria: dict[str, Criterion], key: str, step: Criterion
) -> Explanation:
    """A criterion's points, with the criteria it adds up as its children."""
    what = message("explain.criterion", sort=_SORTS[step.sort], name=title(step.name, step.label))
    if (step.kind, key, step.name) in engine.inapplicable:
        return Explanation(message("explain.not-applicable", what=what), topic=step.name)
    points = Shown(engine.world.rows[step.kind][key].get(step.name, MISSING))
    line = (
        message("explain.points", what=what, points=points)
        if step.maximum is None
        else message("explain.points-of", what=what, points=points, maximum=Shown(step.maximum))
    )
    if step.sort == "bonus":
        line = message("explain.added", line=line)
    elif step.sort == "penalty":
        line = message("explain.subtracted", line=line)
    nested = tuple(_criterion(engine, criteria, key, criteria[p]) for p in step.parts)
    return Explanation(line, nested, topic=step.name)


def explain(
    engine: RowEngine, kind: str, key: str, outcome: Callable[[str, str], Outcome]
) -> Explanation:
    """One subject's explanation, in the order of the criteria file."""
    row = engine.world.rows[kind][key]
    steps = [s for s in engine.plan.declared if s.kind == kind]
    criteria = {s.name: s for s in steps if isinstance(s, Criterion)}
    nested = {p for s in criteria.values() for p in s.parts if p != s.name}
    children: list[Explanation] = []
    for step in steps:
        match step:
            case Criterion() if step.name not in nested:
                children.append(_criterion(engine, criteria, key, step))
            case Score():
                score = Shown(row.get("score", MISSING))
                children.append(Explanation(message("explain.score", value=score)))
            case Let():
                value: Any = row.get(step.name, MISSING)
                line = message(
                    "explain.value", name=title(step.name, step.label), value=Shown(value)
                )
                children.append(Explanation(line))
            case Ranking():
                position, group = engine.league[(kind, key, step.name)]
                name = title(step.name, step.label)
                line = (
                    message("explain.position", name=name, place=ordinal(position))
                    if group is None
                    else message(
                        "explain.position-in",
                        name=name,
                        place=ordinal(position),
                        group=Shown(group),
                    )
                )
                children.append(Explanation(line))
            case Award() if not step.given:
                children.append(_award(step, outcome(step.name, key)))
            case _:
                pass
    return Explanation(message("explain.subject", kind=kind, key=key), tuple(children))
