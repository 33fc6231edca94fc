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
            arrow = isinstance(rows, FrameRows) and rows.library == "arrow"
            # Arrow arrays cannot change: the rows as given are the caller's own
            given = cast("FrameRows", rows) if arrow else None
            return _checked_awards(schema, cells, native, year, given)
    except Exception:  # a year beyond 64 bits, say: the rows' way
        return None
    if set(map(type, rows)) != {dict}:
        return None
    dicts = cast("Sequence[dict[Any, Any]]", rows)
    # exactly `key`, `year` and `award`: each of the three found, so every row has at least
    # three entries, and no more when they add up to three a row (lengths are cheaper to
    # add than sets of keys to compare, millions of times)
    try:
        listed = {name: list(map(itemgetter(name), dicts)) for name in _AWARD_ROW}
    except KeyError:
        return None
    if sum(map(len, dicts)) != _THREE * len(dicts):
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
        if name != "year" and _arrow_text(column):  # read by Arrow: `_places`, `_coded`
            found[name] = column
            continue
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


def _arrow_text(column: Any) -> bool:
    """Whether a column is an Arrow column of texts with no cell missing."""
    try:
        import pyarrow as pa
    except ImportError:
        return False
    kind = getattr(column, "type", None)
    text = kind in (pa.string(), pa.large_string())
    return isinstance(column, pa.Array | pa.ChunkedArray) and text and not column.null_count


_PLACE_BITS, _YEAR_BITS, _AWARD_BITS = 32, 16, 16  # a row packed into 64 bits


def _checked_awards(
    schema: Schema,
    cells: Mapping[str, KindCells],
    columns: dict[str, Any],
    year: int,
    given: FrameRows | None = None,
) -> History | None:
    """The checks of `_award_rows`. A key is a validated (clean) value, and so is an award's
    name: a cell equal to one is clean, and reads as itself. Each row's key is found among
    every kind's keys (its place among them: `_places`), its award as an Enum, so that
    the rows kept (`ColumnHistory`) hold no text; no row twice is checked exactly, on the
    rows packed into one integer each (place, year, award), sorted."""
    import polars as pl  # this path serves the columnar engine, which has Polars

    owners = [kind for kind, found in cells.items() if len(found.keys)]
    names = {kind: schema.kinds[kind].names_of("award") for kind in owners}
    if not owners or any(clean_cell(n) != n for found in names.values() for n in found):
        return None
    awards = sorted({n for found in names.values() for n in found})
    keys = {kind: key_series(cells[kind].keys, "key") for kind in owners}
    offsets, offset = {}, 0
    for kind in owners:
        offsets[kind] = offset
        offset += len(keys[kind])
    if offset >= 1 << _PLACE_BITS or len(awards) >= 1 << _AWARD_BITS:
        return None
    if year - 1 - _EARLIEST >= 1 << _YEAR_BITS:
        return None
    placed = _places(columns["key"], list(keys.values()))
    if placed is None:  # a key of two kinds, or of none
        return None
    frame = pl.DataFrame(
        [
            placed,
            columns["year"].rename("year"),
            _coded(columns["award"], awards).rename("award"),
        ]
    )
    place, award = pl.col("place"), pl.col("award")
    known = pl.any_horizontal(
        place.is_between(offsets[kind], offsets[kind] + len(keys[kind]), closed="left")
        & award.is_in(names[kind])
        for kind in owners
    )
    packed = (
        place.cast(pl.UInt64) * (1 << (_YEAR_BITS + _AWARD_BITS))
        + (pl.col("year") - _EARLIEST).cast(pl.UInt64) * (1 << _AWARD_BITS)
        + award.to_physical().cast(pl.UInt64)
    )
    ok = frame.select(
        known.fill_null(False).all().alias("awards"),
        pl.col("year").is_between(_EARLIEST, year - 1).all().alias("years"),
    )
    if not all(ok.row(0)):
        return None
    frame = frame.with_columns(pl.col("year").cast(pl.Int32))  # checked: 1000 to 66535
    ordered = frame.select(packed.sort().alias("packed"))
    if ordered.select(pl.col("packed").eq(pl.col("packed").shift(1)).any()).item():
        return None
    del ordered
    if given is None:  # the checked columns are the snapshot: no list of the caller's
        given = FrameRows(list(_AWARD_ROW), [columns[n] for n in _AWARD_ROW], frame.height,
                          polars_list, "polars")  # fmt: skip
    return ColumnHistory(frame, {kind: (offsets[kind], keys[kind]) for kind in owners}, given)


def _coded(column: Any, awards: list[str]) -> Any:
    """The awards' names as an Enum of `awards` (missing: none of them). An Arrow column
    is matched by Arrow, without a Polars copy of its texts."""
    import polars as pl

    enum = pl.Enum(awards)
    if isinstance(column, pl.Series):
        return column.cast(enum, strict=False)
    import pyarrow as pa
    import pyarrow.compute as pc

    codes = pc.index_in(column, value_set=pa.array(awards, type=column.type))
    return pl.Series(awards, dtype=enum).gather(pl.Series(codes))


