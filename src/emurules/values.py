"""Run-time values: decimals for every number, enum values that know their order, and
MISSING for a value that is not there."""

from __future__ import annotations

import datetime
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal
from functools import total_ordering
from typing import Any, Final

import attrs

# Exact enough for any sum or product of data with a few decimals; divisions are cut at
# 40 significant digits, far below any rounding a ruleset asks for.
CONTEXT: Final = Context(prec=40, rounding=ROUND_HALF_UP)
# For dropping trailing zeros without cutting digits (the default context keeps 28).
_WIDE: Final = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


class _Missing:
    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()


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


Value = Decimal | bool | str | datetime.date | EnumValue | _Missing | tuple[str, ...]


def round_half_away(value: Decimal, digits: int) -> Decimal:
    """Round as a person does by hand: half away from zero (2.675 -> 2.68, -2.675 -> -2.68)."""
    context = CONTEXT.copy()
    context.prec = max(CONTEXT.prec, value.adjusted() + digits + 3)
    context.rounding = ROUND_HALF_UP
    return value.quantize(Decimal(1).scaleb(-digits, context), context=context)


def plain(value: Any) -> Any:
    """A JSON-friendly form: decimals as int or float-free strings, enums by name."""
    if value is MISSING:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        normal = value.normalize(_WIDE)
        if normal == normal.to_integral_value():
            return int(normal)
        return float(format(normal, "f")) if len(format(normal, "f")) <= 17 else str(normal)
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
        if value.as_tuple().exponent < -6:  # type: ignore[operator]
            return "≈" + format(round_half_away(value, 4).normalize(_WIDE), "f")
        return format(value.normalize(_WIDE), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return f"{len(value)} subjects"
    return str(value)
