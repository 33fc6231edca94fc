"""`Result.to_json()` as typed data: the shapes (TypedDicts, checked by mypy where a program
reads them) and the functions that make each part.

The format is `emurules.result/1`, published as a JSON Schema (draft 2020-12) in the
package: `schema/result-1.json` (`schema_path()`). Its rules for values:

- a value of type `int` (an `int` field, a count, a ranking's position, an `int` let), in
  a subject's values and in what a check read, is a JSON integer;
- every other number the rules read or compute (a `Decimal`) is a JSON string in canonical form:
  no exponent, no sign on zero, no trailing zeros (`"69.85"`, `"100"`), except a score the
  ruleset rounds (`round N`), which has exactly N places (`"86.70"`), wherever the score
  appears (the subject's score and values, a check that reads `score`, a quota's cut-off
  when the award ranks by score). A number is never a JSON number one time and a string the
  next, so no reader loses digits to a double;
- counts and positions the engine decides (the year, `rank`, a quota's `base`, `quota` and
  `overshoot`, a row number) are JSON integers;
- a date is `"YYYY-MM-DD"`, an enum value its name, a relation's members a list of keys,
  a missing value `null`.

`types` tells, per subject kind, the declared type of each value ("bool", "int",
"number", "percent", "text", "date", "enum", "ref", "relation"), so a reader knows which
strings are numbers without guessing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NotRequired, TypedDict

from emurules.i18n import DEFAULT, render
from emurules.source import Diagnostic
from emurules.values import JSONValue, Value, decimal_text, json_value

if TYPE_CHECKING:
    from emurules.provenance import Provenance
    from emurules.result import Check, Explanation, Outcome, QuotaInfo, SubjectResult

SCHEMA_ID: Literal["emurules.result/1"] = "emurules.result/1"


def schema_path() -> Path:
    """The JSON Schema of `to_json()` (draft 2020-12), shipped in the package."""
    return Path(__file__).parent / "schema" / "result-1.json"


class ProvenanceDict(TypedDict):
    """Where the result comes from (see `Result.provenance`)."""

    ruleset: str | None
    version: str | None
    sha256: str | None
    emurules: str
    engine: str | None
    year: int
    evaluated: str | None  # ISO 8601 with its offset: "2025-06-01T08:30:00+00:00"


class CheckDict(TypedDict):
    """One condition for one subject: `holds` whether it held, `values` what it read;
    `parts` are the alternatives of an `any { ... }` condition."""

    id: str
    label: str | None
    text: str
    holds: bool
    values: dict[str, JSONValue]
    parts: list[CheckDict]


class QuotaDict(TypedDict):
    group: JSONValue
    base: int
    quota: int
    cutoff: list[JSONValue] | None
    tie: bool
    overshoot: int
    text: str


class OutcomeDict(TypedDict):
    key: str
    name: NotRequired[str]  # the subject's name beside its key, when its kind has one
    qualified: bool
    received: bool
    rank: int | None
    group: JSONValue
    reason: str | None
    failed: list[CheckDict]
    passed: list[CheckDict]
    quota: QuotaDict | None
    amount: NotRequired[str]  # what a recipient is paid (VND), where the award has a reward


class AwardHeadDict(TypedDict):
    name: str
    label: str | None
    kind: str
    recipients: list[str]
    pool: NotRequired[str]  # the pool whose quota it shares, where it is in one
    reward: NotRequired[str]  # the multiple of the base salary, where the award has a reward
    fund: NotRequired[str]  # the total paid (VND), where there are amounts


class AwardDict(AwardHeadDict):
    outcomes: list[OutcomeDict]


class ExplanationDict(TypedDict):
    """A node of an explanation: its line of text, the catalogue id of that line, the
    award or value it explains, and the lines beneath it."""

    text: str
    id: str
    topic: str | None
    children: list[ExplanationDict]


class _SubjectBase(TypedDict):
    kind: str
    key: str
    name: NotRequired[str]  # the value of the kind's display field, when it has one
    score: str | None
    values: dict[str, JSONValue]


class SubjectDict(_SubjectBase, total=False):
    explanation: ExplanationDict  # only with `to_json(explanations=True)`


class SkippedDict(TypedDict):
    """A record set aside by `skip_invalid=True`, and why."""

    code: str
    file: str | None
    row: int | None
    field: str | None
    kind: str | None
    message: str


class ResultHeadDict(TypedDict):
    """`to_json()` without its subjects and awards (what a stream writes first)."""

    schema: Literal["emurules.result/1"]
    year: int
    ruleset: str | None
    provenance: ProvenanceDict
    base_salary: NotRequired[str]  # the base salary (VND) amounts are multiples of, if any
    types: dict[str, dict[str, str]]
    skipped: list[SkippedDict]


class ResultDict(ResultHeadDict):
    """The whole of `to_json()`."""

    subjects: list[SubjectDict]
    awards: list[AwardDict]


def provenance_json(provenance: Provenance) -> ProvenanceDict:
    return {
        "ruleset": provenance.ruleset,
        "version": provenance.version,
        "sha256": provenance.sha256,
        "emurules": provenance.emurules,
        "engine": provenance.engine,
        "year": provenance.year,
        "evaluated": provenance.evaluated_text,
    }


def values_json(
    values: Iterable[tuple[str, Value]],
    digits: int | None,
    integers: frozenset[str] = frozenset(),
) -> dict[str, JSONValue]:
    """Named values; `digits` (the score's, when the ruleset rounds it) apply to `score`;
    the `integers` (names and formulas of type `int`) are JSON integers."""
    found: dict[str, JSONValue] = {}
    for n, v in values:
        if n in integers and isinstance(v, Decimal) and v == v.to_integral_value():
            found[n] = int(v)
        else:
            found[n] = json_value(v, digits if n == "score" else None)
    return found


def subject_json(
    subject: SubjectResult,
    digits: int | None,
    explanation: Explanation | None = None,
    integers: frozenset[str] = frozenset(),
    name: str | None = None,
) -> SubjectDict:
    """A subject; `name` (its display field's value) only when it has one."""
    found: SubjectDict = {
        "kind": subject.kind,
        "key": subject.key,
        "name": name or "",
        "score": None if subject.score is None else decimal_text(subject.score, digits),
        "values": values_json(subject.values.items(), digits, integers),
    }
    if name is None:
        del found["name"]
    if explanation is not None:
        found["explanation"] = explanation_json(explanation)
    return found


def check_json(
    check: Check, digits: int | None, integers: frozenset[str] = frozenset()
) -> CheckDict:
    return {
        "id": check.id,
        "label": check.label,
        "text": check.text,
        "holds": check.holds,
        "values": values_json(check.values, digits, integers),
        "parts": [check_json(part, digits, integers) for part in check.parts],
    }


def outcome_json(
    outcome: Outcome,
    digits: int | None,
    cutoff_digits: tuple[int | None, ...],
    integers: frozenset[str] = frozenset(),
    name: str | None = None,
    amount: Decimal | None = None,
) -> OutcomeDict:
    """An outcome; `name` (the subject's display field's value) only when it has one,
    `amount` (what a recipient is paid) only when there is one."""
    quota = outcome.quota
    found: OutcomeDict = {
        "key": outcome.key,
        "name": name or "",
        "qualified": outcome.qualified,
        "received": outcome.received,
        "rank": outcome.rank,
        "group": json_value(outcome.group),
        "reason": outcome.reason,
        "failed": [check_json(c, digits, integers) for c in outcome.failed],
        "passed": [check_json(c, digits, integers) for c in outcome.checks if c.holds],
        "quota": None if quota is None else quota_json(quota, cutoff_digits),
    }
    if name is None:
        del found["name"]
    if amount is not None:
        found["amount"] = decimal_text(amount, None)
    return found


def quota_json(quota: QuotaInfo, cutoff_digits: tuple[int | None, ...]) -> QuotaDict:
    cutoff = None
    if quota.cutoff is not None:
        places = len(cutoff_digits)
        cutoff = [
            json_value(v, cutoff_digits[i] if i < places else None)
            for i, v in enumerate(quota.cutoff)
        ]
    return {
        "group": json_value(quota.group),
        "base": quota.base,
        "quota": quota.quota,
        "cutoff": cutoff,
        "tie": quota.tie,
        "overshoot": quota.overshoot,
        "text": quota.text,
    }


def explanation_json(explanation: Explanation, lang: str = DEFAULT) -> ExplanationDict:
    return {
        "text": render(explanation.text, lang),
        "id": explanation.text.id,
        "topic": explanation.topic,
        "children": [explanation_json(child, lang) for child in explanation.children],
    }


def skipped_json(skipped: Iterable[Diagnostic]) -> list[SkippedDict]:
    return [
        {
            "code": d.code,
            "file": d.place.file if d.place else None,
            "row": d.place.row if d.place else None,
            "field": d.place.field if d.place else None,
            "kind": d.kind,
            "message": render(d.message),
        }
        for d in skipped
    ]


def types_json(types: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    return {kind: dict(names) for kind, names in sorted(types.items())}
