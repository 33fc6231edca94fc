"""The numbers every engine can hold exactly, for criteria and data alike, and the locales
data text is read with.

A later engine stores numbers as SQL DECIMAL(38,18); keeping every literal and every data
value within 18 digits before the decimal point and 18 after means no engine ever rounds
or overflows an input, so all of them agree to the last digit. This module sits below
syntax, check and data, so each stage reads the same limits without importing another.
"""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Final

from emurules.i18n import Message, message

MAX_WHOLE_DIGITS: Final = 18
MAX_FRACTION_DIGITS: Final = 18
# Literal texts longer than this are not even converted (Python refuses int() of very
# long texts); anything this long is beyond the limits anyway.
LONGEST_TEXT: Final = 100
ROUND_DIGITS: Final = range(0, MAX_FRACTION_DIGITS + 1)

# The version of the criteria language this emurules reads: a file may state the one it is
# written in (`emurules 1` in its header); a later version is refused, not misread.
LANGUAGE_VERSION: Final = 1

# "iso": decimal point, YYYY-MM-DD; "vi": decimal comma, day-first dates.
LOCALES: Final[tuple[str, ...]] = ("iso", "vi")
DEFAULT_LOCALE: Final = "iso"


def beyond_limits(value: Decimal) -> Message | None:
    """Why a finite number cannot be held exactly, or None when it can."""
    if not value.is_finite():
        return message("core.not-finite")
    if value.is_zero():
        return None
    if value.adjusted() >= MAX_WHOLE_DIGITS:
        return message("core.too-large", digits=MAX_WHOLE_DIGITS)
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent >= -MAX_FRACTION_DIGITS:
        return None
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if exponent + trailing < -MAX_FRACTION_DIGITS:
        return message("core.too-precise", digits=MAX_FRACTION_DIGITS)
    return None


def fraction(percent: Decimal) -> Decimal:
    """`64.2` (as in `64.2%`) -> `0.642`, exactly, however many digits it has."""
    if not percent.is_finite():
        return percent
    digits = len(percent.as_tuple().digits)
    return Context(prec=max(28, digits + 3)).divide(percent, 100)


def short(text: str, width: int = 24) -> str:
    """A long number as its first and last digits, so a message stays one line."""
    if len(text) <= width:
        return text
    half = (width - 1) // 2
    return f"{text[:half]}…{text[-half:]} ({len(text)} characters)"
