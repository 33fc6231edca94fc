"""Explanation trees: why each subject got each value and each award, in plain words."""

from __future__ import annotations

from typing import Any

from emurules.engine.row import RowEngine
from emurules.result import Check, Explanation, Outcome, describe_check
from emurules.syntax import ast
from emurules.values import MISSING, show


def _label(label: str | None) -> str:
    return f' "{label}"' if label else ""


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _check(check: Check) -> Explanation:
    return Explanation(describe_check(check), tuple(_check(p) for p in check.parts))


def _award(decl: ast.AwardDecl, outcome: Outcome) -> Explanation:
    title = f"{decl.name.text}{_label(decl.label)}"
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
    return Explanation(head, tuple(children), topic=decl.name.text)


def _criterion(
    engine: RowEngine,
    criteria: dict[str, ast.CriterionDecl],
    kind: str,
    key: str,
    decl: ast.CriterionDecl,
) -> Explanation:
    """A criterion's points, with the criteria it adds up as its children."""
    detail = engine.criteria[(kind, key, decl.name.text)]
    what = f"{decl.kind} {decl.name.text}{_label(decl.label)}"
    if not detail.applicable:
        return Explanation(f"{what}: not applicable", topic=decl.name.text)
    points = show(detail.value)
    if detail.maximum is not None:
        points += f" of {show(detail.maximum)}"
    sign = {"bonus": " (added)", "penalty": " (subtracted)"}.get(decl.kind, "")
    parts = sorted(
        name
        for reader_kind, name in engine.model.graph.get((kind, decl.name.text), frozenset())
        if reader_kind == kind and name in criteria
    )
    nested = tuple(_criterion(engine, criteria, kind, key, criteria[p]) for p in parts)
    return Explanation(f"{what}: {points} points{sign}", nested, topic=decl.name.text)


def explain(engine: RowEngine, kind: str, key: str) -> Explanation:
    values = engine.values[(kind, key)]
    children: list[Explanation] = []
    criteria = {
        d.name.text: d
        for d in engine.model.module.decls
        if isinstance(d, ast.CriterionDecl) and d.subject.text == kind
    }
    parts_of_others = {
        name
        for reader in criteria
        for reader_kind, name in engine.model.graph.get((kind, reader), frozenset())
        if reader_kind == kind and name in criteria and name != reader
    }
    for decl in engine.model.module.decls:
        match decl:
            case ast.CriterionDecl(subject=subject) if subject.text == kind:
                if decl.name.text not in parts_of_others:
                    children.append(_criterion(engine, criteria, kind, key, decl))
            case ast.ScoreDecl(subject=subject) if subject.text == kind:
                children.append(Explanation(f"score: {show(values.get('score', MISSING))}"))
            case ast.LetDecl(subject=subject) if subject.text == kind:
                value: Any = values.get(decl.name.text, MISSING)
                children.append(Explanation(f"{decl.name.text}{_label(decl.label)}: {show(value)}"))
            case ast.RankingDecl(subject=subject) if subject.text == kind:
                position, group = engine.league[(kind, key, decl.name.text)]
                where = "" if group is None else f" in {show(group)}"
                children.append(
                    Explanation(
                        f"{decl.name.text}{_label(decl.label)}: {_ordinal(position)}{where}"
                    )
                )
            case ast.AwardDecl(subject=subject) if subject.text == kind and not decl.given:
                children.append(_award(decl, engine.outcomes[decl.name.text][key]))
            case _:
                pass
    return Explanation(f"{kind} {key}", tuple(children))
