"""What an evaluation produces: outcomes, values and explanations, and their exports.

`to_json()` is the format `emurules.result/1`: its shapes are the TypedDicts of
`emurules.result_json`, its JSON Schema is shipped as `emurules/schema/result-1.json`, and
docs/api.md describes it. Every export runs in the library's own decimal context, so what
it writes never depends on the caller's `decimal.getcontext()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypedDict, cast, overload

import attrs

from emurules.arithmetic import EXACT
from emurules.errors import UnknownNameError, UsageError, wrong_type
from emurules.i18n import DEFAULT, Message, message, render
from emurules.lazy import LazyMap as LazyMap  # results are made of them (engine.results)
from emurules.plan.labels import Labels
from emurules.plan.rewards import Rewards
from emurules.provenance import Provenance
from emurules.result_json import (
    SCHEMA_ID,
    AwardHeadDict,
    OutcomeDict,
    ResultDict,
    ResultHeadDict,
    SkippedDict,
    SubjectDict,
    outcome_json,
    provenance_json,
    skipped_json,
    subject_json,
    types_json,
)
from emurules.source import Diagnostic, normalise
from emurules.suggest import closest, did_you_mean
from emurules.values import EnumValue, JSONValue, Value, decimal_text, json_value

if TYPE_CHECKING:
    import pandas
    import polars

    from emurules.engine.whatif import Replay, WhatIf


@attrs.frozen
class Check:
    """One condition of an award for one subject: its id, whether it held, what it read."""

    id: str
    holds: bool
    label: str | None = None
    text: str = ""  # the condition as written
    values: tuple[tuple[str, Value], ...] = ()
    parts: tuple[Check, ...] = ()  # the alternatives of an `any { ... }`


@attrs.frozen
class QuotaInfo:
    """An award's quota in one group: `base` subjects qualified, `quota` of them may receive
    it (`text`: the quota as written); `cutoff` the rank values of the last one in, `tie`
    whether others tie with it there, `overshoot` how many more a tie let in; in a pool,
    `cutoff_award` the award (of another kind, maybe) whose keys gave the cut-off."""

    group: Value | None
    base: int
    quota: int
    cutoff: tuple[Value, ...] | None
    tie: bool = False
    overshoot: int = 0
    text: str = ""
    cutoff_award: str | None = None  # in a pool: the award of the last one in


@attrs.frozen
class Outcome:
    """A subject's outcome for one award."""

    award: str
    key: str
    qualified: bool
    received: bool
    rank: int | None = None
    group: Value | None = None  # the value of `within`; None without it
    failed: tuple[Check, ...] = ()
    checks: tuple[Check, ...] = ()
    reason: str | None = None
    quota: QuotaInfo | None = None


@attrs.frozen
class AwardCounts:
    """How an award went for the whole population, made without any subject's outcome:
    how many were assessed, qualified and received it, and the quota of each group where
    someone qualified (by group, in report order; none without a quota)."""

    assessed: int
    qualified: int
    received: int
    quotas: tuple[QuotaInfo, ...] = ()


@attrs.frozen
class SubjectResult:
    """A subject's values: every criterion, bonus, penalty, let, ranking, award and score."""

    kind: str
    key: str
    values: Mapping[str, Value]
    score: Decimal | None = None  # None without a score, or when it is missing


@attrs.frozen
class Explanation:
    """A trace tree; `str()` reads as plain text, one line per node, indented."""

    text: Message
    children: tuple[Explanation, ...] = ()
    topic: str | None = None  # the award or value a node explains

    def lines(self, depth: int = 0, lang: str = DEFAULT) -> Iterator[str]:
        """The tree as text in `lang`, one indented line per node."""
        yield "  " * depth + render(self.text, lang)
        for child in self.children:
            yield from child.lines(depth + 1, lang)

    def __str__(self) -> str:
        return "\n".join(self.lines())


@attrs.frozen
class AwardInfo:
    name: str
    kind: str
    label: str | None
    reward: Decimal | None = None  # `reward 0.3`: a multiple of the base salary
    replaces: tuple[str, ...] = ()  # `reward 1.0 replaces a`: its recipients are not paid a
    pool: str | None = None  # the `pool` whose quota it shares with awards of other kinds


@attrs.frozen
class RankingInfo:
    """A league table (`ranking`): every subject of its kind ranked, per group."""

    name: str
    kind: str
    label: str | None


LeagueEntry = tuple[str, int, Value | None]
"""A place in a league table: the subject's key, its rank, its group (None without
`within`)."""


