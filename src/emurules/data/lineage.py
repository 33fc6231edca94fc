"""Lineage: subjects merged or renamed keep their history.

A history row with a `predecessor` (`key, year, predecessor`) says that subject `key` was
formed in `year` from `predecessor` (one row per predecessor; a renamed unit has one). For
the years before it was formed, the subject's history is its predecessors' (theirs in
turn, for a chain of merges), combined as its kind's `lineage` declaration says: an award
was held when any (or all) of them held it; a past value is the mean (min, max, sum) of
theirs, and missing when one of them has none (missing data never earns points).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

import attrs

from emurules.arithmetic import EXACT, divide
from emurules.data import cells
from emurules.data.common import all_of
from emurules.i18n import message

if TYPE_CHECKING:
    from emurules.data.history import History
    from emurules.data.validate import Record, Validator


@attrs.frozen
class Formed:
    """A subject formed in `since` from `predecessors` (keys of its kind, as written)."""

    since: int
    predecessors: tuple[str, ...]
    held: str  # "any" | "all"
    past: str  # "mean" | "min" | "max" | "sum"


@attrs.define
class Lineage:
    """The lineage rows of a history: who was formed from whom, the predecessors' keys by
    kind (they are subjects of no data file), and the rows that said it."""

    formed: dict[tuple[str, str], Formed] = attrs.field(factory=dict)
    former: dict[str, set[str]] = attrs.field(factory=dict)
    rows: set[int] = attrs.field(factory=set)


@attrs.frozen
class _Row:
    index: int
    predecessor: str
    year: int
    kind: str | None


def read_lineage(
    v: Validator,
    rows: list[Mapping[str, Any]],
    by_key: dict[str, dict[str, Record]],
    exclude: set[tuple[str, int]],
) -> Lineage:
    """The lineage rows of the history, checked; a problem is reported at its cell, and at
    the merged subject's own record: assessed on part of its history, it could get a title
    it should not (with `skip_invalid` it is set aside)."""
    lineage = Lineage()
    found: dict[str, list[_Row]] = {}
    bad: set[str] = set()
    for index, raw in enumerate(rows, start=1):
        if not isinstance(raw, Mapping) or "predecessor" not in raw:
            continue
        if exclude and ("history", index) in exclude:
            continue
        cell = cells.native(raw.get("predecessor"))
        if cell is None or (isinstance(cell, str) and cells.clean(cell) == ""):
            continue  # a blank cell in a file whose other rows are awards and values
        lineage.rows.add(index)
        row = _row(v, raw, index, cell)
        key = _key(raw.get("key"))
        if row is None:
            if key:
                bad.add(key)
            continue
        found.setdefault(key or "", []).append(row)
    current: dict[str, list[str]] = {}
    for kind, keys in by_key.items():
        for key in keys:
            current.setdefault(key, []).append(kind)
    for key, entries in found.items():
        formed = _formed(v, lineage, found, current, key, entries)
        if formed is None:
            bad.add(key)
    _cycles(v, lineage, found, bad)
    for key in sorted(bad):
        for kind in current.get(key, ()):
            record = by_key[kind][key]
            v.error(
                "dangling_reference",
                message("data.lineage-refused", key=repr(key)),
                record.place,
                hint=message("data.lineage-refused-hint"),
            )
    return lineage


def _row(v: Validator, raw: Mapping[str, Any], index: int, cell: Any) -> _Row | None:
    """One lineage row's cells, or None once its problems are reported."""
    file = v.file("history")
    predecessor = _key(cell)
    if predecessor is None:
        v.error(
            "type", message("data.not-a-key", value=cells.shown(cell)), (file, index, "predecessor")
        )
        return None
    raw_key = cells.native(raw.get("key"))
    key = _key(raw_key)
    if key is None or key == "":
        if raw_key is None or raw_key == "":
            v.error("required", message("data.history-needs-key"), (file, index, "key"))
        else:
            v.error(
                "type", message("data.not-a-key", value=cells.shown(raw_key)), (file, index, "key")
            )
        return None
    said = [c for c in ("award", "name", "value") if cells.native(raw.get(c)) not in (None, "")]
    if said:
        v.error(
            "unknown_field",
            message("data.lineage-says-more", column=said[0]),
            (file, index, said[0]),
            hint=message("data.lineage-says-more-hint"),
        )
        return None
    year = _year(raw.get("year"))
    if year is None or year > v.year:
        v.error(
            "history_year", message("data.lineage-year", assessed=v.year), (file, index, "year")
        )
        return None
    kind = cells.native(raw.get("kind"))
    if kind not in (None, "") and not isinstance(kind, str):
        v.error("type", message("data.not-a-name", value=cells.shown(kind)), (file, index, "kind"))
        return None
    return _Row(index, predecessor, year, cells.clean(kind) if kind else None)


