"""An evaluated engine -> the `Result` users read: values, outcomes and explanations made
when first asked for, looked up by key."""

from __future__ import annotations

from functools import cache, partial
from typing import Any

from emurules.data.validate import Table
from emurules.engine.explain import explain
from emurules.engine.row import RowEngine, computed_names
from emurules.plan.steps import Award
from emurules.result import AwardInfo, Explanation, LazyMap, Outcome, Result, SubjectResult


def build_result(engine: RowEngine, table: Table, year: int) -> Result:
    plan = engine.plan
    rows = engine.world.rows
    names = {kind: computed_names(plan, kind) for kind in plan.kinds}

    @cache
    def keys() -> list[tuple[str, str]]:
        """Every (kind, key), sorted: listed only if the subjects are iterated."""
        return sorted((kind, key) for kind in plan.kinds for key in rows[kind])

    def known(found: Any) -> bool:
        if type(found) is tuple and len(found) == 2:
            kind, key = found
            return kind in rows and key in rows[kind]
        return False

    def subject(found: tuple[str, str]) -> SubjectResult:
        kind, key = found
        row = rows[kind][key]
        values = {n: row[n] for n in names[kind] if n in row}
        return SubjectResult(kind=kind, key=key, values=values, score=values.get("score"))

    awards = {step.name: step for step in plan.steps if isinstance(step, Award)}

    @cache
    def by_kind(kind: str) -> list[str]:
        return sorted(rows[kind])

    def outcomes(award: Award) -> LazyMap[str, Outcome]:
        decision = engine.decisions[award.name]
        assessed = rows.get(award.kind, {})

        def outcome(key: str) -> Outcome:
            checks = engine.checks(award, key)
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

        return LazyMap(partial(by_kind, award.kind), assessed.__contains__, outcome)

    all_outcomes = {name: outcomes(step) for name, step in awards.items()}

    def explanation(found: tuple[str, str]) -> Explanation:
        return explain(engine, *found, lambda award, key: all_outcomes[award][key])

    return Result(
        year=year,
        ruleset=plan.title,
        subjects=LazyMap(keys, known, subject),
        awards=tuple(AwardInfo(s.name, s.kind, s.label) for s in plan.awards()),
        outcomes=all_outcomes,
        recipients_by_award={name: d.order for name, d in engine.decisions.items()},
        explanations=LazyMap(keys, known, explanation),
        skipped=table.skipped,
        kinds=tuple(sorted(plan.kinds)),
    )
