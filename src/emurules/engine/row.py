"""The reference engine: evaluates the plan's IR subject by subject, exactly.

Expressions are compiled to closures once per plan (`engine/compile.py`); a population is
evaluated declaration by declaration in dependency order, so an award reading another
award's recipients (or a quota counting them) sees them decided. Every subject's fields and
computed values live in one dict, and every look-up is by key, so time grows linearly with
the population (up to the sorts of ranking). What explanations need beyond the values (the
values a condition read) is computed again, for one subject, when it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, localcontext
from typing import Any

import attrs

from emurules.data.validate import Record, Table
from emurules.engine import rank
from emurules.engine.arithmetic import EXACT, round_to
from emurules.engine.compile import PLAIN, TRACED, DivisionByZero, Fn
from emurules.engine.decide import Decision, decide
from emurules.errors import EvaluationError
from emurules.plan import ir
from emurules.plan.steps import (
    Award,
    Condition,
    Criterion,
    DataRule,
    Let,
    Plan,
    Ranking,
    Score,
)
from emurules.result import Check
from emurules.source import Diagnostic
from emurules.stack import call_deep
from emurules.values import MISSING

ZERO = Decimal(0)


class Env:
    """The subject an expression is evaluated for (or, in a quota, its group)."""

    __slots__ = ("group", "group_value", "key", "kind", "row", "trace", "world")

    def __init__(self, world: World, kind: str, key: str, row: dict[str, Any]) -> None:
        self.world = world
        self.kind = kind
        self.key = key
        self.row = row
        self.trace: list[tuple[str, Any]] | None = None
        self.group: tuple[str, ...] = ()
        self.group_value: Any = None


class World:
    """One evaluation's data: every subject's row, relations, history and the year."""

    def __init__(self, plan: Plan, table: Table, year: int) -> None:
        self.year = Decimal(year)
        self.year_number = year
        self.history = table.history
        self.rows: dict[str, dict[str, dict[str, Any]]] = {}
        self.envs: dict[str, dict[str, Env]] = {}
        for kind in plan.kinds:
            records = table.records.get(kind, ())
            rows = {r.key: r.values for r in records}  # the table is this evaluation's own
            self.rows[kind] = rows
            self.envs[kind] = {key: Env(self, kind, key, row) for key, row in rows.items()}
        self.relations: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
        for relation in plan.relations:
            members: dict[str, list[str]] = {}
            for record in table.records.get(relation.member, ()):
                owner = record.values.get(relation.via)
                if owner is not None and owner is not MISSING:
                    members.setdefault(owner, []).append(record.key)
            self.relations[(relation.owner, relation.name)] = {
                owner: tuple(sorted(keys)) for owner, keys in members.items()
            }

    def relation(self, kind: str, name: str, key: str) -> tuple[str, ...]:
        return self.relations.get((kind, name), {}).get(key, ())

    def streak(self, env: Env, award: str, current: bool) -> Decimal:
        count = 0
        if current:
            if env.row.get(award) is not True:
                return ZERO
            count = 1
        year = self.year_number - 1
        while self.history.received(env.kind, env.key, award, year):
            count += 1
            year -= 1
        return Decimal(count)

    def held(self, env: Env, award: str, years: int) -> Decimal:
        first = self.year_number - years
        past = self.history.awards.get((env.kind, env.key), {})
        return Decimal(sum(1 for y, got in past.items() if first <= y < self.year_number
                           and award in got))  # fmt: skip

    def past(self, env: Env, name: str, back: int) -> Any:
        return self.history.values.get((env.kind, env.key, name, self.year_number - back), MISSING)


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


class RowEngine:
    """Evaluates a plan on a validated table; `run` fills the rows and the decisions."""

    def __init__(self, plan: Plan, table: Table, year: int, compiled: Compiled) -> None:
        self.plan = plan
        self.table = table
        self.compiled = compiled
        self.world = World(plan, table, year)
        self.problems: list[Diagnostic] = []
        self.inapplicable: set[tuple[str, str, str]] = set()
        self.decisions: dict[str, Decision] = {}
        self.league: dict[tuple[str, str, str], tuple[int, Any]] = {}

    def envs(self, kind: str) -> list[Env]:
        return list(self.world.envs.get(kind, {}).values())

    def fn(self, node: ir.Node) -> Fn:
        return self.compiled.plain[id(node)]

    def guarded(self, fn: Fn, env: Env, what: str) -> Any:
        try:
            return fn(env)
        except DivisionByZero as error:
            return self.problem(error, env, what)

    def problem(self, error: DivisionByZero, env: Env, what: str) -> Any:
        """Report an unguarded division by zero; the value stands as missing meanwhile."""
        self.problems.append(
            Diagnostic(
                code="V0101",
                message=f"division by zero in '{error.node.text}' for {env.kind} "
                f"{env.key!r} ({what})",
                span=error.node.span,
                kind="division_by_zero",
                hint="guard the division, e.g. 'x / n if n != 0 else 0'",
            )
        )
        return MISSING

    # ---- the run ------------------------------------------------------------------------
    def run(self) -> None:
        with localcontext(EXACT):
            for step in self.plan.steps:
                match step:
                    case Award():
                        self.award(step)
                    case Ranking():
                        self.ranking(step)
                    case Criterion():
                        self.criterion(step)
                    case Score() | Let():
                        self.value(step)
        if self.problems:
            raise EvaluationError(self.problems)

    def broken_rules(self) -> list[tuple[Record, DataRule]]:
        """Records that break a data rule (`require`), read before anything is computed."""
        broken = []
        with localcontext(EXACT):
            for rule in self.plan.rules:
                fn = self.fn(rule.expr)
                envs = self.world.envs.get(rule.kind, {})
                for record in self.table.records.get(rule.kind, ()):
                    try:
                        holds = fn(envs[record.key]) is True
                    except DivisionByZero:
                        holds = False
                    if not holds:
                        broken.append((record, rule))
        return broken

    def criterion(self, step: Criterion) -> None:
        expr = self.fn(step.expr)
        where = None if step.where is None else self.fn(step.where)
        name, maximum = step.name, step.maximum
        for env in self.envs(step.kind):
            if where is not None and self.guarded(where, env, name) is not True:
                self.inapplicable.add((step.kind, env.key, name))
                env.row[name] = MISSING
                continue
            try:
                result = expr(env)
            except DivisionByZero as error:
                result = self.problem(error, env, name)
            if maximum is not None and isinstance(result, Decimal):
                result = min(max(result, ZERO), maximum)
            env.row[name] = result

    def value(self, step: Score | Let) -> None:
        expr = self.fn(step.expr)
        name = step.name
        digits = step.digits if isinstance(step, Score) else None
        what = "score" if isinstance(step, Score) else name
        for env in self.envs(step.kind):
            try:
                result = expr(env)
            except DivisionByZero as error:
                result = self.problem(error, env, what)
            if digits is not None and isinstance(result, Decimal):
                result = round_to(result, digits)
            env.row[name] = result

    def qualifier(self, step: Award) -> Callable[[Env], bool]:
        """Whether a subject meets every condition of an award. Every condition is
        evaluated (no stopping at the first that fails), as explanations show them all and
        a division by zero in any of them is reported."""
        tests: list[Callable[[Env], bool]] = []
        for condition in step.conditions:
            if condition.requires is not None:
                name = condition.requires
                tests.append(lambda env, name=name: env.row.get(name) is True)  # type: ignore[misc]
            elif condition.parts:
                parts = [self._test(p) for p in condition.parts]
                tests.append(lambda env, parts=parts: any([p(env) for p in parts]))  # type: ignore[misc]
            else:
                tests.append(self._test(condition))

        def qualified(env: Env) -> bool:
            return all([test(env) for test in tests])

        return qualified

    def _test(self, condition: Condition) -> Callable[[Env], bool]:
        assert condition.expr is not None
        fn, what = self.fn(condition.expr), condition.id

        def test(env: Env) -> bool:
            try:
                return fn(env) is True
            except DivisionByZero as error:
                return self.problem(error, env, what) is True

        return test

    def group_of(self, kind: str, within: ir.Node | None) -> dict[str, Any]:
        envs = self.envs(kind)
        if within is None:
            return {env.key: None for env in envs}
        fn = self.fn(within)
        return {env.key: self.guarded(fn, env, "within") for env in envs}

    def rank_values(self, kind: str, keys: tuple[Fn, ...]) -> Callable[[str], tuple[Any, ...]]:
        envs = self.world.envs[kind]
        return lambda key: tuple(self.guarded(k, envs[key], "rank by") for k in keys)

    def award(self, step: Award) -> None:
        kind, name = step.kind, step.name
        envs = self.envs(kind)
        meets = self.qualifier(step)
        qualified = [env.key for env in envs if meets(env)]
        quota_fn = None if step.quota is None else self.fn(step.quota)
        rows = self.world.rows.get(kind, {})

        def quota(group_value: Any, members: list[str]) -> int | None:
            if quota_fn is None:
                return None
            env = Env(self.world, kind, members[0], rows[members[0]])
            env.group, env.group_value = tuple(sorted(members)), group_value
            result = self.guarded(quota_fn, env, "quota")
            return int(result) if isinstance(result, Decimal) else 0

        keys = tuple(self.fn(k.expr) for k in step.rank_by)
        decision = decide(
            qualified=qualified,
            group_of=self.group_of(kind, step.within),
            rank_values=self.rank_values(kind, keys) if keys else None,
            descending=tuple(k.descending for k in step.rank_by),
            quota=quota,
            quota_text=step.quota_text,
            tie_include=step.tie_include,
        )
        self.decisions[name] = decision
        received = decision.received
        for env in envs:
            env.row[name] = env.key in received

    def ranking(self, step: Ranking) -> None:
        kind, name = step.kind, step.name
        keys = tuple(self.fn(k.expr) for k in step.keys)
        values = self.rank_values(kind, keys)
        rows = self.world.rows[kind]
        by_group: dict[Any, list[str]] = {}
        for key, group in self.group_of(kind, step.within).items():
            by_group.setdefault(group, []).append(key)
        descending = [k.descending for k in step.keys]
        for group_value, members in by_group.items():
            ordered = rank.order([rank.Entry(k, values(k)) for k in members], descending)
            for key, position in rank.league(ordered, step.shared):
                rows[key][name] = Decimal(position)
                self.league[(kind, key, name)] = (position, group_value)

    # ---- what explanations read ---------------------------------------------------------
    def checks(self, step: Award, key: str) -> tuple[Check, ...]:
        """Every condition of an award for one subject, with the values it read."""
        env = self.world.envs[step.kind][key]
        found = []
        for condition in step.conditions:
            if condition.requires is not None:
                held = env.row.get(condition.requires) is True
                found.append(
                    Check(
                        id=condition.id,
                        holds=held,
                        text=condition.text,
                        values=((condition.requires, held),),
                    )
                )
            elif condition.parts:
                parts = tuple(self.check(p, env) for p in condition.parts)
                found.append(
                    Check(
                        id=condition.id,
                        holds=any(p.holds for p in parts),
                        label=condition.label,
                        text=condition.text,
                        parts=parts,
                    )
                )
            else:
                found.append(self.check(condition, env))
        return tuple(found)

    def check(self, condition: Condition, env: Env) -> Check:
        assert condition.expr is not None
        traced = Env(self.world, env.kind, env.key, env.row)
        traced.trace = []
        fn = self.compiled.traced[id(condition.expr)]

        def evaluate() -> Any:
            with localcontext(EXACT):
                return fn(traced)

        try:
            value = call_deep(self.plan.depth, evaluate)
        except DivisionByZero:
            value = MISSING
        seen: dict[str, Any] = {}
        for name, read in traced.trace:
            seen.setdefault(name, read)
        return Check(
            id=condition.id,
            holds=value is True,
            label=condition.label,
            text=condition.text,
            values=tuple(seen.items()),
        )


def computed_names(plan: Plan, kind: str) -> tuple[str, ...]:
    """The names a subject's values list, in the order they are computed."""
    return tuple(s.name for s in plan.steps if s.kind == kind)