def _formed(
    v: Validator,
    lineage: Lineage,
    found: dict[str, list[_Row]],
    current: dict[str, list[str]],
    key: str,
    entries: list[_Row],
) -> Formed | None:
    """The subject `key` formed from its rows' predecessors, or None once a problem is
    reported."""
    file = v.file("history")
    stated = {e.kind for e in entries if e.kind}
    kinds = _kinds(key, found, current, frozenset())
    if stated:
        kinds = [k for k in kinds if k in stated]
    if len(kinds) > 1:
        v.error(
            "required",
            message("data.key-of-several-kinds", key=repr(key), kinds=all_of(kinds)),
            (file, entries[0].index, "kind"),
        )
        return None
    if not kinds or len(stated) > 1:
        v.error(
            "dangling_reference",
            message("data.lineage-unknown", key=repr(key)),
            (file, entries[0].index, "key"),
        )
        return None
    kind = kinds[0]
    rules = v.schema.kinds[kind].lineage
    for entry in entries:  # their rows are read, whatever comes of this one
        if kind not in current.get(entry.predecessor, ()):
            lineage.former.setdefault(kind, set()).add(entry.predecessor)
    if rules is None:
        v.error(
            "unknown_field",
            message("data.lineage-undeclared", kind=kind),
            (file, entries[0].index, "predecessor"),
            hint=message(
                "data.lineage-undeclared-hint",
                example=f"lineage for {kind} {{ held any past mean }}",
            ),
        )
        return None
    years = sorted({e.year for e in entries})
    if len(years) > 1:
        later = next(e for e in entries if e.year != entries[0].year)
        v.error(
            "history_year",
            message("data.lineage-two-years", key=repr(key), years=tuple(years)),
            (file, later.index, "year"),
        )
        return None
    predecessors = tuple(dict.fromkeys(e.predecessor for e in entries))
    if key in predecessors:
        v.error(
            "dangling_reference",
            message("data.lineage-itself", key=repr(key)),
            (file, entries[0].index, "predecessor"),
        )
        return None
    formed = Formed(years[0], predecessors, *rules)
    lineage.formed[(kind, key)] = formed
    return formed


def _kinds(
    key: str, found: dict[str, list[_Row]], current: dict[str, list[str]], seen: frozenset[str]
) -> list[str]:
    """The kinds `key` may be of: those with a subject of that key, else those of the units
    formed from it."""
    if key in current:
        return current[key]
    kinds: dict[str, None] = {}
    for successor, entries in found.items():
        if successor not in seen and any(e.predecessor == key for e in entries):
            kinds.update(dict.fromkeys(_kinds(successor, found, current, seen | {key})))
    return list(kinds)


def _cycles(v: Validator, lineage: Lineage, found: dict[str, list[_Row]], bad: set[str]) -> None:
    """A unit cannot be among its own predecessors, however far back."""
    for (kind, key), formed in list(lineage.formed.items()):
        pending, seen = list(formed.predecessors), set()
        while pending:
            other = pending.pop()
            if other == key:
                v.error(
                    "dangling_reference",
                    message("data.lineage-cycle", key=repr(key)),
                    (v.file("history"), found[key][0].index, "predecessor"),
                )
                del lineage.formed[(kind, key)]
                bad.add(key)
                break
            if other not in seen:
                seen.add(other)
                more = lineage.formed.get((kind, other))
                pending.extend(more.predecessors if more is not None else ())


def inherit(history: History, lineage: Lineage) -> None:
    """Fill each formed subject's years before it was formed from its predecessors'."""
    history.lineage = dict(lineage.formed)
    if not lineage.formed:
        return
    own_awards = {who: dict(years) for who, years in history.awards.items()}
    own_values = dict(history.values)
    names: dict[tuple[str, str], set[tuple[str, int]]] = {}
    for kind, key, name, year in own_values:
        names.setdefault((kind, key), set()).add((name, year))

    def awards(kind: str, key: str, year: int) -> frozenset[str]:
        formed = lineage.formed.get((kind, key))
        if formed is None or year >= formed.since:
            return frozenset(own_awards.get((kind, key), {}).get(year, frozenset()))
        sets = [awards(kind, p, year) for p in formed.predecessors]
        if formed.held == "any":
            return frozenset().union(*sets)
        return frozenset.intersection(*sets)

    def value(kind: str, key: str, name: str, year: int) -> Any:
        formed = lineage.formed.get((kind, key))
        if formed is None or year >= formed.since:
            return own_values.get((kind, key, name, year))
        found = [value(kind, p, name, year) for p in formed.predecessors]
        if any(v is None for v in found):
            return None
        return _combine(formed.past, found)

    def years(kind: str, key: str) -> set[int]:
        formed = lineage.formed.get((kind, key))
        mine = set(own_awards.get((kind, key), {}))
        mine |= {y for _, y in names.get((kind, key), ())}
        if formed is not None:
            mine = {y for y in mine if y >= formed.since}
            for p in formed.predecessors:
                mine |= {y for y in years(kind, p) if y < formed.since}
        return mine

    def value_names(kind: str, key: str) -> set[str]:
        formed = lineage.formed.get((kind, key))
        mine = {n for n, _ in names.get((kind, key), ())}
        for p in formed.predecessors if formed is not None else ():
            mine |= value_names(kind, p)
        return mine

    with localcontext(EXACT):
        for (kind, key), formed in lineage.formed.items():
            for year in sorted(years(kind, key)):
                if year >= formed.since:
                    continue
                held = awards(kind, key, year)
                if held:
                    history.awards.setdefault((kind, key), {})[year] = held
                for name in value_names(kind, key):
                    found = value(kind, key, name, year)
                    if found is not None:
                        history.values[(kind, key, name, year)] = found


def _combine(rule: str, values: list[Any]) -> Any:
    """The predecessors' values combined; None (missing) for values the rule cannot combine:
    no `past` reads them (the checker refuses such a read, E0316)."""
    if rule in ("min", "max"):
        if len({type(value) for value in values}) > 1 or isinstance(values[0], bool | str):
            return None
        return min(values) if rule == "min" else max(values)
    if not all(isinstance(value, Decimal) for value in values):
        return None
    total = sum(values, Decimal(0))
    if rule == "sum":
        return total
    return divide(total, Decimal(len(values)))


def _key(raw: Any) -> str | None:
    """A key as history rows name one: a text (NFC, trimmed) or a whole number; None for
    any other value ("" for none)."""
    raw = cells.native(raw)
    if raw is None:
        return ""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    return cells.clean(raw) if isinstance(raw, str) else None


def _year(raw: Any) -> int | None:
    raw = cells.native(raw)
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Decimal) and raw == raw.to_integral_value():
        return int(raw)
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None
