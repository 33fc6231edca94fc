"""The rows every report shows: per award, its assessed subjects in rank order."""

from __future__ import annotations

from typing import Any

import attrs

from emurules.result import Outcome, Result
from emurules.values import show


@attrs.frozen
class Line:
    rank: str
    key: str
    score: str
    status: str
    group: str
    detail: str


def status(outcome: Outcome) -> str:
    if outcome.received:
        return "received"
    if outcome.qualified:
        return "cut"
    return "not qualified"


def award_lines(result: Result, award: str, *, everyone: bool = False) -> list[Line]:
    """Recipients first (group by group, best first), then the cut, then (optionally) the rest."""
    outcomes = result.outcomes[award]
    kind = next(a.kind for a in result.awards if a.name == award)

    def order(o: Outcome) -> tuple[int, str, int, str]:
        tier = 0 if o.received else 1 if o.qualified else 2
        return (tier, show(o.group) if o.group is not None else "", o.rank or 0, o.key)

    lines = []
    for outcome in sorted(outcomes.values(), key=order):
        if not everyone and not outcome.qualified:
            continue
        detail = ""
        if outcome.failed:
            detail = "failed: " + ", ".join(c.id for c in outcome.failed)
        elif outcome.reason == "quota" and outcome.quota is not None:
            detail = f"outside the quota of {outcome.quota.quota}"
        lines.append(
            Line(
                rank=str(outcome.rank or ""),
                key=outcome.key,
                score=show(result.subjects[(kind, outcome.key)].score)
                if result.subjects[(kind, outcome.key)].score is not None
                else "",
                status=status(outcome),
                group="" if outcome.group is None else show(outcome.group),
                detail=detail,
            )
        )
    return lines


def summary(result: Result) -> list[dict[str, Any]]:
    """Per award: how many were assessed, qualified and received it; ties at the cut-off."""
    rows = []
    for award in result.awards:
        outcomes = list(result.outcomes[award.name].values())
        ties = sorted({show(o.quota.group) for o in outcomes if o.quota and o.quota.tie})
        rows.append(
            {
                "award": award.name,
                "label": award.label or "",
                "assessed": len(outcomes),
                "qualified": sum(o.qualified for o in outcomes),
                "received": sum(o.received for o in outcomes),
                "ties": ties,
            }
        )
    return rows
