"""Records read column by column, for an engine that evaluates columns: each field's
distinct cells validated once, and each row's cell as an index into them.

A column repeats a few cells (units, ratings, scores), so validating its distinct cells
with the row validator's own readers (`data/records.py`) gives every row the value the
row path gives it, at the cost of one dictionary look-up per cell. This path only takes
data it can take whole: any cell, title or key that is not plainly valid makes it give
up (`None`), and the caller validates the rows the usual way, which reports every problem
where it stands. So a result never depends on which way the data was read.
"""

from __future__ import annotations

import datetime
import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any, cast, overload

import attrs

from emurules.data import cells, distinct_texts
from emurules.data.frames import FrameRows, polars_list
from emurules.data.history import History
from emurules.data.records import KindReader, Record
from emurules.data.validate import Table, Validator, locale_of
from emurules.plan.schema import KindSchema, Schema
from emurules.source import Diagnostic
from emurules.values import MISSING

# The Python types a field's cells may all have for this path: one type per column, so
# that no two cells of different types (1 and True, 1.0 and "1") share a look-up.
_TYPES: dict[str, frozenset[type]] = {
    "text": frozenset({str}),
    "ref": frozenset({str}),
    "enum": frozenset({str}),
    "bool": frozenset({bool, str}),
    "int": frozenset({int, str, Decimal}),
    "number": frozenset({int, float, str, Decimal}),
    "percent": frozenset({int, float, str, Decimal}),
    "date": frozenset({datetime.date, str}),
}


@attrs.frozen
class Cells:
    """A field's validated values, each once (`values`), and each row's (`codes`: the
    index of its value, in record order)."""

    values: Sequence[Any]  # a list (a key field's: its `KeyColumn`; many texts: `ArrowTexts`)
    codes: Sequence[int]  # a list, a range, or a Polars column


class KeyColumn(Sequence[str]):
    """A kind's keys in record order, held as the Polars column they were read from: listed
    as Python strings only the first time one is read by place, iterated or looked up (at
    a million subjects the list costs more than the whole columnar evaluation of a small
    rule, and most results never read it). It pickles as its column."""

    def __init__(self, series: Any, listed: list[str] | None = None) -> None:
        self.series = series
        self._listed = listed  # the same keys as Python strings, when the caller has them
        self._known: frozenset[str] | None = None
        self._lock = threading.Lock()

    def listed(self) -> list[str]:
        with self._lock:
            if self._listed is None:
                self._listed = self.series.to_list()
            return self._listed

    def __len__(self) -> int:
        return len(self.series)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self.listed()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.listed())

    def __contains__(self, key: object) -> bool:
        known = self._known
        if known is None:
            known = self._known = frozenset(self.listed())
        return key in known

    def __reduce__(self) -> tuple[Any, ...]:
        return (KeyColumn, (self.series,))


def key_series(keys: Sequence[str], name: str) -> Any:
    """The keys as a Polars column called `name` (the column they were read from, when
    they were read from one: no list of a million strings made and read back)."""
    import polars as pl  # the engines that read columns have Polars

    if isinstance(keys, KeyColumn):
        return keys.series.rename(name)
    return pl.Series(name, keys, dtype=pl.String)


@attrs.frozen
class KindCells:
    """A kind's records as columns: the keys in record order, and the fields."""

    keys: Sequence[str]  # a list, or a `KeyColumn`
    fields: Mapping[str, Cells]  # a dict, or a mapping that makes each when first read
    # the rows as given: should anything need the records themselves (explanations,
    # what-if), the row validator reads them
    given: Sequence[Mapping[Any, Any]] = attrs.field(factory=list, repr=False)

    def rows(self) -> Sequence[Mapping[Any, Any]]:
        return self.given


