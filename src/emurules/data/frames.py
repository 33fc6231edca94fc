"""What `Rules.evaluate` is given for a kind's records or for the history -> a list of rows.

Lists of dicts are taken as they are. A pandas or Polars DataFrame, or an Arrow table (or
record batch), is read column by column: each column becomes a list of Python values in one
call of its library, its missing cells (NaN, None, NA, NaT, null) become None through one
mask per column, and the rows are zipped from the columns, so that no cell goes through a
Python test of its type here (the validator's readers take the cells as they take those of
a list of dicts: a number is a number, 0 and 1 are true/false in a bool field only). A
frame is recognised by the module its type comes from, so that none of the libraries is
imported unless such an object is passed; none is a dependency of emurules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, overload

from emurules.data.common import Problems
from emurules.errors import wrong_type
from emurules.i18n import message

Library = Literal["pandas", "polars", "arrow"]

_FRAMES: dict[tuple[str, str], Library] = {
    ("pandas", "DataFrame"): "pandas",
    ("polars", "DataFrame"): "polars",
    ("pyarrow", "Table"): "arrow",
    ("pyarrow", "RecordBatch"): "arrow",
}
# Iterable, but not rows: a column, or a query not yet run (`.collect()` it).
_NOT_ROWS = {("polars", "LazyFrame"), ("pandas", "Series"), ("polars", "Series")}

Rows = Sequence[Mapping[Any, Any]]


class FrameRows(Sequence[dict[Any, Any]]):
    """A frame's rows, made from its columns, each listed as Python values (in one call of
    its library) the first time it is read. A Polars or Arrow frame's own columns stay at
    hand (`native`) for a reader that takes columns as they are."""

    def __init__(
        self,
        names: list[Any],
        columns: Sequence[Any],
        height: int,
        listed: Callable[[Any], list[Any]] | None = None,
        library: Library | None = None,
    ) -> None:
        self.names = names
        self.height = height
        self.library = library
        self._columns = list(columns)
        self._listed = listed
        self._made: list[list[Any]] | None = None if listed is not None else self._columns

    @property
    def columns(self) -> list[list[Any]]:
        """Each column's cells as Python values (missing ones as None)."""
        if self._made is None:
            listed = self._listed
            assert listed is not None
            self._made = [listed(column) for column in self._columns]
        return self._made

    def native(self) -> list[Any] | None:
        """The frame's own columns (Polars series, Arrow arrays), or None (pandas)."""
        return None if self._listed is None else self._columns

    def __len__(self) -> int:
        return self.height

    def __iter__(self) -> Iterator[dict[Any, Any]]:
        if not self.names:
            return ({} for _ in range(self.height))
        names = self.names
        return (dict(zip(names, cells, strict=True)) for cells in zip(*self.columns, strict=True))

    @overload
    def __getitem__(self, index: int) -> dict[Any, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[Any, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[Any, Any] | list[dict[Any, Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.height))]
        row = range(self.height)[index]
        return {name: column[row] for name, column in zip(self.names, self.columns, strict=True)}


def library(value: object) -> Library | None:
    """The library a frame comes from (a subclass of its frame counts), or None."""
    for cls in type(value).__mro__:
        found = _FRAMES.get((cls.__module__.partition(".")[0], cls.__name__))
        if found is not None:
            return found
    return None


def rows_of(value: object, argument: str, file: str) -> Rows:
    """The rows of a kind's records or of the history, as given in Python.

    `argument` names the argument in messages (`data['person']`, `history`); `file` is how
    data errors name the input (the kind, or the file it was read from). Raises
    UsageTypeError for anything that is not rows, and DataError for a frame with a column
    title twice (a dict keeps one of them, so the other would be dropped unseen)."""
    found = library(value)
    if found is not None:
        return _frame_rows(found, value, file)
    if isinstance(value, FrameRows):  # a file read as columns (data/arrowfiles.py) stays so
        return value
    cls = type(value)
    if (
        not isinstance(value, Iterable)
        or isinstance(value, str | bytes | Mapping)
        or (cls.__module__.partition(".")[0], cls.__name__) in _NOT_ROWS
    ):
        raise wrong_type(argument, value, message("api.accepts-rows"), code="D0139")
    return list(value)


def _frame_rows(found: Library, frame: Any, file: str) -> Rows:
    if found == "pandas":
        names, columns, height = _pandas(frame)
        _distinct(names, file)
        return FrameRows(names, columns, height)
    if found == "polars":
        frame = frame.clone()  # cheap (its buffers are shared), and no later edit reaches it
        names, native, height = list(frame.columns), frame.get_columns(), frame.height
        listed: Callable[[Any], list[Any]] = polars_list
    else:
        names, native, height = list(frame.column_names), list(frame.columns), frame.num_rows
        listed = arrow_list
    _distinct(names, file)
    return FrameRows(names, native, height, listed, found)


def _distinct(names: list[Any], file: str) -> None:
    if len(set(names)) == len(names):
        return
    problems = Problems(file)
    for name in sorted({str(n) for n in names if names.count(n) > 1}):
        problems.add("duplicate_column", message("data.column-repeated", name=name))
    problems.check()


def _masked(values: list[Any], missing: list[bool]) -> list[Any]:
    return [None if gone else value for value, gone in zip(values, missing, strict=True)]


def _pandas(frame: Any) -> tuple[list[Any], list[list[Any]], int]:
    """Each column by position (titles may repeat): `tolist` gives Python scalars (a numpy
    number as an int or a float), `isna` marks NaN, None, NA and NaT alike. A column of
    datetimes all at midnight becomes dates in one step."""
    names = list(frame.columns)
    columns = []
    for index in range(len(names)):
        series = frame.iloc[:, index]
        missing = series.isna()
        kind = series.dtype.kind
        if kind == "M" and bool((series.dt.normalize() == series)[~missing].all()):
            values = series.dt.date.tolist()
        else:
            values = series.tolist()
        if bool(missing.any()):
            values = _masked(values, missing.tolist())
        columns.append(values)
    return names, columns, len(frame)


def polars_list(series: Any) -> list[Any]:
    """`to_list` gives None for null; a float column's NaN is missing too."""
    values: list[Any] = series.to_list()
    if series.dtype.is_float():
        nan = series.is_nan().fill_null(False)
        if nan.any():
            values = _masked(values, nan.to_list())
    return values


def arrow_list(column: Any) -> list[Any]:
    """`to_pylist` gives None for null; a float column's NaN is missing too."""
    import pyarrow.compute as compute  # only reached for an Arrow table or batch
    import pyarrow.types as types

    values: list[Any] = column.to_pylist()
    if types.is_floating(column.type):
        nan = compute.fill_null(compute.is_nan(column), False)
        if compute.any(nan).as_py():
            values = _masked(values, nan.to_pylist())
    return values
