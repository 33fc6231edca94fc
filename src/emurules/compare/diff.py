"""Who gains and who loses if the rules change: two versions of the criteria evaluated on
one population, compared title by title and score by score.

The first question a council asks of a draft is not "is it right?" but "what does it
change, and for whom?". `diff` answers with outcomes (each side's own `Outcome`, so each
side's reasons), not with re-derived facts, so that the report can never disagree with
what `emurules rank` would say of either version.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Literal

import attrs

from emurules.compare.restrict import Ignored, restrict
from emurules.data.arguments import Records, inputs
from emurules.provenance import Provenance
from emurules.result import Outcome, Result
from emurules.rules import Rules, evaluate_leaving

Side = Literal["both", "old", "new"]


@attrs.frozen
class Change:
    """A subject that gains or loses an award, with its outcome on each side (None on a
    side whose version does not assess it)."""

    kind: str
    key: str
    name: str | None
    before: Outcome | None
    after: Outcome | None


@attrs.frozen
class AwardDiff:
    """One title compared: how many received it on each side, who gained and who lost it,
    and the reward fund on each side (None without amounts)."""

    name: str
    kind: str
    label: str | None
    side: Side
    before: int
    after: int
    gained: tuple[Change, ...]
    lost: tuple[Change, ...]
    fund_before: Decimal | None = None
    fund_after: Decimal | None = None


@attrs.frozen
class ScoreChange:
    kind: str
    key: str
    name: str | None
    before: Decimal | None
    after: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@attrs.frozen
class Diff:
    """The comparison: `awards` in the order of the old file then the new one's own;
    `scores` the subjects whose score changed, largest change first (those with a score
    on one side only last); what each version ignored of the data; both results."""

    old: Provenance
    new: Provenance
    awards: tuple[AwardDiff, ...]
    scores: tuple[ScoreChange, ...]
    ignored_old: Ignored
    ignored_new: Ignored
    old_result: Result = attrs.field(repr=False, eq=False)
    new_result: Result = attrs.field(repr=False, eq=False)

    @property
    def changed(self) -> bool:
        """Whether any title changed hands, appeared or disappeared, any reward fund
        changed, or any score moved."""
        return bool(self.scores) or any(
            a.gained or a.lost or a.side != "both" or a.fund_before != a.fund_after
            for a in self.awards
        )

    def histogram(self, kind: str, bins: int = 8) -> list[tuple[Decimal, Decimal, int]]:
        """The score changes of `kind` as (low, high, count): one row per distinct change
        when there are at most `bins` of them, else `bins` equal ranges (the last includes
        its high end). Empty when no score of the kind changed."""
        deltas = [c.delta for c in self.scores if c.kind == kind and c.delta is not None]
        distinct = sorted(set(deltas))
        if len(distinct) <= bins:
            return [(d, d, deltas.count(d)) for d in distinct]
        low, high = distinct[0], distinct[-1]
        width = (high - low) / bins
        counts = [0] * bins
        for delta in deltas:
            counts[min(int((delta - low) / width), bins - 1)] += 1
        return [(low + width * i, low + width * (i + 1), n) for i, n in enumerate(counts)]


def diff(
    old: Rules,
    new: Rules,
    data: Mapping[str, Records],
    *,
    history: Records = (),
    year: int | None = None,
    locale: str | None = None,
    base_salary: int | Decimal | None = None,
    skip_invalid: bool = False,
    sources: Mapping[str, str] | None = None,
) -> Diff:
    """Evaluate both versions on one population and compare them. Each version reads the
    columns it declares (`Diff.ignored_old`, `Diff.ignored_new` list the rest); both are
    evaluated for one year: `year`, else the new version's, else the old one's. Bad data
    raises DataError (with `skip_invalid`, each version sets aside what it cannot read).
    `sources` names the file each kind (and "history") was read from, for messages."""
    rows, past = inputs(data, history, locale=locale, skip_invalid=skip_invalid, sources=sources)
    chosen = year if year is not None else new.year if new.year is not None else old.year
    results: list[Result] = []
    ignored: list[Ignored] = []
    for rules in (old, new):
        kept, leave, left = restrict(rules.schema, rows, past)
        results.append(
            evaluate_leaving(
                rules,
                kept,
                past,
                leave,
                year=chosen,
                locale=locale,
                base_salary=base_salary,
                skip_invalid=skip_invalid,
                sources=sources,
            )
        )
        ignored.append(left)
    before, after = results
    return Diff(
        old=before.provenance,
        new=after.provenance,
        awards=tuple(_awards(before, after)),
        scores=_scores(before, after),
        ignored_old=ignored[0],
        ignored_new=ignored[1],
        old_result=before,
        new_result=after,
    )


def _awards(before: Result, after: Result) -> Iterator[AwardDiff]:
    old = {a.name: a for a in before.awards}
    new = {a.name: a for a in after.awards}
    for name in [*old, *(n for n in new if n not in old)]:
        info = new.get(name) or old[name]
        side: Side = "both" if name in old and name in new else "old" if name in old else "new"
        had = set(before.recipients(name)) if name in old else set()
        has = set(after.recipients(name)) if name in new else set()
        names = (after if name in new else before).names(info.kind)
        changes = [
            Change(
                info.kind, key, names(key), _outcome(before, key, name), _outcome(after, key, name)
            )
            for key in sorted(has ^ had)
        ]
        yield AwardDiff(
            name=name,
            kind=info.kind,
            label=info.label,
            side=side,
            before=len(had),
            after=len(has),
            gained=tuple(c for c in changes if c.key in has),
            lost=tuple(c for c in changes if c.key in had),
            fund_before=before.fund(name) if name in old else None,
            fund_after=after.fund(name) if name in new else None,
        )


def _outcome(result: Result, key: str, award: str) -> Outcome | None:
    if award not in result.outcomes or key not in result.outcomes[award]:
        return None
    return result.outcomes[award][key]


def _scores(before: Result, after: Result) -> tuple[ScoreChange, ...]:
    found: list[ScoreChange] = []
    for (kind, key), subject in after.subjects.items():
        old = before.subjects.get((kind, key))
        if old is None or old.score == subject.score:
            continue
        name = after.names(kind)(key)
        found.append(ScoreChange(kind, key, name, old.score, subject.score))

    def order(change: ScoreChange) -> tuple[int, Decimal, str, str]:
        delta = change.delta
        return (delta is None, -abs(delta) if delta is not None else Decimal(0),
                change.kind, change.key)  # fmt: skip

    return tuple(sorted(found, key=order))
