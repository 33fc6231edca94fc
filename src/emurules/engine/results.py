"""An evaluated engine -> the `Result` users read: values, outcomes and explanations made
when first asked for, looked up by key."""

from __future__ import annotations

from emurules.data.validate import Table
from emurules.engine.explain import explain
from emurules.engine.row import RowEngine, computed_names
from emurules.plan.steps import Award
from emurules.result import AwardInfo, Explanation, LazyMap, Outcome, Result, SubjectResult


def build_result(engine: RowEngine, table: Table, year: int) -> Result:
    plan = engine.plan
    rows = engine.world.rows
    names = {kind: computed_names(plan, kind) for kind in plan.kinds}
    keys = sorted((kind, key) for kind in plan.kinds for key in rows.get(kind, {}))

    def subject(found: tuple[str, str]) -> SubjectResult:
        kind, key = found
        row = rows[kind][key]
        values = {n: row[n] for n in names[kind] if n in row}
        return SubjectResult(kind=kind, key=key, values=values, score=values.get("score"))

    awards = {step.name: step for step in plan.steps if isinstance(step, Award)}
    by_kind = {kind: sorted(rows.get(kind, {})) for kind in plan.kinds}

    def outcomes(award: Award) -> LazyMap[str, Outcome]:
        decision = engine.decisions[award.name]

        def outcome(key: str) -> Outcome:
            checks = engine.checks(award, key)
            placed = decision.placed.get(key)
            qualified = key in decision.qualified
            position, group, quota, reason = (
                (placed.position, placed.group, placed.quota, placed.reason)
                if placed is not None
                else (0, None, None, None)
            )
            if not qualified:
                reason, group = "not qualified", decision.group_of[key]
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

        return LazyMap(by_kind[award.kind], outcome)

    all_outcomes = {name: outcomes(step) for name, step in awards.items()}

    def explanation(found: tuple[str, str]) -> Explanation:
        return explain(engine, *found, lambda award, key: all_outcomes[award][key])

    return Result(
        year=year,
        ruleset=plan.title,
        subjects=LazyMap(keys, subject),
        awards=tuple(AwardInfo(s.name, s.kind, s.label) for s in plan.awards()),
        outcomes=all_outcomes,
        recipients_by_award={name: d.order for name, d in engine.decisions.items()},
        explanations=LazyMap(keys, explanation),
        skipped=table.skipped,
    )
