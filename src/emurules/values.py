"""Run-time values: decimals for every number, enum values that know their order, and
MISSING for a value that is not there; and how they are written for programs (`json_value`)
and for people (`show`), the same whatever decimal context the caller has set."""

from __future__ import annotations

import datetime
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal
from functools import total_ordering
from typing import Any, Final, TypeAlias

import attrs

# Exact enough for any sum or product of data with a few decimals; divisions are cut at
# 40 significant digits, far below any rounding a ruleset asks for.
CONTEXT: Final = Context(prec=40, rounding=ROUND_HALF_UP)
# For dropping trailing zeros without cutting digits (the default context keeps 28).
_WIDE: Final = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


class Missing:
    """The type of `MISSING`, the one value that stands for "not there"."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


_Missing = Missing
MISSING: Final = Missing()


@total_ordering
@attrs.frozen(eq=False)
class EnumValue:
    """A value of an enum; `<` follows declaration order."""

    enum: str
    name: str
    index: int

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EnumValue) and (self.enum, self.name) == (other.enum, other.name)

    def __hash__(self) -> int:
        return hash((self.enum, self.name))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, EnumValue):
            return NotImplemented
        return self.index < other.index

    def __str__(self) -> str:
        return self.name


Value: TypeAlias = Decimal | bool | str | datetime.date | EnumValue | Missing | tuple[str, ...]
"""What a subject's value can be: a number (always a `Decimal`, whole numbers too), a
truth value, a text (or a reference: the referenced subject's key), a date, an enum
value, `MISSING`, or the keys of a relation's members."""

JSONValue: TypeAlias = str | bool | int | list[str] | None
"""A value as `Result.to_json()` writes it: a value of type `int` as an integer, any other
number as its canonical text (`decimal_text`), a date as YYYY-MM-DD, an enum value by
name, members as their keys, MISSING as null."""


def round_half_away(value: Decimal, digits: int) -> Decimal:
    """Round as a person does by hand: half away from zero (2.675 -> 2.68, -2.675 -> -2.68)."""
    context = CONTEXT.copy()
    context.prec = max(CONTEXT.prec, value.adjusted() + digits + 3)
    context.rounding = ROUND_HALF_UP
    return value.quantize(Decimal(1).scaleb(-digits, context), context=context)


def decimal_text(value: Decimal, digits: int | None = None) -> str:
    """A number's canonical text: no exponent, no sign on zero, and either exactly `digits`
    places (a value the ruleset rounds: `86.70` for `round 2`) or no trailing zeros at
    all (`86.7`, `100`). The same value always reads the same, whatever the caller's
    decimal context."""
    value = value.normalize(_WIDE) if digits is None else round_half_away(value, digits)
    if value.is_zero():
        value = value.copy_abs()
    return format(value, "f")


def json_value(value: Value | None, digits: int | None = None) -> JSONValue:
    """A value as `to_json()` writes it (see `JSONValue`); `digits` for a rounded number."""
    if value is None or value is MISSING:
        return None
    if isinstance(value, bool | str):
        return value
    if isinstance(value, Decimal):
        return decimal_text(value, digits)
    if isinstance(value, EnumValue):
        return value.name
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"not a value: {value!r}")


def plain(value: Any) -> Any:
    """A JSON-friendly form for the test reports: decimals as int or float-free strings,
    enums by name."""
    if value is MISSING:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        normal = value.normalize(_WIDE)
        if normal.as_tuple().exponent >= 0:  # type: ignore[operator]
            return int(normal)
        text = format(normal, "f")
        return float(text) if len(text) <= 17 else str(normal)
    if isinstance(value, EnumValue):
        return value.name
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def show(value: Any) -> str:
    """How a value reads in an explanation."""
    if value is MISSING:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # by the value, never by how it is held: 5.40000000 is 5.4, and -0 is 0
        value = value.normalize(_WIDE)
        if value.is_zero():
            value = value.copy_abs()
        if value.as_tuple().exponent < -6:  # normalised: never 'n' or 'F'
            shown = round_half_away(value, 4).normalize(_WIDE)
            return "≈" + format(shown.copy_abs() if shown.is_zero() else shown, "f")
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return f"{len(value)} subjects"
    return str(value)
