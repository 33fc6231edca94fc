"""One data cell -> a value of a declared type, under the locale the data is read with.

Offices type numbers and dates in the forms of their locale, and no cell is ever guessed
at: `64,2` is a decimal comma only when the data is read with locale "vi", `31/12/2025` is
day-first only then too, and a cell that fits no accepted form is a problem naming what
would have been accepted. Text is NFC and trimmed, so Vietnamese typed on any keyboard
matches.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Final

import attrs

from emurules.limits import (
    LONGEST_TEXT,
    MAX_FRACTION_DIGITS,
    MAX_WHOLE_DIGITS,
    beyond_limits,
    fraction,
    short,
)
from emurules.source import normalise

TRUE_WORDS: Final = ("true", "yes", "1", "có", "x")
FALSE_WORDS: Final = ("false", "no", "0", "không")
BOOL_HINT: Final = (
    f"write {', '.join(TRUE_WORDS)} for true, or {', '.join(FALSE_WORDS)} for false "
    "(in any case); leave the cell empty when the value is missing"
)
LIMIT_HINT: Final = (
    f"numbers have at most {MAX_WHOLE_DIGITS} digits before the decimal point "
    f"and {MAX_FRACTION_DIGITS} after"
)

_NUMBER = {
    "iso": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"),
    "vi": re.compile(r"[+-]?(?:[0-9]+(?:,[0-9]*)?|,[0-9]+)(?:[eE][+-]?[0-9]+)?"),
}
# A number with separators the locale does not read: a comma under iso, a point under vi,
# or digit groups ("1 234", "1.234.567").
_OTHER_NUMBER = re.compile(r"[+-]?[0-9][0-9.,\s]*")
_PERCENT = re.compile(r"(.*?)\s*%")
_MIDNIGHT = r"(?:[T ]0?0:00(?::00(?:\.0+)?)?)?"
_TIME = re.compile(r"[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})" + _MIDNIGHT)
_DAY_FIRST = re.compile(r"([0-9]{1,2})([/-])([0-9]{1,2})\2([0-9]{4})" + _MIDNIGHT)
_FORMS = {
    "iso": ("numbers like 64.2", "dates like 2025-12-31"),
    "vi": ("numbers like 64,2", "dates like 31/12/2025 or 2025-12-31"),
}
_WHOLE: Final = 10**MAX_WHOLE_DIGITS
_SWITCH = 'set `locale "vi"` in the ruleset or pass --locale vi'


@attrs.frozen
class Problem:
    """Why a cell is not a value: the data error's kind, its message and a hint."""

    kind: str
    message: str
    hint: str | None = None


def clean(text: str) -> str:
    """NFC and trimmed: how every text cell, key and column title is compared."""
    if text.isascii():  # nothing to compose, no byte-order mark
        return text.strip()
    return normalise(text).strip()


def shown(raw: Any) -> str:
    """A cell as messages quote it: like repr, but a huge number or text stays short."""
    if isinstance(raw, bool):
        return repr(raw)
    if isinstance(raw, int):
        return short(str(Decimal(raw)))
    if isinstance(raw, datetime.date):
        return raw.isoformat(sep=" ") if isinstance(raw, datetime.datetime) else raw.isoformat()
    if isinstance(raw, str) and len(raw) > LONGEST_TEXT:
        return repr(raw[:LONGEST_TEXT] + "…")
    return repr(raw)


def text(raw: Any) -> str | Problem:
    if isinstance(raw, str):
        return clean(raw)
    return Problem("type", f"{shown(raw)} is not text")


