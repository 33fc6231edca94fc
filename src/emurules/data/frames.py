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

from collections.abc import Iterable, Mapping
from typing import Any, Literal

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

Rows = list[Mapping[Any, Any]]


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
    elif found == "polars":
        names, columns, height = _polars(frame)
    else:
        names, columns, height = _arrow(frame)
    _distinct(names, file)
    if not names:
        return [{} for _ in range(height)]
    return [dict(zip(names, cells, strict=True)) for cells in zip(*columns, strict=True)]


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


def _polars(frame: Any) -> tuple[list[Any], list[list[Any]], int]:
    """`to_list` gives None for null; a float column's NaN is missing too."""
    names = list(frame.columns)
    columns = []
    for series in frame.get_columns():
        values = series.to_list()
        if series.dtype.is_float():
            nan = series.is_nan().fill_null(False)
            if nan.any():
                values = _masked(values, nan.to_list())
        columns.append(values)
    return names, columns, frame.height


def _arrow(table: Any) -> tuple[list[Any], list[list[Any]], int]:
    """`to_pylist` gives None for null; a float column's NaN is missing too."""
    import pyarrow.compute as compute  # only reached for an Arrow table or batch
    import pyarrow.types as types

    names = list(table.column_names)
    columns = []
    for column in table.columns:
        values = column.to_pylist()
        if types.is_floating(column.type):
            nan = compute.fill_null(compute.is_nan(column), False)
            if compute.any(nan).as_py():
                values = _masked(values, nan.to_pylist())
        columns.append(values)
    return names, columns, table.num_rows