def read_columns(
    schema: Schema,
    data: Mapping[str, Sequence[Mapping[Any, Any]]],
    *,
    year: int,
    locale: str | None,
    sources: Mapping[str, str] | None,
) -> dict[str, KindCells] | None:
    """Every kind's records as columns, or None if any of them needs the row validator."""
    validator = Validator(schema, year, dict(sources or {}), locale_of(schema, locale))
    found: dict[str, KindCells] = {}
    for kind, rows in data.items():
        info = schema.kinds.get(kind)
        if info is None:
            return None
        made = _kind(validator, kind, info, rows)
        if made is None:
            return None
        found[kind] = made
    for kind in schema.kinds:
        found.setdefault(kind, KindCells([], {}))
    if any(isinstance(rows, FrameRows) and rows.library == "arrow" for rows in data.values()):
        from emurules.data.arrowfiles import release

        release()  # what encoding the columns left
    if not _references(schema, found):
        return None
    return found


def _kind(
    v: Validator, kind: str, info: KindSchema, rows: Sequence[Mapping[Any, Any]]
) -> KindCells | None:
    plain = {name for name in info.fields if _plain(name, info)}
    columns = _raw_columns(rows, plain)
    if columns is None:
        return None
    height = len(rows)
    reader = KindReader(v, kind)
    fields: dict[str, Cells] = {}
    keys: Sequence[str] = []
    for name, read in reader.readers:
        raw = columns.get(name) or _Listed([None] * height)
        allowed = _TYPES.get(info.fields[name].type.kind, frozenset())
        if name == info.key:
            ready = raw.ready_keys()
            if ready is not None:  # clean, distinct texts: each its own key
                keys = ready
                fields[name] = Cells(ready, range(height))
                continue
            column = raw.listed()
            if not set(map(type, column)) - {type(None)} <= allowed:
                return None
            read_keys = _keys(column, read, raw.clean())
            if v.found or any(k is None or k is MISSING for k in read_keys):
                return None
            keys = [k if type(k) is str else str(k) for k in read_keys]
            if len(set(keys)) != len(keys):
                return None
            fields[name] = Cells(read_keys, list(range(height)))
            continue
        made = raw.distinct()
        if made is None:
            return None
        distinct, codes = made
        texts = info.fields[name].type.kind in ("text", "ref")
        if texts and isinstance(distinct, ArrowTexts) and distinct.plain():
            fields[name] = Cells(distinct, codes)  # each text its own value, not listed
            continue
        if not set(map(type, distinct)) - {type(None)} <= allowed:
            return None
        if texts and _plain_texts(raw):
            values = list(distinct)  # every cell its own text, which reads as itself
        else:
            values = _texts(distinct, read) if texts else [read(cell, 0) for cell in distinct]
        if v.found:
            return None
        fields[name] = Cells(values, codes)
    if not isinstance(rows, FrameRows):  # the caller's dicts may change: their cells, not
        listed = {name: raw.listed() for name, raw in columns.items()}
        rows = FrameRows(list(listed), list(listed.values()), height)
    return KindCells(keys, fields, rows)


def _plain_texts(raw: Any) -> bool:
    """Whether a column's cells are texts, each its own and each read as itself (checked
    by Polars: `distinct_texts`)."""
    series = raw.texts if isinstance(raw, _Listed) else None
    return series is not None and distinct_texts.plain(series, raw.cells)


def _texts(distinct: list[Any], read: Callable[[Any, int], Any]) -> list[Any]:
    """A text field's distinct cells read as `records._text` reads them (NFC and trimmed;
    an ASCII text needs only the trimming), written out in one loop: a column of names
    has as many distinct cells as rows. A cell that is blank or starts with a byte-order
    mark (and a column with other cells than texts) goes through the field's reader."""
    if set(map(type, distinct)) != {str}:
        return [read(cell, 0) for cell in distinct]
    nfc = unicodedata.normalize
    found = [
        cell.strip()
        if cell.isascii()
        else (None if cell.startswith("\ufeff") else nfc("NFC", cell).strip())
        for cell in distinct
    ]
    return [value if value else read(cell, 0) for value, cell in zip(found, distinct, strict=True)]


