"""History rows -> past awards and past values, by subject.

A history row names a subject by its key (and, where two kinds share keys, its kind), a
past year, and either an award it received or a value it had (`name`, `value`). Cells are
read as records are: NFC, trimmed, under the same locale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any

import attrs

from emurules.data import cells
from emurules.data.common import all_of
from emurules.data.lineage import Formed, inherit, read_lineage
from emurules.i18n import message
from emurules.plan.schema import NUMBER
from emurules.suggest import suggest

if TYPE_CHECKING:
    from emurules.data.validate import Record, Validator, Where


@attrs.define
class History:
    """Past awards and past values, by (kind, key). The awards of a year are a frozenset
    shared by every subject that received the same ones (most people share a handful)."""

    awards: dict[tuple[str, str], dict[int, frozenset[str]]] = attrs.field(factory=dict)
    values: dict[tuple[str, str, str, int], Any] = attrs.field(factory=dict)
    # subjects formed from others (merged, renamed): their years before are inherited
    lineage: dict[tuple[str, str], Formed] = attrs.field(factory=dict)

    def received(self, kind: str, key: str, award: str, year: int) -> bool:
        return award in self.awards.get((kind, key), {}).get(year, _NONE)


_NONE: frozenset[str] = frozenset()


def read_history(
    v: Validator,
    rows: list[Mapping[str, Any]],
    by_key: dict[str, dict[str, Record]],
    exclude: set[tuple[str, int]],
) -> History:
    lineage = read_lineage(v, rows, by_key, exclude)
    if lineage.former:  # predecessors' own rows name keys of no data file
        by_key = {
            kind: {**keys, **dict.fromkeys(lineage.former.get(kind, ()))}  # type: ignore[dict-item]
            for kind, keys in by_key.items()
        }
    reader = _Reader(v, by_key, rows, exclude | {("history", i) for i in lineage.rows})
    reader.since = {who: formed.since for who, formed in lineage.formed.items()}
    reader.read(len(rows))
    inherit(reader.history, lineage)
    return reader.history


class _Reader:
    """Reads the history rows: the past awards and values taken so far, the rows that
    gave them, and what speeds up the next rows (years and sets of awards made before).

    Which row first gave an award is needed only to report a second row giving it again,
    so it is not kept for every row: the awards taken tell that a row repeats one, and at
    the first such row the rows before it are read once more, silently, to find out.
    """

    def __init__(
        self,
        v: Validator,
        by_key: dict[str, dict[str, Record]],
        rows: list[Mapping[str, Any]],
        exclude: set[tuple[str, int]],
        *,
        tracking: bool = False,
    ) -> None:
        self.v = v
        self.by_key = by_key
        self.rows = rows
        self.exclude = exclude
        self.history = History()
        # (kind, key, year, name) -> the row that gave it: always for values, and for
        # awards once `tracking`
        self.seen: dict[tuple[str, str, int, str], int] = {}
        self.tracking = tracking
        self.years: dict[str | int, int] = {}
        self.grown: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        self.since: dict[tuple[str, str], int] = {}  # subjects formed from others

    def read(self, stop: int) -> None:
        """Read the first `stop` rows."""
        v = self.v
        plain = v.plain_titles.get
        file = v.file("history")
        exclude = self.exclude
        award = self.award_reader()
        for index, raw_row in enumerate(islice(self.rows, stop), start=1):
            if exclude and ("history", index) in exclude:
                continue
            if type(raw_row) is dict and plain(tuple(raw_row)) and award(index, raw_row):
                continue
            place: Where = (file, index, None)
            if not isinstance(raw_row, Mapping):
                v.error("type", message("data.history-row-not-a-mapping"), place)
                continue
            row, _ = v.titles("history", index, raw_row)
            start = len(v.found)
            _row(v, self, self.by_key, index, place, row)
            if len(v.found) > start:
                key = _key(row.get("key"))
                if key:
                    v.keyed(start, key)

    def award_reader(self) -> Callable[[int, dict[Any, Any]], bool]:
        """What takes a sound award row (key, year, award; the kind if it is given) in a
        few steps. Any other row is left to `_row`, which reads it the full way and reports
        its problems: then it returns False, having changed nothing."""
        kinds = list(self.by_key.items())
        awards_of = {
            kind: frozenset(info.names_of("award")) for kind, info in self.v.schema.kinds.items()
        }
        assessed = self.v.year
        since = self.since
        taken = self.history.awards
        years_read = self.years
        grown_from = self.grown
        year_of = self.year
        clean = cells.clean

        def award(index: int, row: dict[Any, Any]) -> bool:
            key = row.get("key")
            award = row.get("award")
            if type(key) is not str or type(award) is not str:
                return False
            key = key.strip() if key.isascii() else clean(key)
            award = award.strip() if award.isascii() else clean(award)
            kind = row.get("kind")
            name = row.get("name")
            if not key or not award or not (name is None or type(name) is str):
                return False
            if kind is not None:
                if type(kind) is not str:
                    return False
                kind = clean(kind)
            found = None
            for candidate, keys in kinds:
                if key in keys and (not kind or candidate == kind):
                    if found is not None:
                        return False
                    found = candidate
            if found is None or award not in awards_of[found]:
                return False
            raw = row.get("year")
            year = years_read.get(raw) if type(raw) is int or type(raw) is str else None
            if year is None:
                year = year_of(raw)
                if year is None:
                    return False
            if year >= assessed:
                return False
            who = (found, key)
            if since and year < since.get(who, year):
                return False
            years = taken.get(who)
            if years is None:
                years = taken[who] = {}
            had = years.get(year, _NONE)
            if award in had:
                return False
            grown = grown_from.get((had, award))
            if grown is None:
                grown = grown_from[(had, award)] = had | {award}
            years[year] = grown
            if self.tracking:
                self.seen[(found, key, year, award)] = index
            return True

        return award

    def year(self, raw: Any) -> int | None:
        """The year of a cell that is a sound year, remembered; None for any other."""
        if type(raw) is not str and type(raw) is not int:
            return None
        cell = cells.clean(raw) if isinstance(raw, str) else raw
        found = cells.number(cell, "int", self.v.locale) if cell != "" else None
        if not isinstance(found, tuple):
            return None
        year = int(found[0])
        if len(self.years) < 64:
            self.years[raw] = year
        return year

    def given(
        self, kind: str, key: str, year: int, name: str, award: bool, index: int
    ) -> int | None:
        """The row before `index` that already gave this award or value, if any."""
        marker = (kind, key, year, name)
        if not award or self.tracking:
            return self.seen.get(marker)
        if name not in self.history.awards.get((kind, key), {}).get(year, _NONE):
            return None
        again = _Reader(self.v.muted(), self.by_key, self.rows, self.exclude, tracking=True)
        again.since = self.since
        again.read(index - 1)
        self.seen = again.seen
        self.tracking = True
        return self.seen[marker]

    def take(self, kind: str, key: str, year: int, name: str, index: int, award: bool) -> None:
        if award:
            years = self.history.awards.setdefault((kind, key), {})
            had = years.get(year, _NONE)
            years[year] = self.grown.setdefault((had, name), had | {name})
        if not award or self.tracking:
            self.seen[(kind, key, year, name)] = index


def _row(
    v: Validator,
    reader: _Reader,
    by_key: dict[str, dict[str, Record]],
    index: int,
    place: Where,
    row: Mapping[str, Any],
) -> None:
    cleaned = {k: cells.clean(v) if isinstance(v, str) else cells.native(v) for k, v in row.items()}
    cell = cleaned.get

    key = cell("key")
    if key is None or key == "":
        v.error("required", message("data.history-needs-key"), (place[0], place[1], "key"))
        return
    if not isinstance(key, str | int) or isinstance(key, bool):
        v.error(
            "type", message("data.not-a-key", value=cells.shown(key)), (place[0], place[1], "key")
        )
        return
    key = key if isinstance(key, str) else cells.shown(key)
    kinds = [k for k, keys in by_key.items() if key in keys]
    kind_cell = cell("kind")
    for column in ("kind", "award", "name"):
        found = kind_cell if column == "kind" else cell(column)
        if found not in (None, "") and not isinstance(found, str):
            v.error(
                "type",
                message("data.not-a-name", value=cells.shown(found)),
                (place[0], place[1], column),
            )
            return
    if kind_cell:
        kinds = [k for k in kinds if k == kind_cell]
    if not kinds:
        v.error(
            "dangling_reference",
            message("data.no-subject-has-key", key=repr(key)),
            (place[0], place[1], "key"),
        )
        return
    if len(kinds) > 1:
        v.error(
            "required",
            message("data.key-of-several-kinds", key=repr(key), kinds=all_of(kinds)),
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
            message("data.history-year-not-before", year=year, assessed=v.year),
            (place[0], place[1], "year"),
        )
        return
    formed = reader.since.get((kind, key))
    if formed is not None and year < formed:
        v.error(
            "history_year",
            message("data.history-before-formed", key=repr(key), since=formed),
            (place[0], place[1], "year"),
            hint=message("data.history-before-formed-hint"),
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
            text = (
                message("data.award-of-another-kind", award=str(award), owner=owner[0], kind=kind)
                if owner
                else message("data.no-such-award", kind=kind, award=str(award))
            )
            awards = info.names_of("award")
            v.error(
                "unknown_award",
                text,
                (place[0], place[1], "award"),
                hint=suggest(str(award), awards),
            )
            return
    elif symbol is None or symbol.sort in ("relation", "year", "ranking", "award"):
        v.error(
            "unknown_field",
            message("data.no-such-name", kind=kind, name=str(name)),
            (place[0], place[1], "name"),
            hint=suggest(str(name or ""), info.names),
        )
        return
    given = award not in (None, "")
    first = reader.given(kind, key, year, str(name), given, index)
    if first is not None:
        v.error(
            "duplicate_key",
            message(
                "data.history-given-twice",
                row=first,
                name=str(name),
                key=repr(key),
                year=year,
            ),
            (place[0], place[1], field_name),
        )
        return
    reader.take(kind, key, year, str(name), index, given)
    if given:
        return
    declared = symbol.type if symbol.type is not None else NUMBER
    value = v.convert(
        cells.native(row.get("value")),
        attrs.evolve(declared, optional=False),
        (place[0], place[1], "value"),
        None,
    )
    if value is not None:
        reader.history.values[(kind, key, str(name), year)] = value


def _key(raw: Any) -> str | None:
    """The key a history row names, as its problems name it."""
    raw = cells.native(raw)
    if isinstance(raw, str):
        return cells.clean(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return cells.shown(raw)
    return None


def _year(v: Validator, raw: Any, place: Where) -> int | None:
    """A history year: a whole number written out (2024), as text or a number cell."""
    found = cells.number(raw, "int", v.locale) if raw not in (None, "") else None
    if isinstance(found, tuple):
        return int(found[0])
    if isinstance(found, cells.Problem) and found.kind == "limit":
        v.problem(found, place)
        return None
    v.error("type", message("data.not-a-year", value=cells.shown(raw)), place)
    return None
