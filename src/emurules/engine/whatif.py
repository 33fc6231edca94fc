"""What if one subject's record were different: the population evaluated again with that
record changed, so that its group's quota and ranks, and its unit's aggregates, follow.

A `Result` keeps what it was made from (`Replay`: the rules and the validated table, shared,
never copied); a question re-validates the changed fields only, then runs the engine on a
copy of the table's field values with that one record replaced. The population is
evaluated again before the change as well (from the same copy), so that every other
subject whose outcome moved is found by comparing decisions, not by making the outcomes of
everyone: a full evaluation of a few hundred subjects takes a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal, Protocol, TypedDict

import attrs

from emurules.data import cells
from emurules.data.records import KindReader
from emurules.data.validate import Record, Table, Validator
from emurules.engine.decide import Decision
from emurules.engine.registry import bulk
from emurules.engine.results import build_result
from emurules.engine.row import Compiled, RowEngine
from emurules.errors import DataError, UsageError
from emurules.i18n import message
from emurules.plan.schema import Schema
from emurules.plan.steps import Plan
from emurules.provenance import evaluation_time
from emurules.result import Explanation, Outcome, Result, SubjectResult
from emurules.result_json import (
    OutcomeDict,
    ProvenanceDict,
    SubjectDict,
    outcome_json,
    provenance_json,
    subject_json,
)
from emurules.source import Diagnostic
from emurules.stack import call_deep
from emurules.suggest import suggest
from emurules.values import EnumValue, JSONValue, Value, json_value

Explain = Literal["lazy", "none"]
EXPLAIN: tuple[Explain, ...] = ("lazy", "none")
"""What `Rules.evaluate(explain=...)` accepts: explanations made when asked for, or none."""

SCHEMA_ID = "emurules.what-if/1"


class BeforeAfterDict(TypedDict):
    before: JSONValue
    after: JSONValue


class OutcomesDict(TypedDict):
    before: OutcomeDict
    after: OutcomeDict


class OtherDict(OutcomesDict):
    award: str
    kind: str
    key: str


class WhatIfDict(TypedDict):
    """`WhatIf.to_json()`: values written as in `emurules.result/1`."""

    schema: str
    kind: str
    key: str
    provenance: ProvenanceDict
    changes: dict[str, BeforeAfterDict]
    changed: dict[str, BeforeAfterDict]
    before: SubjectDict
    after: SubjectDict
    outcomes: dict[str, OutcomesDict]
    moved: list[str]
    others: list[OtherDict]


class Evaluates(Protocol):
    """What a replay needs of `Rules` (which the engine does not import)."""

    @property
    def plan(self) -> Plan: ...

    @property
    def schema(self) -> Schema: ...

    def _prepare(self, engine: str) -> object: ...


@attrs.frozen
class Replay:
    """What a result keeps so that it can be evaluated again: the rules, the validated table
    it was evaluated on (the very table, not a copy), and how it was evaluated. It pickles
    with the result: the rules as their criteria text, the table as its records."""

    rules: Evaluates
    table: Table
    year: int
    locale: str
    explain: Explain = "lazy"


class Unexplained(Mapping[tuple[str, str], Explanation]):
    """A result's explanations when `explain="none"`: none was kept, so asking is a
    usage error that says so."""

    def __getitem__(self, found: tuple[str, str]) -> Explanation:
        raise UsageError(message("api.not-explained"))

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def __len__(self) -> int:
        return 0


UNEXPLAINED = Unexplained()


@attrs.frozen
class OutcomeChange:
    """Another subject's outcome of one award, moved by the change (its quota, its rank,
    or its unit's aggregates)."""

    award: str
    kind: str
    key: str
    before: Outcome
    after: Outcome


