"""What a subject reads of other subjects and of the past, in the SQL text: an aggregate
over the members of a relation (the members' CTE grouped by the reference, joined to the
owners), a path (`unit.block`: the referenced subject's CTE joined on its key), and
`streak`/`held` (the `history` table grouped by key).

Each is a join CTE of the reading kind's chain (`chain.Chain.join`) that adds one or two
columns, read by the expression as any column, with `builtins.evaluation`'s meaning for a
subject without members (`count` 0, `sum` 0, `all` true, `min` missing...). The history
table is `history(key, year, award)`: each row an award a subject received in a past year.

What it does not write, refused when planned and naming the place: a past value (`past`),
the history of a kind with a `lineage` (a merged subject reads its predecessors' years,
which `data/lineage.py` resolves), a path to a relation, and an aggregate or a path that
may divide by zero."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Protocol

import attrs
from sqlglot import exp

from emurules.engine.sql.chain import JOINED, Chain
from emurules.engine.sql.columns import Column
from emurules.engine.sql.decision import COUNT_DIGITS, by_code_point, key_text
from emurules.engine.sql.expr import Lowering, holds, truth
from emurules.engine.sql.refuse import refuse, refuse_node
from emurules.engine.sql.scaled import MAX_DIGITS, Value, column, integer_type
from emurules.i18n import message
from emurules.plan import ir
from emurules.plan.schema import KindSchema
from emurules.plan.steps import RelationInfo

HISTORY: Final = "history"  # the table of past awards: key, year, award
OWNER: Final = "__owner"
VALUE: Final = "__value"
COUNT: Final = "__count"


class Side(Protocol):
    """What a kind's query gives the joins: its schema, its chain and its lowering."""

    kind: KindSchema
    chain: Chain
    lowering: Lowering
    columns: list[Column]

    def helpers(self) -> None: ...


