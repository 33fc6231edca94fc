"""Explanation trees: why a subject got each value and each award, in plain words, built on
demand from what the evaluation kept (values, decisions) and what it computes again for
one subject (the values each condition read)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emurules.engine.row import RowEngine
from emurules.plan.steps import Award, Criterion, Let, Ranking, Score
from emurules.result import Check, Explanation, Outcome, describe_check
from emurules.values import MISSING, show


def _label(label: str | None) -> str:
    return f' "{label}"' if label else ""


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _check(check: Check) -> Explanation:
    return Explanation(describe_check(check), tuple(_check(p) for p in check.parts))


def _award(step: Award, outcome: Outcome) -> Explanation:
    title = f"{step.name}{_label(step.label)}"
    if outcome.received:
        head = f"received {title}"
    elif outcome.qualified:
        head = f"qualified for {title} but outside the quota"
    else:
        failed = ", ".join(c.id for c in outcome.failed)
        head = f"did not qualify for {title} (failed: {failed})"
    children = [_check(c) for c in outcome.checks]
    if outcome.rank is not None:
        group = "" if outcome.group is None else f" in {show(outcome.group)}"
        base = f" of {outcome.quota.base} qualified" if outcome.quota is not None else ""
        children.append(Explanation(f"ranked {_ordinal(outcome.rank)}{base}{group}"))
    quota = outcome.quota
    if quota is not None:
        cutoff = (
            ""
            if quota.cutoff is None
            else (" (cut-off at " + ", ".join(show(v) for v in quota.cutoff) + ")")
        )
        text = f"quota {quota.quota} = {quota.text}{cutoff}"
        if quota.tie:
            text += "; a tie at the cut-off"
            if quota.overshoot:
                text += f", {quota.overshoot} more included"
        children.append(Explanation(text))
    return Explanation(head, tuple(children), topic=step.name)


def _criterion(
    engine: RowEngine, criteria: dict[str, Criterion], key: str, step: Criterion
) -> Explanation:
    """A criterion's points, with the criteria it adds up as its children."""
    what = f"{step.sort} {step.name}{_label(step.label)}"
    if (step.kind, key, step.name) in engine.inapplicable:
        return Explanation(f"{what}: not applicable", topic=step.name)
    points = show(engine.world.rows[step.kind][key].get(step.name, MISSING))
    if step.maximum is not None:
        points += f" of {show(step.maximum)}"
    sign = {"bonus": " (added)", "penalty": " (subtracted)"}.get(step.sort, "")
    nested = tuple(_criterion(engine, criteria, key, criteria[p]) for p in step.parts)
    return Explanation(f"{what}: {points} points{sign}", nested, topic=step.name)


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
                children.append(Explanation(f"score: {show(row.get('score', MISSING))}"))
            case Let():
                value: Any = row.get(step.name, MISSING)
                children.append(Explanation(f"{step.name}{_label(step.label)}: {show(value)}"))
            case Ranking():
                position, group = engine.league[(kind, key, step.name)]
                where = "" if group is None else f" in {show(group)}"
                children.append(
                    Explanation(f"{step.name}{_label(step.label)}: {_ordinal(position)}{where}")
                )
            case Award() if not step.given:
                children.append(_award(step, outcome(step.name, key)))
            case _:
                pass
    return Explanation(f"{kind} {key}", tuple(children))