@attrs.frozen
class WhatIf:
    """One subject's values and outcomes before and after a change of its record.

    `changes`: each field changed, as (before, after) validated values; `changed`: each of
    the subject's computed values that differs; `outcomes`: each award of the subject's
    kind, (before, after); `others`: every other subject whose outcome (qualified,
    received, rank or group) the change moved; `result`: the whole population after."""

    kind: str
    key: str
    changes: Mapping[str, tuple[Value, Value]]
    before: SubjectResult
    after: SubjectResult
    changed: Mapping[str, tuple[Value, Value]]
    outcomes: Mapping[str, tuple[Outcome, Outcome]]
    others: tuple[OutcomeChange, ...]
    result: Result = attrs.field(repr=False, eq=False)

    @property
    def moved(self) -> tuple[str, ...]:
        """The awards whose outcome for the subject moved (qualified, received, rank or
        group), in the order of the file."""
        return tuple(a for a, (b, c) in self.outcomes.items() if _summary(b) != _summary(c))

    def explain(self) -> Explanation:
        """The subject's explanation after the change."""
        return self.result.explain(self.key, self.kind)

    def to_json(self) -> WhatIfDict:
        """JSON-ready data (format `emurules.what-if/1`), its values, subjects and outcomes
        written as `Result.to_json()` writes them."""
        layout = self.result._layout  # how the result writes its values
        digits = layout.digits.get(self.kind)

        def pair(name: str, values: tuple[Value, Value]) -> BeforeAfterDict:
            places = digits if name == "score" else None
            return {"before": json_value(values[0], places), "after": json_value(values[1], places)}

        def outcomes(award: str, kind: str, pair: tuple[Outcome, Outcome]) -> OutcomesDict:
            places, cutoff = layout.digits.get(kind), layout.cutoff.get(award, ())
            return {
                "before": outcome_json(pair[0], places, cutoff),
                "after": outcome_json(pair[1], places, cutoff),
            }

        return {
            "schema": SCHEMA_ID,
            "kind": self.kind,
            "key": self.key,
            "provenance": provenance_json(self.result.provenance),
            "changes": {n: pair(n, v) for n, v in self.changes.items()},
            "changed": {n: pair(n, v) for n, v in self.changed.items()},
            "before": subject_json(self.before, digits),
            "after": subject_json(self.after, digits),
            "outcomes": {a: outcomes(a, self.kind, p) for a, p in self.outcomes.items()},
            "moved": list(self.moved),
            "others": [
                {
                    "award": o.award,
                    "kind": o.kind,
                    "key": o.key,
                    **outcomes(o.award, o.kind, (o.before, o.after)),
                }
                for o in self.others
            ],
        }


def _summary(outcome: Outcome) -> tuple[object, ...]:
    return (outcome.qualified, outcome.received, outcome.rank, outcome.group)


def what_if(
    result: Result, found: tuple[str, str], changes: Mapping[str, object], replay: Replay | None
) -> WhatIf:
    """The subject `found` (kind, key) of `result` with `changes` to its record."""
    if replay is None:
        raise UsageError(message("whatif.not-replayable"))
    if not isinstance(changes, Mapping):
        raise UsageError(message("whatif.changes-not-mapping", value=cells.shown(changes)))
    kind, key = found
    rules, table = replay.rules, replay.table
    plan = rules.plan
    given = _fields(rules.schema, kind, changes, plan)
    record = table.by_key[kind][key]
    changed = _revalidated(rules.schema, replay, record, given)
    compiled = rules._prepare("row")
    assert isinstance(compiled, Compiled)
    before = _run(plan, compiled, _fields_only(rules.schema, table, None), replay.year)
    after_table = _fields_only(rules.schema, table, changed)
    _check_rules(plan, compiled, after_table, replay.year)
    after = _run(plan, compiled, after_table, replay.year)
    new = build_result(after, after_table, replay.year)
    if replay.explain == "none":
        new = attrs.evolve(new, explanations=UNEXPLAINED)
    new = attrs.evolve(
        new,
        replay=attrs.evolve(replay, table=after_table),
        provenance=attrs.evolve(result.provenance, evaluated=evaluation_time()),
    )
    was, now = result.subjects[found], new.subjects[found]
    names = plan.computed(kind)
    return WhatIf(
        kind=kind,
        key=key,
        changes={n: (record.values[n], changed.values[n]) for n in given},
        before=was,
        after=now,
        changed={
            n: (was.values[n], now.values[n])
            for n in names
            if n in was.values and was.values[n] != now.values.get(n)
        },
        outcomes={
            a.name: (result.outcomes[a.name][key], new.outcomes[a.name][key])
            for a in plan.awards(kind)
        },
        others=tuple(_others(plan, before, after, result, new, found)),
        result=new,
    )


def _fields(
    schema: Schema, kind: str, changes: Mapping[str, object], plan: Plan
) -> dict[str, object]:
    """The changes by field name (NFC, trimmed); a name that is no field of the kind, or
    the key, is a usage error."""
    info = schema.kinds[kind]
    given: dict[str, object] = {}
    for written, raw in changes.items():
        name = cells.clean(written) if isinstance(written, str) else cells.shown(written)
        if name == info.key:
            raise UsageError(message("whatif.key-field", name=name, kind=kind))
        if name not in info.fields:
            if name in plan.computed(kind):
                raise UsageError(message("whatif.computed-name", name=name, kind=kind))
            raise UsageError(
                message("whatif.unknown-field", name=name, kind=kind),
                hint=suggest(name, info.fields),
            )
        given[name] = raw.name if isinstance(raw, EnumValue) else raw
    return given


