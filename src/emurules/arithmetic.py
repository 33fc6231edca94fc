"""The arithmetic every engine and the built-in functions share: exact decimals, one rounded
operation (division, to 18 places) and rounding half away from zero."""

from __future__ import annotations

from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_DOWN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    Inexact,
)
from typing import Final

from emurules.values import CONTEXT

# Inputs have at most 18 digits before the point and 18 after; a product of two of them
# needs 72, so arithmetic other than division runs without a precision limit.
EXACT: Final = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=ROUND_HALF_UP)
QUOTIENT_PLACES: Final = 18
_QUANTUM: Final = Decimal(1).scaleb(-QUOTIENT_PLACES)


def divide(dividend: Decimal, divisor: Decimal) -> Decimal:
    """The one rounded operation: a quotient to 18 decimal places, half away from zero.

    One scale for every engine (SQL's DECIMAL(38, 18) included), so engines agree to the
    last digit. The quotient is first cut (never rounded) two places past the scale, so the
    final rounding is the only one: rounding twice could move a value across a half.
    """
    places = dividend.adjusted() - divisor.adjusted() + 1
    cut = Context(prec=max(1, places + QUOTIENT_PLACES + 2), rounding=ROUND_DOWN,
                  Emax=MAX_EMAX, Emin=MIN_EMIN)  # fmt: skip
    quotient = cut.divide(dividend, divisor)
    exponent = quotient.as_tuple().exponent
    if not cut.flags[Inexact] and isinstance(exponent, int) and exponent >= -QUOTIENT_PLACES:
        return quotient
    return quotient.quantize(_QUANTUM, context=EXACT)


_QUANTA: Final = tuple(Decimal(1).scaleb(-d) for d in range(QUOTIENT_PLACES + 1))


def round_to(value: Decimal, digits: int) -> Decimal:
    """Half away from zero to `digits` places, with the precision the result needs."""
    needed = value.adjusted() + digits + 3
    quantum = _QUANTA[digits] if 0 <= digits <= QUOTIENT_PLACES else Decimal(1).scaleb(-digits)
    if needed <= CONTEXT.prec:
        return value.quantize(quantum, context=CONTEXT)
    return value.quantize(quantum, context=Context(prec=needed, rounding=ROUND_HALF_UP))
