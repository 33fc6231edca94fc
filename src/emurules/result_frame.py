"""`Result.to_frame()`: a result as a pandas or Polars data frame with typed columns.

Each column's type comes from the plan (`Layout.types`: what the criteria declare), so an
empty or all-missing column is still typed; a value the plan does not type is typed by what
it holds. Numbers are `Decimal` objects by default, exact as the engine computed them
(pandas: an object column; Polars: its Decimal type, with the scale the column needs), or
floats with `decimals="float"`. The libraries are optional extras, imported only here.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterable, Sequence
from decimal import Decimal, localcontext
from types import ModuleType
from typing import TYPE_CHECKING

import attrs

from emurules.arithmetic import EXACT
from emurules.errors import UsageError
from emurules.i18n import message
from emurules.values import EnumValue, Missing, Value

if TYPE_CHECKING:
    import pandas
    import polars

    from emurules.result import Result

Cell = Decimal | float | int | bool | str | datetime.date | list[str] | None
LIBRARIES = ("pandas", "polars")
DECIMALS = ("decimal", "float")
POLARS_PRECISION = 38  # the widest Decimal Polars holds
_SUBJECT_COLUMNS = ("kind", "key", "score")


@attrs.frozen
class Column:
    """A column's name, its type ("bool", "int", "number", "text", "date", "relation",
    "unknown") and its cells (Decimal for numbers, until the library's form is made)."""

    name: str
    type: str
    cells: list[Cell]


def to_frame(
    result: Result,
    award: str | None,
    *,
    kind: str | None,
    library: str,
    decimals: str,
) -> pandas.DataFrame | polars.DataFrame:
    if library not in LIBRARIES:
        raise UsageError(message("result.frame-library", library=repr(library), choices=LIBRARIES))
    if decimals not in DECIMALS:
        raise UsageError(
            message("result.frame-decimals", decimals=repr(decimals), choices=DECIMALS)
        )
    module = _library(library)
    with localcontext(EXACT):
        columns = subject_columns(result, kind) if award is None else award_columns(result, award)
        if library == "pandas":
            return _pandas(module, columns, decimals == "float")
        return _polars(module, columns, decimals == "float")


def _library(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise UsageError(message("result.frame-needs", library=name)) from None


def subject_columns(result: Result, kind: str | None) -> list[Column]:
    """One row per subject (of `kind`, or of every kind): kind, key, score, every value."""
    if kind is not None and kind not in result.kinds:
        from emurules.result import _ACCEPTS_KIND, _text, _unknown  # the lookups' errors

        _text("kind", kind, _ACCEPTS_KIND)
        text = message("api.no-kind", kind=repr(kind))
        listed = message("api.the-kinds-are", kinds=result.kinds)
        raise _unknown("kind", kind, text, result.kinds, listed)
    kinds = result.kinds if kind is None else (kind,)
    types = result._layout.types
    subjects = [s for s in result.subjects.values() if s.kind in kinds]
    names: dict[str, set[str]] = {}
    for k in kinds:
        for name, declared in types.get(k, {}).items():
            names.setdefault(name, set()).add(declared)
    for s in subjects:
        for name in s.values:
            names.setdefault(name, set())
    columns = [
        Column("kind", "text", [s.kind for s in subjects]),
        Column("key", "text", [s.key for s in subjects]),
        Column("score", "number", [s.score for s in subjects]),
    ]
    for name, typed in names.items():
        if name in _SUBJECT_COLUMNS:
            continue
        values = [s.values.get(name) for s in subjects]
        found = next(iter(typed)) if len(typed) == 1 else None
        columns.append(_typed(name, found, values))
    return columns


def award_columns(result: Result, award: str) -> list[Column]:
    """One row per subject assessed for `award`, in key order."""
    result._award(award)  # the lookups' own error for an unknown award
    info = next(a for a in result.awards if a.name == award)
    outcomes = list(result.outcomes[award].values())
    scores = [result.subjects[(info.kind, o.key)].score for o in outcomes]
    return [
        Column("key", "text", [o.key for o in outcomes]),
        Column("score", "number", list(scores)),
        Column("qualified", "bool", [o.qualified for o in outcomes]),
        Column("received", "bool", [o.received for o in outcomes]),
        Column("rank", "int", [o.rank for o in outcomes]),
        _typed("group", result._layout.groups.get(award), [o.group for o in outcomes]),
        Column("reason", "text", [o.reason for o in outcomes]),
        Column("failed", "relation", [[c.id for c in o.failed] for o in outcomes]),
    ]


_KINDS = {"bool": "bool", "int": "int", "number": "number", "percent": "number",
          "text": "text", "enum": "text", "ref": "text", "date": "date",
          "relation": "relation"}  # fmt: skip


def _typed(name: str, declared: str | None, values: Sequence[Value | None]) -> Column:
    """A column of values, typed as declared (or by what they hold)."""
    cells = [_cell(v) for v in values]
    kind = _KINDS.get(declared or "") or _inferred(cells)
    if kind == "int" and not all(c is None or _whole(c) for c in cells):
        kind = "number"
    return Column(name, kind, cells)


def _cell(value: Value | None) -> Cell:
    if value is None or isinstance(value, Missing):
        return None
    if isinstance(value, EnumValue):
        return value.name
    if isinstance(value, tuple):
        return list(value)
    return value


def _whole(cell: Cell) -> bool:
    return isinstance(cell, Decimal) and cell == cell.to_integral_value()


def _inferred(cells: Iterable[Cell]) -> str:
    found = {type(c) for c in cells if c is not None}
    if len(found) != 1:
        return "unknown" if found else "text"
    (only,) = found
    return {bool: "bool", Decimal: "number", str: "text", datetime.date: "date",
            list: "relation"}.get(only, "unknown")  # fmt: skip


def _number(cell: Cell, floats: bool) -> Cell:
    if isinstance(cell, Decimal) and floats:
        return float(cell)
    return cell


def _pandas(pd: ModuleType, columns: list[Column], floats: bool) -> pandas.DataFrame:
    dtypes = {"bool": "boolean", "int": "Int64", "text": "string"}
    data = {}
    for column in columns:
        cells = column.cells
        if column.type == "int":
            cells = [None if c is None else int(c) for c in cells]  # type: ignore[arg-type]
            dtype = dtypes["int"]
        elif column.type == "number":
            cells = [_number(c, floats) for c in cells]
            dtype = "Float64" if floats else "object"
        else:
            dtype = dtypes.get(column.type, "object")
        data[column.name] = pd.Series(cells, dtype=dtype)
    frame: pandas.DataFrame = pd.DataFrame(data)
    return frame


def _polars(pl: ModuleType, columns: list[Column], floats: bool) -> polars.DataFrame:
    series = []
    for column in columns:
        cells = column.cells
        if column.type == "int":
            cells = [None if c is None else int(c) for c in cells]  # type: ignore[arg-type]
            dtype = pl.Int64
        elif column.type == "number":
            dtype = pl.Float64 if floats else _polars_decimal(pl, column)
            cells = [_number(c, floats) for c in cells]
        else:
            dtype = {"bool": pl.Boolean, "text": pl.String, "date": pl.Date,
                     "relation": pl.List(pl.String)}.get(column.type, pl.Object)  # fmt: skip
        series.append(pl.Series(column.name, cells, dtype=dtype))
    frame: polars.DataFrame = pl.DataFrame(series)
    return frame


def _polars_decimal(pl: ModuleType, column: Column) -> object:
    """Polars' Decimal type with the places the column's widest number needs."""
    scale, whole = 0, 1
    for cell in column.cells:
        if isinstance(cell, Decimal):
            exponent = cell.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            scale = max(scale, places)
            whole = max(whole, cell.adjusted() + 1)
    if whole + scale > POLARS_PRECISION:
        raise UsageError(
            message(
                "result.frame-too-wide",
                column=column.name,
                digits=str(whole + scale),
                most=str(POLARS_PRECISION),
            )
        )
    return pl.Decimal(POLARS_PRECISION, scale)