@attrs.frozen
class Layout:
    """What the plan says of a result's values, for writing them: the declared type of
    each value (kind -> name -> "number", "int", "bool", ...), the places the score is
    rounded to (by kind, when the ruleset says `round N`), the type of each award's group
    (`within`), and for each award the places of each rank key (the score's, where it
    ranks by the score)."""

    types: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    digits: Mapping[str, int] = attrs.field(factory=dict)
    groups: Mapping[str, str] = attrs.field(factory=dict)
    cutoff: Mapping[str, tuple[int | None, ...]] = attrs.field(factory=dict)
    # kind -> the names and formulas of type `int` its values and checks hold
    integers: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    # award -> the subject kind its groups are, when `within` names a reference
    group_kinds: Mapping[str, str] = attrs.field(factory=dict)


_ACCEPTS_KEY = message("api.accepts-key")
_ACCEPTS_KIND = message("api.accepts-kind")
_ACCEPTS_AWARD = message("api.accepts-award")
_ACCEPTS_RANKING = message("api.accepts-ranking")


def _group_order(value: Value | None) -> tuple[int, str]:
    """Groups in report order (as `engine.decide.group_sort`): no group first, then by text."""
    return (0 if value is None else 1, str(value))


def _text(argument: str, value: object, accepts: Message) -> None:
    if not isinstance(value, str):
        raise wrong_type(argument, value, accepts)


def _unknown(
    what: Literal["award", "key", "kind", "ranking"],
    name: str,
    text: Message,
    known: Sequence[str],
    listed: Message | None,
) -> UnknownNameError:
    """An unknown name, with the closest known one (else `listed`, the names) as its hint."""
    close = closest(name, known)
    hint = did_you_mean(close) if close is not None else listed
    return UnknownNameError(text, what=what, name=name, suggestion=close, hint=hint)


