"""One population, two versions of the rules: each version reads the input columns it
declares and leaves the others, so that a version that adds (or drops) a field can be
compared on the data of the newer one. What a version left is listed, never silent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from emurules.data.cells import clean
from emurules.plan.schema import Schema


@attrs.frozen
class Ignored:
    """What one version did not read: column titles by kind, kinds it has no subjects of,
    and the award or value names of history rows it does not know."""

    columns: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    kinds: tuple[str, ...] = ()
    history: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.columns or self.kinds or self.history)


def restrict(
    schema: Schema,
    data: Mapping[str, Sequence[Mapping[Any, Any]]],
    history: Sequence[Mapping[Any, Any]],
) -> tuple[dict[str, list[dict[Any, Any]]], frozenset[tuple[str, int]], Ignored]:
    """The records this version reads, the history rows it leaves (as ("history", row),
    so that the others keep their numbers) and what it ignores. A column is read when its
    title (NFC, trimmed) is one of the kind's fields or their labels."""
    kept: dict[str, list[dict[Any, Any]]] = {}
    columns: dict[str, tuple[str, ...]] = {}
    kinds: list[str] = []
    for kind, rows in data.items():
        info = schema.kinds.get(clean(str(kind)))
        if info is None:
            kinds.append(str(kind))
            continue
        known = set(info.fields) | set(info.titles)
        left: dict[str, None] = {}
        out: list[dict[Any, Any]] = []
        for row in rows:
            record = {}
            for title, value in row.items():
                if clean(str(title)) in known:
                    record[title] = value
                else:
                    left.setdefault(str(title))
            out.append(record)
        kept[kind] = out
        if left:
            columns[str(kind)] = tuple(left)
    names = {name for info in schema.kinds.values() for name in info.names}
    former = None if _lineage(schema) else _former(schema, data, history)
    left_rows: set[tuple[str, int]] = set()
    unknown: dict[str, None] = {}
    for index, row in enumerate(history, start=1):
        if former is not None and (row.get("predecessor") not in (None, "") or _key(row) in former):
            unknown.setdefault("predecessor")  # a version that knows no merged units
            left_rows.add(("history", index))
            continue
        name = row.get("award") or row.get("name") or None  # a CSV's empty cells are ""
        if name is not None and clean(str(name)) not in names:
            unknown.setdefault(str(name))
            left_rows.add(("history", index))
    return (
        kept,
        frozenset(left_rows),
        Ignored(columns=columns, kinds=tuple(kinds), history=tuple(unknown)),
    )


def _lineage(schema: Schema) -> bool:
    return any(info.lineage is not None for info in schema.kinds.values())


def _key(row: Mapping[Any, Any]) -> str:
    return clean(str(row.get("key", "")))


def _former(
    schema: Schema,
    data: Mapping[str, Sequence[Mapping[Any, Any]]],
    history: Sequence[Mapping[Any, Any]],
) -> set[str]:
    """For a version without `lineage`: the predecessors named in the history that are no
    subject of the data (their rows would name nobody), and the merged units themselves."""
    named = {
        clean(str(r["predecessor"])) for r in history if r.get("predecessor") not in (None, "")
    }
    if not named:
        return set()
    current: set[str] = set()
    for kind, rows in data.items():
        info = schema.kinds.get(clean(str(kind)))
        if info is None:
            continue
        titles = {info.key, *(t for t, f in info.titles.items() if f == info.key)}
        for row in rows:
            current.update(clean(str(v)) for t, v in row.items() if clean(str(t)) in titles)
    return named - current
