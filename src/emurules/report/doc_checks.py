"""The fairness checks and data rules of the published criteria, in words, each with what a
test report (`emurules test --format json`, read by `emurules doc --verified`) says of it."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from emurules.i18n import message
from emurules.plan.steps import (
    Award,
    DataRule,
    EqualTreatmentCheck,
    FairnessCheck,
    IgnoresCheck,
    LocalCheck,
    MonotoneCheck,
    MonotoneField,
    OrderCheck,
    Plan,
)
from emurules.report.words import Names, Text, words


@attrs.frozen
class Verdict:
    """What a test report (`emurules test --format json`) says of one check."""

    passed: bool
    populations: int
    seed: int


Verdicts = Mapping[tuple[int, int], Verdict]
"""Verdicts by where their check is written (line, column)."""


def checks(plan: Plan, names: Names, verdicts: Verdicts | None) -> list[Text]:
    """Every check and data rule in words, in the order of the file, with its verdict."""
    found: list[Text] = []
    for step in plan.written:
        said = _check(step, plan, names)
        if said is None:
            continue
        verdict = _verdict(step, verdicts)
        found.append(
            said if verdict is None else message("doc.with-verdict", check=said, verdict=verdict)
        )
    return found


def _move(move: MonotoneField, names: Names, kind: str) -> Text:
    """One move of `check monotone` in words: `raising task of one of its members`."""
    if move.history or move.name is None:
        return message("doc.holding-earlier")
    if move.relation is not None:
        field = names.name(move.member or "", move.name)
        relation = names.name(kind, move.relation)
        if move.decreasing:
            return message("doc.lowering-member", field=field, relation=relation)
        return message("doc.raising-member", field=field, relation=relation)
    if move.decreasing:
        return message("doc.lowering", field=names.name(kind, move.name))
    return message("doc.raising", field=names.name(kind, move.name))


def _check(step: object, plan: Plan, names: Names) -> Text | None:
    match step:
        case FairnessCheck(label=label, kind=kind, expr=expr):
            return message(
                "doc.check", label=label, kind=names.kind(kind), condition=words(expr, names, kind)
            )
        case MonotoneCheck(target=target, kind=kind, fields=fields, moves=written):
            moves = tuple(
                _move(m, names, kind)
                for m in (written or (MonotoneField(name=f, decreasing=d) for f, d in fields))
            )
            subject, name = names.kind(kind), names.name(kind, target)
            if any(isinstance(s, Award) and (s.kind, s.name) == (kind, target)
                   for s in plan.written):  # fmt: skip
                return message("doc.monotone-award", kind=subject, moves=moves, award=name)
            return message("doc.monotone", kind=subject, moves=moves, target=name)
        case OrderCheck():
            return message("doc.order-check")
        case IgnoresCheck(kind=kind, fields=fields):
            ignored = tuple(names.name(kind, f) for f in fields)
            return message("doc.ignores", kind=names.kind(kind), fields=ignored)
        case EqualTreatmentCheck(kind=kind):
            return message("doc.equal-treatment", kind=names.kind(kind))
        case LocalCheck(kind=kind, within=within):
            return message("doc.local", kind=names.kind(kind), within=words(within, names, kind))
        case DataRule(label=label, kind=kind, expr=expr):
            return message(
                "doc.data-rule",
                label=label,
                kind=names.kind(kind),
                condition=words(expr, names, kind),
            )
        case _:
            return None


def _verdict(step: object, verdicts: Verdicts | None) -> Text | None:
    """A check's verdict; None for a data rule (it is not tested, it is enforced)."""
    span = getattr(step, "span", None)
    if isinstance(step, DataRule):
        return None
    found = None if verdicts is None or span is None else verdicts.get((span.line, span.column))
    if found is None:
        return message("doc.not-verified")
    if found.passed:
        return message("doc.verified", count=found.populations, seed=str(found.seed))
    return message("doc.falsified", seed=str(found.seed))