class _Listed:
    """A column as a list of Python values."""

    def __init__(self, cells: list[Any]) -> None:
        self.cells = cells
        self.texts: Any = None  # the cells as a Polars column, when `distinct` made one

    def ready_keys(self) -> KeyColumn | None:
        """The keys, when every one is a clean text and no two are equal (checked by
        Polars, which then holds them as the engine's key column)."""
        if set(map(type, self.cells)) != {str}:
            return None
        import polars as pl  # this path serves the columnar engine, which has Polars

        found = _ready(pl.Series("key", self.cells, dtype=pl.String))
        return None if found is None else KeyColumn(found.series, self.cells)

    def listed(self) -> list[Any]:
        return self.cells

    def clean(self) -> Any:
        """Where a text cell is clean ASCII, as a Polars column (None: not known)."""
        if not all(type(k) is str for k in self.cells):
            return None
        import polars as pl  # this path serves the columnar engine, which has Polars

        return _clean(pl.Series(self.cells, dtype=pl.String))

    def distinct(self) -> tuple[list[Any], Any] | None:
        """The distinct cells, and each row's index among them. With one Python type per
        column (checked by the caller) equal cells are the same value."""
        self.texts = distinct_texts.different(self.cells)
        if self.texts is not None:  # every cell its own text (names): checked by Polars
            return self.cells, range(len(self.cells))
        distinct = list(dict.fromkeys(self.cells))  # in order of first appearance
        if len(distinct) == len(self.cells):  # every cell its own (names, say)
            return distinct, range(len(distinct))
        index = {cell: code for code, cell in enumerate(distinct)}
        return distinct, list(map(index.__getitem__, self.cells))


class _Polars:
    """A Polars column: its distinct cells listed as `to_list` lists them (NaN missing)."""

    def __init__(self, series: Any) -> None:
        self.series = series

    def ready_keys(self) -> KeyColumn | None:
        """The keys, when every one is a clean text and no two are equal."""
        return _ready(self.series)

    def listed(self) -> list[Any]:

        return polars_list(self.series)

    def clean(self) -> Any:
        import polars as pl

        return _clean(self.series) if self.series.dtype == pl.String else None

    def distinct(self) -> tuple[list[Any], Any] | None:
        try:
            return self._distinct()
        except Exception:  # a column type Polars cannot group or join: the rows' way
            return None

    def _distinct(self) -> tuple[list[Any], Any] | None:
        import polars as pl

        series = self.series.rename("cell")
        if series.dtype.is_float():
            series = series.fill_nan(None)
        unique = series.unique(maintain_order=True)
        numbered = pl.DataFrame(
            {"cell": unique, "code": pl.Series(range(len(unique)), dtype=pl.UInt32)}
        )
        codes = series.to_frame().join(
            numbered, on="cell", how="left", nulls_equal=True, maintain_order="left"
        )["code"]
        if codes.null_count():
            return None  # two cells Polars tells apart and joins as one: the rows' way
        return unique.to_list(), codes


class _Arrow:
    """An Arrow column: its distinct cells listed as `to_pylist` lists them."""

    def __init__(self, column: Any) -> None:
        self.column = column

    def ready_keys(self) -> KeyColumn | None:
        import polars as pl

        found = pl.from_arrow(self.column)
        return _ready(found) if isinstance(found, pl.Series) else None

    def listed(self) -> list[Any]:
        from emurules.data.frames import arrow_list

        return arrow_list(self.column)

    def clean(self) -> Any:
        import polars as pl

        found = pl.from_arrow(self.column)
        return _clean(found) if isinstance(found, pl.Series) and found.dtype == pl.String else None

    def distinct(self) -> tuple[Sequence[Any], Any] | None:
        try:
            return self._distinct()
        except Exception:  # an array type Arrow cannot index (a dictionary): the rows' way
            return None

    def _distinct(self) -> tuple[Sequence[Any], Any] | None:
        import polars as pl
        import pyarrow.compute as compute
        import pyarrow.types as types

        column = self.column
        if types.is_dictionary(column.type):
            return None  # its dictionary may repeat a cell: the rows' way
        if types.is_floating(column.type) and compute.any(compute.is_nan(column)).as_py():
            return None
        if getattr(column, "num_chunks", 1) != 1:  # one dictionary for every chunk
            column = column.combine_chunks()
        if hasattr(column, "chunk"):
            column = column.chunk(0)
        # one pass of one hash table: the distinct cells and each row's index among them
        # (a missing cell is one of them, as `unique` counts it)
        encoded = compute.dictionary_encode(column, null_encoding="encode")
        codes = pl.from_arrow(encoded.indices)
        assert isinstance(codes, pl.Series)
        if codes.null_count():
            return None
        found = encoded.dictionary
        texts = types.is_string(found.type) or types.is_large_string(found.type)
        if texts and len(found) >= ArrowTexts.FROM:
            if len(found) == len(column):  # every cell its own: the column is its texts
                return ArrowTexts(self.column), range(len(found))
            return ArrowTexts(found), codes.cast(pl.UInt32)
        return found.to_pylist(), codes.cast(pl.UInt32)


