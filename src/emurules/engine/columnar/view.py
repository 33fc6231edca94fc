"""The row engine's view of a columnar evaluation, for one subject at a time: what its
explanations and checks read (a subject's row, a relation's members, a group, a place in a
league table) is made from the columns when asked for, never for the whole population.

So a result evaluated on columns explains a subject with the reference engine's own code
(`engine/explain.py`, the traced closures), reading the values the columnar engine
computed; numbers read by their value (`values.show`), so the text is the row engine's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, cast

import polars as pl

from emurules.data.history import History
from emurules.engine.closures import Compiled
from emurules.engine.columnar.decide import Keys
from emurules.engine.columnar.engine import ColumnarEngine
from emurules.engine.columnar.frames import KEY, reader
from emurules.engine.decide import Grouping
from emurules.engine.row import Envs, RowEngine, World
from emurules.plan import ir


class Rows(Mapping[str, dict[str, Any]]):
    """A kind's subjects as the row engine's row dicts (every field as validated, every
    value computed), each made the first time it is asked for."""

    def __init__(self, engine: ColumnarEngine, kind: str) -> None:
        self.engine = engine
        self.kind = kind
        found = engine.cells.get(kind)
        self.order = Keys(found.keys if found is not None else [])
        self.made: dict[str, dict[str, Any]] = {}
        self.index: dict[str, int] | None = None
        self.lock = threading.Lock()
        frame = engine.frames[kind]
        names = engine.plan.computed(kind)
        self.computed = [
            (n, reader(engine.columns[kind][n], engine.types[kind][n], engine.plan.schema))
            for n in names
            if n in frame.columns
        ]

    def place(self, key: str) -> int:
        with self.lock:
            if self.index is None:
                self.index = {k: i for i, k in enumerate(self.order)}
        return self.index[key]

    def __getitem__(self, key: str) -> dict[str, Any]:
        found = self.made.get(key)
        if found is not None:
            return found
        if key not in self.order:
            raise KeyError(key)
        at = self.place(key)
        cells = self.engine.cells[self.kind]
        row = {name: field.values[field.codes[at]] for name, field in cells.fields.items()}
        frame = self.engine.frames[self.kind]
        for name, read in self.computed:
            row[name] = read(frame.get_column(name)[at])
        self.made[key] = row
        return row

    def __iter__(self) -> Iterator[str]:
        return iter(self.order)

    def __len__(self) -> int:
        return len(self.order)

    def __contains__(self, key: object) -> bool:
        return key in self.order


class ColumnWorld(World):
    """`World` over the columns: rows made when read, a relation's members found when a
    subject's are asked for."""

    def __init__(self, engine: ColumnarEngine, history: History) -> None:
        self.engine = engine
        self.year = Decimal(engine.year)
        self.year_number = engine.year
        self.history = history
        self.made = {kind: Rows(engine, kind) for kind in engine.plan.kinds}
        self.rows = cast("dict[str, dict[str, dict[str, Any]]]", self.made)
        self.envs = {kind: Envs(self, kind, self.rows[kind]) for kind in engine.plan.kinds}
        self.relations = {}
        self.decisions = engine.decisions

    def relation(self, kind: str, name: str, key: str) -> tuple[str, ...]:
        relation = self.engine.relation(kind, name)
        owner: Any = key
        if relation.by is not None:
            frame = self.engine.frames[kind]
            owner = frame.get_column(relation.by)[self.made[kind].place(key)]
            if owner is None:
                return ()
        members = self.engine.frames[relation.member]
        found = members.filter(pl.col(relation.via) == owner).get_column(KEY).to_list()
        return tuple(sorted(found))


