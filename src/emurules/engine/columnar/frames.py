"""A validated table as one Polars frame per kind, and column values read back as the
values the row engine holds (Decimal, EnumValue, MISSING...)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from emurules.engine.columnar import exact
from emurules.engine.columnar.exact import Col
from emurules.engine.columnar.lower import kind_of
from emurules.plan.ir import VType
from emurules.plan.schema import Schema
from emurules.values import MISSING, EnumValue

KEY = "__key"
ROW = "__row"  # a subject's place in record order


def column(name: str, values: Sequence[Any], vtype: VType) -> tuple[pl.Series, Col]:
    """One field of every row, as a column: numbers at the largest scale any of them has,
    so every value is exact."""
    kind = kind_of(vtype)
    if kind == "num":
        scale = 0
        for value in values:
            if value is not MISSING:
                exponent = value.as_tuple().exponent
                if -exponent > scale:
                    scale = -exponent
        ints = [None if v is MISSING else int(v.scaleb(scale)) for v in values]
        bound = max((abs(i) for i in ints if i is not None), default=0)
        return pl.Series(name, ints, dtype=exact.INT), Col(pl.col(name), "num", scale, bound)
    if kind == "enum":
        indexes = [None if v is MISSING else v.index for v in values]
        return pl.Series(name, indexes, dtype=pl.Int64), Col(pl.col(name), "enum")
    dtype = {"bool": pl.Boolean, "text": pl.String, "date": pl.Date}[kind]
    plain = [None if v is MISSING else v for v in values]
    return pl.Series(name, plain, dtype=dtype), Col(pl.col(name), kind)


def reader(col: Col, vtype: VType, schema: Schema | None) -> Callable[[Any], Any]:
    """How a value of this column reads as the row engine's value (None is MISSING)."""
    if col.kind == "num":
        scale = col.scale

        def number(value: Any) -> Any:
            return MISSING if value is None else Decimal(value).scaleb(-scale)

        return number
    if col.kind == "enum":
        names = schema.enums.get(vtype.name or "", ()) if schema is not None else ()
        made = tuple(EnumValue(vtype.name or "", n, i) for i, n in enumerate(names))
        return lambda value: MISSING if value is None else made[value]
    if col.kind == "date":
        return lambda value: MISSING if value is None else _date(value)
    return lambda value: MISSING if value is None else value


def _date(value: Any) -> datetime.date:
    assert isinstance(value, datetime.date)
    return value
