"""The CTEs of the SQL: one chain per subject kind, each CTE adding columns to the one
before (`SELECT *, ...`), and between the chains the joins that bring one kind's values
to another (an aggregate over a relation's members, a path through a reference, the
history: `foreign.py`).

Every CTE is kept in one `Chains`; a kind's query takes its own chain's last CTE and,
through the joins, every CTE it reads, and nothing else, each after those it reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlglot import exp

JOINED: Final = "__joined"  # the right side of a join, as `Chain.join` is given it


class Chains:
    """Every CTE of a plan, by name, in the order made, and which CTEs each reads."""

    def __init__(self) -> None:
        self.selects: dict[str, exp.Select] = {}
        self.reads: dict[str, tuple[str, ...]] = {}
        self.across = False  # a kind's query reads another kind's table
        self.history = False  # a query reads the table of past awards

    def put(self, name: str, select: exp.Select, reads: Sequence[str]) -> None:
        assert name not in self.selects, name
        self.selects[name] = select
        self.reads[name] = tuple(reads)

    def needed(self, last: str) -> list[tuple[str, exp.Select]]:
        """The CTEs a query of `last` reads, directly or not, each after those it reads
        (a join can go into a CTE made before what it reads), else in the order made."""
        order = {name: place for place, name in enumerate(self.selects)}
        found: list[str] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            seen.add(name)
            for read in sorted(self.reads[name], key=order.__getitem__):
                if read not in seen:
                    visit(read)
            found.append(name)

        visit(last)
        return [(name, self.selects[name]) for name in found]

    def behind(self, names: Sequence[str]) -> set[str]:
        """The CTEs `names` read, directly or not, and themselves."""
        found = set(names)
        pending = list(names)
        while pending:
            for read in self.reads[pending.pop()]:
                if read not in found:
                    found.add(read)
                    pending.append(read)
        return found


class Chain:
    """One kind's CTEs, each adding columns to the one before. Columns go into the first
    CTE after every one that adds a column they read, a new one only past the last: as
    many CTEs as the longest chain of steps reading each other. The text is shorter, and
    Spark's analyser gives up after about 50 chained CTEs. A join (`join`) goes into the
    first CTE that has what it reads of this kind and that what it reads of others does
    not read in turn."""

    def __init__(self, chains: Chains, prefix: str, inputs: exp.Select) -> None:
        self.chains = chains
        self.prefix = prefix
        self.made: list[str] = [f"{prefix}inputs"]
        self.where: dict[str, int] = {}  # a column added -> the CTE that adds it
        chains.put(self.made[0], inputs, ())

    @property
    def last(self) -> str:
        return self.made[-1]

    def holding(self, sql: Sequence[exp.Expr]) -> str:
        """The first CTE that has every column `sql` reads: what a join of another kind
        reads (a later one of the chain has the same rows and more columns, but a query
        reading it would read all the CTEs between, and Spark copies each CTE into every
        place that reads it)."""
        names = {c.name for found in sql for c in found.find_all(exp.Column)}
        return self.made[max((self.where.get(n, 0) for n in names), default=0)]

    def add(self, name: str, outputs: Sequence[tuple[str, exp.Expr]]) -> None:
        reads = {c.name for _, sql in outputs for c in sql.find_all(exp.Column)}
        at = 1 + max((self.where.get(read, 0) for read in reads), default=0)
        added = [exp.alias_(sql, out, quoted=True) for out, sql in outputs]
        if at < len(self.made):
            cte = self.made[at]
            # its own select: changed in place (sqlglot's builders copy by default)
            self.chains.selects[cte] = self.chains.selects[cte].select(*added, copy=False)
        else:
            previous = self.last
            select = exp.select(exp.Star(), *added).from_(exp.table_(previous, quoted=True))
            self.append(name, select, (previous,))
        self.where.update((out, at) for out, _ in outputs)

    def join(
        self,
        name: str,
        right: exp.Select,
        on: exp.Expr,
        picked: Sequence[tuple[str, exp.Expr]],
        reads: Sequence[str],
    ) -> None:
        """`SELECT previous.*, <picked> FROM previous LEFT JOIN (right) AS __joined ON
        <on>`: the columns `picked` added to a CTE of the chain. `on` and `picked` read
        the right side's columns as `__joined.<name>` and the chain's unqualified (a
        right side gives only names starting `__`); `reads` are the tables `right`
        reads. The join goes into an existing CTE where it can (see the class)."""
        tables = [r for r in reads if r in self.chains.selects]  # not the database's own
        own = {c.name for sql in (on, *(s for _, s in picked)) for c in sql.find_all(exp.Column)
               if c.table != JOINED}  # fmt: skip
        at = 1 + max((self.where.get(c, 0) for c in own), default=0)
        behind = self.chains.behind(tables)
        at = max([at, *(place + 1 for place, cte in enumerate(self.made) if cte in behind)])
        if at < len(self.made):
            cte = self.made[at]
            select = self.chains.selects[cte]
            alias = f"{JOINED}{len(select.args.get('joins') or ()) + 1}"
            if isinstance(select.expressions[0], exp.Star):  # `*` would take the joined too
                previous = exp.to_identifier(self.made[at - 1], quoted=True)
                select.expressions[0].replace(exp.Column(this=exp.Star(), table=previous))
        else:
            cte, alias = None, f"{JOINED}1"
            last = exp.to_identifier(self.last, quoted=True)
            select = exp.select(exp.Column(this=exp.Star(), table=last)).from_(
                exp.table_(self.last, quoted=True)
            )
        added = [exp.alias_(_aliased(sql, alias), out, quoted=True) for out, sql in picked]
        select = select.select(*added, copy=False)
        select = select.join(
            right.subquery(alias), on=_aliased(on, alias), join_type="left", copy=False
        )
        if cte is None:
            self.append(name, select, (self.last, *tables))
        else:
            self.chains.selects[cte] = select
            self.chains.reads[cte] = (*self.chains.reads[cte], *tables)
        self.where.update((out, at) for out, _ in picked)

    def append(self, name: str, select: exp.Select, reads: Sequence[str]) -> None:
        cte = f"{self.prefix}step_{len(self.made)}_{name}"
        self.chains.put(cte, select, reads)
        self.made.append(cte)


def _aliased(sql: exp.Expr, alias: str) -> exp.Expr:
    """`sql` reading the right side of a join under `alias`."""
    found = sql.copy()
    for col in found.find_all(exp.Column):
        if col.table == JOINED:
            col.set("table", exp.to_identifier(alias, quoted=True))
    return found


__all__ = ["JOINED", "Chain", "Chains"]
