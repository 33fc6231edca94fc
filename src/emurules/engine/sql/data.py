"""Data as the SQL expects it: validated records turned into rows of scaled integers and
enum indexes, the scales measured from the data, and the tables' definitions.

The SQL is planned with a scale per number column; a value with more places (or more
digits before the point) than assumed would be read wrong, so it is refused here, never
rounded: measuring the data first (`measure`) gives scales every value fits.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlglot import exp

from emurules.arithmetic import EXACT
from emurules.data.validate import Table
from emurules.engine.sql.lower import Column, SqlPlan
from emurules.engine.sql.scaled import Dialect, integer_type
from emurules.errors import UsageError
from emurules.i18n import message
from emurules.plan.schema import Schema
from emurules.values import MISSING, EnumValue


def measure(schema: Schema, table: Table) -> tuple[dict[str, int], dict[str, int]]:
    """The places after the point and the digits before it of every number input column
    (whole numbers included), by "kind.field", as the data has them (at least 0 and 1)."""
    scales: dict[str, int] = {}
    digits: dict[str, int] = {}
    for kind, found in schema.kinds.items():
        for field in found.fields.values():
            if field.type.kind not in ("int", "number", "percent"):
                continue
            key = f"{kind}.{field.name}"
            scales[key], digits[key] = 0, 1
            for record in table.records.get(kind, ()):
                value = record.values.get(field.name, MISSING)
                if isinstance(value, Decimal):
                    exponent = value.as_tuple().exponent
                    assert isinstance(exponent, int)
                    scales[key] = max(scales[key], -exponent)
                    digits[key] = max(digits[key], value.adjusted() + 1)
    return scales, digits


def scaled_rows(plan: SqlPlan, table: Table, kind: str) -> list[tuple[Any, ...]]:
    """The records of a kind as rows of the query's input columns, in their order."""
    inputs = [c for c in plan.query(kind).columns if c.role == "input"]
    bounds = {a.field: a.digits for a in plan.assumed if a.kind == kind}
    return [
        tuple(
            _cell(kind, record.key, c, record.values.get(c.name, MISSING), bounds) for c in inputs
        )
        for record in table.records.get(kind, ())
    ]


def _cell(kind: str, key: str, col: Column, value: Any, bounds: Mapping[str, int]) -> Any:
    if value is MISSING or value is None:
        return None
    if isinstance(value, EnumValue):
        return value.index
    if col.sort != "number" or not isinstance(value, Decimal):
        return value
    number = value.scaleb(col.scale, context=EXACT)  # 36 digits pass the default 28
    if number != number.to_integral_value(context=EXACT):
        said = message(
            "sql.data-scale",
            kind=kind,
            key=repr(key),
            field=col.name,
            value=str(value),
            scale=col.scale,
        )
        raise UsageError(said)
    places = bounds.get(col.name)
    if places is not None and value.adjusted() + 1 > places:
        said = message(
            "sql.data-digits",
            kind=kind,
            key=repr(key),
            field=col.name,
            value=str(value),
            digits=places,
        )
        raise UsageError(said)
    return int(number)


def create_table(plan: SqlPlan, kind: str, dialect: Dialect | None = None) -> str:
    """`CREATE TABLE <kind> (...)` with the input columns the query reads."""
    dialect = dialect or plan.dialect
    types = {"bool": "BOOLEAN", "text": "TEXT", "enum": "INT", "date": "DATE"}
    columns = [
        exp.ColumnDef(
            this=exp.to_identifier(c.name, quoted=True),
            kind=integer_type(dialect) if c.sort == "number" else exp.DataType.build(types[c.sort]),
        )
        for c in plan.query(kind).columns
        if c.role == "input"
    ]
    schema = exp.Schema(this=exp.table_(kind, quoted=True), expressions=columns)
    return exp.Create(this=schema, kind="TABLE").sql(dialect=dialect)
