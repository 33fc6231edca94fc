"""Explanation trees: why a subject got each value and each award, built on demand from
what the evaluation kept (values, decisions) and what it computes again for one subject
(the values each condition read; `explain_reasons`: the members behind a failed
aggregate, the quota's numbers, a tie). Things are named by their labels
(`explain_words`), the identifier kept in brackets. Every line is a catalogue message;
the words are made when the explanation is read, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emurules.data.lineage import Formed
from emurules.engine import explain_reasons as reasons
from emurules.engine.explain_words import Words, joined, tagged
from emurules.engine.row import RowEngine
from emurules.i18n import Message, message
from emurules.i18n.formatting import Shown
from emurules.plan.steps import Award, Condition, Criterion, Let, Ranking, Score
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
    """A check's condition as `emurules test` reports it: held or not, its id and label,
    the formula and the values it read (by their names: a check is read by its author)."""
    mark = "✓" if check.holds else "✗"
    name = title(check.id, check.label)
    if not check.values:
        return message("explain.check", mark=mark, name=name, formula=check.text)
    read = tuple(message("explain.read", name=n, value=Shown(v)) for n, v in check.values)
    return message("explain.check-read", mark=mark, name=name, formula=check.text, values=read)


class _Explainer:
    """One subject's explanation, with the engine it re-reads and the words it names
    things by."""

    def __init__(self, engine: RowEngine, kind: str, key: str) -> None:
        self.engine = engine
        self.kind = kind
        self.key = key
        self.words = Words(engine.plan, engine.world.rows)

    def condition(self, condition: Condition, check: Check) -> Explanation:
        """A condition: met or not, with the values it read (by their labels), its id at
        the end; beneath one that failed, the members that made an aggregate fail."""
        words = self.words
        mark = "✓" if check.holds else "✗"
        name = self._condition_name(condition, check)
        values = () if condition.requires is not None else check.values
        read = words.reads(self.kind, condition.expr, values)
        if read is None:
            line = (
                message("explain.met", mark=mark, name=name)
                if check.holds
                else message("explain.not-met", mark=mark, name=name)
            )
        elif check.holds:
            line = message("explain.met-read", mark=mark, name=name, values=read)
        else:
            line = message("explain.not-met-read", mark=mark, name=name, values=read)
        if condition.requires is None:
            line = tagged(line, check.id)
        nested: list[Explanation] = [
            self.condition(c, p) for c, p in zip(condition.parts, check.parts, strict=False)
        ]
        if not check.holds:
            for found in reasons.members(self.engine, words, self.kind, self.key, condition.expr):
                nested.append(Explanation(found))
        return Explanation(line, tuple(nested))

    def _condition_name(self, condition: Condition, check: Check) -> Message | str:
        if condition.requires is not None:
            return message("explain.requires", award=self.words.step(self.kind, condition.requires))
        return check.label or check.text or check.id

    def ranked(self, step: Award, outcome: Outcome, rank: int) -> Message:
        place = ordinal(rank)
        group = (
            None
            if outcome.group is None
            else self.words.group(self.kind, step.within, outcome.group)
        )
        if outcome.quota is None:
            if group is None:
                return message("explain.ranked", place=place)
            return message("explain.ranked-in", place=place, group=group)
        base = outcome.quota.base
        if group is None:
            return message("explain.ranked-of", place=place, base=base)
        return message("explain.ranked-of-in", place=place, base=base, group=group)

    def award(self, step: Award, outcome: Outcome) -> Explanation:
        name = self.words.step(self.kind, step.name)
        pairs = list(zip(step.conditions, outcome.checks, strict=False))
        if outcome.received:
            head = message("explain.received", award=name)
        elif outcome.qualified:
            head = message("explain.outside-quota", award=name)
        else:
            failed = [self._condition_name(c, k) for c, k in pairs if not k.holds]
            head = message("explain.not-qualified", award=name, failed=joined(failed or ["?"]))
        if step.label:
            head = tagged(head, step.name)
        children = [self.condition(c, k) for c, k in pairs]
        if outcome.rank is not None:
            children.append(Explanation(self.ranked(step, outcome, outcome.rank)))
        for line in (
            reasons.quota(self.engine, self.words, step, outcome),
            reasons.tie(self.engine, self.words, step, outcome) if outcome.qualified else None,
        ):
            if line is not None:
                children.append(Explanation(line))
        return Explanation(head, tuple(children), topic=step.name)

    def criterion(self, criteria: dict[str, Criterion], step: Criterion) -> Explanation:
        """A criterion's points, with the criteria it adds up as its children."""
        name = self.words.step(self.kind, step.name)
        if step.sort == "bonus":
            what = message("explain.sort-bonus", name=name)
        elif step.sort == "penalty":
            what = message("explain.sort-penalty", name=name)
        else:
            what = message("explain.sort-criterion", name=name)
        if (step.kind, self.key, step.name) in self.engine.inapplicable:
            line = message("explain.not-applicable", what=what)
            return Explanation(_tag(line, step.label, step.name), topic=step.name)
        points = Shown(self.engine.world.rows[step.kind][self.key].get(step.name, MISSING))
        line = (
            message("explain.points", what=what, points=points)
            if step.maximum is None
            else message("explain.points-of", what=what, points=points, maximum=Shown(step.maximum))
        )
        if step.sort == "bonus":
            line = message("explain.added", line=line)
        elif step.sort == "penalty":
            line = message("explain.subtracted", line=line)
        nested = tuple(self.criterion(criteria, criteria[p]) for p in step.parts)
        return Explanation(_tag(line, step.label, step.name), nested, topic=step.name)

    def value(self, step: Let) -> Explanation:
        value: Any = self.engine.world.rows[self.kind][self.key].get(step.name, MISSING)
        shown = self.words.value(value, step.expr.type)
        line = message("explain.value", name=self.words.step(self.kind, step.name), value=shown)
        return Explanation(_tag(line, step.label, step.name))

    def position(self, step: Ranking) -> Explanation:
        position, group = self.engine.league[(self.kind, self.key, step.name)]
        name = self.words.step(self.kind, step.name)
        place = ordinal(position)
        line = (
            message("explain.position", name=name, place=place)
            if group is None
            else message(
                "explain.position-in",
                name=name,
                place=place,
                group=self.words.group(self.kind, step.within, group),
            )
        )
        return Explanation(_tag(line, step.label, step.name))


