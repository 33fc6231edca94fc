"""The one place `emurules.testing` reaches into the row engine.

A fairness check's condition is an IR expression over a subject's fields and computed
values; the row engine already compiles such expressions into closures (engine/compile.py)
and holds every subject's values after a run, so a check is evaluated exactly as a data
rule is (`RowEngine.broken_rules`), with the same arithmetic and the same treatment of a
missing value. Everything else in the package goes through the public `Rules.evaluate`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import localcontext
from typing import Any, cast

import attrs

from emurules.data.validate import validate
from emurules.engine.arithmetic import EXACT
from emurules.engine.compile import PLAIN, DivisionByZero, Fn
from emurules.engine.registry import bulk
from emurules.engine.results import build_result
from emurules.engine.row import Compiled, Env, RowEngine
from emurules.plan import ir
from emurules.plan.steps import DataRule
from emurules.result import Result
from emurules.rules import Rules
from emurules.stack import call_deep
from emurules.values import MISSING

Data = Mapping[str, Sequence[Mapping[str, Any]]]
History = Sequence[Mapping[str, Any]]

# Nodes a data rule may hold and still be decided by one record alone.
_LOCAL = (
    ir.Const, ir.Sum, ir.Binary, ir.Neg, ir.Compare, ir.Logic, ir.Not, ir.Coalesce,
    ir.InSet, ir.InRange, ir.IsMissing, ir.Branches, ir.Match, ir.Function,
)  # fmt: skip


class Invalid(Exception):
    """The data breaks a data rule (`require`): no evaluation of it is meaningful."""

    def __init__(self, broken: list[tuple[str, str]]) -> None:
        self.broken = broken


@attrs.frozen
class Evaluated:
    """A population's result, and the engine that holds every subject's values."""

    result: Result
    engine: RowEngine

    def breaking(self, kind: str, condition: ir.Node) -> tuple[str, ...]:
        """The keys of the subjects of `kind` for which `condition` is not true, in key
        order (a division by zero counts as not true)."""
        fn = PLAIN(condition)
        envs = self.engine.world.envs[kind]

        def evaluate() -> tuple[str, ...]:
            found = []
            with localcontext(EXACT):
                for key in sorted(self.engine.world.rows.get(kind, {})):
                    try:
                        holds = fn(envs[key]) is True
                    except DivisionByZero:
                        holds = False
                    if not holds:
                        found.append(key)
            return tuple(found)

        return call_deep(self.engine.plan.depth, evaluate)

    def values(self, kind: str, node: ir.Node) -> dict[str, Any]:
        """The value of `node` for each subject of `kind` (a group, as `within` reads it;
        a division by zero gives MISSING)."""
        fn = PLAIN(node)
        envs = self.engine.world.envs[kind]

        def evaluate() -> dict[str, Any]:
            found = {}
            with localcontext(EXACT):
                for key in self.engine.world.rows.get(kind, {}):
                    try:
                        found[key] = fn(envs[key])
                    except DivisionByZero:
                        found[key] = MISSING
            return found

        return call_deep(self.engine.plan.depth, evaluate)


class Evaluator:
    """One ruleset, evaluated as `Rules.evaluate` does, with its closures built once."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.plan = rules.plan
        self.compiled = Compiled.of(rules.plan)

    def run(self, data: Data, history: History, year: int) -> Evaluated:
        """Validate (DataError), apply the data rules (Invalid), evaluate
        (EvaluationError)."""
        plan = self.plan
        table = validate(self.rules.schema, data, history, year=year)
        with bulk():
            engine = RowEngine(plan, table, year, self.compiled)
            if plan.rules:
                broken = call_deep(plan.depth, engine.broken_rules)
                if broken:
                    raise Invalid([(record.kind, record.key) for record, _ in broken])
            call_deep(plan.depth, engine.run)
            return Evaluated(build_result(engine, table, year), engine)

    def broken(self, data: Data, history: History, year: int) -> list[tuple[str, str]]:
        """The (kind, key) of every record that breaks a data rule."""
        table = validate(self.rules.schema, data, history, year=year)
        engine = RowEngine(self.plan, table, year, self.compiled)
        return [(r.kind, r.key) for r, _ in call_deep(self.plan.depth, engine.broken_rules)]


def local_rule(rule: DataRule) -> Callable[[dict[str, Any]], bool] | None:
    """A test of one record's typed values (every field present, a missing one as
    MISSING) when the rule reads nothing but that record's own fields; else None."""
    pending: list[object] = [rule.expr]
    while pending:
        node = pending.pop()
        if isinstance(node, ir.Read):
            if node.computed:
                return None
        elif not isinstance(node, _LOCAL):
            return None
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            items = value if isinstance(value, tuple) else (value,)
            for item in items:
                for part in item if isinstance(item, tuple) else (item,):
                    if type(part).__module__ == ir.__name__ and not isinstance(part, ir.VType):
                        pending.append(part)
    fn: Fn = PLAIN(rule.expr)

    def holds(row: dict[str, Any]) -> bool:
        env = Env(cast(Any, None), rule.kind, "", row)
        with localcontext(EXACT):
            try:
                return fn(env) is True
            except DivisionByZero:
                return False

    return holds