def _places(column: Any, owners: list[Any]) -> Any:
    """Each row's key's place among every kind's keys (`owners`, one after another), as
    a Polars column; None if a key is no kind's or two kinds'. A Polars column of keys
    (read from dicts) is joined by Polars, in less time than Arrow takes to copy its
    texts and look them up; an Arrow column is looked up by Arrow when it is installed
    (a hash table of one kind's keys at a time, and a column of places)."""
    import polars as pl

    if isinstance(column, pl.Series):
        return _joined(column, owners)
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return _joined(column, owners)
    keys = column.to_arrow() if isinstance(column, pl.Series) else column
    if keys.type not in (pa.string(), pa.large_string()):
        keys = keys.cast(pa.large_string())
    parts: list[Any] = []
    offset = 0
    for owner in owners:
        found = pc.index_in(keys, value_set=owner.to_arrow().cast(keys.type))
        part = pl.Series(f"__in{len(parts)}", found).cast(pl.UInt32)
        parts.append(part + offset if offset else part)
        offset += len(owner)
        del found
    del keys
    from emurules.data.arrowfiles import release

    release()  # the tables of keys Arrow made
    frame = pl.DataFrame(parts)
    names = [part.name for part in parts]
    ok = frame.select((pl.sum_horizontal(pl.col(n).is_not_null() for n in names) == 1).all())
    if not ok.item():
        return None
    return frame.select(pl.coalesce(names).alias("place")).get_column("place")


def _joined(column: Any, owners: list[Any]) -> Any:
    """`_places` by a Polars join (a key of two kinds joins twice: the rows grow)."""
    import polars as pl

    everyone = pl.concat(owners)
    index = pl.DataFrame(
        {"key": everyone, "place": pl.int_range(len(everyone), dtype=pl.UInt32, eager=True)}
    )
    placed = (
        column.rename("key")
        .to_frame()
        .join(index, on="key", how="left", maintain_order="left")
        .get_column("place")
    )
    if len(placed) != len(column) or placed.null_count():
        return None
    return placed


class ColumnHistory(History):
    """A history of past awards only, held as Polars rows (place, year, award) in their
    order, where a row's place is its subject's among every kind's keys (`keys`: each
    kind's first place and its keys, the kinds in order): the columnar engine reads them
    as they are (`held`); the awards by subject (what the row engine's explanations read)
    are made the first time they are read, as `data/history.py` makes them. It pickles as
    the `History` it stands for."""

    def __init__(self, rows: Any, keys: dict[str, tuple[int, Any]], given: FrameRows) -> None:
        self.rows = rows
        self.keys = keys
        self._given = given
        self._awards: dict[tuple[str, str], dict[int, frozenset[str]]] | None = None
        self._lock = threading.Lock()
        super().__init__(values={}, lineage={})

    @property
    def awards(self) -> dict[tuple[str, str], dict[int, frozenset[str]]]:
        with self._lock:
            if self._awards is None:
                self._awards = _by_subject(self._keyed())
            return self._awards

    @awards.setter
    def awards(self, value: dict[tuple[str, str], dict[int, frozenset[str]]]) -> None:
        if value:  # attrs' __init__ sets the empty default: the rows stand for it
            self._awards = value

    def __reduce__(self) -> tuple[Any, ...]:
        return (History, (self.awards, self.values, self.lineage))

    def held(self, kind: str, award: str, before: int) -> Any:
        """(key, year) for each row of a subject of `kind` holding `award` before `before`."""
        import polars as pl

        found = self.keys.get(kind)
        if found is None or award not in self.rows.schema["award"].categories:
            return pl.DataFrame(schema={"key": pl.String, "year": pl.Int32})
        first, keys = found
        place = pl.col("place")
        chosen = self.rows.filter(
            place.is_between(first, first + len(keys), closed="left")
            & (pl.col("award") == award)
            & (pl.col("year") < before)
        )
        at = chosen.get_column("place") - first
        return pl.DataFrame([keys.gather(at).rename("key"), chosen.get_column("year")])

    def _keyed(self) -> Any:
        """The rows as (kind, key, year, award), each key and kind read from its place."""
        import polars as pl

        kinds = list(self.keys)
        everyone = pl.concat([keys for _, keys in self.keys.values()])
        owner = pl.lit(None, dtype=pl.String)
        for kind in reversed(kinds):
            first, keys = self.keys[kind]
            inside = pl.col("place").is_between(first, first + len(keys), closed="left")
            owner = pl.when(inside).then(pl.lit(kind)).otherwise(owner)
        return self.rows.select(
            owner.alias("kind"),
            everyone.gather(self.rows.get_column("place")).alias("key"),
            "year",
            pl.col("award").cast(pl.String),
        )

    def given(self) -> Sequence[dict[Any, Any]]:
        """The rows as they were given (`key`, `year`, `award`), each made when read:
        the columns are the snapshot, so a caller's list is not copied."""
        return self._given


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
