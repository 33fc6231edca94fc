"""What a subject reads of other subjects, as a column of its own kind: an aggregate over
the members of a relation (a group-by of the members' frame, joined to the owners) and a
path (`unit.block`: a join on the referenced key).

Each is made into a column of the frame before the expression that reads it is evaluated,
with `builtins.evaluation`'s meaning for subjects without members (`count` 0, `sum` 0,
`all` true, `min` missing...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from emurules.arithmetic import QUOTIENT_PLACES
from emurules.engine.columnar import exact
from emurules.engine.columnar.exact import Col, Guards
from emurules.engine.columnar.frames import KEY
from emurules.engine.columnar.lower import true
from emurules.plan import ir
from emurules.plan.steps import RelationInfo

if TYPE_CHECKING:
    from emurules.engine.columnar.engine import ColumnarEngine

OWNER = "__owner"
BODY = "__body"
KEPT = "__kept"


class Foreign:
    """Makes the foreign values of one step's expressions, for one kind; `made` lists the
    columns added (dropped once the step is stored)."""

    def __init__(self, engine: ColumnarEngine, kind: str, guards: Guards) -> None:
        self.engine = engine
        self.kind = kind
        self.guards = guards
        self.made: list[str] = []
        self.zero_divisions: list[pl.Expr] = []

    def __call__(self, node: ir.Node) -> Col:
        if isinstance(node, ir.Path):
            return self.path(node)
        if isinstance(node, ir.Streak | ir.Held | ir.Past):
            return self.history(node)
        assert isinstance(node, ir.Aggregate)
        return self.aggregate(node)

    def history(self, node: ir.Streak | ir.Held | ir.Past) -> Col:
        """`streak`, `held`, `past`: from the history, joined on the key."""
        past = self.engine.past
        if isinstance(node, ir.Past):
            frame, col = past.past(self.kind, node)
            return self.add(frame, col)
        if isinstance(node, ir.Held):
            found = self.add(past.held(self.kind, node), Col(pl.lit(0), "num", 0))
            return Col(found.expr.fill_null(exact.integer(0)), "num", 0)
        found = self.add(past.streak(self.kind, node), Col(pl.lit(0), "num", 0))
        before = found.expr.fill_null(exact.integer(0))
        if not node.current:
            return Col(before, "num", 0)
        now = self.engine.columns[self.kind][node.award].expr.fill_null(False)
        return Col(pl.when(now).then(before + exact.integer(1)).otherwise(0), "num", 0)

    def name(self) -> str:
        found = f"__foreign{len(self.engine.foreign_names)}"
        self.engine.foreign_names.append(found)
        self.made.append(found)
        return found

    def add(self, column: pl.Expr | pl.DataFrame, col: Col) -> Col:
        """Store a column (an expression over this kind's frame, or a frame of keys and one
        value column, joined on the key) under a new name."""
        name = self.name()
        frame = self.engine.frames[self.kind]
        if isinstance(column, pl.DataFrame):
            # the keys alone are joined (each key once in `column`): a join of the whole
            # frame would copy every column of it
            value = column.columns[1]
            found = (
                frame.select(KEY)
                .join(column.rename({value: name}), on=KEY, how="left", maintain_order="left")
                .get_column(name)
                .rechunk()
            )
            assert len(found) == frame.height, "one value a key"
            self.engine.frames[self.kind] = frame.with_columns(found)
        else:  # a whole column, even for a constant (see `ColumnarEngine.store`)
            made = frame.with_columns(column.alias(name))
            self.engine.frames[self.kind] = made.with_columns(made.get_column(name))
        return Col(pl.col(name), col.kind, col.scale)

    def path(self, node: ir.Path) -> Col:
        """`base.name`: the value the referenced subject holds."""
        if node.what == "year":
            return Col(exact.integer(self.engine.year), "num", 0)
        lower = self.engine.lowering(self.kind, self.guards, foreign=self)
        base = lower(node.base)
        self.zero_divisions.extend(lower.zero_divisions)
        target = self.engine.columns[node.kind][node.name]
        values = self.engine.frames[node.kind].select(
            pl.col(KEY).alias("__target"), target.expr.alias("__value")
        )
        frame = self.engine.frames[self.kind].select(KEY, base.expr.alias("__target"))
        found = frame.join(values, on="__target", how="left", maintain_order="left")
        return self.add(found.select(KEY, "__value"), target)

    def aggregate(self, node: ir.Aggregate) -> Col:
        """An aggregate over the members of a relation (kept by a filter, if any)."""
        members: ir.Node = node.members
        cond: ir.Node | None = None
        if isinstance(members, ir.Filter):
            cond, members = members.cond, members.members
        assert isinstance(members, ir.Relation), "refused when planned"
        relation = self.engine.relation(self.kind, members.name)
        member = relation.member
        inner = Foreign(self.engine, member, self.guards)
        lower = self.engine.lowering(member, self.guards, foreign=inner)
        reached = pl.col(relation.via).is_not_null()
        body = None if node.body is None else lower(node.body, reached)
        kept = None if cond is None else true(lower(cond, reached))
        self.zero_divisions.extend([*lower.zero_divisions, *inner.zero_divisions])
        picked = [pl.col(relation.via).alias(OWNER)]
        if body is not None:
            picked.append(body.expr.alias(BODY))
        if kept is not None:
            picked.append(kept.alias(KEPT))
        rows = self.engine.frames[member].lazy().filter(reached).select(picked)
        if kept is not None:
            rows = rows.filter(pl.col(KEPT))
        value, empty, col = _fold(node, body)
        folded = rows.group_by(OWNER).agg(value.alias("__value")).collect()
        if inner.made:  # (`drop` joins up a frame whose columns are in pieces: a copy)
            self.engine.frames[member] = self.engine.frames[member].drop(inner.made)
        return self.owners(relation, folded, empty, col)

    def owners(
        self, relation: RelationInfo, folded: pl.DataFrame, empty: pl.Expr | None, col: Col
    ) -> Col:
        """Each owner's value: its members' (matched by its key, or by its value of `by`),
        or the value of no members."""
        on = pl.col(KEY) if relation.by is None else pl.col(relation.by)
        frame = self.engine.frames[self.kind].select(KEY, on.alias(OWNER))
        joined = frame.join(folded, on=OWNER, how="left", maintain_order="left")
        value = pl.col("__value") if empty is None else pl.col("__value").fill_null(empty)
        return self.add(joined.select(KEY, value.alias("__value")), col)


def _fold(node: ir.Aggregate, body: Col | None) -> tuple[pl.Expr, pl.Expr | None, Col]:
    """The aggregate over one owner's members, its value for no members (None: missing),
    and the column it makes."""
    if body is None:  # count(members)
        return pl.len().cast(exact.INT), exact.integer(0), Col(pl.lit(0), "num", 0)
    value = pl.col(BODY)
    match node.name:
        case "count":
            return true(value).cast(exact.INT).sum(), exact.integer(0), Col(pl.lit(0), "num", 0)
        case "sum":
            return value.sum(), exact.integer(0), Col(pl.lit(0), "num", body.scale)
        case "min" | "max":
            picked = value.min() if node.name == "min" else value.max()
            return picked, None, Col(pl.lit(0), body.kind, body.scale)
        case "all":
            return true(value).all(), pl.lit(True), Col(pl.lit(True), "bool")
        case "any":
            return true(value).any(), pl.lit(False), Col(pl.lit(True), "bool")
        case "none":
            return ~true(value).any(), pl.lit(True), Col(pl.lit(True), "bool")
        case "share":
            hits = true(value).cast(exact.INT).sum()
            ratio = exact.quotient(hits, pl.len().cast(exact.INT), 0, 0)
            return ratio, exact.integer(0), Col(pl.lit(0), "num", QUOTIENT_PLACES)
        case "avg":
            total = value.sum()
            count = value.count().cast(exact.INT)
            mean = exact.quotient(total, count, body.scale, 0)
            return (
                pl.when(count == 0).then(None).otherwise(mean),
                None,
                Col(pl.lit(0), "num", QUOTIENT_PLACES),
            )
    raise AssertionError(f"refused when planned: {node.name}")
