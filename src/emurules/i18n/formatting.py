"""Numbers, percentages and dates as the reader's language writes them, in what people read
(explanations, report tables, documents); never in JSON or CSV, which machines read.

English is written exactly as emurules always wrote it (`73.33`, `2025-12-31`, `false`: the
golden files hold it byte for byte); Vietnamese through Babel's locale data (`73,33`,
`12.000`, `64,2%`, `31/12/2025`). One module, so that every report agrees.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Final

import attrs

from emurules.values import MISSING, show

ENGLISH: Final = "en"
DATE_PATTERNS: Final = {"vi": "dd/MM/yyyy"}


@attrs.frozen(slots=True)
class Shown:
    """A value in a message, written only when the message is read, in the reader's
    language: a message made once (an explanation) reads right in every language."""

    value: Any

    def text(self, lang: str = ENGLISH) -> str:
        return shown(self.value, lang)


def shown(value: Any, lang: str = ENGLISH) -> str:
    """How a value reads in `lang`; in English, as `values.show` writes it."""
    if lang == ENGLISH:
        return show(value)
    if value is MISSING or isinstance(value, bool | tuple):
        return _word(value, lang)
    if isinstance(value, Decimal):
        english = show(value)
        if english.startswith("≈"):
            return "≈" + number(Decimal(english[1:]), lang)
        return number(value, lang)
    if isinstance(value, datetime.date):
        return date(value, lang)
    return show(value)


def number(value: Decimal | int, lang: str = ENGLISH) -> str:
    """A number with every digit it has: `73.33` in English (no grouping, as always),
    `73,33` and `12.000` in Vietnamese."""
    value = Decimal(value)
    if lang == ENGLISH:
        return show(value)
    from babel.numbers import format_decimal

    if value.is_zero():  # -0 (a negative rounded to zero) reads as 0
        value = value.copy_abs()
    return str(format_decimal(value, locale=lang, decimal_quantization=False))


def whole(value: int, lang: str = ENGLISH) -> str:
    """A count, in groups of three digits: `12,000` in English, `12.000` in Vietnamese."""
    if lang == ENGLISH:
        return f"{value:,}"
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=lang))


def percent(value: Decimal, lang: str = ENGLISH) -> str:
    """A fraction as a percentage with every digit it has: `64.2%`, in Vietnamese `64,2%`."""
    from babel.numbers import format_percent

    return str(format_percent(value, locale=lang, decimal_quantization=False))


def date(value: datetime.date, lang: str = ENGLISH) -> str:
    """A date: `2025-12-31` in English (ISO, as always), `31/12/2025` in Vietnamese."""
    pattern = DATE_PATTERNS.get(lang)
    if pattern is None:
        return value.isoformat()
    from babel.dates import format_date

    return str(format_date(value, pattern, locale=lang))


def _word(value: Any, lang: str) -> str:
    from emurules.i18n import message, render

    if value is MISSING:
        return render(message("core.value-missing"), lang)
    if isinstance(value, tuple):
        return render(message("core.value-subjects", count=len(value)), lang)
    if value:
        return render(message("core.value-true"), lang)
    return render(message("core.value-false"), lang)