class ColumnView(RowEngine):
    """A `RowEngine` that has evaluated nothing itself: its rows, decisions, groups and
    league tables are the columnar engine's, read one subject at a time."""

    def __init__(self, engine: ColumnarEngine, compiled: Compiled, history: History) -> None:
        self.plan = engine.plan
        self.compiled = compiled
        self.world: ColumnWorld = ColumnWorld(engine, history)
        self.problems = []
        self.decisions = engine.decisions
        self.columnar = engine
        world = self.world
        self.inapplicable = cast("set[tuple[str, str, str]]", Inapplicable(engine, world.made))
        self.league = cast(
            "dict[tuple[str, str, str], tuple[int, Any]]", League(engine, world.made)
        )
        self.groups = {}
        self.pools = {}
        self.members: dict[tuple[str, str | None], _Members] = {}

    def group_of(self, kind: str, within: ir.Node | None) -> Grouping:
        """A group's members, found when the group is asked for."""
        name = within.name if isinstance(within, ir.Read) else None
        found = self.members.get((kind, name))
        if found is None:
            found = self.members[(kind, name)] = _Members(self.columnar, kind, name)
        return Grouping(cast("dict[Any, list[str]]", found), self._group(kind, name))

    def _group(self, kind: str, name: str | None) -> Callable[[str], Any]:
        group_of = self.columnar.group_of(kind, name)
        return group_of if group_of is not None else (lambda key: None)


class _Members(Mapping[Any, list[str]]):
    """Each group's keys in record order, by the group's value as validated: listed for
    every group the first time one is asked for (as the row engine's dict of groups)."""

    def __init__(self, engine: ColumnarEngine, kind: str, within: str | None) -> None:
        self.engine = engine
        self.kind = kind
        self.within = within
        self.made: dict[Any, list[str]] | None = None
        self.lock = threading.Lock()

    def groups(self) -> dict[Any, list[str]]:
        with self.lock:
            if self.made is None:
                self.made = self._groups()
            return self.made

    def _groups(self) -> dict[Any, list[str]]:
        found = self.engine.cells.get(self.kind)
        if found is None or not found.keys:
            return {}
        if self.within is None:
            return {None: list(found.keys)}
        cells = found.fields[self.within]
        given = cells.codes
        codes = given if isinstance(given, pl.Series) else pl.Series(given, dtype=pl.UInt32)
        frame = pl.DataFrame({"code": codes, KEY: pl.Series(found.keys, dtype=pl.String)})
        listed = frame.group_by("code", maintain_order=True).agg(pl.col(KEY))
        groups: dict[Any, list[str]] = {}
        for code, keys in listed.iter_rows():
            groups.setdefault(cells.values[code], []).extend(keys)
        return groups

    def __getitem__(self, group: Any) -> list[str]:
        return self.groups()[group]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.groups())

    def __len__(self) -> int:
        return len(self.groups())


class Inapplicable:
    """(kind, key, criterion) for a criterion whose `where` does not hold for the subject."""

    def __init__(self, engine: ColumnarEngine, rows: Mapping[str, Rows]) -> None:
        self.engine = engine
        self.rows = rows

    def __contains__(self, found: object) -> bool:
        if not (isinstance(found, tuple) and len(found) == 3):
            return False
        kind, key, name = found
        column = f"__where_{name}"
        frame = self.engine.frames.get(kind)
        if frame is None or column not in frame.columns or key not in self.rows[kind]:
            return False
        return frame.get_column(column)[self.rows[kind].place(key)] is not True


class League(Mapping[tuple[str, str, str], tuple[int, Any]]):
    """(kind, key, ranking) -> (place, group), read from the ranking's column."""

    def __init__(self, engine: ColumnarEngine, rows: Mapping[str, Rows]) -> None:
        self.engine = engine
        self.rows = rows

    def __getitem__(self, found: tuple[str, str, str]) -> tuple[int, Any]:
        kind, key, name = found
        if name not in self.engine.leagues or key not in self.rows[kind]:
            raise KeyError(found)
        at = self.rows[kind].place(key)
        place = self.engine.frames[kind].get_column(name)[at]
        _, within = self.engine.leagues[name]
        group_of = self.engine.group_of(kind, within)
        return int(place), group_of.at(at) if group_of is not None else None

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        raise TypeError("places are read one subject at a time")

    def __len__(self) -> int:
        raise TypeError("places are read one subject at a time")
