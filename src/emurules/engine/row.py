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
from typing import Any, Final

from emurules.data.validate import Record, Table
from emurules.engine import rank
from emurules.engine.arithmetic import EXACT, round_to
from emurules.engine.closures import Compiled as Compiled  # made once per ruleset
from emurules.engine.compile import DivisionByZero, Fn
from emurules.engine.decide import Candidates, Decision, Grouping, decide, decide_pool
from emurules.errors import EvaluationError
from emurules.i18n import message
from emurules.plan import ir
from emurules.plan.passes import children
from emurules.plan.steps import (
    Award,
    Condition,
    Criterion,
    DataRule,
    Let,
    Plan,
    Pool,
    Ranking,
    Score,
)
from emurules.result import Check
from emurules.source import Diagnostic
from emurules.stack import call_deep
from emurules.values import MISSING

ZERO = Decimal(0)
Rows = dict[str, dict[str, Any]]


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


class _Failed:
    """A value that could not be computed (a division by zero, reported): it is neither
    less nor greater than any value, so sorting goes on; the evaluation fails after."""

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return False

    def __repr__(self) -> str:
        return "FAILED"


FAILED: Final = _Failed()


class Envs(dict[str, Env]):
    """The subjects of one kind as `Env`s, each made the first time it is asked for: only
    aggregates read the envs of other subjects; a population is evaluated through one
    `Env` moved from row to row (`RowEngine.cursor`)."""

    __slots__ = ("kind", "rows", "world")

    def __init__(self, world: World, kind: str, rows: Rows) -> None:
        super().__init__()
        self.world = world
        self.kind = kind
        self.rows = rows

    def __missing__(self, key: str) -> Env:
        env = self[key] = Env(self.world, self.kind, key, self.rows[key])
        return env


class World:
    """One evaluation's data: every subject's row, relations, history and the year."""

    def __init__(self, plan: Plan, table: Table, year: int) -> None:
        self.year = Decimal(year)
        self.year_number = year
        self.history = table.history
        self.rows: dict[str, Rows] = {}
        self.envs: dict[str, Envs] = {}
        for kind in plan.kinds:
            records = table.records.get(kind, ())
            rows = {r.key: r.values for r in records}  # the table is this evaluation's own
            self.rows[kind] = rows
            self.envs[kind] = Envs(self, kind, rows)
        self.relations: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
        for relation in plan.relations:
            members: dict[Any, list[str]] = {}
            for record in table.records.get(relation.member, ()):
                owner = record.values.get(relation.via)
                if owner is not None and owner is not MISSING:
                    members.setdefault(owner, []).append(record.key)
            found = {owner: tuple(sorted(keys)) for owner, keys in members.items()}
            if relation.by is not None:  # the members sharing the owner's value of `by`
                found = {
                    r.key: found.get(r.values.get(relation.by), ())
                    for r in table.records.get(relation.owner, ())
                }
            self.relations[(relation.owner, relation.name)] = found
        self.decisions: dict[str, Decision] = {}  # the engine's, read by qualified(A), cut(A)

    def relation(self, kind: str, name: str, key: str) -> tuple[str, ...]:
        return self.relations.get((kind, name), {}).get(key, ())

    def decided(self, award: str, key: str) -> tuple[bool, bool]:
        """Whether a subject met every condition of an award decided this year, and whether
        it received it."""
        decision = self.decisions[award]
        return key in decision.qualified, key in decision.received