class Foreign:
    """Lowers the foreign values of one kind's expressions (`Lowering.foreign`)."""

    def __init__(
        self, kinds: Mapping[str, Side], relations: Sequence[RelationInfo], kind: str
    ) -> None:
        self.kinds = kinds
        self.relations = {(r.owner, r.name): r for r in relations}
        self.kind = kind
        self.made = 0

    @property
    def side(self) -> Side:
        return self.kinds[self.kind]

    def __call__(self, node: ir.Node) -> Value:
        match node:
            case ir.Aggregate():
                return self.aggregate(node)
            case ir.Path():
                return self.path(node)
            case ir.Streak() | ir.Held():
                return self.history(node)
        raise refuse_node(node)

    def key(self) -> exp.Expr:
        """This kind's key as text (as references and the history hold it)."""
        return key_text(self.side.kind.key, self.side.lowering)

    def name(self) -> str:
        self.made += 1
        return f"{self.side.lowering.step}__join{self.made}"

    def join(
        self, right: exp.Select, on: exp.Expr, picked: Sequence[tuple[str, exp.Expr]]
    ) -> list[str]:
        """Columns `picked` (named by what they are) from `right`, joined `on` a column
        of this kind (`chain.Chain.join`): the names of the columns added, in order."""
        names = [self.name() for _ in picked]
        reads = [t.name for t in right.find_all(exp.Table)]
        named = [(n, sql) for n, (_, sql) in zip(names, picked, strict=True)]
        self.side.chain.join(names[0], right, on, named, reads)
        return names

    # ---- aggregates over a relation's members -----------------------------------------------
    def aggregate(self, node: ir.Aggregate) -> Value:
        members: ir.Node = node.members
        cond: ir.Node | None = None
        if isinstance(members, ir.Filter):
            cond, members = members.cond, members.members
        if not isinstance(members, ir.Relation):
            raise refuse_node(node)
        relation = self.relations[(self.kind, members.name)]
        member = self.kinds[relation.member]
        self.side.chain.chains.across |= relation.member != self.kind
        body, kept = self.member_side(node, member, relation, cond)
        dialect = self.side.lowering.a.dialect
        if body is not None and body.sort == "text":  # `min`/`max` of texts by code point
            body = attrs.evolve(body, sql=by_code_point(body.sql, dialect))
        via = column(relation.via)
        fold, empty, count = _fold(node, body)
        if node.name in ("sum", "avg", "share", "count"):  # whatever type the database sums in
            fold = exp.cast(fold, integer_type(dialect))
        picked: list[exp.Expr] = [
            exp.alias_(via, OWNER, quoted=True),
            exp.alias_(fold, VALUE, quoted=True),
        ]
        if count is not None:
            picked.append(exp.alias_(count, COUNT, quoted=True))
        where: exp.Expr = exp.Not(this=exp.Is(this=via.copy(), expression=exp.null()))
        if kept is not None:
            where = exp.and_(where, kept)
        right = (
            exp.select(*picked)
            .from_(exp.table_(member.chain.holding([*picked, where]), quoted=True))
            .where(where)
            .group_by(via.copy())
        )
        # a reference holds the key as text: an `int` key is compared as its digits
        owner = self.key() if relation.by is None else column(relation.by)
        on = exp.EQ(
            this=owner,
            expression=exp.column(OWNER, table=JOINED, quoted=True),
        )
        found = [_empty(exp.column(VALUE, table=JOINED, quoted=True), empty)]
        if count is not None:
            found.append(
                _empty(exp.column(COUNT, table=JOINED, quoted=True), exp.Literal.number(0))
            )
        names = self.join(
            right, on, [(n, sql) for n, sql in zip(("value", "count"), found, strict=False)]
        )
        return self.value(node, body, names)

    def member_side(
        self, node: ir.Aggregate, member: Side, relation: RelationInfo, cond: ir.Node | None
    ) -> tuple[Value | None, exp.Expr | None]:
        """The aggregate's body and its filter over the members, lowered by the members'
        kind; what they hoist goes into the members' chain before the join reads it."""
        lowering = member.lowering
        saved = lowering.step, lowering.helpers, lowering.hoisted, lowering.a.hoist
        lowering.step, lowering.helpers, lowering.hoisted = f"{self.name()}_{self.kind}", [], 0
        lowering.a.hoist = lowering.hoist
        try:
            body = None if node.body is None else lowering(node.body)
            test = None if cond is None else lowering(cond)
            if any(v is not None and v.fails is not None for v in (body, test)):
                said = message("sql.unsupported-foreign-division", text=node.text)
                raise refuse(said, node.span)
            member.helpers()
        finally:
            lowering.step, lowering.helpers, lowering.hoisted, lowering.a.hoist = saved
        return body, None if test is None else holds(test)

    def value(self, node: ir.Aggregate, body: Value | None, names: list[str]) -> Value:
        a = self.side.lowering.a
        found = column(names[0])
        match node.name:
            case "count":
                return Value(found, "number", 0, COUNT_DIGITS, nullable=False)
            case "sum":
                assert body is not None
                return Value(
                    found, "number", body.scale, body.digits + COUNT_DIGITS, nullable=False
                )
            case "min" | "max":
                assert body is not None
                return Value(found, body.sort, body.scale, body.digits, nullable=True)
            case "all" | "any" | "none":
                return Value(found, "bool", nullable=False)
            case "share" | "avg":
                assert body is not None
                scale = 0 if node.name == "share" else body.scale
                digits = COUNT_DIGITS if node.name == "share" else body.digits + COUNT_DIGITS
                total = Value(found, "number", scale, digits, nullable=False)
                count = Value(column(names[1]), "number", 0, COUNT_DIGITS, nullable=False)
                quotient, worst, digits = a.divide(total, count)  # NULL for no members
                if worst > MAX_DIGITS:
                    raise refuse(message("sql.too-large", digits=worst), node.span)
                if node.name == "share":
                    shared = exp.Coalesce(this=quotient, expressions=[exp.Literal.number(0)])
                    return Value(shared, "number", 18, digits, nullable=False)
                return Value(quotient, "number", 18, digits, nullable=True)
        raise refuse_node(node)

    # ---- paths through a reference -----------------------------------------------------------
    def path(self, node: ir.Path) -> Value:
        lowering = self.side.lowering
        if node.what == "year":
            if lowering.year is None:
                raise refuse(message("sql.no-year"), node.span)
            return lowering.a.constant(lowering.year, 0)
        target = self.kinds.get(node.kind)
        if node.what == "relation" or target is None:
            raise refuse_node(node)
        base = lowering(node.base)
        self.side.chain.chains.across |= node.kind != self.kind
        self.side.helpers()  # what the join reads of this step is in the chain before it
        read = target.lowering.columns.get(node.name)
        if read is None:  # an award decided elsewhere (a pool)
            raise refuse(message("sql.unsupported-received", name=node.name), node.span)
        if base.fails is not None:
            said = message("sql.unsupported-foreign-division", text=node.text)
            raise refuse(said, node.span)
        picked = [
            exp.alias_(key_text(target.kind.key, target.lowering), OWNER, quoted=True),
            exp.alias_(read.sql.copy(), VALUE, quoted=True),
        ]
        right = exp.select(*picked).from_(exp.table_(target.chain.holding(picked), quoted=True))
        on = exp.EQ(
            this=_operand(base.sql), expression=exp.column(OWNER, table=JOINED, quoted=True)
        )
        (name,) = self.join(right, on, [("value", exp.column(VALUE, table=JOINED, quoted=True))])
        return Value(column(name), read.sort, read.scale, read.digits, nullable=True)

    # ---- the history -----------------------------------------------------------------------
    def history(self, node: ir.Streak | ir.Held) -> Value:
        lowering = self.side.lowering
        if lowering.year is None:
            raise refuse(message("sql.no-year"), node.span)
        year = lowering.year
        if self.side.kind.lineage is not None:  # merged subjects read their predecessors'
            said = message("sql.unsupported-lineage", kind=self.kind, text=node.text)
            raise refuse(said, node.span)
        if HISTORY in self.kinds:  # its table would be read as the history
            raise refuse_node(node)
        self.side.chain.chains.history = True
        key, award, when = column("key"), column("award"), column("year")
        held = exp.and_(
            exp.EQ(this=award, expression=exp.Literal.string(node.award)),
            exp.LT(this=when, expression=exp.Literal.number(year)),
        )
        if isinstance(node, ir.Held):
            first = exp.GTE(this=when.copy(), expression=exp.Literal.number(year - node.years))
            counted: exp.Expr = exp.Count(this=exp.Distinct(expressions=[when.copy()]))
            right = (
                exp.select(
                    exp.alias_(key, OWNER, quoted=True), exp.alias_(counted, VALUE, quoted=True)
                )
                .from_(exp.table_(HISTORY, quoted=True))
                .where(exp.and_(held, first))
                .group_by(key.copy())
            )
        else:
            right = _run(key, when, held, year)
        on = exp.EQ(
            this=self.key(),
            expression=exp.column(OWNER, table=JOINED, quoted=True),
        )
        found = _empty(exp.column(VALUE, table=JOINED, quoted=True), exp.Literal.number(0))
        (name,) = self.join(right, on, [("value", found)])
        value = Value(column(name), "number", 0, COUNT_DIGITS, nullable=False)
        if isinstance(node, ir.Held) or not node.current:
            return value
        now = lowering.columns.get(node.award)
        if now is None:  # decided elsewhere (a pool)
            raise refuse(message("sql.unsupported-received", name=node.award), node.span)
        after = exp.Add(this=column(name), expression=exp.Literal.number(1))
        this_year = exp.case().when(truth(now), after).else_(exp.Literal.number(0))
        return Value(this_year, "number", 0, COUNT_DIGITS, nullable=False)


