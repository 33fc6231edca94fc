"""An evaluated engine -> the `Result` users read: values, outcomes and explanations made
when first asked for, looked up by key.

What is made when asked for is made in the engine's own decimal context (`EXACT`), never
in whatever context the caller happens to have set when it asks."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from decimal import Decimal, localcontext
from functools import cache, partial
from typing import Any, TypeVar

import attrs

from emurules.arithmetic import EXACT
from emurules.data.validate import Table
from emurules.engine.decide import Decision, group_sort
from emurules.engine.explain import explain
from emurules.engine.row import RowEngine
from emurules.plan import ir
from emurules.plan.passes import children, is_node
from emurules.plan.steps import Award, Criterion, Let, Plan, Ranking, Score
from emurules.result import (
    AwardCounts,
    AwardInfo,
    Explanation,
    Layout,
    LazyMap,
    LeagueEntry,
    Outcome,
    RankingInfo,
    Result,
    SubjectResult,
)
from emurules.source import Diagnostic

T = TypeVar("T")
U = TypeVar("U")


def exact(make: Callable[[T], U]) -> Callable[[T], U]:
    """`make`, run in the engine's decimal context whatever the caller's is."""

    def made(found: T) -> U:
        with localcontext(EXACT):
            return make(found)

    return made


def layout(plan: Plan) -> Layout:
    """The declared type of each value, the score's places, each award's group type and
    the places of its rank keys (the score's where it ranks by the score), read from the
    steps as written: a pass that simplifies a formula may narrow its type."""
    types: dict[str, dict[str, str]] = {kind: {} for kind in plan.kinds}
    digits: dict[str, int] = {}
    groups: dict[str, str] = {}
    group_kinds: dict[str, str] = {}
    cutoff: dict[str, tuple[int | None, ...]] = {}
    awards: list[Award] = []
    for step in plan.written:
        match step:
            case Score(digits=places):
                types[step.kind]["score"] = "number"
                if places is not None:
                    digits[step.kind] = places
            case Criterion(maximum=most) if most is not None and most != int(most):
                types[step.kind][step.name] = "number"  # a whole count capped at 7.5
            case Criterion() | Let():
                types[step.kind][step.name] = step.expr.type.kind
            case Ranking():
                types[step.kind][step.name] = "int"
            case Award():
                types[step.kind][step.name] = "bool"
                awards.append(step)
    names = {kind: plan.computed(kind) for kind in plan.kinds}
    for kind in plan.kinds:
        types[kind] = {n: types[kind][n] for n in names[kind] if n in types[kind]}
    tables = [s for s in plan.written if isinstance(s, Ranking)]
    grouping: list[Award | Ranking] = [*awards, *tables]
    for grouped in grouping:  # one name each (a title): one table of both
        if grouped.within is not None:
            groups[grouped.name] = grouped.within.type.kind
            if grouped.within.type.kind == "ref" and grouped.within.type.name is not None:
                group_kinds[grouped.name] = grouped.within.type.name
    for award in awards:
        places = digits.get(award.kind)
        cutoff[award.name] = tuple(
            places if isinstance(k.expr, ir.Read) and k.expr.name == "score" else None
            for k in award.rank_by
        )
    integers = {
        kind: frozenset(n for n, t in types[kind].items() if t == "int") for kind in plan.kinds
    }
    for step in plan.written:
        for node in _expressions(step):
            _integers(node, getattr(step, "kind", None), integers)
    return Layout(
        types=types,
        digits=digits,
        groups=groups,
        cutoff=cutoff,
        integers=integers,
        group_kinds=group_kinds,
    )


def _expressions(step: object) -> list[ir.Node]:
    """The expressions of a step (its formula, conditions, keys, quota, within)."""
    found: list[ir.Node] = []
    pending: list[object] = [step]
    while pending:
        value = pending.pop()
        cls = type(value)
        if is_node(value):
            found.append(value)  # type: ignore[arg-type]
        elif isinstance(value, tuple):
            pending.extend(value)
        elif attrs.has(cls) and not isinstance(value, ir.VType):
            pending.extend(getattr(value, f.name) for f in attrs.fields(cls))
    return found


def _integers(node: ir.Node, kind: str | None, found: dict[str, frozenset[str]]) -> None:
    """Add to `found[kind]` what an explanation names each `int` value read in `kind`'s
    scope (a field by its name, a formula by its text); what an aggregate reads of each
    member is in the members' kind."""
    pending: list[tuple[ir.Node, str | None]] = [(node, kind)]
    while pending:
        current, scope = pending.pop()
        vtype = getattr(current, "type", None)
        if scope in found and isinstance(vtype, ir.VType) and vtype.kind == "int":
            name = current.name if isinstance(current, ir.Read) else getattr(current, "text", None)
            if isinstance(name, str):
                found[scope] = found[scope] | {name}
        inner = getattr(current, "member", None)
        inner_scope = inner if isinstance(inner, str) else scope
        pending.extend((child, inner_scope) for child in children(current))


def build_result(engine: RowEngine, table: Table, year: int) -> Result:
    """The row engine's result: its values, decisions, checks and explanations."""
    rows = engine.world.rows
    names = {kind: engine.plan.computed(kind) for kind in engine.plan.kinds}

    def values(kind: str, key: str) -> dict[str, Any]:
        row = rows[kind][key]
        return {n: row[n] for n in names[kind] if n in row}

    subjects = {kind: table.by_key.get(kind, {}) for kind in engine.plan.kinds}
    return assemble(
        engine.plan, subjects, table.skipped, year, engine.decisions, values, lambda: engine
    )


def assemble(
    plan: Plan,
    subjects: Mapping[str, Collection[str]],
    skipped: tuple[Diagnostic, ...],
    year: int,
    decisions: dict[str, Decision],
    values: Callable[[str, str], dict[str, Any]],
    row: Callable[[], RowEngine],
    league: Callable[[Ranking], tuple[LeagueEntry, ...]] | None = None,
) -> Result:
    """A `Result` from the keys of the `subjects` of each kind, an engine's `decisions`
    and each subject's computed `values`; what is made for one subject when asked for (the
    values each condition read, explanations, league tables) comes from `row`, a row
    engine that has evaluated the same records."""

    @cache
    def keys() -> list[tuple[str, str]]:
        """Every (kind, key), sorted: listed only if the subjects are iterated."""
        return sorted((kind, key) for kind in plan.kinds for key in subjects[kind])

    def known(found: Any) -> bool:
        if type(found) is tuple and len(found) == 2:
            kind, key = found
            return kind in subjects and key in subjects[kind]
        return False

    def subject(found: tuple[str, str]) -> SubjectResult:
        kind, key = found
        made = values(kind, key)
        score = made.get("score")
        return SubjectResult(
            kind=kind, key=key, values=made, score=score if isinstance(score, Decimal) else None
        )

    awards = {step.name: step for step in plan.steps if isinstance(step, Award)}

    @cache
    def by_kind(kind: str) -> list[str]:
        return sorted(subjects[kind])

    def outcomes(award: Award) -> LazyMap[str, Outcome]:
        decision = decisions[award.name]
        assessed = subjects.get(award.kind, ())

        def outcome(key: str) -> Outcome:
            checks = row().checks(award, key)
            placed = decision.placed(key)
            qualified = key in decision.qualified
            position, group, quota, reason = (
                (placed.position, placed.group, placed.quota, placed.reason)
                if placed is not None
                else (0, None, None, None)
            )
            if not qualified:
                reason, group = "not qualified", decision.group_of(key)
            return Outcome(
                award=award.name,
                key=key,
                qualified=qualified,
                received=key in decision.received,
                rank=position or None,
                group=group,
                failed=tuple(c for c in checks if not c.holds),
                checks=checks,
                reason=reason,
                quota=quota,
            )

        return LazyMap(partial(by_kind, award.kind), assessed.__contains__, exact(outcome))

    all_outcomes = {name: outcomes(step) for name, step in awards.items()}

    def counted(name: str) -> AwardCounts:
        """An award's counts from its decision: the quotas of the groups where someone
        qualified, as the outcomes carry them (`placed`), without making an outcome."""
        decision = decisions[name]
        infos = [info for _, info in decision.groups.values() if info is not None]
        reached: dict[Any, Any] = {}
        if infos:
            for key in decision.qualified:
                group = decision.group_of(key)
                if group not in reached:
                    info = decision.groups[group][1]
                    if info is not None:
                        reached[info.group] = info
        quotas = tuple(reached[g] for g in sorted(reached, key=group_sort))
        return AwardCounts(
            assessed=len(subjects.get(awards[name].kind, ())),
            qualified=len(decision.qualified),
            received=len(decision.received),
            quotas=quotas,
        )

    def explanation(found: tuple[str, str]) -> Explanation:
        return explain(row(), *found, lambda award, key: all_outcomes[award][key])

    base = plan.rewards.base_salary
    rankings = [s for s in plan.declared if isinstance(s, Ranking)]
    tables = {r.name: r for r in rankings}
    return Result(
        year=year,
        ruleset=plan.title,
        subjects=LazyMap(keys, known, exact(subject)),
        awards=tuple(
            AwardInfo(
                s.name, s.kind, s.label, s.reward, s.replaces, s.pool.name if s.pool else None
            )
            for s in plan.awards()
        ),
        outcomes=all_outcomes,
        recipients_by_award={name: d.order for name, d in decisions.items()},
        explanations=LazyMap(keys, known, exact(explanation)),
        skipped=skipped,
        kinds=tuple(sorted(plan.kinds)),
        layout=layout(plan),
        base_salary=None if base is None else Decimal(base),
        rewards=plan.rewards,
        rankings=tuple(RankingInfo(r.name, r.kind, r.label) for r in rankings),
        counts=LazyMap(lambda: list(awards), awards.__contains__, exact(counted)),
        leagues=LazyMap(
            lambda: [r.name for r in rankings],
            tables.__contains__,
            lambda name: (league or (lambda r: _league(row(), r)))(tables[name]),
        ),
    )


def _league(engine: RowEngine, ranking: Ranking) -> tuple[LeagueEntry, ...]:
    """A league table's places, group by group (in report order), each from rank 1."""
    league = engine.league
    entries = [
        (key, *league[(ranking.kind, key, ranking.name)]) for key in engine.rows(ranking.kind)
    ]
    entries.sort(key=lambda e: (group_sort(e[2]), e[1], e[0]))
    return tuple(entries)
