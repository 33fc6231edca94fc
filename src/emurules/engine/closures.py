"""A plan's expressions as closures (`compile.PLAIN`, `compile.TRACED`), made once per
ruleset and kept with it: every evaluation of the rules reuses them."""

from __future__ import annotations

import attrs

from emurules.engine.compile import PLAIN, TRACED, Fn
from emurules.plan import ir
from emurules.plan.steps import Award, Condition, Criterion, Let, Plan, Ranking, Score


@attrs.frozen
class Compiled:
    """A plan's expressions as closures, built once and reused for every evaluation."""

    plain: dict[int, Fn]
    traced: dict[int, Fn]

    @classmethod
    def of(cls, plan: Plan) -> Compiled:
        plain: dict[int, Fn] = {}
        traced: dict[int, Fn] = {}

        def add(node: ir.Node | None, *, trace: bool = False) -> None:
            if node is not None and id(node) not in plain:
                plain[id(node)] = PLAIN(node)
                if trace:
                    traced[id(node)] = TRACED(node)

        for step in plan.steps:
            match step:
                case Criterion():
                    add(step.expr)
                    add(step.where)
                case Score() | Let():
                    add(step.expr)
                case Award():
                    for condition in _conditions(step.conditions):
                        add(condition.expr, trace=True)
                    for key in step.rank_by:
                        add(key.expr)
                    add(step.quota)
                    add(step.within)
                case Ranking():
                    for key in step.keys:
                        add(key.expr)
                    add(step.within)
        for rule in plan.rules:
            add(rule.expr)
        return cls(plain, traced)


def _conditions(conditions: tuple[Condition, ...]) -> list[Condition]:
    return [part for c in conditions for part in (c, *c.parts)]
