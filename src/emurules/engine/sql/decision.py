"""An award's decision written in SQL, for the text `emurules sql` prints: each qualified
subject's place in its group (`place__<award>`, with `rank by`), its group's quota
(`quota__<award>`) and whether it received the award (the award's own column), with
window functions.

The meaning is `engine/rank.py`'s: the qualified of each group ordered by the declared
keys, the subject key (by code point) breaking every remaining tie; the first Q receive
it; `on tie include` also awards whoever equals the last recipient on every key, which is
exactly those whose `RANK()` (by the declared keys alone) is at most Q. A quota is whole,
never below zero, and 0 where missing (`row.py`). The SQL engine's own run decides over
the database's answers instead (`lower(decided=True)`); this text is for a database to
run on its own, and tests hold it to the row engine.

What it does not write (refused when planned, naming the place): a pool, a rank key that
may be missing, and in a quota any aggregate over the group but `count`, or anything that
may divide by zero."""

from __future__ import annotations

from typing import Final

from sqlglot import exp

from emurules.engine.sql.expr import Lowering, holds
from emurules.engine.sql.refuse import refuse, refuse_node
from emurules.engine.sql.scaled import Value, column
from emurules.i18n import message
from emurules.plan import ir
from emurules.plan.steps import Award, Ranking, RankKey

COUNT_DIGITS: Final = 12  # a bound on the digits of a count of subjects

Outputs = list[tuple[str, exp.Expr]]


def place_name(award: str) -> str:
    return f"place__{award}"


def quota_name(award: str) -> str:
    return f"quota__{award}"


def decide(step: Award, lowering: Lowering, key: str, qualified: exp.Expr) -> Outputs:
    """The columns deciding `step` (a ranked award, or one with a quota), in the order
    they are computed; after them `lowering` reads the award as its own column. `key`
    is the kind's key field; `qualified` the award's qualification column."""
    group = _group(step.within, lowering)
    keys = [_key(step.name, k, lowering)[0] for k in step.rank_by]
    partition = [*([group] if group is not None else []), qualified.copy()]
    order = [*keys, exp.Ordered(this=_by_code_point(key, lowering))]
    number = exp.Window(this=exp.RowNumber(), partition_by=partition,
                        order=exp.Order(expressions=order))  # fmt: skip
    outputs: Outputs = []
    place: exp.Expr = number  # without `rank by`: by key, and reported as no rank
    if keys:
        outputs.append((place_name(step.name), exp.case().when(qualified.copy(), number)))
        place = column(place_name(step.name))
    if step.quota is None:  # ranked only: every qualified subject receives it
        return outputs
    quota = quota_name(step.name)
    outputs.append((quota, _quota(step, step.quota, lowering, group)))
    if not step.tie_include:
        cut: exp.Expr = exp.LTE(this=place, expression=column(quota))
    elif keys:
        peers = exp.Window(this=exp.Anonymous(this="RANK", expressions=[]),
                           partition_by=[p.copy() for p in partition],
                           order=exp.Order(expressions=[k.copy() for k in keys]))  # fmt: skip
        cut = exp.LTE(this=peers, expression=column(quota))
    else:  # no declared key: every qualified subject ties with the last recipient
        cut = exp.GTE(this=column(quota), expression=exp.Literal.number(1))
    received = exp.and_(qualified.copy(), exp.paren(cut))
    outputs.append((step.name, exp.Coalesce(this=received, expressions=[exp.false()])))
    return outputs


def league(step: Ranking, lowering: Lowering, key: str) -> Outputs:
    """A league table's places (`rank.league`): every subject of its group by the keys,
    the subject key breaking the remaining ties, 1 to n; with `shared`, subjects equal on
    every key share a place (`RANK()`: 1, 2, 2, 4)."""
    group = _group(step.within, lowering)
    lowered = [_key(step.name, k, lowering) for k in step.keys]
    keys = [k for k, _ in lowered]
    failing = [f for _, f in lowered if f is not None]
    partition = [group] if group is not None else None
    if step.shared:
        order = exp.Order(expressions=keys) if keys else None
        window = exp.Window(this=exp.Anonymous(this="RANK", expressions=[]),
                            partition_by=partition, order=order)  # fmt: skip
    else:
        order = exp.Order(expressions=[*keys, exp.Ordered(this=_by_code_point(key, lowering))])
        window = exp.Window(this=exp.RowNumber(), partition_by=partition, order=order)
    if failing:  # the row engine stops where a key divides by zero: flagged, not placed
        fails = exp.or_(*failing)
        return [(step.name, exp.case().when(fails, exp.null()).else_(window)),
                (f"failed__{step.name}", fails.copy())]  # fmt: skip
    return [(step.name, window)]