class RowEngine:
    """Evaluates a plan on a validated table; `run` fills the rows and the decisions."""

    def __init__(self, plan: Plan, table: Table, year: int, compiled: Compiled) -> None:
        self.plan = plan
        self.table = table
        self.compiled = compiled
        self.world = World(plan, table, year)
        self.problems: list[Diagnostic] = []
        self.inapplicable: set[tuple[str, str, str]] = set()
        self.decisions: dict[str, Decision] = self.world.decisions
        self.league: dict[tuple[str, str, str], tuple[int, Any]] = {}
        self.groups: dict[tuple[str, tuple[str, bool] | None], Grouping] = {}
        self.pools: dict[str, dict[str, tuple[Award, Candidates]]] = {}

    def rows(self, kind: str) -> Rows:
        """The rows of a kind's subjects, by key, in record order."""
        return self.world.rows.get(kind, {})

    def cursor(self, kind: str) -> Env:
        """An Env that a loop moves from subject to subject (setting `key` and `row`)."""
        return Env(self.world, kind, "", {})

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
                message=message(
                    "engine.division-by-zero",
                    formula=error.node.text,
                    kind=env.kind,
                    key=repr(env.key),
                    what=what,
                ),
                span=error.node.span,
                kind="division_by_zero",
                hint=message("engine.guard-division"),
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
                envs = self.world.envs[rule.kind]
                for record in self.table.records.get(rule.kind, ()):
                    try:
                        holds = fn(envs[record.key]) is True
                    except DivisionByZero:
                        holds = False
                    if not holds:
                        broken.append((record, rule))
        return broken

    def criterion(self, step: Criterion) -> None:
        kind, name, maximum = step.kind, step.name, step.maximum
        expr = self.fn(step.expr)
        if step.where is None:
            self.fill(kind, name, expr, name, maximum=maximum)
            return
        where = self.fn(step.where)
        env = self.cursor(kind)
        for env.key, env.row in self.rows(kind).items():
            if self.guarded(where, env, name) is not True:
                self.inapplicable.add((kind, env.key, name))
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
        digits = step.digits if isinstance(step, Score) else None
        what = "score" if isinstance(step, Score) else step.name
        self.fill(step.kind, step.name, self.fn(step.expr), what, digits=digits)

    def fill(
        self,
        kind: str,
        name: str,
        fn: Fn,
        what: str,
        *,
        maximum: Decimal | None = None,
        digits: int | None = None,
    ) -> None:
        """Store `fn`'s value as `name` in every row of a kind, in record order: within
        0..`maximum` (a criterion's points), or rounded to `digits` (the score). A division
        by zero is reported, its value stands as missing and the loop goes on from the
        next subject."""
        env = self.cursor(kind)
        items = iter(self.rows(kind).items())
        while True:
            try:
                if maximum is not None:
                    for env.key, env.row in items:
                        value = fn(env)
                        if isinstance(value, Decimal):  # min(max(value, 0), maximum)
                            if value < ZERO:
                                value = ZERO
                            if maximum < value:
                                value = maximum
                        env.row[name] = value
                elif digits is not None:
                    for env.key, env.row in items:
                        value = fn(env)
                        if isinstance(value, Decimal):
                            value = round_to(value, digits)
                        env.row[name] = value
                else:
                    for env.key, env.row in items:
                        env.row[name] = fn(env)
                return
            except DivisionByZero as error:
                env.row[name] = self.problem(error, env, what)

    def qualified(self, step: Award) -> list[str]:
        """The subjects that meet every condition of an award, in record order.

        When a condition may fail (a division), every condition is evaluated for every
        subject, as each division by zero is reported; otherwise a subject's tests stop at
        the first that fails (the `requires` first), since the rest cannot be seen."""
        env = self.cursor(step.kind)
        rows = self.rows(step.kind)
        found: list[str] = []
        if any(_may_fail(c) for c in step.conditions):
            meets = self.qualifier(step)
            for env.key, env.row in rows.items():
                if meets(env):
                    found.append(env.key)
            return found
        tests: list[Fn] = [_holds(c.requires) for c in step.conditions if c.requires is not None]
        for condition in step.conditions:
            if condition.parts:
                tests.append(_any_of([self.fn(p.expr) for p in condition.parts if p.expr]))
            elif condition.expr is not None:
                tests.append(self.fn(condition.expr))
        if len(tests) == 1:
            test = tests[0]
            for env.key, env.row in rows.items():
                if test(env) is True:
                    found.append(env.key)
            return found
        for env.key, env.row in rows.items():
            for test in tests:
                if test(env) is not True:
                    break
            else:
                found.append(env.key)
        return found

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

    def group_of(self, kind: str, within: ir.Node | None) -> Grouping:
        """Every subject's group (the value of `within`; None without it), in record
        order."""
        rows = self.rows(kind)
        if within is None or isinstance(within, ir.Read):  # the commonest: no closure
            read = None if within is None else (within.name, within.computed)
            found = self.groups.get((kind, read))  # awards grouped alike share the table
            if found is None:
                if read is None:
                    found = Grouping.single(rows)
                else:
                    name, computed = read
                    found = Grouping.by_field(rows, name, MISSING, every=not computed)
                self.groups[(kind, read)] = found
            return found
        fn = self.fn(within)
        group_of: dict[str, Any] = {}
        env = self.cursor(kind)
        items = iter(rows.items())
        while True:
            try:
                for env.key, env.row in items:
                    group_of[env.key] = fn(env)
                return Grouping.of_mapping(group_of)
            except DivisionByZero as error:
                group_of[env.key] = self.problem(error, env, "within")

    def rank_values(
        self, kind: str, nodes: tuple[ir.Node, ...], ranked: list[str]
    ) -> Callable[[str], tuple[Any, ...]]:
        """Each ranked subject's values for the keys. They are computed at once; should
        one fail (a division by zero), each is computed when the ranking asks for it, so
        the problems are reported in the order ranking meets them."""
        rows = self.rows(kind)
        env = self.cursor(kind)
        keys = tuple(self.fn(node) for node in nodes)
        found: dict[str, tuple[Any, ...]] = {}
        if len(nodes) == 1 and isinstance(nodes[0], ir.Read) and nodes[0].computed:
            # the commonest, a computed value (score), is read when ranking asks for it:
            # a dict of a million keys built here would cost more than the reading
            name, row_of = nodes[0].name, rows.__getitem__
            if self.problems:  # a value that failed before (and is missing) must still sort
                return lambda key: (
                    FAILED if (v := row_of(key).get(name, MISSING)) is MISSING else v,
                )
            return lambda key: (row_of(key).get(name, MISSING),)
        try:
            if len(keys) == 1:
                (key_fn,) = keys
                for key in ranked:
                    env.key, env.row = key, rows[key]
                    found[key] = (key_fn(env),)
            else:
                for key in ranked:
                    env.key, env.row = key, rows[key]
                    found[key] = tuple([k(env) for k in keys])
        except DivisionByZero:
            envs = self.world.envs[kind]
            return lambda key: tuple([self.rank_value(k, envs[key]) for k in keys])
        if self.problems:  # a value that failed before (and is missing) must still sort
            for key, values in found.items():
                if MISSING in values:
                    found[key] = tuple([FAILED if v is MISSING else v for v in values])
        return found.__getitem__

    def rank_value(self, fn: Fn, env: Env) -> Any:
        """A key's value, or (after a division by zero, reported) one that orders as a tie
        with anything, so that ranking goes on and every other problem is reported too."""
        value = self.guarded(fn, env, "rank by")
        return FAILED if value is MISSING else value

    def award(self, step: Award) -> None:
        if step.pool is not None:
            self.pooled(step, step.pool)
            return
        kind = step.kind
        qualified = self.qualified(step)
        grouping = self.group_of(kind, step.within)
        quota_fn = None if step.quota is None else self.fn(step.quota)
        rows = self.rows(kind)

        def quota(group_value: Any, members: list[str]) -> int | None:
            if quota_fn is None:
                return None
            env = Env(self.world, kind, members[0], rows[members[0]])
            env.group, env.group_value = tuple(sorted(members)), group_value
            result = self.guarded(quota_fn, env, "quota")
            return int(result) if isinstance(result, Decimal) else 0

        keys = tuple(k.expr for k in step.rank_by)
        decision = decide(
            qualified=qualified,
            group_of=grouping,
            rank_values=self.rank_values(kind, keys, qualified) if keys else None,
            descending=tuple(k.descending for k in step.rank_by),
            quota=quota,
            quota_text=step.quota_text,
            tie_include=step.tie_include,
        )
        self.record(step, decision)

    def record(self, step: Award, decision: Decision) -> None:
        rows = self.rows(step.kind)
        self.decisions[step.name] = decision
        for row in rows.values():
            row[step.name] = False
        for key in decision.received:
            rows[key][step.name] = True

    def pooled(self, step: Award, pool: Pool) -> None:
        """An award of a pool waits for the others (the checker ordered them so that
        nothing reads one before all are decided); the last one decides them all."""
        qualified = self.qualified(step)
        keys = tuple(k.expr for k in step.rank_by)
        waiting = self.pools.setdefault(pool.name, {})
        waiting[step.name] = (step, Candidates(
            step.name, qualified, self.rank_values(step.kind, keys, qualified)
        ))  # fmt: skip
        if len(waiting) < len(pool.awards):
            return
        decisions = decide_pool(
            [waiting[a][1] for a in pool.awards],
            descending=tuple(k.descending for k in step.rank_by),
            quota=pool.quota,
            quota_text=pool.text,
            tie_include=pool.tie_include,
        )
        for award in pool.awards:
            self.record(waiting[award][0], decisions[award])

    def ranking(self, step: Ranking) -> None:
        kind, name = step.kind, step.name
        rows = self.rows(kind)
        values = self.rank_values(kind, tuple(k.expr for k in step.keys), list(rows))
        descending = [k.descending for k in step.keys]
        for group_value, members in self.group_of(kind, step.within).members.items():
            ordered = rank.order([(k, values(k)) for k in members], descending)
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


