"""The rows every report shows: per award, its assessed subjects in rank order, and the
words of their headings and statuses as catalogue messages (each report renders them in
its language)."""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Any, Literal

import attrs

from emurules.i18n import DEFAULT, Message, message, render
from emurules.i18n.formatting import Shown, shown, whole
from emurules.result import AwardInfo, Outcome, RankingInfo, Result
from emurules.values import CONTEXT, EnumValue, Value, show

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
HEADINGS: dict[str, Message] = {
    "rank": AWARD_COLUMNS[0],
    "key": AWARD_COLUMNS[1],
    "name": message("report.column-name"),
    "score": AWARD_COLUMNS[2],
    "status": AWARD_COLUMNS[3],
    "group": AWARD_COLUMNS[4],
    "why": AWARD_COLUMNS[5],
    "amount": message("report.column-amount"),
}
NUMERIC = frozenset({"rank", "score", "amount"})
ALWAYS = frozenset({"key", "score", "status"})


@attrs.frozen
class Line:
    rank: str
    key: str
    score: str
    status: Status
    group: str
    detail: Message | None
    name: str = ""  # the subject's display name ("" without one)
    value: Decimal | None = None  # the score as a number, for spreadsheets
    amount: Decimal | None = None  # the reward (VND), for a recipient of an award with one

    def text(self, column: str, lang: str = DEFAULT) -> str:
        """The cell of `column` (an id of `HEADINGS`) as text for `lang`."""
        if column == "status":
            return render(STATUS[self.status], lang)
        if column == "why":
            return words(self.detail, lang)
        if column == "amount":
            return "" if self.amount is None else whole(int(self.amount), lang)
        found: str = getattr(self, column)
        return found


@attrs.frozen
class Column:
    """A column of an award's table: its id (a field of `Line`), its heading in the
    reader's language, and whether it holds numbers (right-aligned)."""

    id: str
    heading: str
    numeric: bool