def _by_code_point(key: str, lowering: Lowering) -> exp.Expr:
    """The subject key as it breaks ties: as text (an `int` key's digits: "10" before
    "9", as `rank.order` compares keys), by code point whatever the database's locale."""
    return by_code_point(key_text(key, lowering), lowering.a.dialect)


def key_text(key: str, lowering: Lowering) -> exp.Expr:
    """A kind's key as the text the row engine knows it by: an `int` key (a whole number,
    scale 0) cast to its digits."""
    found = lowering.columns.get(key)
    if found is not None and found.sort == "number":
        return exp.cast(column(key), exp.DataType.build("TEXT"))
    return column(key)


def by_code_point(sql: exp.Expr, dialect: str) -> exp.Expr:
    """Text that orders by code point (PostgreSQL's `COLLATE "C"`; DuckDB's and Spark's
    own order is binary)."""
    if dialect == "postgres":
        return exp.Collate(this=sql, expression=exp.to_identifier("C", quoted=True))
    return sql


def _group(within: ir.Node | None, lowering: Lowering) -> exp.Expr | None:
    lowering.group_value = None  # not another award's
    if within is None:
        return None
    value = lowering(within)
    if value.fails is not None:
        raise refuse(message("sql.unsupported-quota"), within.span)
    lowering.group_value = value
    return lowering.hoist(value).sql


def _key(name: str, key: RankKey, lowering: Lowering) -> tuple[exp.Ordered, exp.Expr | None]:
    """A key in its direction, and where it divides by zero."""
    value = lowering(key.expr)
    if key.expr.type.optional:  # else NULL only where a division fails: flagged, not ranked
        said = message("sql.unsupported-missing-key", award=name, text=key.text)
        raise refuse(said, key.expr.span)
    found = lowering.hoist(value).sql
    if value.sort == "text":
        found = by_code_point(found, lowering.a.dialect)
    return exp.Ordered(this=found, desc=key.descending), value.fails


def _quota(step: Award, node: ir.Node, lowering: Lowering, group: exp.Expr | None) -> exp.Expr:
    """The group's quota, a whole number not below zero (0 where missing): windows over
    the group give its members' counts to each of them."""
    lowering.window = Window(lowering, group)
    try:
        value = lowering(node)
    finally:
        lowering.window = None
    if value.fails is not None:
        raise refuse(message("sql.unsupported-quota"), node.span)
    whole = lowering.a.floor_ceil(value, up=False) if value.sort == "number" else value
    found = lowering.hoist(whole).sql
    zero = exp.Literal.number(0)
    below = exp.or_(exp.Is(this=found.copy(), expression=exp.null()),
                    exp.LT(this=found.copy(), expression=zero.copy()))  # fmt: skip
    return exp.case().when(below, zero).else_(found)


class Window:
    """Inside a quota: `count(group)`, `count(group, c)`, `count(A)` and the group's value,
    as windows over the group (`PARTITION BY` its value; the whole kind without one)."""

    def __init__(self, lowering: Lowering, group: exp.Expr | None) -> None:
        self.lowering = lowering
        self.group = group

    def __call__(self, node: ir.Node) -> Value:
        match node:
            case ir.GroupValue():
                found = self.lowering.group_value
                if found is None:
                    raise refuse_node(node)
                return found
            case ir.Aggregate(name="count", body=None):
                return self.count(exp.Count(this=exp.Star()))
            case ir.Aggregate(name="count", body=body) if body is not None:
                test = self.lowering(body)
                if test.fails is not None:
                    raise refuse_node(node)
                return self.count(self.ones(holds(test)))
            case ir.Recipients(award=award):
                received = self.lowering.columns.get(award)
                if received is None:
                    raise refuse(message("sql.unsupported-received", name=award), node.span)
                return self.count(self.ones(holds(received)))
        raise refuse_node(node)

    @staticmethod
    def ones(test: exp.Expr) -> exp.Expr:
        one, zero = exp.Literal.number(1), exp.Literal.number(0)
        return exp.Sum(this=exp.case().when(test, one).else_(zero))

    def count(self, aggregate: exp.Expr) -> Value:
        partition = [self.group.copy()] if self.group is not None else None
        window = exp.Window(this=aggregate, partition_by=partition)
        return Value(window, "number", 0, COUNT_DIGITS, nullable=False)


__all__ = ["by_code_point", "decide", "key_text", "league", "place_name", "quota_name"]
