"""History rows -> past awards and past values, by subject.

A history row names a subject by its key (and, where two kinds share keys, its kind), a
past year, and either an award it received or a value it had (`name`, `value`). Cells are
read as records are: NFC, trimmed, under the same locale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from emurules.data import cells
from emurules.plan.schema import NUMBER
from emurules.suggest import suggest

if TYPE_CHECKING:
    from emurules.data.validate import Record, Validator, Where


@attrs.define
class History:
    """Past awards and past values, by (kind, key)."""

    awards: dict[tuple[str, str], dict[int, set[str]]] = attrs.field(factory=dict)
    values: dict[tuple[str, str, str, int], Any] = attrs.field(factory=dict)

    def received(self, kind: str, key: str, award: str, year: int) -> bool:
        return award in self.awards.get((kind, key), {}).get(year, set())


def read_history(
    v: Validator,
    rows: list[Mapping[str, Any]],
    by_key: dict[str, dict[str, Record]],
    exclude: set[tuple[str, int]],
) -> History:
    history = History()
    seen: dict[tuple[str, str, int, str], int] = {}
    file = v.file("history")
    for index, raw_row in enumerate(rows, start=1):
        if ("history", index) in exclude:
            continue
        place: Where = (file, index, None)
        if not isinstance(raw_row, Mapping):
            v.error("type", "a history row must be a mapping of column titles to values", place)
            continue
        row, _ = v.titles("history", index, raw_row)
        _row(v, history, seen, by_key, index, place, row)
    return history


def _row(
    v: Validator,
    history: History,
    seen: dict[tuple[str, str, int, str], int],
    by_key: dict[str, dict[str, Record]],
    index: int,
    place: Where,
    row: Mapping[str, Any],
) -> None:
    cleaned = {k: cells.clean(v) if isinstance(v, str) else v for k, v in row.items()}
    cell = cleaned.get

    key = cell("key")
    if key is None or key == "":
        v.error("required", "a history row needs a key", (place[0], place[1], "key"))
        return
    if not isinstance(key, str | int) or isinstance(key, bool):
        v.type_error(key, "a key", (place[0], place[1], "key"))
        return
    key = key if isinstance(key, str) else cells.shown(key)
    kinds = [k for k, keys in by_key.items() if key in keys]
    kind_cell = cell("kind")
    for column in ("kind", "award", "name"):
        found = kind_cell if column == "kind" else cell(column)
        if found not in (None, "") and not isinstance(found, str):
            v.type_error(found, "a name", (place[0], place[1], column))
            return
    if kind_cell:
        kinds = [k for k in kinds if k == kind_cell]
    if not kinds:
        v.error(
            "dangling_reference",
            f"no subject has the key {key!r}",
            (place[0], place[1], "key"),
        )
        return
    if len(kinds) > 1:
        v.error(
            "required",
            f"the key {key!r} is used by {' and '.join(kinds)}; add a 'kind' column",
            (place[0], place[1], "kind"),
        )
        return
    kind = kinds[0]
    year = _year(v, cell("year"), (place[0], place[1], "year"))
    if year is None:
        return
    if year >= v.year:
        v.error(
            "history_year",
            f"history year {year} is not before the assessment year {v.year}",
            (place[0], place[1], "year"),
        )
        return
    info = v.schema.kinds[kind]
    award = cell("award")
    name = award if award not in (None, "") else cell("name")
    field_name = "award" if award not in (None, "") else "name"
    symbol = info.names.get(str(name)) if name else None
    if award not in (None, ""):
        if symbol is None or symbol.sort != "award":
            owner = [
                k
                for k, i in v.schema.kinds.items()
                if (s := i.names.get(str(award))) is not None and s.sort == "award"
            ]
            message = (
                f"'{award}' is an award of {owner[0]}, not of {kind}"
                if owner
                else f"{kind} has no award '{award}'"
            )
            awards = info.names_of("award")
            v.error(
                "unknown_award",
                message,
                (place[0], place[1], "award"),
                hint=suggest(str(award), awards),
            )
            return
    elif symbol is None or symbol.sort in ("relation", "year", "ranking", "award"):
        v.error(
            "unknown_field",
            f"{kind} has no field, criterion, let or score '{name}'",
            (place[0], place[1], "name"),
            hint=suggest(str(name or ""), info.names),
        )
        return
    marker = (kind, key, year, str(name))
    if marker in seen:
        v.error(
            "duplicate_key",
            f"row {seen[marker]} already gives {name} of {key!r} for {year}",
            (place[0], place[1], field_name),
        )
        return
    seen[marker] = index
    if award not in (None, ""):
        history.awards.setdefault((kind, key), {}).setdefault(year, set()).add(str(award))
        return
    declared = symbol.type if symbol.type is not None else NUMBER
    value = v.convert(
        row.get("value"),
        attrs.evolve(declared, optional=False),
        (place[0], place[1], "value"),
        None,
    )
    if value is not None:
        history.values[(kind, key, str(name), year)] = value


def _year(v: Validator, raw: Any, place: Where) -> int | None:
    """A history year: a whole number written out (2024), as text or a number cell."""
    found = cells.number(raw, "int", v.locale) if raw not in (None, "") else None
    if isinstance(found, tuple):
        return int(found[0])
    if isinstance(found, cells.Problem) and found.kind == "limit":
        v.problem(found, place)
        return None
    v.type_error(raw, "a year", place)
    return None
