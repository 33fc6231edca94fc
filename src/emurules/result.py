"""What an evaluation produces: outcomes, values and explanations, and their exports.

`to_json` schema (version 1):
{"schema": "emurules.result/1", "year": 2025, "ruleset": "...",
 "subjects": [{"kind", "key", "score", "values": {name: value}}],
 "awards": [{"name", "label", "kind", "recipients": [key, ...],
             "outcomes": [{"key", "qualified", "received", "rank", "group", "reason",
                           "failed": [{"id", "label", "values": {name: value}}],
                           "quota": {"group", "base", "quota", "cutoff", "tie", "overshoot"}
                                    or null}]}],
 "skipped": [{"file", "row", "field", "kind", "message"}]}
Numbers are JSON numbers when exact in a double, else strings; missing values are null.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from emurules.i18n import DEFAULT, Message, render
from emurules.source import Diagnostic
from emurules.values import plain


@attrs.frozen
class Check:
    """One condition of an award for one subject: its id, whether it held, what it read."""

    id: str
    holds: bool
    label: str | None = None
    text: str = ""
    values: tuple[tuple[str, Any], ...] = ()
    parts: tuple[Check, ...] = ()


@attrs.frozen
class QuotaInfo:
    group: Any
    base: int
    quota: int
    cutoff: tuple[Any, ...] | None
    tie: bool = False
    overshoot: int = 0
    text: str = ""


@attrs.frozen
class Outcome:
    """A subject's outcome for one award."""

    award: str
    key: str
    qualified: bool
    received: bool
    rank: int | None = None
    group: Any = None
    failed: tuple[Check, ...] = ()
    checks: tuple[Check, ...] = ()
    reason: str | None = None
    quota: QuotaInfo | None = None


@attrs.frozen
class SubjectResult:
    """A subject's values: every criterion, bonus, penalty, let, ranking, award and score."""

    kind: str
    key: str
    values: dict[str, Any]
    score: Any = None


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


K = TypeVar("K")
V = TypeVar("V")


class LazyMap(Mapping[K, V]):
    """A read-only mapping whose values are made when first asked for, so that a result for
    a million subjects holds no object it was not asked for. Its keys are listed (`keys`,
    in their fixed order) only when it is iterated, and `contains` answers membership, so
    it costs nothing per subject until it is read. It pickles (and copies) as the plain
    dict of all its values."""

    def __init__(
        self,
        keys: Callable[[], Sequence[K]],
        contains: Callable[[Any], bool],
        make: Callable[[K], V],
    ) -> None:
        self._list = keys
        self._listed: Sequence[K] | None = None
        self._contains = contains
        self._make = make
        self._made: dict[K, V] = {}

    def _keys(self) -> Sequence[K]:
        if self._listed is None:
            self._listed = self._list()
        return self._listed

    def __getitem__(self, key: K) -> V:
        found = self._made.get(key)
        if found is None:
            if not self._contains(key):
                raise KeyError(key)
            found = self._made[key] = self._make(key)
        return found

    def __contains__(self, key: object) -> bool:
        return self._contains(key)

    def __iter__(self) -> Iterator[K]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self.items()),))


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

    def _find(self, key: str, kind: str | None) -> tuple[str, str]:
        searched = self.kinds if kind is None else (kind,)
        found = [(k, key) for k in searched if (k, key) in self.subjects]
        if not found:
            raise KeyError(f"no subject has the key {key!r}")
        if len(found) > 1:
            kinds = ", ".join(k for k, _ in found)
            raise KeyError(f"the key {key!r} is used by {kinds}; pass kind=...")
        return found[0]

    def recipients(self, award: str) -> tuple[str, ...]:
        """The keys that received an award, group by group, best first."""
        if award not in self.recipients_by_award:
            raise KeyError(f"no award named {award!r}")
        return self.recipients_by_award[award]

    def outcome(self, key: str, award: str) -> Outcome:
        if award not in self.outcomes:
            raise KeyError(f"no award named {award!r}")
        try:
            return self.outcomes[award][key]
        except KeyError:
            raise KeyError(f"no subject {key!r} is assessed for {award!r}") from None

    def subject(self, key: str, kind: str | None = None) -> SubjectResult:
        return self.subjects[self._find(key, kind)]

    def explain(self, key: str, kind: str | None = None) -> Explanation:
        return self.explanations[self._find(key, kind)]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "emurules.result/1",
            "year": self.year,
            "ruleset": self.ruleset,
            "subjects": list(self.iter_subjects_json()),
            "awards": [
                {**head, "outcomes": list(outcomes)} for head, outcomes in self.iter_awards_json()
            ],
            "skipped": self.to_json_skipped(),
        }

    def to_json_skipped(self) -> list[dict[str, Any]]:
        return [
            {
                "file": d.place.file if d.place else None,
                "row": d.place.row if d.place else None,
                "field": d.place.field if d.place else None,
                "kind": d.kind,
                "message": render(d.message),
            }
            for d in self.skipped
        ]

    def to_json_head(self) -> dict[str, Any]:
        """`to_json()` without its subjects and awards (for writing it as a stream)."""
        return {
            "schema": "emurules.result/1",
            "year": self.year,
            "ruleset": self.ruleset,
            "skipped": self.to_json_skipped(),
        }

    def iter_subjects_json(self) -> Iterator[dict[str, Any]]:
        """The subjects of `to_json()`, one at a time (for writing a large result as a
        stream)."""
        for s in self.subjects.values():
            yield {
                "kind": s.kind,
                "key": s.key,
                "score": plain(s.score),
                "values": {n: plain(v) for n, v in s.values.items()},
            }

    def iter_awards_json(self) -> Iterator[tuple[dict[str, Any], Iterator[dict[str, Any]]]]:
        """Each award of `to_json()` without its outcomes, and its outcomes one at a time."""
        for a in self.awards:
            head = {
                "name": a.name,
                "label": a.label,
                "kind": a.kind,
                "recipients": list(self.recipients_by_award[a.name]),
            }
            yield head, (_outcome_json(o) for o in self.outcomes[a.name].values())

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per subject and award, for CSV and spreadsheets."""
        return list(self.iter_rows())

    def iter_rows(self) -> Iterator[dict[str, Any]]:
        """The rows of `to_rows()`, one at a time."""
        for award in self.awards:
            for outcome in self.outcomes[award.name].values():
                subject = self.subjects[(award.kind, outcome.key)]
                yield {
                    "award": award.name,
                    "kind": award.kind,
                    "key": outcome.key,
                    "score": plain(subject.score),
                    "qualified": outcome.qualified,
                    "received": outcome.received,
                    "rank": outcome.rank,
                    "group": plain(outcome.group),
                    "reason": outcome.reason,
                    "failed": " ".join(c.id for c in outcome.failed),
                }


def _outcome_json(outcome: Outcome) -> dict[str, Any]:
    quota = outcome.quota
    return {
        "key": outcome.key,
        "qualified": outcome.qualified,
        "received": outcome.received,
        "rank": outcome.rank,
        "group": plain(outcome.group),
        "reason": outcome.reason,
        "failed": [
            {"id": c.id, "label": c.label, "values": {n: plain(v) for n, v in c.values}}
            for c in outcome.failed
        ],
        "quota": None
        if quota is None
        else {
            "group": plain(quota.group),
            "base": quota.base,
            "quota": quota.quota,
            "cutoff": None if quota.cutoff is None else [plain(v) for v in quota.cutoff],
            "tie": quota.tie,
            "overshoot": quota.overshoot,
        },
    }