class ArrowTexts(Sequence[Any]):
    """A column's many distinct texts (names, say) held as the Arrow array they were read
    into: one is made a Python string when it is read by place (a subject's row, for an
    explanation), all of them only when iterated. A million names as Python strings
    take more memory than the whole columnar evaluation. It pickles as a list."""

    FROM = 1 << 16  # fewer distinct texts are listed at once: they cost little

    def __init__(self, array: Any) -> None:
        self.array = array
        self._listed: list[Any] | None = None
        self._lock = threading.Lock()

    def listed(self) -> list[Any]:
        with self._lock:
            if self._listed is None:
                self._listed = self.array.to_pylist()
            return self._listed

    def plain(self) -> bool:
        """Whether every text reads as itself (`_texts`): none missing or blank, none
        with a space (as `str.strip` sees one) at either end or a byte-order mark
        first, every one NFC (as `unicodedata` says). Checked by Arrow, and the texts
        that are not ASCII by Python a batch at a time."""
        import pyarrow.compute as compute

        texts = self.array
        if texts.null_count or not len(texts):
            return False
        if compute.min(compute.binary_length(texts)).as_py() == 0:
            return False
        if compute.any(
            compute.match_substring_regex(texts, pattern=distinct_texts.edges())
        ).as_py():
            return False
        from emurules.data.arrowfiles import nfc_text

        return nfc_text(texts)

    def __len__(self) -> int:
        return len(self.array)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return self.listed()[index]
        return self.array[index].as_py()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.listed())

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (self.listed(),))


def _ready(series: Any) -> KeyColumn | None:
    """The keys, if every one is a clean text and no two are equal: the checks in one
    query, which Polars runs side by side. Keys that each come after the one before (as
    most files list them) are distinct: only others are counted."""
    import polars as pl

    if series.dtype != pl.String:
        return None
    cell = pl.col("key")
    checks = (
        series.rename("key")
        .to_frame()
        .select(
            cell.null_count().alias("nulls"),
            _clean(cell).all().alias("clean"),
            (cell > cell.shift(1)).fill_null(True).all().alias("increasing"),
        )
    )
    nulls, clean, increasing = checks.row(0)
    if nulls or not clean:
        return None
    if not increasing and series.n_unique() != len(series):
        return None
    # in one piece: a frame with a column in pieces (an Arrow file's row groups) makes
    # every column it computes in as many, and copies them all when it joins them up
    return KeyColumn(series.rechunk())


def _clean(keys: Any) -> Any:
    """Where a text is clean ASCII with nothing to trim (Python's `strip` trims only
    characters up to a space in ASCII): its own value as a key."""
    return keys.str.contains(r"^[\x21-\x7e]([\x00-\x7f]*[\x21-\x7e])?$").fill_null(False)


def _keys(column: list[Any], read: Callable[[Any, int], Any], clean: Any) -> list[Any]:
    """Each row's key: a clean text is its own; any other goes through the field's reader."""
    if clean is None:
        return [read(raw, 0) for raw in column]
    if clean.all():
        return column
    return [k if ok else read(k, 0) for k, ok in zip(column, clean, strict=True)]