def _revalidated(
    schema: Schema, replay: Replay, record: Record, given: Mapping[str, object]
) -> Record:
    """The record with the changed fields read as data is (a bad value is a DataError
    naming the field, where the record came from)."""
    validator = Validator(schema, replay.year, {record.kind: record.file}, replay.locale)
    readers = dict(KindReader(validator, record.kind).readers)
    values = {name: record.values[name] for name in schema.kinds[record.kind].fields}
    for name, raw in given.items():
        values[name] = readers[name](raw, record.row)
    names = schema.kinds[record.kind].names
    for name in given:
        declared = names[name].type
        target = values[name]
        if declared is None or declared.kind != "ref" or declared.name is None:
            continue
        keys = replay.table.by_key.get(declared.name, {})
        if isinstance(target, str) and target not in keys:
            validator.error(
                "dangling_reference",
                message("data.no-such-key", kind=declared.name, key=repr(target)),
                (record.file, record.row, name),
                hint=suggest(target, keys),
            )
    if validator.found:  # each names the subject, as a data error of its record would
        raise DataError(
            attrs.evolve(d, place=attrs.evolve(d.place, key=record.key)) if d.place else d
            for d in validator.found
        )
    return Record(record.kind, record.key, values, record.file, record.row)


def _fields_only(schema: Schema, table: Table, changed: Record | None) -> Table:
    """A table of the records' field values only, each in a dict of its own (the engine
    writes computed values into them), with `changed` in place of its record."""
    records: dict[str, tuple[Record, ...]] = {}
    for kind, rows in table.records.items():
        names = tuple(schema.kinds[kind].fields)
        records[kind] = tuple(
            changed
            if changed is not None and r.kind == changed.kind and r.key == changed.key
            else Record(r.kind, r.key, {n: r.values[n] for n in names}, r.file, r.row)
            for r in rows
        )
    by_key = {kind: {r.key: r for r in rows} for kind, rows in records.items()}
    return Table(records=records, by_key=by_key, history=table.history, skipped=table.skipped)


def _check_rules(plan: Plan, compiled: Compiled, table: Table, year: int) -> None:
    """A change that breaks a data rule (`require`) is refused, as evaluating it would be."""
    if not plan.rules:
        return
    engine = RowEngine(plan, table, year, compiled)
    broken = call_deep(plan.depth, engine.broken_rules)
    if broken:
        raise DataError(
            Diagnostic(
                code="D0103",
                kind="constraint",
                place=record.place,
                message=message(
                    "engine.breaks-rule", kind=record.kind, key=repr(record.key), rule=rule.label
                ),
            )
            for record, rule in broken
        )


def _run(plan: Plan, compiled: Compiled, table: Table, year: int) -> RowEngine:
    engine = RowEngine(plan, table, year, compiled)
    with bulk():
        call_deep(plan.depth, engine.run)
    return engine


def _others(
    plan: Plan,
    before: RowEngine,
    after: RowEngine,
    was: Result,
    now: Result,
    found: tuple[str, str],
) -> Iterator[OutcomeChange]:
    """Every other subject whose outcome of an award moved, award by award (in the order
    of the file), then by key."""
    for award in plan.awards():
        old, new = before.decisions[award.name], after.decisions[award.name]
        keys = sorted(after.rows(award.kind))
        if (old.qualified, old.received, old.ranked) == (new.qualified, new.received, new.ranked):
            keys = [k for k in keys if old.group_of(k) != new.group_of(k)]  # only groups moved
        for key in keys:
            if (award.kind, key) == found:
                continue
            if _placed(old, key) != _placed(new, key):
                yield OutcomeChange(
                    award=award.name,
                    kind=award.kind,
                    key=key,
                    before=was.outcomes[award.name][key],
                    after=now.outcomes[award.name][key],
                )


def _placed(decision: Decision, key: str) -> tuple[object, ...]:
    """What an outcome shows of a decision: qualified, received, rank and group."""
    placed = decision.placed(key)
    if placed is None:
        return (False, False, 0, decision.group_of(key))
    return (True, key in decision.received, placed.position, placed.group)