def boolean(raw: Any) -> bool | Problem:
    """One documented set of words, so a tick column (`x`) and `có/không` read alike."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return raw == 1
    if isinstance(raw, Decimal) and raw.is_finite() and raw in (0, 1):
        return raw == 1
    if isinstance(raw, str):
        word = clean(raw).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return Problem("type", f"{shown(raw)} is not true or false", BOOL_HINT)


def date(raw: Any, locale: str) -> datetime.date | Problem:
    """A date cell; an Excel date cell (a datetime at midnight) is a date."""
    wanted = f"write {_FORMS[locale][1]}"
    if isinstance(raw, datetime.datetime):
        if raw.time() != datetime.time():
            return _time_of_day(raw)
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if not isinstance(raw, str):
        return Problem("type", f"{shown(raw)} is not a date", wanted)
    cell = clean(raw)
    iso = _ISO_DATE.fullmatch(cell)
    day_first = _DAY_FIRST.fullmatch(cell)
    if iso:
        year, month, day = iso.group(1, 2, 3)
    elif day_first and locale == "vi":
        day, _, month, year = day_first.group(1, 2, 3, 4)
    elif day_first:
        return Problem(
            "locale",
            f"{shown(raw)} is not written year-month-day, and the data is read with locale iso",
            f"write dates like 2025-12-31; for day-first dates (31/12/2025), {_SWITCH}",
        )
    elif _TIME.search(cell) and (_ISO_DATE.match(cell) or _DAY_FIRST.match(cell)):
        return _time_of_day(raw)
    else:
        return Problem("type", f"{shown(raw)} is not a date", wanted)
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        order = "day/month/year" if day_first and not iso else "year-month-day"
        return Problem("type", f"{shown(raw)} is not a date in the calendar ({order})", wanted)


def _time_of_day(raw: Any) -> Problem:
    return Problem(
        "type",
        f"{shown(raw)} has a time of day, and this field is a date",
        "keep only the date (in Excel, format the column as a date without a time)",
    )


def number(raw: Any, kind: str, locale: str) -> tuple[Decimal, bool] | Problem:
    """A number cell as (value, written with %); a percentage is a fraction (0.642).

    Numbers that arrive as numbers (int, float, Decimal: JSON, Excel cells) do not depend
    on the locale; an Excel percent cell arrives as its fraction.
    """
    wanted = {"int": "a whole number", "number": "a number", "percent": "a percentage"}[kind]
    percent_form = False
    value: Decimal | None = None
    if isinstance(raw, bool):
        return Problem("type", f"{shown(raw)} is not {wanted}")
    if isinstance(raw, int) and -_WHOLE < raw < _WHOLE:  # the common case, within limits
        return Decimal(raw), False
    if isinstance(raw, int | Decimal):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        if len(raw) > 64:  # not worth remembering, and could be large
            return _number_text.__wrapped__(raw, kind, locale)
        return _number_text(raw, kind, locale)
    return _checked(raw, value, kind, wanted, locale, percent_form)


@lru_cache(maxsize=1 << 16)
def _number_text(raw: str, kind: str, locale: str) -> tuple[Decimal, bool] | Problem:
    """A number written as text; remembered, as a column repeats the same few texts."""
    wanted = {"int": "a whole number", "number": "a number", "percent": "a percentage"}[kind]
    cell = clean(raw)
    written = _PERCENT.fullmatch(cell) if kind == "percent" else None
    body = written.group(1) if written else cell
    value: Decimal | None = None
    percent_form = False
    if _NUMBER[locale].fullmatch(body):
        value = _decimal(body.replace(",", "."))
        if value is not None and written:
            value = fraction(value)
            percent_form = True
    elif _OTHER_NUMBER.fullmatch(body):
        return _separators(raw, body, locale)
    return _checked(raw, value, kind, wanted, locale, percent_form)


def _checked(
    raw: Any, value: Decimal | None, kind: str, wanted: str, locale: str, percent_form: bool
) -> tuple[Decimal, bool] | Problem:
    if value is None or not value.is_finite():
        return Problem("type", f"{shown(raw)} is not {wanted}", f"write {_FORMS[locale][0]}")
    problem = beyond_limits(value)
    if problem is not None:
        return Problem("limit", f"{shown(raw)} is {problem}", LIMIT_HINT)
    if kind == "int" and value != value.to_integral_value():
        return Problem("type", f"{shown(raw)} is not {wanted}")
    return value, percent_form


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _separators(raw: Any, body: str, locale: str) -> Problem:
    """A number written with a separator the locale does not read, and how to write it."""
    spaced = any(c.isspace() for c in body)
    if locale == "vi":
        single = not spaced and "," not in body and body.count(".") == 1
        example = body.replace(".", ",") if single else "64,2 or 1234567"
        if single and len(body.partition(".")[2]) == 3:  # 1.234: a thousand, in Vietnam
            example = f"{body.replace('.', '')} (a whole number) or {example} (a decimal)"
        return Problem(
            "locale",
            f"{shown(raw)} has a '.' or a space, and the data is read with locale vi "
            "(decimal comma, no thousands separators)",
            f"this file is read with locale vi: write {example}",
        )
    if "," in body:
        return Problem(
            "locale",
            f"{shown(raw)} has a comma, and the data is read with locale iso "
            "(decimal point, no thousands separators)",
            f"decimal comma: {_SWITCH}; thousands: write the digits without separators",
        )
    return Problem(
        "type",
        f"{shown(raw)} is not a number",
        f"write {_FORMS[locale][0]}, without thousands separators",
    )