def _tag(line: Message, label: str | None, id: str) -> Message:
    return tagged(line, id) if label else line


def explain(
    engine: RowEngine, kind: str, key: str, outcome: Callable[[str, str], Outcome]
) -> Explanation:
    """One subject's explanation, in the order of the criteria file."""
    row = engine.world.rows[kind][key]
    steps = [s for s in engine.plan.declared if s.kind == kind]
    criteria = {s.name: s for s in steps if isinstance(s, Criterion)}
    nested = {p for s in criteria.values() for p in s.parts if p != s.name}
    made = _Explainer(engine, kind, key)
    children: list[Explanation] = []
    formed = engine.world.history.lineage.get((kind, key))
    if formed is not None:
        children.append(_lineage(engine, made.words, kind, formed))
    for step in steps:
        match step:
            case Criterion() if step.name not in nested:
                children.append(made.criterion(criteria, step))
            case Score():
                score = Shown(row.get("score", MISSING))
                children.append(Explanation(message("explain.score", value=score)))
            case Let():
                children.append(made.value(step))
            case Ranking():
                children.append(made.position(step))
            case Award() if not step.given:
                children.append(made.award(step, outcome(step.name, key)))
            case _:
                pass
    return Explanation(made.words.subject(kind, key), tuple(children))


_HELD = {
    "any": message("explain.lineage-held-any"),
    "all": message("explain.lineage-held-all"),
}
_PAST = {
    "mean": message("explain.lineage-past-mean"),
    "min": message("explain.lineage-past-min"),
    "max": message("explain.lineage-past-max"),
    "sum": message("explain.lineage-past-sum"),
}


def _lineage(engine: RowEngine, words: Words, kind: str, formed: Formed) -> Explanation:
    """Whose history a merged subject's years before it was formed are: for each year, who
    of its predecessors held each award, and what each had of each value read."""
    history = engine.world.history
    rule = (_HELD[formed.held], _PAST[formed.past])
    head = message(
        "explain.lineage",
        since=formed.since,
        predecessors=joined(list(formed.predecessors)),
        rules=joined(list(rule)),
    )
    lines: list[Explanation] = []
    years = sorted(
        {y for p in formed.predecessors for y in history.awards.get((kind, p), {})}
        | {y for (k, p, _, y) in history.values if k == kind and p in formed.predecessors},
        reverse=True,
    )
    for year in years:
        if year >= formed.since:
            continue
        held: dict[str, list[str]] = {}
        for predecessor in formed.predecessors:
            for award in sorted(history.awards.get((kind, predecessor), {}).get(year, ())):
                held.setdefault(award, []).append(predecessor)
        for award, holders in held.items():
            lines.append(Explanation(message(
                "explain.lineage-award", year=year, award=words.step(kind, award),
                holders=joined(holders),
            )))  # fmt: skip
        names = sorted({n for (k, p, n, y) in history.values
                        if k == kind and y == year and p in formed.predecessors})  # fmt: skip
        for name in names:
            each = tuple(
                message("explain.read", name=p, value=words.named_value(
                    kind, name, history.values.get((kind, p, name, year), MISSING)))
                for p in formed.predecessors
            )  # fmt: skip
            lines.append(Explanation(message(
                "explain.lineage-value", year=year, name=words.name(kind, name), values=each,
            )))  # fmt: skip
    return Explanation(head, tuple(lines), topic="(lineage)")
