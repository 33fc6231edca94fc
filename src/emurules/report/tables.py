"""The rows every report shows: per award, its assessed subjects in rank order, and the
words of their headings and statuses as catalogue messages (each report renders them in
its language)."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from emurules.i18n import DEFAULT, Message, message, render
from emurules.i18n.formatting import shown
from emurules.result import Outcome, Result
from emurules.values import show

Status = Literal["received", "cut", "not qualified"]

STATUS: dict[Status, Message] = {
    "received": message("report.status-received"),
    "cut": message("report.status-cut"),
    "not qualified": message("report.status-not-qualified"),
}
# the columns of an award's table and of the summary, in order
AWARD_COLUMNS = (
    message("report.column-rank"),
    message("report.column-key"),
    message("report.column-score"),
    message("report.column-outcome"),
    message("report.column-group"),
    message("report.column-why"),
)
SUMMARY_COLUMNS = (
    message("report.column-award"),
    message("report.column-assessed"),
    message("report.column-qualified"),
    message("report.column-received"),
)
LABEL_COLUMN = message("report.column-label")
SUMMARY = message("report.summary")


@attrs.frozen
class Line:
    rank: str
    key: str
    score: str
    status: Status
    group: str
    detail: Message | None


def status(outcome: Outcome) -> Status:
    if outcome.received:
        return "received"
    if outcome.qualified:
        return "cut"
    return "not qualified"


def title(result: Result) -> Message:
    """A report's title: the ruleset's name and the year."""
    return message("report.title", ruleset=result.ruleset or "emurules", year=result.year)


def provenance(result: Result) -> Message:
    """A report's line under its title: the rules' version and hash, the emurules release
    and engine, the evaluation time (what ties the report to the rules that made it)."""
    made = result.provenance
    unknown = message("result.unknown")
    sha256, engine = made.sha256 or unknown, made.engine or unknown
    evaluated = made.evaluated_text or unknown
    if made.version is None:
        return message("result.provenance-unversioned", sha256=sha256, emurules=made.emurules,
                       engine=engine, evaluated=evaluated)  # fmt: skip
    return message("result.provenance", version=made.version, sha256=sha256,
                   emurules=made.emurules, engine=engine, evaluated=evaluated)  # fmt: skip


def provenance_fields(result: Result) -> list[tuple[Message, str | int]]:
    """The provenance as (label, value) pairs, for a table of it; unknown parts empty."""
    made = result.provenance
    return [
        (message("result.field-ruleset"), made.ruleset or ""),
        (message("result.field-version"), made.version or ""),
        (message("result.field-sha256"), made.sha256 or ""),
        (message("result.field-emurules"), made.emurules),
        (message("result.field-engine"), made.engine or ""),
        (message("result.field-year"), made.year),
        (message("result.field-evaluated"), made.evaluated_text or ""),
    ]


def award_title(name: str, label: str | None) -> Message:
    """An award as a heading: its label (or name), then its name."""
    return message("report.award-title", label=label or name, name=name)


def words(text: Message | None, lang: str = DEFAULT) -> str:
    """A message as text in `lang`, and nothing as an empty cell."""
    return "" if text is None else render(text, lang)


def award_lines(
    result: Result, award: str, *, everyone: bool = False, lang: str = DEFAULT
) -> list[Line]:
    """Recipients first (group by group, best first), then the cut, then (optionally) the
    rest; scores and groups written for `lang`."""
    outcomes = result.outcomes[award]
    kind = next(a.kind for a in result.awards if a.name == award)

    def order(o: Outcome) -> tuple[int, str, int, str]:
        tier = 0 if o.received else 1 if o.qualified else 2
        return (tier, show(o.group) if o.group is not None else "", o.rank or 0, o.key)

    lines = []
    for outcome in sorted(outcomes.values(), key=order):
        if not everyone and not outcome.qualified:
            continue
        detail = None
        if outcome.failed:
            detail = message("report.failed", conditions=tuple(c.id for c in outcome.failed))
        elif outcome.reason == "quota" and outcome.quota is not None:
            detail = message("report.outside-quota", quota=outcome.quota.quota)
        score = result.subjects[(kind, outcome.key)].score
        lines.append(
            Line(
                rank=str(outcome.rank or ""),
                key=outcome.key,
                score=shown(score, lang) if score is not None else "",
                status=status(outcome),
                group="" if outcome.group is None else shown(outcome.group, lang),
                detail=detail,
            )
        )
    return lines


def summary(result: Result, lang: str = DEFAULT) -> list[dict[str, Any]]:
    """Per award: how many were assessed, qualified and received it; ties at the cut-off
    (their groups written for `lang`)."""
    rows = []
    for award in result.awards:
        outcomes = list(result.outcomes[award.name].values())
        ties = sorted({shown(o.quota.group, lang) for o in outcomes if o.quota and o.quota.tie})
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


def set_aside(result: Result) -> tuple[Message, list[Message]]:
    """The records `skip_invalid` set aside: a heading, and one line per problem."""
    lines = [
        message(
            "report.set-aside-problem",
            place=str(problem.place),
            kind=problem.kind or "",
            problem=problem.message,
        )
        for problem in result.skipped
    ]
    return message("report.set-aside", count=len(result.skipped)), lines


def tie_warning(award: str, group: str) -> Message:
    return message("report.tie-warning", award=award, group=group)
