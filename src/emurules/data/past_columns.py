"""The history read as columns, for the columnar engine: past awards checked by Polars at
once (from a frame's own columns, or from plain dict rows), else the rows read the usual
way (`data/history.py`) against the keys read as columns (`data/columns.py`)."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any, cast

from emurules.data.cells import clean as clean_cell
from emurules.data.columns import KindCells, key_series
from emurules.data.frames import FrameRows, polars_list
from emurules.data.history import History, read_history
from emurules.data.records import Record
from emurules.data.validate import Validator, locale_of
from emurules.plan.schema import Schema


def read_past(
    schema: Schema,
    cells: Mapping[str, KindCells],
    rows: Sequence[Mapping[Any, Any]],
    *,
    year: int,
    locale: str | None,
    sources: Mapping[str, str] | None,
) -> History | None:
    """The history rows read the usual way (`data/history.py`) against the keys read as
    columns, or None if any has a problem (then everything is validated the usual way)."""
    plain = _award_rows(schema, cells, rows, year)
    if plain is not None:
        return plain
    validator = Validator(schema, year, dict(sources or {}), locale_of(schema, locale))
    by_key = {
        kind: _Records(kind, validator.file(kind), found.keys) for kind, found in cells.items()
    }
    past = read_history(validator, list(rows), by_key, set())  # type: ignore[arg-type]
    return None if validator.found else past


_AWARD_ROW = ("key", "year", "award")
_THREE = len(_AWARD_ROW)
_EARLIEST = 1000  # a year before this is read the usual way (which says what it makes of it)


def _award_rows(
    schema: Schema, cells: Mapping[str, KindCells], rows: Sequence[Mapping[Any, Any]], year: int
) -> History | None:
    """The history, when every row is plainly a past award (a dict of exactly `key`, `year`
    and `award`: a clean text that is the key of one kind's subject, a whole year before
    this one, a clean text naming an award of that kind, no row twice), checked by Polars
    at once; else None, and the rows are read one by one (`data/history.py`), which reads
    such rows as given and reports any problem. The awards by subject are listed only
    when something reads them (`ColumnHistory`): the columnar engine reads the rows."""
    if not rows:
        return None
    try:
        native = _native_awards(rows)
        if native is not None:  # a frame's own columns, not a dict a row
            return _checked_awards(schema, cells, native, year)
    except Exception:  # a year beyond 64 bits, say: the rows' way
        return None
    if set(map(type, rows)) != {dict}:
        return None
    dicts = cast("Sequence[dict[Any, Any]]", rows)
    # exactly `key`, `year` and `award`: three entries, each of the three found (a length
    # is cheaper to compare than a set of keys, millions of times)
    if not all(map(_THREE.__eq__, map(len, dicts))):
        return None
    try:
        listed = {name: list(map(itemgetter(name), dicts)) for name in _AWARD_ROW}
    except KeyError:
        return None
    wanted = {"key": {str}, "year": {int}, "award": {str}}
    if any(set(map(type, listed[name])) != types for name, types in wanted.items()):
        return None
    try:
        import polars as pl  # this path serves the columnar engine, which has Polars

        types = {"key": pl.String, "year": pl.Int64, "award": pl.String}
        columns = {name: pl.Series(listed[name], dtype=types[name]) for name in _AWARD_ROW}
        return _checked_awards(schema, cells, columns, year)
    except Exception:  # a year beyond 64 bits, say: the rows' way
        return None


def _native_awards(rows: Sequence[Mapping[Any, Any]]) -> dict[str, Any] | None:
    """A Polars or Arrow frame's columns `key`, `year`, `award` (and no other) as Polars
    series of texts and whole years, when they hold what a dict a row would (no cell
    missing); else None. So a history given as a frame is not made into a dict a row."""
    if not isinstance(rows, FrameRows):
        return None
    native = rows.native()
    if native is None or sorted(map(str, rows.names)) != sorted(_AWARD_ROW):
        return None
    import polars as pl

    found: dict[str, Any] = {}
    for name, column in zip(rows.names, native, strict=True):
        series = column if isinstance(column, pl.Series) else pl.from_arrow(column)
        if not isinstance(series, pl.Series) or series.null_count():
            return None
        dtype = series.dtype
        if name == "year":
            if not dtype.is_integer():
                return None
            found[name] = series.cast(pl.Int64, strict=True)
        elif dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum):
            found[name] = series.cast(pl.String)
        else:
            return None
    return found


def _checked_awards(
    schema: Schema, cells: Mapping[str, KindCells], columns: dict[str, Any], year: int
) -> History | None:
    """The checks of `_award_rows`. A key is a validated (clean) value, and so is an award's
    name: a cell equal to one is clean, and reads as itself. Two rows that hash alike
    are taken for one (then the rows are read one by one, which tells)."""
    import polars as pl  # this path serves the columnar engine, which has Polars

    owners = [kind for kind, found in cells.items() if len(found.keys)]
    names = {kind: schema.kinds[kind].names_of("award") for kind in owners}
    if not owners or any(clean_cell(n) != n for found in names.values() for n in found):
        return None
    frame = pl.DataFrame({name: columns[name].alias(name) for name in _AWARD_ROW})
    key, award = pl.col("key"), pl.col("award")
    inside = [f"__in{i}" for i in range(len(owners))]
    frame = frame.with_columns(
        key.is_in(key_series(cells[kind].keys, "key").implode()).alias(name)
        for kind, name in zip(owners, inside, strict=True)
    )
    kind: Any = pl.lit(None, dtype=pl.String)
    known: Any = pl.lit(False)
    for owner, name in zip(reversed(owners), reversed(inside), strict=True):
        kind = pl.when(pl.col(name)).then(pl.lit(owner)).otherwise(kind)
        known = pl.when(pl.col(name)).then(award.is_in(names[owner])).otherwise(known)
    ok = frame.select(
        (pl.sum_horizontal([pl.col(n).cast(pl.UInt8) for n in inside]) == 1).all().alias("one"),
        known.fill_null(False).all().alias("awards"),
        pl.col("year").is_between(_EARLIEST, year - 1).all().alias("years"),
        pl.struct("key", "year", "award").hash().is_unique().all().alias("once"),
    )
    if not all(ok.row(0)):
        return None
    return ColumnHistory(frame.select(kind.alias("kind"), "key", "year", "award"))


class ColumnHistory(History):
    """A history of past awards only, held as Polars rows (kind, key, year, award) in
    their order: the columnar engine reads them as they are (`rows`); the awards by
    subject (what the row engine's explanations read) are made the first time they are
    read, as `data/history.py` makes them. It pickles as the `History` it stands for."""

    def __init__(self, rows: Any) -> None:
        self.rows = rows
        self._awards: dict[tuple[str, str], dict[int, frozenset[str]]] | None = None
        self._lock = threading.Lock()
        super().__init__(values={}, lineage={})

    @property
    def awards(self) -> dict[tuple[str, str], dict[int, frozenset[str]]]:
        with self._lock:
            if self._awards is None:
                self._awards = _by_subject(self.rows)
            return self._awards

    @awards.setter
    def awards(self, value: dict[tuple[str, str], dict[int, frozenset[str]]]) -> None:
        if value:  # attrs' __init__ sets the empty default: the rows stand for it
            self._awards = value

    def __reduce__(self) -> tuple[Any, ...]:
        return (History, (self.awards, self.values, self.lineage))

    def given(self) -> Sequence[dict[Any, Any]]:
        """The rows as they were given (`key`, `year`, `award`), each made when read:
        the columns are the snapshot, so a caller's list is not copied."""
        frame = self.rows.select("key", "year", "award")
        return FrameRows(list(frame.columns), frame.get_columns(), frame.height, polars_list,
                         "polars")  # fmt: skip


def _by_subject(rows: Any) -> dict[tuple[str, str], dict[int, frozenset[str]]]:
    """The awards of each subject by year, in the order of the rows, each year's set
    shared by every subject that received the same ones (as `data/history.py` keeps them)."""
    found: dict[tuple[str, str], dict[int, frozenset[str]]] = {}
    grown: dict[tuple[frozenset[str], str], frozenset[str]] = {}
    none: frozenset[str] = frozenset()
    for kind, key, year, award in rows.iter_rows():
        who = (kind, key)
        years = found.get(who)
        if years is None:
            years = found[who] = {}
        had = years.get(year, none)
        made = grown.get((had, award))
        if made is None:
            made = grown[(had, award)] = had | {award}
        years[year] = made
    return found


class _Records(dict[str, Any]):
    """A kind's keys, as the history reader asks for its records (a dict, so that `in`
    costs what a dict's does): each made only when a problem has to name its place."""

    def __init__(self, kind: str, file: str, keys: Sequence[str]) -> None:
        super().__init__(zip(keys, range(1, len(keys) + 1), strict=True))
        self.kind = kind
        self.file = file

    def __getitem__(self, key: str) -> Record:
        return Record(self.kind, key, {}, self.file, super().__getitem__(key))