@attrs.frozen(kw_only=True)
class Result:
    year: int
    ruleset: str | None
    subjects: Mapping[tuple[str, str], SubjectResult]
    awards: tuple[AwardInfo, ...]
    outcomes: Mapping[str, Mapping[str, Outcome]]
    recipients_by_award: dict[str, tuple[str, ...]]
    explanations: Mapping[tuple[str, str], Explanation] = attrs.field(repr=False)
    skipped: tuple[Diagnostic, ...] = ()
    # The subject kinds, sorted: a key is looked up in each, without listing the subjects.
    kinds: tuple[str, ...] = attrs.field(repr=False, eq=False)
    # What it was evaluated from, for `what_if` (set by `Rules.evaluate`).
    _replay: Replay | None = attrs.field(default=None, repr=False, eq=False)
    # The rules, release, engine and time that made it (set by `Rules.evaluate`).
    provenance: Provenance = attrs.field(
        default=attrs.Factory(lambda r: Provenance.unknown(r.year, r.ruleset), takes_self=True),
        eq=False,
    )
    # What the plan says of the values (types, the score's places), for the exports.
    _layout: Layout = attrs.field(factory=Layout, repr=False, eq=False)
    # The base salary (VND) reward amounts are multiples of: the caller's, else the
    # ruleset's `base_salary`; None when neither states one (then there are no amounts).
    base_salary: Decimal | None = None
    _rewards: Rewards = attrs.field(factory=Rewards, repr=False, eq=False)
    rankings: tuple[RankingInfo, ...] = ()
    _leagues: Mapping[str, tuple[LeagueEntry, ...]] = attrs.field(
        factory=dict, repr=False, eq=False
    )
    # Each award's counts, from the engine's decisions (else counted from the outcomes).
    _counts: Mapping[str, AwardCounts] = attrs.field(factory=dict, repr=False, eq=False)

    def what_if(self, key: str, changes: Mapping[str, object], kind: str | None = None) -> WhatIf:
        """The subject's values and outcomes if its record had `changes` (field -> value,
        read as data is), with the whole population evaluated again: its group's quota
        and ranks, and its unit's aggregates, follow. A bad value raises DataError; an
        unknown key, kind or field raises a usage error."""
        from emurules.engine.whatif import what_if

        return what_if(self, self._find(key, kind), changes, self._replay)

    def _find(self, key: str, kind: str | None) -> tuple[str, str]:
        """The subject of a key (of `kind`, when given). An unknown key or kind raises
        UnknownNameError; a key two kinds use, without `kind`, a UsageError."""
        _text("key", key, _ACCEPTS_KEY)
        if kind is not None:
            _text("kind", kind, _ACCEPTS_KIND)
            if kind not in self.kinds:
                text = message("api.no-kind", kind=repr(kind))
                listed = message("api.the-kinds-are", kinds=self.kinds)
                raise _unknown("kind", kind, text, self.kinds, listed)
        searched = self.kinds if kind is None else (kind,)
        found = [(k, key) for k in searched if (k, key) in self.subjects]
        if len(found) == 1:
            return found[0]
        if found:
            kinds = tuple(k for k, _ in found)
            raise UsageError(message("api.key-of-kinds", key=repr(key), kinds=kinds))
        if kind is None:
            raise self._unknown_key(key, searched, message("api.no-subject", key=repr(key)))
        raise self._unknown_key(
            key, searched, message("api.no-subject-of-kind", kind=kind, key=repr(key))
        )

    def _unknown_key(self, key: str, kinds: Sequence[str], text: Message) -> UnknownNameError:
        """An unknown key, with the kind that has it, or the key as written in another case
        or without spaces around it (the subjects are never listed: they may be millions)."""
        other = [k for k in self.kinds if k not in kinds and (k, key) in self.subjects]
        if other:
            elsewhere = message("api.key-of-other-kind", key=repr(key), kind=other[0])
            return UnknownNameError(text, what="key", name=key, hint=elsewhere)
        trimmed = normalise(key).strip()
        variants = dict.fromkeys((trimmed, trimmed.upper(), trimmed.lower(), trimmed.title()))
        close = next(
            (v for v in variants if v != key and any((k, v) in self.subjects for k in kinds)),
            None,
        )
        hint = did_you_mean(close) if close is not None else None
        return UnknownNameError(text, what="key", name=key, suggestion=close, hint=hint)

    def _award(self, award: str) -> Mapping[str, Outcome]:
        """The outcomes of an award; an unknown one raises UnknownNameError."""
        _text("award", award, _ACCEPTS_AWARD)
        if award not in self.outcomes:
            names = tuple(a.name for a in self.awards)
            text = message("api.no-award", award=repr(award))
            raise _unknown("award", award, text, names, message("api.the-awards-are", awards=names))
        return self.outcomes[award]

    def league(self, ranking: str) -> tuple[LeagueEntry, ...]:
        """A league table: every subject of its kind as (key, rank, group), groups in the
        order reports list them, each from rank 1; an unknown name raises
        UnknownNameError."""
        _text("ranking", ranking, _ACCEPTS_RANKING)
        if ranking not in self._leagues:
            names = tuple(r.name for r in self.rankings)
            text = message("api.no-ranking", ranking=repr(ranking))
            raise _unknown(
                "ranking", ranking, text, names, message("api.the-rankings-are", rankings=names)
            )
        return self._leagues[ranking]

    def reward(self, award: str) -> Decimal | None:
        """The award's reward as a multiple of the base salary; None without `reward`."""
        self._award(award)
        return next(a.reward for a in self.awards if a.name == award)

    def amount(self, key: str, award: str) -> Decimal | None:
        """What the recipient `key` of `award` is paid (VND), rounded as the ruleset says:
        0 when a title it also received replaces this one's reward (`replaced_by`); None
        when the award has no reward, no base salary is known, or `key` did not receive
        it. An unknown award or key raises UnknownNameError."""
        received = self.outcome(key, award).received
        multiple = self.reward(award)
        if not received or multiple is None or self.base_salary is None:
            return None
        if self.replaced_by(key, award) is not None:
            return Decimal(0)
        return self._rewards.amount(multiple, self.base_salary)

    def replaced_by(self, key: str, award: str) -> str | None:
        """The award `key` also received whose reward replaces this one's (`reward ...
        replaces award`): for the same achievement only the higher reward is paid."""
        for other in self.awards:
            if award in other.replaces and other.reward is not None:
                outcome = self.outcomes[other.name].get(key)
                if outcome is not None and outcome.received:
                    return other.name
        return None

    def fund(self, award: str) -> Decimal | None:
        """The total paid for `award`: every recipient's amount; None without amounts."""
        if self.reward(award) is None or self.base_salary is None:
            return None
        total = Decimal(0)
        for key in self.recipients(award):
            total = EXACT.add(total, self.amount(key, award) or Decimal(0))
        return total

    def recipients(self, award: str) -> tuple[str, ...]:
        """The keys that received an award, group by group, best first."""
        self._award(award)
        return self.recipients_by_award[award]

    def counts(self, award: str) -> AwardCounts:
        """How many were assessed, qualified and received an award, and each group's quota,
        without making a million outcomes to count them; an unknown award raises
        UnknownNameError."""
        outcomes = self._award(award)
        found = self._counts.get(award)
        if found is not None:
            return found
        listed = list(outcomes.values())
        quotas = {o.quota.group: o.quota for o in listed if o.quota is not None}
        return AwardCounts(
            assessed=len(listed),
            qualified=sum(o.qualified for o in listed),
            received=sum(o.received for o in listed),
            quotas=tuple(quotas[g] for g in sorted(quotas, key=_group_order)),
        )

    def outcome(self, key: str, award: str) -> Outcome:
        """A subject's outcome for an award; an unknown award or key raises
        UnknownNameError."""
        outcomes = self._award(award)
        _text("key", key, _ACCEPTS_KEY)
        if key in outcomes:
            return outcomes[key]
        kind = next(a.kind for a in self.awards if a.name == award)
        if (kind, key) in self.subjects:
            text = message("api.not-assessed", kind=kind, key=repr(key), award=repr(award))
            raise UnknownNameError(text, what="key", name=key)
        text = message("api.no-subject-of-kind", kind=kind, key=repr(key))
        raise self._unknown_key(key, (kind,), text)

    def subject(self, key: str, kind: str | None = None) -> SubjectResult:
        """A subject's values and score; `kind` is needed only for a key two kinds use."""
        return self.subjects[self._find(key, kind)]

    def explain(self, key: str, kind: str | None = None) -> Explanation:
        """Why a subject has its values and outcomes, as a tree."""
        return self.explanations[self._find(key, kind)]

    @property
    def labels(self) -> Labels | None:
        """The rules' labels and each kind's display field (`Rules.labels`); None for a
        result not made by `Rules.evaluate`."""
        return None if self._replay is None else Labels(schema=self._replay.rules.schema)

    def condition_name(self, check: Check) -> Message | str:
        """A condition as a report names it: its label, else for `requires A` the title
        it requires by its label, else its id (`when2`)."""
        if check.label:
            return check.label
        if check.id.startswith("requires:"):
            required = check.id.removeprefix("requires:")
            info = next((a for a in self.awards if a.name == required), None)
            label = info.label if info is not None and info.label else required
            return message("api.requires-title", title=label)
        return check.id

    def group_name(self, award: str, group: Value) -> str | None:
        """What a report calls a group of `award` beside (or instead of) its value: the
        display name of the subject a `within` reference names, or an enum value's label;
        None when there is none."""
        if isinstance(group, EnumValue):
            labels = self.labels
            return labels.value(group.enum, group.name) if labels is not None else None
        kind = self._layout.group_kinds.get(award)
        if kind is None or not isinstance(group, str):
            return None
        return self.names(kind)(group)

    def names(self, kind: str) -> Callable[[str], str | None]:
        """The name a report shows beside each key of `kind`: its display field's value as
        read (`display`, else `name`), or None (no such field, or no value)."""
        labels, replay = self.labels, self._replay
        field = labels.display(kind) if labels is not None else None
        if field is None or replay is None:
            return lambda key: None
        records = replay.table.by_key.get(kind, {})

        def name(key: str) -> str | None:
            record = records.get(key)
            value = None if record is None else record.values.get(field)
            return None if value is None else str(value)

        return name

    def to_json(self, *, explanations: bool = False) -> ResultDict:
        """The whole result as JSON-ready data, format `emurules.result/1` (the TypedDicts
        of `emurules.result_json`; its JSON Schema is `emurules/schema/result-1.json`).
        With `explanations`, each subject carries its explanation as a tree of lines."""
        head = self.to_json_head()
        found: dict[str, Any] = {
            "schema": head["schema"],
            "year": head["year"],
            "ruleset": head["ruleset"],
            "provenance": head["provenance"],
        }
        if "base_salary" in head:
            found["base_salary"] = head["base_salary"]
        found["types"] = head["types"]
        found["subjects"] = list(self.iter_subjects_json(explanations=explanations))
        found["awards"] = [
            {**award, "outcomes": list(outcomes)} for award, outcomes in self.iter_awards_json()
        ]
        found["skipped"] = head["skipped"]
        return cast(ResultDict, found)

    def to_json_skipped(self) -> list[SkippedDict]:
        return skipped_json(self.skipped)

    def to_json_head(self) -> ResultHeadDict:
        """`to_json()` without its subjects and awards (for writing it as a stream)."""
        head: ResultHeadDict = {
            "schema": SCHEMA_ID,
            "year": self.year,
            "ruleset": self.ruleset,
            "provenance": provenance_json(self.provenance),
            "types": types_json(self._layout.types),
            "skipped": self.to_json_skipped(),
        }
        if self.base_salary is not None:
            head["base_salary"] = decimal_text(self.base_salary)
        return head

    def iter_subjects_json(self, *, explanations: bool = False) -> Iterator[SubjectDict]:
        """The subjects of `to_json()`, one at a time (for writing a large result as a
        stream)."""
        digits = self._layout.digits
        names = {kind: self.names(kind) for kind in self.kinds}
        for s in self.subjects.values():
            explanation = self.explanations[(s.kind, s.key)] if explanations else None
            integers = self._layout.integers.get(s.kind, frozenset())
            yield subject_json(s, digits.get(s.kind), explanation, integers, names[s.kind](s.key))

    def iter_awards_json(self) -> Iterator[tuple[AwardHeadDict, Iterator[OutcomeDict]]]:
        """Each award of `to_json()` without its outcomes, and its outcomes one at a time."""
        for a in self.awards:
            head: AwardHeadDict = {
                "name": a.name,
                "label": a.label,
                "kind": a.kind,
                "recipients": list(self.recipients_by_award[a.name]),
            }
            if a.pool is not None:
                head["pool"] = a.pool
            if a.reward is not None:
                head["reward"] = decimal_text(a.reward)
                fund = self.fund(a.name)
                if fund is not None:
                    head["fund"] = decimal_text(fund)
            yield head, self._outcomes_json(a)

    def _outcomes_json(self, award: AwardInfo) -> Iterator[OutcomeDict]:
        digits = self._layout.digits.get(award.kind)
        cutoff = self._layout.cutoff.get(award.name, ())
        integers = self._layout.integers.get(award.kind, frozenset())
        name = self.names(award.kind)
        for outcome in self.outcomes[award.name].values():
            paid = self.amount(outcome.key, award.name) if outcome.received else None
            yield outcome_json(outcome, digits, cutoff, integers, name(outcome.key), paid)

    def to_rows(self) -> list[RowDict]:
        """One flat row per subject and award, for CSV and spreadsheets."""
        return list(self.iter_rows())

    def iter_rows(self) -> Iterator[RowDict]:
        """The rows of `to_rows()`, one at a time: the score as its canonical text (as in
        `to_json()`), the group as `to_json()` writes it, the failed conditions' ids
        separated by spaces; `name` the subject's name (`names`), `amount` what a
        recipient is paid (`amount`)."""
        digits = self._layout.digits
        for award in self.awards:
            places = digits.get(award.kind)
            name = self.names(award.kind)
            for outcome in self.outcomes[award.name].values():
                score = self.subjects[(award.kind, outcome.key)].score
                yield {
                    "award": award.name,
                    "kind": award.kind,
                    "key": outcome.key,
                    "name": name(outcome.key),
                    "score": None if score is None else decimal_text(score, places),
                    "qualified": outcome.qualified,
                    "received": outcome.received,
                    "rank": outcome.rank,
                    "group": json_value(outcome.group),
                    "reason": outcome.reason,
                    "failed": " ".join(c.id for c in outcome.failed),
                    "amount": _paid(self.amount(outcome.key, award.name))
                    if outcome.received
                    else None,
                }

    @overload
    def to_frame(
        self,
        award: str | None = None,
        *,
        kind: str | None = None,
        library: Literal["pandas"] = "pandas",
        decimals: Literal["decimal", "float"] = "decimal",
    ) -> pandas.DataFrame: ...

    @overload
    def to_frame(
        self,
        award: str | None = None,
        *,
        kind: str | None = None,
        library: Literal["polars"],
        decimals: Literal["decimal", "float"] = "decimal",
    ) -> polars.DataFrame: ...

    def to_frame(
        self,
        award: str | None = None,
        *,
        kind: str | None = None,
        library: Literal["pandas", "polars"] = "pandas",
        decimals: Literal["decimal", "float"] = "decimal",
    ) -> pandas.DataFrame | polars.DataFrame:
        """A data frame of the result (pandas by default, or Polars): with no `award`, one
        row per subject (of `kind`, or of every kind) with its key, score and every value;
        with an `award`, one row per subject assessed for it: qualified, received, rank,
        group, reason and the ids of the failed conditions. Columns are typed: numbers as
        `Decimal` objects (or floats, with `decimals="float"`), whole numbers as integers,
        enum values and texts as text, truth values as booleans, dates as dates. The
        library is imported only here; without it, a UsageError says how to install it."""
        from emurules.result_frame import to_frame

        return to_frame(self, award, kind=kind, library=library, decimals=decimals)


def _paid(amount: Decimal | None) -> str | None:
    return None if amount is None else decimal_text(amount)


class RowDict(TypedDict):
    """A row of `Result.to_rows()`."""

    award: str
    kind: str
    key: str
    name: str | None
    score: str | None
    qualified: bool
    received: bool
    rank: int | None
    group: JSONValue
    reason: str | None
    failed: str
    amount: str | None  # what a recipient is paid (VND), where the award has a reward
