"""What every form of check is made of: a `Property` draws `Case`s (a population and what
else the check draws) and says how a case breaks it (a `Failure`); a `Context` holds what
the properties of one ruleset share. The helpers here are those several forms use: a raw
value as the engine holds it, a record replaced, what differs between two results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import strategies as st

from emurules.i18n import Message, message
from emurules.plan.schema import FieldSchema
from emurules.result import Explanation, Outcome, Result
from emurules.rules import Rules
from emurules.source import Span
from emurules.testing.boundaries import Boundaries, boundaries
from emurules.testing.evaluation import Evaluated, Evaluator
from emurules.testing.outcome import Detail, Moved
from emurules.testing.rename import Renaming
from emurules.testing.strategies import OMIT, Population, field_values, population
from emurules.values import MISSING


@attrs.frozen
class Case:
    """A population, and what else a check drew (`extra`)."""

    population: Population
    extra: Any = None


@attrs.frozen(kw_only=True)
class Failure:
    """How a case breaks a check: the subjects (of `kind`) that break it, the result
    their explanations come from (or the states, each explained), and what the form of
    check adds (`detail`)."""

    kind: str
    breaking: tuple[str, ...]
    result: Result
    states: tuple[tuple[Message, Result], ...] = ()
    detail: Detail | None = None
    shown: Population | None = None  # the population evaluated, when not the case's own
    reads: Callable[[str], Explanation] | None = None  # what the check read, for a key


Cases = Callable[[st.SearchStrategy[Population]], st.SearchStrategy[Case]]


@attrs.frozen(kw_only=True)
class Property:
    """A check as something to falsify: each of `parts` draws cases from populations
    (a check that is several claims, one per field, has a part for each, searched with
    an equal share of the examples: a search draws the first of several choices far more
    often than the last); `breaks` says how a case breaks it (None when it holds);
    `rename` gives what a case drew besides its population (`Case.extra`) with the keys in
    it renamed."""

    label: str
    form: str
    span: Span | None
    parts: tuple[Cases, ...]
    breaks: Callable[[Case], Failure | None]
    rename: Callable[[Any, Renaming], Any] = attrs.field(eq=False, repr=False)
    context: Context = attrs.field(eq=False, repr=False)
    check: object = attrs.field(eq=False, repr=False)  # the plan's step it tries


class Context:
    """What every property of one ruleset shares."""

    def __init__(self, rules: Rules, year: int) -> None:
        self.rules = rules
        self.year = year
        self.evaluator = Evaluator(rules)
        self.bounds: Boundaries = boundaries(rules.plan)
        self._populations: dict[tuple[int, int], st.SearchStrategy[Population]] = {}

    def populations(self, most: int, crowd: int) -> st.SearchStrategy[Population]:
        """The populations every check of the ruleset draws from (made once)."""
        found = self._populations.get((most, crowd))
        if found is None:
            found = population(self.rules, max_subjects=most, max_group=crowd, year=self.year)
            self._populations[(most, crowd)] = found
        return found

    def run(self, population: Population) -> Evaluated:
        return self.evaluator.run(population.data, population.history, population.year)

    def key_of(self, kind: str, row: dict[str, Any]) -> str:
        return str(row[self.rules.schema.kinds[kind].key])

    def values(self, kind: str, field: FieldSchema, keys: dict[str, list[str]]) -> Any:
        """A strategy of other raw values for a field: any of its values, a key of the
        kind it refers to, or (when it may be) left out."""
        if field.type.kind == "ref":
            targets = keys.get(field.type.name or "", [])
            found: st.SearchStrategy[Any] = st.sampled_from(targets) if targets else st.nothing()
        else:
            found = field_values(self.rules.schema, self.bounds, kind, field, self.year)
        if field.optional or field.default is not None:
            return st.one_of(st.just(OMIT), found)
        return found


def unchanged(extra: Any, renaming: Renaming) -> Any:
    """`Property.rename` of a check that draws nothing besides the population."""
    return extra


def replaced(population: Population, kind: str, index: int, row: dict[str, Any]) -> Population:
    """The population with the record at `index` of `kind` replaced by `row` (a field set
    to OMIT is left out)."""
    rows = population.data[kind]
    clean = {n: v for n, v in row.items() if v is not OMIT}
    data = {**population.data, kind: [*rows[:index], clean, *rows[index + 1 :]]}
    return attrs.evolve(population, data=data)


def keys_by_kind(context: Context, population: Population) -> dict[str, list[str]]:
    return {kind: [context.key_of(kind, r) for r in rows] for kind, rows in population.data.items()}


def differences(
    first: Result, second: Result, only: Callable[[str, str], bool] | None = None
) -> list[Moved]:
    """What differs between two results of the same subjects: values (awards aside), then
    each award's outcome; `only(kind, key)` chooses the subjects looked at."""
    moved = []
    awards = {a.name for a in first.awards}
    for (kind, key), subject in first.subjects.items():
        if only is not None and not only(kind, key):
            continue
        other = second.subjects[(kind, key)].values
        for name, value in subject.values.items():
            if name not in awards and other.get(name, MISSING) != value:
                again = other.get(name, MISSING)
                moved.append(Moved(kind=kind, key=key, name=name, first=value, second=again))
    for award in first.awards:
        for key, outcome in first.outcomes[award.name].items():
            if only is not None and not only(award.kind, key):
                continue
            a, b = outcome_text(outcome), outcome_text(second.outcomes[award.name][key])
            if a != b:
                moved.append(Moved(kind=award.kind, key=key, name=award.name, first=a, second=b))
    return moved


def outcome_text(outcome: Outcome) -> Message:
    """An award's outcome for a subject, as a counterexample reports it."""
    if not outcome.qualified:
        return message("testing.not-qualified")
    rank = str(outcome.rank) if outcome.rank is not None else "-"
    if outcome.received:
        return message("testing.received", rank=rank)
    return message("testing.cut", rank=rank)


def lowered(was: Any, became: Any) -> bool:
    """Whether a value went down (an award taken away: true to false; a value that was
    there went missing)."""
    if was is MISSING or was is None:
        return False
    if became is MISSING or became is None:
        return True
    if isinstance(was, str) or type(was) is not type(became):
        return False
    try:
        return bool(became < was)
    except TypeError:
        return False
