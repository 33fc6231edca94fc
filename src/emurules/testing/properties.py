"""Trying to falsify a criteria file's checks with generated populations.

Each check the plan carries becomes a `Property` (`forms`, `invariance`): a strategy of
cases (a population and whatever else the check draws: a subject and a field to raise, a
second order of the records) and a test of whether a case breaks the check. Hypothesis
searches for a case that does and shrinks it (`find`, with an explicit seed and no example
database, so that a run is reproducible and writes nothing into the user's directory);
`minimise` then makes the population as small as it goes, and `rename` keys it P1, P2, ...
Counts are of populations evaluated: the generated ones (at most `max_examples` in all,
shared among a check's parts) up to the first that broke the check, then apart those
tried while shrinking. Adding a form of check is one function that makes its `Property`
and one arm in `_property`.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from random import Random
from typing import Any, Final

import attrs
from hypothesis import HealthCheck, Phase, Verbosity, configuration, find, reject, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample, Unsatisfiable

from emurules.errors import DataError, EvaluationError, UsageError
from emurules.i18n import Message, message
from emurules.plan.steps import (
    EqualTreatmentCheck,
    FairnessCheck,
    IgnoresCheck,
    LocalCheck,
    MonotoneCheck,
    OrderCheck,
)
from emurules.rules import Rules
from emurules.testing.cases import Case, Context, Failure, Property
from emurules.testing.evaluation import Invalid
from emurules.testing.forms import fairness, monotone, order, reads
from emurules.testing.invariance import equal_treatment, ignores, local
from emurules.testing.minimise import minimise
from emurules.testing.outcome import CheckRun, Counterexample, Explained, tables
from emurules.testing.rename import simplest_keys
from emurules.testing.strategies import DEFAULT_YEAR, Population

DEFAULT_SEED: Final = 0
MAX_EXPLAINED: Final = 10  # explanations shown of the real data's subjects that break a check


def check_all(
    rules: Rules,
    *,
    seed: int | None = None,
    max_examples: int = 100,
    data: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    history: Iterable[Mapping[str, Any]] | None = None,
    year: int | None = None,
    deadline: float | None = None,
    max_subjects: int = 5,
    max_group: int = 25,
) -> tuple[CheckRun, ...]:
    """Try to falsify every check of `rules`, in the order of the file, each with up to
    `max_examples` generated populations (at most `deadline` seconds each, when given);
    the same `seed` tries the same populations. With `data` (and `history`), each
    `check "label" for KIND: expr` is also evaluated on that data (a second run, just
    after the first). A DataError in `data` is raised; so is a UsageError for data
    without a year (neither `year` nor the ruleset's): generated populations may take any
    year, real data may not."""
    if data is not None and year is None and rules.year is None:
        raise UsageError(message("testing.data-needs-year"))
    runs: list[CheckRun] = []
    real = None
    for found in checks_of(rules, year=year):
        runs.append(
            check_one(
                rules,
                found,
                seed=seed,
                max_examples=max_examples,
                deadline=deadline,
                max_subjects=max_subjects,
                max_group=max_group,
            )
        )
        if data is not None and isinstance(found.check, FairnessCheck):
            if real is None:
                real = Population(
                    data={kind: [dict(r) for r in rows] for kind, rows in data.items()},
                    history=[dict(r) for r in history or ()],
                    year=found.context.year,
                )
            runs.append(_on_data(found.context, found.check, real))
    return tuple(runs)


def checks_of(rules: Rules, *, year: int | None = None) -> tuple[Property, ...]:
    """Every check of `rules` that can be tried, in the order of the file, each with its
    `label`, `form` and `span` (for listing them before running them, one by one, with
    `check_one`)."""
    context = Context(rules, year if year is not None else rules.year or DEFAULT_YEAR)
    found = (_property(context, written) for written in rules.plan.written)
    return tuple(p for p in found if p is not None)


def check_one(
    rules: Rules,
    check: Property,
    *,
    seed: int | None = None,
    max_examples: int = 100,
    deadline: float | None = None,
    max_subjects: int = 5,
    max_group: int = 25,
) -> CheckRun:
    """Try to falsify one check of `checks_of(rules)` (see `check_all`)."""
    context = check.context
    strategy = context.populations(max_subjects, max_group)
    chosen = DEFAULT_SEED if seed is None else seed
    with _private_storage():
        return _falsify(context, check, strategy, chosen, max_examples, deadline)


@contextmanager
def _private_storage() -> Iterator[None]:
    """Hypothesis keeps caches (the literals of local modules) in `.hypothesis/` under the
    working directory; a run of checks must leave the user's directory as it was, so they
    go to a temporary directory for its time."""
    home = getattr(configuration, "__hypothesis_home_directory", None)
    with tempfile.TemporaryDirectory(prefix="emurules-hypothesis-") as where:
        configuration.set_hypothesis_home_dir(where)
        try:
            yield
        finally:
            configuration.set_hypothesis_home_dir(home)


def _property(context: Context, written: object) -> Property | None:
    match written:
        case FairnessCheck():
            return fairness(context, written)
        case MonotoneCheck():
            return monotone(context, written)
        case OrderCheck():
            return order(context, written)
        case IgnoresCheck():
            return ignores(context, written)
        case LocalCheck():
            return local(context, written)
        case EqualTreatmentCheck():
            return equal_treatment(context, written)
        case _:
            return None


# ---- the search ------------------------------------------------------------------------------
class _OutOfTime(BaseException):
    """The check's time is up (a BaseException, so that hypothesis does not shrink it)."""


def _settings(max_examples: int) -> settings:
    return settings(
        max_examples=max(1, max_examples),
        database=None,
        deadline=None,
        derandomize=False,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        print_blob=False,
        report_multiple_bugs=False,
    )


def _falsify(
    context: Context,
    found: Property,
    strategy: st.SearchStrategy[Population],
    seed: int,
    max_examples: int,
    deadline: float | None,
) -> CheckRun:
    start = time.perf_counter()
    count = _Count()
    last: list[Case] = []

    def broken(case: Case) -> bool:
        if deadline is not None and time.perf_counter() - start > deadline:
            raise _OutOfTime
        try:
            failure = found.breaks(case)
        except (EvaluationError, Invalid):
            reject()
        count.evaluated(broke=failure is not None)
        if failure is not None:
            last[:] = [case]
        return failure is not None

    error: Message | None = None
    case: Case | None = None
    unsatisfied = 0
    shares = _shares(max_examples, len(found.parts))
    for part, share in zip(found.parts, shares, strict=True):
        if not share:
            continue
        try:
            case = find(part(strategy), broken, settings=_settings(share), random=Random(seed))
        except NoSuchExample:
            continue
        except Unsatisfiable:
            unsatisfied += 1
            continue
        except _OutOfTime:
            case = last[0] if last else None
        break
    if unsatisfied == sum(1 for share in shares if share):
        error = message("testing.unsatisfiable")
    counterexample = None
    if case is not None:
        case = _simplest(context, found, count, case)
        failure = found.breaks(case)
        assert failure is not None
        counterexample = _counterexample(context, failure.shown or case.population, failure)
    return CheckRun(
        label=found.label,
        form=found.form,
        span=found.span,
        passed=case is None and error is None,
        seconds=time.perf_counter() - start,
        populations=count.generated,
        shrinking=count.shrinking,
        seed=seed,
        counterexample=counterexample,
        error=error,
    )


class _Count:
    """The populations a search evaluated (those that broke a data rule or failed to
    evaluate aside): the generated ones up to the first that broke the check, then those
    tried while it was made smaller."""

    def __init__(self) -> None:
        self.generated = 0
        self.shrinking = 0
        self.broken = False

    def evaluated(self, *, broke: bool) -> None:
        if self.broken:
            self.shrinking += 1
        else:
            self.generated += 1
            self.broken = broke


def _shares(max_examples: int, parts: int) -> list[int]:
    """Each part's share of the examples: equal, the first ones taking what is left over,
    so that they add up to `max_examples` (a part may get none)."""
    whole, left = divmod(max(1, max_examples), parts)
    return [whole + (1 if index < left else 0) for index in range(parts)]


def _simplest(context: Context, found: Property, count: _Count, case: Case) -> Case:
    """The case made as small as it goes, then keyed as simply as it goes (P1, P2, ...)
    when that still breaks the check."""

    def breaks(c: Case) -> bool:
        count.shrinking += 1
        return found.breaks(c) is not None

    case = minimise(
        context.rules,
        case,
        lambda c: c.population,
        lambda c, p: attrs.evolve(c, population=p),
        breaks,
    )
    renaming = simplest_keys(context.rules, case.population)
    if renaming.identity:
        return case
    renamed = Case(renaming.population(case.population), found.rename(case.extra, renaming))
    try:
        return renamed if breaks(renamed) else case
    except (DataError, EvaluationError, Invalid):
        return case


def _counterexample(
    context: Context, population: Population, failure: Failure, limit: int | None = None
) -> Counterexample:
    explained = []
    read: tuple[Explained, ...] = ()
    if failure.reads is not None:
        read = tuple(
            Explained(kind=failure.kind, key=key, explanation=failure.reads(key))
            for key in failure.breaking[:limit]
        )
    for key in failure.breaking[:limit]:
        if not failure.states:
            explanation = failure.result.explain(key, failure.kind)
            explained.append(Explained(kind=failure.kind, key=key, explanation=explanation))
            continue
        for state, result in failure.states:
            explanation = result.explain(key, failure.kind)
            explained.append(
                Explained(kind=failure.kind, key=key, explanation=explanation, state=state)
            )
    return Counterexample(
        population=population,
        tables=tables(context.rules.schema, population),
        breaking=failure.breaking,
        explanations=tuple(explained),
        detail=failure.detail,
        reads=read,
    )


def _on_data(context: Context, check: FairnessCheck, real: Population) -> CheckRun:
    """The check on real data: every subject that breaks it."""
    start = time.perf_counter()
    rules = context.rules
    rules.evaluate(real.data, history=real.history, year=real.year)  # its DataError, if any
    evaluated = context.run(real)
    keys = evaluated.breaking(check.kind, check.expr)
    counterexample = None
    if keys:
        chosen = set(keys)
        key_name = rules.schema.kinds[check.kind].key
        shown = Population(
            data={check.kind: [r for r in real.data.get(check.kind, [])
                               if str(r.get(key_name)) in chosen]},
            history=[r for r in real.history if str(r.get("key")) in chosen],
            year=real.year,
        )  # fmt: skip
        failure = Failure(
            kind=check.kind,
            breaking=keys,
            result=evaluated.result,
            reads=reads(evaluated, check),
        )
        counterexample = _counterexample(context, shown, failure, MAX_EXPLAINED)
    return CheckRun(
        label=check.label,
        form="check",
        span=check.span,
        passed=not keys,
        seconds=time.perf_counter() - start,
        populations=1,
        seed=None,
        on_data=True,
        counterexample=counterexample,
    )