def award_columns(
    result: Result,
    award: AwardInfo,
    lines: list[Line],
    lang: str = DEFAULT,
    always: frozenset[str] = ALWAYS,
) -> list[Column]:
    """The columns of an award's table: those `always` shown, and the others only when
    some line has a value there (the name headed by the label of the kind's display
    field)."""
    labels = result.labels
    display = labels.display(award.kind) if labels is not None else None
    wanted = [
        c
        for c in ("rank", "key", "name", "score", "status", "group", "why", "amount")
        if c in always or any(line.text(c) for line in lines)
    ]
    found = []
    for column in wanted:
        heading = render(HEADINGS[column], lang)
        if column == "name" and labels is not None and display is not None:
            heading = labels.name(award.kind, display) or heading
        found.append(Column(column, heading, column in NUMERIC))
    return found


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
    and engine, the evaluation time (what ties the report to the rules that made it), and
    the base salary the amounts were computed from, when there are amounts."""
    line = _made(result)
    if result.base_salary is None:
        return line
    return message("report.with-base-salary", line=line, amount=Shown(result.base_salary))


def _made(result: Result) -> Message:
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
    salary = result.base_salary
    known = [] if salary is None else [(message("report.field-base-salary"), str(salary))]
    return [
        (message("result.field-ruleset"), made.ruleset or ""),
        (message("result.field-version"), made.version or ""),
        (message("result.field-sha256"), made.sha256 or ""),
        (message("result.field-emurules"), made.emurules),
        (message("result.field-engine"), made.engine or ""),
        (message("result.field-year"), made.year),
        (message("result.field-evaluated"), made.evaluated_text or ""),
        *known,
    ]


def award_title(name: str, label: str | None) -> Message:
    """An award as a heading: its label (or name), then its name."""
    return message("report.award-title", label=label or name, name=name)


def words(text: Message | None, lang: str = DEFAULT) -> str:
    """A message as text in `lang`, and nothing as an empty cell."""
    return "" if text is None else render(text, lang)


def award_lines(
    result: Result, award: str, *, everyone: bool = False, lang: str = DEFAULT, top: int = 0
) -> list[Line]:
    """Recipients first (group by group, by rank, best score first), then the cut, then
    (optionally) the rest; scores and groups written for `lang`. With `top` > 0, only the
    `top` best of the award: recipients first, then by score, whatever their group."""
    outcomes = result.outcomes[award]
    kind = next(a.kind for a in result.awards if a.name == award)
    name = result.names(kind)
    recipients = result.recipients(award)
    if 0 < top <= len(recipients):  # the best recipients are the lines: read only theirs
        return _best_recipients(result, award, kind, recipients, top, lang)
    scores = {key: result.subjects[(kind, key)].score for key in outcomes}

    def tier(o: Outcome) -> int:
        return 0 if o.received else 1 if o.qualified else 2

    def best(o: Outcome) -> tuple[bool, Decimal]:
        score = scores[o.key]
        return (score is None, -score if score is not None else Decimal(0))

    def order(o: Outcome) -> tuple[Any, ...]:
        group = show(o.group) if o.group is not None else ""
        return (tier(o), group, o.rank or 0, best(o), o.key)

    def order_top(o: Outcome) -> tuple[Any, ...]:
        return (tier(o), best(o), o.rank or 0, o.key)

    chosen = [o for o in outcomes.values() if everyone or o.qualified]
    with localcontext(CONTEXT):  # negating a score never depends on the caller's context
        chosen.sort(key=order_top if top > 0 else order)
    return [_line(result, o, scores[o.key], name(o.key), lang) for o in _first(chosen, top)]


def league_lines(
    result: Result, ranking: RankingInfo, lang: str = DEFAULT, top: int = 0
) -> list[Line]:
    """A league table's lines, group by group from rank 1; with `top` > 0, each group's
    `top` first."""
    name = result.names(ranking.kind)
    lines = []
    for key, position, group in result.league(ranking.name):
        if top > 0 and position > top:
            continue
        score = result.subjects[(ranking.kind, key)].score
        lines.append(
            Line(
                rank=str(position),
                key=key,
                score=shown(score, lang) if score is not None else "",
                status="received",  # not shown: a league table has no outcome
                group="" if group is None else group_text(result, ranking.name, group, lang),
                detail=None,
                name=name(key) or "",
                value=score,
            )
        )
    return lines


def league_columns(
    result: Result, ranking: RankingInfo, lines: list[Line], lang: str = DEFAULT
) -> list[Column]:
    """The columns of a league table: rank and key, then the name, score and group where
    some line has one."""
    labels = result.labels
    display = labels.display(ranking.kind) if labels is not None else None
    found = []
    for column in ("rank", "key", "name", "score", "group"):
        if column not in ("rank", "key") and not any(line.text(column) for line in lines):
            continue
        heading = render(HEADINGS[column], lang)
        if column == "name" and labels is not None and display is not None:
            heading = labels.name(ranking.kind, display) or heading
        found.append(Column(column, heading, column in NUMERIC))
    return found


def summary_columns(rows: list[dict[str, Any]], lang: str = DEFAULT) -> list[Column]:
    """The summary's columns: the award, its counts, and the reward total when any award
    has rewards."""
    ids = ["award", "assessed", "qualified", "received"]
    messages = list(SUMMARY_COLUMNS)
    if any(row["total"] is not None for row in rows):
        ids.append("total")
        messages.append(message("report.column-total"))
    return [Column(i, render(m, lang), i != "award") for i, m in zip(ids, messages, strict=True)]


def summary_text(row: dict[str, Any], column: str, lang: str = DEFAULT) -> str:
    """A cell of the summary as text for `lang` (the award as "label (name)")."""
    if column == "award":
        return f"{row['label']} ({row['award']})" if row["label"] else row["award"]
    value = row[column]
    return "" if value is None else whole(int(value), lang)


def _best_recipients(
    result: Result, award: str, kind: str, recipients: tuple[str, ...], top: int, lang: str
) -> list[Line]:
    """The `top` best of an award with at least `top` recipients: the same lines as
    sorting every outcome, made from the recipients' scores and the outcomes of those
    that can be among them (a subject's outcome reads its conditions: at a million
    subjects, making every one took minutes for three lines)."""
    scores = {key: result.subjects[(kind, key)].score for key in recipients}

    def best(key: str) -> tuple[bool, Decimal]:
        score = scores[key]
        return (score is None, -score if score is not None else Decimal(0))

    with localcontext(CONTEXT):
        ranked = sorted(recipients, key=best)
        edge = best(ranked[top - 1])
        near = [key for key in ranked if best(key) <= edge]  # ties at the edge: rank decides
        chosen = [result.outcomes[award][key] for key in near]
        chosen.sort(key=lambda o: (best(o.key), o.rank or 0, o.key))
    name = result.names(kind)
    return [_line(result, o, scores[o.key], name(o.key), lang) for o in chosen[:top]]


def _first(items: list[Outcome], top: int) -> list[Outcome]:
    return items[:top] if top > 0 else items


def _line(
    result: Result, outcome: Outcome, score: Decimal | None, name: str | None, lang: str
) -> Line:
    detail = None
    if outcome.failed:
        failed = tuple(result.condition_name(c) for c in outcome.failed)
        detail = message("report.failed", conditions=failed)
    elif outcome.reason == "quota" and outcome.quota is not None:
        detail = (
            message("report.no-places")
            if outcome.quota.quota == 0
            else message("report.outside-quota", quota=outcome.quota.quota)
        )
    return Line(
        rank=str(outcome.rank or ""),
        key=outcome.key,
        score=shown(score, lang) if score is not None else "",
        status=status(outcome),
        group=""
        if outcome.group is None
        else group_text(result, outcome.award, outcome.group, lang),
        detail=detail,
        name=name or "",
        value=score,
        amount=result.amount(outcome.key, outcome.award) if outcome.received else None,
    )


def lines_count(result: Result, award: str, *, everyone: bool = False) -> int:
    """How many lines `award_lines` lists without `top` (for "… N more")."""
    counts = result.counts(award)
    return counts.assessed if everyone else counts.qualified


def summary(result: Result, lang: str = DEFAULT) -> list[dict[str, Any]]:
    """Per award: how many were assessed, qualified and received it; its quota (the sum
    over its groups, None without one); the total of its rewards (None without any); ties
    at the cut-off (their groups written for `lang`)."""
    rows = []
    for award in result.awards:
        counts = result.counts(award.name)  # not a million outcomes to count them
        ties = sorted(
            {
                ""  # no `within`: one group
                if q.group is None
                else group_text(result, award.name, q.group, lang)
                for q in counts.quotas
                if q.tie and not q.overshoot  # `on tie include` took them
            }
        )
        rows.append(
            {
                "award": award.name,
                "label": award.label or "",
                "assessed": counts.assessed,
                "qualified": counts.qualified,
                "received": counts.received,
                "quota": sum(q.quota for q in counts.quotas) if counts.quotas else None,
                "total": result.fund(award.name),
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
    # records, not problems: one record with three bad cells is one record set aside
    records = {
        (p.place.file, p.place.row) if p.place is not None and p.place.row else index
        for index, p in enumerate(result.skipped)
    }
    return message("report.set-aside", count=len(records)), lines


def group_text(result: Result, award: str, group: Value, lang: str) -> str:
    """A group as people name it: an enum value by its label, a referenced subject by its
    display name with its key (`Đơn vị 1 (DV01)`), anything else as written."""
    value = shown(group, lang)
    name = result.group_name(award, group)
    if name is None:
        return value
    return name if isinstance(group, EnumValue) else f"{name} ({value})"


TIES_LISTED = 20  # tie warnings of an award before one line counts the rest


def tie_warnings(row: dict[str, Any]) -> list[Message]:
    """The warnings of a summary row's ties at the cut-off: the first `TIES_LISTED` groups
    by name, then how many more (a population of a million can tie in thousands)."""
    ties: list[str] = row["ties"]
    said = [tie_warning(row, group) for group in ties[:TIES_LISTED]]
    if len(ties) > TIES_LISTED:
        award = award_title(row["award"], row["label"] or None)
        said.append(message("report.tie-warning-more", award=award, count=len(ties) - TIES_LISTED))
    return said


def tie_warning(row: dict[str, Any], group: str) -> Message:
    """The warning of a tie at a cut-off of a summary row's award, in `group` ("": none)."""
    award = award_title(row["award"], row["label"] or None)
    if not group:
        return message("report.tie-warning-one", award=award)
    return message("report.tie-warning", award=award, group=group)