def _run(key: exp.Column, when: exp.Column, held: exp.Expr, year: int) -> exp.Select:
    """Each subject's unbroken run of years held, up to last year: its years, latest
    first, numbered 1, 2...; the run is those whose year is this year less their number
    (once one is not, no later one is)."""
    years = (
        exp.select(key.copy(), when.copy())
        .distinct()
        .from_(exp.table_(HISTORY, quoted=True))
        .where(held)
    )
    number = exp.Window(
        this=exp.RowNumber(),
        partition_by=[key.copy()],
        order=exp.Order(expressions=[exp.Ordered(this=when.copy(), desc=True)]),
    )
    numbered = exp.select(
        key.copy(), when.copy(), exp.alias_(number, "__place", quoted=True)
    ).from_(years.subquery("__years"))
    in_run = exp.EQ(
        this=when.copy(),
        expression=exp.Sub(this=exp.Literal.number(year), expression=column("__place")),
    )
    ones = exp.Sum(this=exp.case().when(in_run, exp.Literal.number(1)).else_(exp.Literal.number(0)))
    return (
        exp.select(exp.alias_(key.copy(), OWNER, quoted=True), exp.alias_(ones, VALUE, quoted=True))
        .from_(numbered.subquery("__numbered"))
        .group_by(key.copy())
    )


def _fold(
    node: ir.Aggregate, body: Value | None
) -> tuple[exp.Expr, exp.Expr | None, exp.Expr | None]:
    """The aggregate over one owner's members, its value for no members (None: missing),
    and for `share`/`avg` the count it divides by."""
    one, zero = exp.Literal.number(1), exp.Literal.number(0)
    if body is None:  # count(members)
        return exp.Count(this=exp.Star()), zero, None
    tested = exp.case().when(truth(body), one).else_(zero)
    match node.name:
        case "count":
            return exp.Sum(this=tested), zero, None
        case "sum":
            return exp.Sum(this=body.sql), zero, None
        case "min" | "max":
            picked = exp.Min if node.name == "min" else exp.Max
            return picked(this=body.sql), None, None
        case "all":
            return exp.EQ(this=exp.Min(this=tested), expression=one.copy()), exp.true(), None
        case "any":
            return exp.EQ(this=exp.Max(this=tested), expression=one.copy()), exp.false(), None
        case "none":
            return exp.EQ(this=exp.Max(this=tested), expression=zero.copy()), exp.true(), None
        case "share":
            return exp.Sum(this=tested), zero, exp.Count(this=exp.Star())
        case "avg":
            return exp.Sum(this=body.sql), zero, exp.Count(this=body.sql.copy())
    raise refuse_node(node)


def _empty(found: exp.Expr, empty: exp.Expr | None) -> exp.Expr:
    return found if empty is None else exp.Coalesce(this=found, expressions=[empty])


def _operand(sql: exp.Expr) -> exp.Expr:
    return exp.paren(sql) if isinstance(sql, exp.Binary | exp.Case) else sql


__all__ = ["HISTORY", "Foreign"]
