"""The one place `emurules.testing` reaches into the row engine.

A fairness check's condition is an IR expression over a subject's fields and computed
values; the row engine already compiles such expressions into closures (engine/compile.py)
and holds every subject's values after a run, so a check is evaluated exactly as a data
rule is (`RowEngine.broken_rules`), with the same arithmetic and the same treatment of a
missing value; what a failed check read is traced as an award's condition is for its
explanation (`engine/explain.check_line`). Everything else in the package goes through the
public `Rules.evaluate`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import localcontext
from typing import Any, Final, cast

import attrs

from emurules.data.validate import validate
from emurules.engine.arithmetic import EXACT
from emurules.engine.compile import PLAIN, TRACED, DivisionByZero, Fn
from emurules.engine.explain import check_line
from emurules.engine.registry import bulk
from emurules.engine.results import build_result
from emurules.engine.row import Compiled, Env, RowEngine, World
from emurules.i18n import Message, message
from emurules.i18n.formatting import Shown
from emurules.plan import ir
from emurules.plan.passes import children
from emurules.plan.steps import DataRule
from emurules.result import Check, Explanation, Result
from emurules.rules import Rules
from emurules.stack import call_deep
from emurules.values import MISSING

Data = Mapping[str, Sequence[Mapping[str, Any]]]
History = Sequence[Mapping[str, Any]]

MAX_MEMBERS: Final = 10  # members listed of what an aggregate counted

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

    def condition(self, kind: str, key: str, expr: ir.Node, label: str, text: str) -> Explanation:
        """A check's condition for one subject, as an explanation shows an award's: held
        or not, the values it read, and beneath it, for each aggregate it evaluated, the
        members counted with the values read of each."""
        world = self.engine.world

        def evaluate() -> tuple[Any, list[tuple[str, Any]], list[Message]]:
            env = _traced_env(world, kind, key)
            with localcontext(EXACT):
                try:
                    value = TRACED(expr)(env)
                except DivisionByZero:
                    value = MISSING
                read: dict[str, Any] = {}
                for name, found in env.trace or ():
                    read.setdefault(name, found)
                for side in _compared(expr):
                    if side.text not in read:
                        try:
                            read[side.text] = PLAIN(side)(env)
                        except DivisionByZero:
                            read[side.text] = MISSING
                counted = [
                    _counted(world, kind, key, node)
                    for node in _aggregates(expr)
                    if node.text in read
                ]
            return value, list(read.items()), counted

        value, read, counted = call_deep(self.engine.plan.depth, evaluate)
        line = check_line(Check(id="check", holds=value is True, label=label, text=text,
                                values=tuple(read)))  # fmt: skip
        return Explanation(line, tuple(Explanation(c) for c in counted))


def _traced_env(world: World, kind: str, key: str) -> Env:
    env = Env(world, kind, key, world.rows[kind][key])
    env.trace = []
    return env


_WORKED = (ir.Function, ir.Binary, ir.Neg)


def _compared(expr: ir.Node) -> list[ir.Function | ir.Binary | ir.Neg]:
    """The sides of the condition's comparisons that are worked out (`floor(15% * n)`,
    `a - b`): a trace shows what they read, not what they came to."""
    found: list[ir.Function | ir.Binary | ir.Neg] = []
    pending = [expr]
    while pending:
        node = pending.pop(0)
        if isinstance(node, ir.Logic):
            pending.extend(node.operands)
        elif isinstance(node, ir.Not):
            pending.append(node.operand)
        elif isinstance(node, ir.Compare):
            found.extend(s for s in (node.left, node.right) if isinstance(s, _WORKED) and s.text)
    return found


def _aggregates(expr: ir.Node) -> list[ir.Aggregate]:
    """The aggregates of a condition (not those inside another one's members or body,
    which are evaluated for each member), once each, in the order written."""
    found: dict[str, ir.Aggregate] = {}
    pending = [expr]
    while pending:
        node = pending.pop(0)
        if isinstance(node, ir.Aggregate):
            found.setdefault(node.text, node)
        else:
            pending[:0] = children(node)
    return list(found.values())


def _counted(world: World, kind: str, key: str, node: ir.Aggregate) -> Message:
    """The members an aggregate went over for one subject, each with what its condition
    (`where`) and body read."""
    members = PLAIN(node.members)(world.envs[kind][key])
    keys = () if members is MISSING else tuple(members)
    if not keys:
        return message("testing.counted-none", aggregate=node.text)
    parts = [p for p in (*_conditions(node.members), node.body) if p is not None]
    traced = [TRACED(p) for p in parts]
    shown: list[Message | str] = []
    for member in keys[:MAX_MEMBERS]:
        env = _traced_env(world, node.member, member)
        for fn in traced:
            try:
                fn(env)
            except DivisionByZero:
                break
        read: dict[str, Any] = {}
        for name, value in env.trace or ():
            read.setdefault(name, value)
        values = tuple(message("explain.read", name=n, value=Shown(v)) for n, v in read.items())
        shown.append(
            message("testing.member-read", key=member, values=values) if values else member
        )
    if len(keys) > MAX_MEMBERS:
        return message("testing.counted-more", aggregate=node.text, members=tuple(shown),
                       count=len(keys) - MAX_MEMBERS)  # fmt: skip
    return message("testing.counted", aggregate=node.text, members=tuple(shown))


def _conditions(members: ir.Node) -> list[ir.Node]:
    """The conditions of `rel where cond` (of each, when filtered again)."""
    found: list[ir.Node] = []
    while isinstance(members, ir.Filter):
        found.append(members.cond)
        members = members.members
    return found[::-1]


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
