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


def read_lineage(
    v: Validator,
    rows: list[Mapping[str, Any]],
    by_key: dict[str, dict[str, Record]],
    exclude: set[tuple[str, int]],
) -> Lineage:
    """The lineage rows of the history, checked; a problem is reported at its cell."""
    lineage = Lineage()
    found: dict[str, list[tuple[int, str, int, str | None, str]]] = {}
    for index, raw in enumerate(rows, start=1):
        if not isinstance(raw, Mapping) or "predecessor" not in raw:
            continue
        if exclude and ("history", index) in exclude:
            continue
        predecessor = _text(raw.get("predecessor"))
        if predecessor == "":
            continue  # a blank cell in a file whose other rows are awards and values
        lineage.rows.add(index)
        where = v.file("history"), index
        key = _text(raw.get("key"))
        if not key:
            v.error("required", message("data.history-needs-key"), (*where, "key"))
            continue
        year = _year(raw.get("year"))
        if year is None or year > v.year:
            v.error(
                "history_year",
                message("data.lineage-year", assessed=v.year),
                (*where, "year"),
            )
            continue
        kind = _text(raw.get("kind")) or None
        found.setdefault(key, []).append((index, predecessor, year, kind, key))
    known = {key: kind for kind, keys in by_key.items() for key in keys}
    kinds: dict[str, str] = {}

    def kind_of(key: str, seen: frozenset[str]) -> str | None:
        if key in known:
            return known[key]
        if key in kinds:
            return kinds[key]
        for successor, entries in found.items():
            if successor not in seen and any(e[1] == key for e in entries):
                kind = kind_of(successor, seen | {key})
                if kind is not None:
                    kinds[key] = kind
                    return kind
        return None

    for key, entries in found.items():
        index = entries[0][0]
        where = v.file("history"), index
        kind = kind_of(key, frozenset())
        stated = {e[3] for e in entries if e[3]}
        if kind is None or (stated and stated != {kind}):
            v.error(
                "dangling_reference",
                message("data.lineage-unknown", key=repr(key)),
                (*where, "key"),
            )
            continue
        rules = v.schema.kinds[kind].lineage
        for predecessor in (e[1] for e in entries):  # their rows are read, whatever comes
            if predecessor not in known:
                lineage.former.setdefault(kind, set()).add(predecessor)
        if rules is None:
            v.error(
                "unknown_field",
                message("data.lineage-undeclared", kind=kind),
                (*where, "predecessor"),
                hint=message(
                    "data.lineage-undeclared-hint",
                    example=f"lineage for {kind} {{ held any past mean }}",
                ),
            )
            continue
        years = {e[2] for e in entries}
        if len(years) > 1:
            v.error(
                "history_year",
                message("data.lineage-two-years", key=repr(key), years=tuple(sorted(years))),
                (v.file("history"), entries[1][0], "year"),
            )
            continue
        predecessors = tuple(dict.fromkeys(e[1] for e in entries))
        if key in predecessors:
            v.error(
                "dangling_reference",
                message("data.lineage-itself", key=repr(key)),
                (*where, "predecessor"),
            )
            continue
        lineage.formed[(kind, key)] = Formed(years.pop(), predecessors, *rules)
    _cycles(v, lineage, found)
    return lineage


def _cycles(
    v: Validator, lineage: Lineage, found: dict[str, list[tuple[int, str, int, str | None, str]]]
) -> None:
    """A unit cannot be among its own predecessors, however far back."""
    for (kind, key), formed in list(lineage.formed.items()):
        pending, seen = list(formed.predecessors), set()
        while pending:
            other = pending.pop()
            if other == key:
                v.error(
                    "dangling_reference",
                    message("data.lineage-cycle", key=repr(key)),
                    (v.file("history"), found[key][0][0], "predecessor"),
                )
                del lineage.formed[(kind, key)]
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
    if rule == "min":
        return min(values)
    if rule == "max":
        return max(values)
    total = sum(values, Decimal(0))
    if rule == "sum":
        return total
    return divide(total, Decimal(len(values)))


def _text(raw: Any) -> str:
    raw = cells.native(raw)
    if raw is None:
        return ""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    return cells.clean(raw) if isinstance(raw, str) else ""


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