def _holds(award: str) -> Fn:
    """`requires award`: whether the subject received it."""
    return lambda e: e.row.get(award)


def _any_of(parts: list[Fn]) -> Fn:
    return lambda e: any(p(e) is True for p in parts)


_SAFE = (
    ir.Const, ir.Read, ir.Relation, ir.Year, ir.Path, ir.Sum, ir.Neg, ir.Compare, ir.Logic,
    ir.Not, ir.Coalesce, ir.InSet, ir.InRange, ir.IsMissing, ir.Branches, ir.Match,
    ir.Function, ir.Aggregate, ir.Group, ir.GroupValue, ir.Recipients, ir.Streak, ir.Held,
    ir.Past, ir.Weighted, ir.ApplicableMax, ir.Filter, ir.Decided,
)  # fmt: skip
"""The nodes whose evaluation cannot fail of itself (their parts may)."""


def _may_fail(condition: Condition) -> bool:
    """Whether evaluating a condition may raise DivisionByZero: it holds a division (or a
    node not known here)."""
    pending: list[ir.Node] = [p.expr for p in (condition, *condition.parts) if p.expr]
    while pending:
        node = pending.pop()
        if isinstance(node, ir.Binary):
            if node.op == "/":
                return True
        elif not isinstance(node, _SAFE):
            return True
        pending.extend(children(node))
    return False