def _plain(name: str, info: KindSchema) -> bool:
    """A column title the row validator takes as it is (not a label, nothing to trim)."""
    return cells.clean(name) == name and info.titles.get(name, name) == name


def _raw_columns(rows: Sequence[Mapping[Any, Any]], plain: set[str]) -> dict[str, Any] | None:
    """The rows' cells by title, if every row is a dict whose titles are all `plain`."""
    if isinstance(rows, FrameRows):
        if not set(rows.names) <= plain:
            return None
        native = rows.native()
        if native is None:
            return {n: _Listed(c) for n, c in zip(rows.names, rows.columns, strict=True)}
        wrap = _Polars if rows.library == "polars" else _Arrow
        return {n: wrap(c) for n, c in zip(rows.names, native, strict=True)}
    if not rows:
        return {}
    first = rows[0]
    titles = first.keys() if type(first) is dict else None
    if titles is not None and set(map(type, rows)) == {dict}:
        if not titles <= plain:
            return None
        alike = _alike(cast("Sequence[dict[Any, Any]]", rows), list(titles))
        if alike is not None:
            return alike
    else:
        try:  # the commonest: every row a dict with the first one's titles
            dicts = cast("Sequence[dict[Any, Any]]", rows)
            same = titles is not None and all(map(titles.__eq__, map(dict.keys, dicts)))
        except TypeError:  # a row that is not a dict
            return None
        if same and titles is not None:
            if not titles <= plain:
                return None
            return {name: _Listed(list(map(itemgetter(name), rows))) for name in titles}
    if not all(type(row) is dict and row.keys() <= plain for row in rows):
        return None
    present: set[str] = set().union(*(row.keys() for row in rows))
    return {name: _Listed([row.get(name) for row in rows]) for name in present}


def _alike(rows: Sequence[dict[Any, Any]], titles: list[Any]) -> dict[str, Any] | None:
    """The cells by title, if every row (a plain dict) has exactly `titles`; else None.
    Each title found, every row has at least as many entries, and no more when they add
    up to as many a row (lengths are cheaper to add than sets of keys to compare)."""
    try:
        found = {name: _Listed(list(map(itemgetter(name), rows))) for name in titles}
    except KeyError:
        return None
    return found if sum(map(len, rows)) == len(titles) * len(rows) else None


def _references(schema: Schema, found: dict[str, KindCells]) -> bool:
    """Whether every reference names a key of its kind (else the row path reports it)."""
    for kind, made in found.items():
        for name, field in schema.kinds[kind].fields.items():
            target = field.type.name
            if field.type.kind != "ref" or target is None or name not in made.fields:
                continue
            keys = set(found[target].keys) if target in found else set()
            for value in made.fields[name].values:
                if isinstance(value, str) and value not in keys:
                    return False
    return True


class _Deferred:
    def __init__(self, make: Callable[[], Table]) -> None:
        self.make = make
        self.made: Table | None = None
        self.lock = threading.Lock()


class DeferredTable(Table):
    """The records validated the usual way the first time anything reads them (the
    explanations of a result evaluated on columns, a what-if): a table that is never read
    is never made. It pickles and copies as the table it stands for."""

    __slots__ = ("_state",)

    def __init__(self, make: Callable[[], Table]) -> None:  # attrs' own is not called
        object.__setattr__(self, "_state", _Deferred(make))

    def made(self) -> Table:
        state: _Deferred = object.__getattribute__(self, "_state")
        with state.lock:
            if state.made is None:
                state.made = state.make()
            return state.made

    @property
    def records(self) -> dict[str, tuple[Record, ...]]:
        return self.made().records

    @property
    def by_key(self) -> dict[str, dict[str, Record]]:
        return self.made().by_key

    @property
    def history(self) -> History:
        return self.made().history

    @property
    def skipped(self) -> tuple[Diagnostic, ...]:
        return self.made().skipped

    def __reduce__(self) -> tuple[Any, ...]:
        made = self.made()
        return (Table, (made.records, made.by_key, made.history, made.skipped))
