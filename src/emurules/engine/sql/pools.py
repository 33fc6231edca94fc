"""A pool decided in the SQL text: the awards of several kinds that share one quota
(`pool p { awards a, b  quota N }`), with `engine/decide.py`'s `decide_pool` meaning.

Once the last award of the pool is qualified, one CTE (`pool__<name>`) takes every
award's qualified subjects (`UNION ALL`, numbers at one scale) and orders them together:
by the keys, then the subject key by code point, then the award's place in the pool.
The first N receive; with `on tie include`, whoever equals the last recipient on every
key too (`RANK() <= N`). Each award's kind joins it back by key and award, and gains
`place__<award>` (the subject's place in the whole pool, NULL unless qualified),
`quota__<award>` (the pool's quota) and the award's own column (whether received)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs
from sqlglot import exp

from emurules.engine.sql.chain import JOINED
from emurules.engine.sql.columns import Column
from emurules.engine.sql.decision import by_code_point, key_text, place_name, quota_name
from emurules.engine.sql.foreign import Side
from emurules.engine.sql.refuse import refuse
from emurules.engine.sql.scaled import MAX_DIGITS, Value, column
from emurules.i18n import message
from emurules.plan.steps import Award, Pool

KEY: Final = "__key"
AWARD: Final = "__award"
PLACE: Final = "__place"
PEERS: Final = "__peers"


@attrs.frozen
class _Member:
    side: Side
    award: Award
    keys: tuple[Value, ...]


class Pools:
    """Collects each pool's awards as they are lowered; decides a pool with its last."""

    def __init__(self, kinds: Mapping[str, Side]) -> None:
        self.kinds = kinds
        self.waiting: dict[str, dict[str, _Member]] = {}

    def add(self, step: Award, side: Side) -> None:
        """`step` (qualified, its column in its chain): its keys are lowered now, and
        the pool decided if every award of it is."""
        assert step.pool is not None
        lowering = side.lowering
        keys: list[Value] = []
        for key in step.rank_by:
            value = lowering(key.expr)
            if key.expr.type.optional:
                said = message("sql.unsupported-missing-key", award=step.name, text=key.text)
                raise refuse(said, key.expr.span)
            if value.fails is not None:
                said = message("sql.unsupported-pool-key", award=step.name, text=key.text)
                raise refuse(said, key.expr.span)
            keys.append(lowering.hoist(value))
        side.helpers()
        pool = step.pool
        waiting = self.waiting.setdefault(pool.name, {})
        waiting[step.name] = _Member(side, step, tuple(keys))
        if len(waiting) == len(pool.awards):
            self.decide(pool, [waiting[a] for a in pool.awards])

    def decide(self, pool: Pool, members: list[_Member]) -> None:
        first = members[0]
        a = first.side.lowering.a
        count = len(first.keys)
        scales = [max(m.keys[i].scale for m in members) for i in range(count)]
        parts: list[exp.Select] = []
        for index, member in enumerate(members):
            side = member.side
            key = key_text(side.kind.key, side.lowering)
            qualified = column(f"qualified__{member.award.name}")
            picked: list[exp.Expr] = [
                exp.alias_(key, KEY, quoted=True),
                exp.alias_(exp.Literal.number(index), AWARD, quoted=True),
            ]
            for place, value in enumerate(member.keys):
                if value.sort == "number":
                    value = a.rescale(value, scales[place])
                    if value.digits > MAX_DIGITS:  # at the scale of the pool's other keys
                        said = message("sql.too-large", digits=value.digits)
                        raise refuse(said, member.award.rank_by[place].expr.span)
                picked.append(exp.alias_(value.sql.copy(), f"__k{place}", quoted=True))
            source = side.chain.holding([*picked, qualified])
            parts.append(
                exp.select(*picked).from_(exp.table_(source, quoted=True)).where(qualified)
            )
        union: exp.Query = parts[0]
        for part in parts[1:]:
            union = exp.union(union, part, distinct=False)
        keys = [
            exp.Ordered(this=self.code_points(column(f"__k{i}"), value.sort), desc=k.descending)
            for i, (value, k) in enumerate(zip(first.keys, first.award.rank_by, strict=True))
        ]
        order = [*keys, exp.Ordered(this=self.code_points(column(KEY), "text")),
                 exp.Ordered(this=column(AWARD))]  # fmt: skip
        number = exp.Window(this=exp.RowNumber(), order=exp.Order(expressions=order))
        peers = exp.Window(this=exp.Anonymous(this="RANK", expressions=[]),
                           order=exp.Order(expressions=[k.copy() for k in keys]))  # fmt: skip
        decided = exp.select(
            column(KEY),
            column(AWARD),
            exp.alias_(number, PLACE, quoted=True),
            exp.alias_(peers, PEERS, quoted=True),
        ).from_(union.subquery("__qualified"))
        name = f"pool__{pool.name}"
        sources = [t.name for t in union.find_all(exp.Table)]
        first.side.chain.chains.put(name, decided, sources)
        for index, member in enumerate(members):
            self.join(pool, member, index, name)

    def join(self, pool: Pool, member: _Member, index: int, decided: str) -> None:
        """The pool's decision for the member's award, joined to its kind's chain."""
        side, award = member.side, member.award.name
        right = (
            exp.select(
                exp.alias_(column(KEY), "__owner", quoted=True),
                exp.alias_(column(PLACE), PLACE, quoted=True),
                exp.alias_(column(PEERS), PEERS, quoted=True),
            )
            .from_(exp.table_(decided, quoted=True))
            .where(exp.EQ(this=column(AWARD), expression=exp.Literal.number(index)))
        )
        on = exp.EQ(this=key_text(side.kind.key, side.lowering),
                    expression=exp.column("__owner", table=JOINED, quoted=True))  # fmt: skip
        quota = exp.Literal.number(pool.quota)
        cut = exp.column(PEERS if pool.tie_include else PLACE, table=JOINED, quoted=True)
        received = exp.Coalesce(this=exp.LTE(this=cut, expression=quota.copy()),
                                expressions=[exp.false()])  # fmt: skip
        picked = [
            (place_name(award), exp.column(PLACE, table=JOINED, quoted=True)),
            (quota_name(award), quota),
            (award, received),
        ]
        side.chain.join(award, right, on, picked, [decided])
        side.lowering.columns[award] = Value(column(award), "bool", nullable=False)
        side.columns.extend(
            [
                Column(place_name(award), "place", "number", step=award),
                Column(quota_name(award), "quota", "number", step=award),
                Column(award, "received", "bool", step=award),
            ]
        )

    def code_points(self, sql: exp.Expr, sort: str) -> exp.Expr:
        """Text ordered by code point, whatever the database's locale."""
        dialect = next(iter(self.kinds.values())).lowering.a.dialect
        return by_code_point(sql, dialect) if sort == "text" else sql


__all__ = ["Pools"]
