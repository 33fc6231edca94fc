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

from emurules.i18n import Message, message
from emurules.limits import (
    LONGEST_TEXT,
    MAX_FRACTION_DIGITS,
    MAX_WHOLE_DIGITS,
    beyond_limits,
    fraction,
    short,
)
from emurules.names import describe_type
from emurules.source import normalise

TRUE_WORDS: Final = ("true", "yes", "1", "có", "x")
FALSE_WORDS: Final = ("false", "no", "0", "không")
BOOL_HINT: Final = message("data.bool-words", true=TRUE_WORDS, false=FALSE_WORDS)
LIMIT_HINT: Final = message(
    "data.number-limits", whole=MAX_WHOLE_DIGITS, fraction=MAX_FRACTION_DIGITS
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
# How to write a number, and a date, under each locale (the hint of a cell that is neither).
_FORMS = {
    "iso": (message("data.write-numbers-iso"), message("data.write-dates-iso")),
    "vi": (message("data.write-numbers-vi"), message("data.write-dates-vi")),
}
_WANTED = {kind: describe_type(kind, None, False) for kind in ("int", "number", "percent")}
_TEXT = describe_type("text", None, False)
_WHOLE: Final = 10**MAX_WHOLE_DIGITS
_SWITCH = message("data.switch-to-vi")


@attrs.frozen
class Problem:
    """Why a cell is not a value: the data error's kind, its message and a hint."""

    kind: str
    message: Message
    hint: Message | None = None


def clean(text: str) -> str:
    """NFC and trimmed: how every text cell, key and column title is compared."""
    if text.isascii():  # nothing to compose, no byte-order mark
        return text.strip()
    return normalise(text).strip()


def native(raw: Any) -> Any:
    """A cell from numpy or pandas as the Python value it stands for: a numpy number or
    true/false as an int, float or bool (a float32 as the float it prints as), a numpy
    datetime as a date (at midnight) or a datetime, and NA and NaT as None, missing.
    Anything else is returned as it is. The libraries are recognised by the module of the
    cell's type, so neither is ever imported here."""
    kind = type(raw)
    module = kind.__module__
    if module == "numpy":
        name = kind.__name__
        if name == "datetime64":
            return _datetime64(raw)
        if name in ("float32", "float16"):  # 0.1 in float32 is 0.10000000149...: read "0.1"
            return float(str(raw))
        return raw.item()
    if module.startswith("pandas") and kind.__name__ in ("NAType", "NaTType"):
        return None
    return raw


def _datetime64(raw: Any) -> Any:
    """A numpy datetime: None for NaT, a date at midnight, else a datetime (its text, when
    finer than a microsecond), which a date field refuses for its time of day."""
    day = raw.astype("datetime64[D]")
    if day != day:  # NaT
        return None
    if day == raw:
        return day.item()
    found = raw.item()
    return found if isinstance(found, datetime.datetime) else str(raw)


def shown(raw: Any) -> str:
    """A cell as messages quote it: like repr, but a huge number or text stays short."""
    if isinstance(raw, bool):
        return repr(raw)
    if isinstance(raw, int | Decimal):  # a JSON fraction, a number given in Python
        return short(str(Decimal(raw)))
    if isinstance(raw, datetime.date):
        return raw.isoformat(sep=" ") if isinstance(raw, datetime.datetime) else raw.isoformat()
    if isinstance(raw, str):
        quoted = repr(raw)
        if len(quoted) <= LONGEST_TEXT + 2:
            return quoted
        # cut by shown characters: a control character reads as four (\x1f)
        kept = raw[:LONGEST_TEXT]
        while len(repr(kept)) > LONGEST_TEXT + 2:
            kept = kept[: len(kept) - max(1, (len(repr(kept)) - LONGEST_TEXT - 2) // 4)]
        return repr(kept + "…")
    return repr(raw)


def text(raw: Any) -> str | Problem:
    if isinstance(raw, str):
        return clean(raw)
    return Problem("type", message("data.not-of-type", value=shown(raw), type=_TEXT))


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
    return Problem("type", message("data.not-a-bool", value=shown(raw)), BOOL_HINT)


def date(raw: Any, locale: str) -> datetime.date | Problem:
    """A date cell; an Excel date cell (a datetime at midnight) is a date."""
    wanted = _FORMS[locale][1]
    if isinstance(raw, datetime.datetime):
        if raw.time() != datetime.time() or bool(getattr(raw, "nanosecond", 0)):
            return _time_of_day(raw)
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if not isinstance(raw, str):
        return Problem("type", message("data.not-a-date", value=shown(raw)), wanted)
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
            message("data.day-first-under-iso", value=shown(raw)),
            message("data.day-first-hint", switch=_SWITCH),
        )
    elif _TIME.search(cell) and (_ISO_DATE.match(cell) or _DAY_FIRST.match(cell)):
        return _time_of_day(raw)
    else:
        return Problem("type", message("data.not-a-date", value=shown(raw)), wanted)
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        order = (
            message("data.day-month-year")
            if day_first and not iso
            else message("data.year-month-day")
        )
        shown_raw = shown(raw)
        return Problem(
            "type", message("data.not-in-calendar", value=shown_raw, order=order), wanted
        )


def _time_of_day(raw: Any) -> Problem:
    return Problem(
        "type",
        message("data.time-of-day", value=shown(raw)),
        message("data.keep-only-the-date"),
    )


def number(raw: Any, kind: str, locale: str) -> tuple[Decimal, bool] | Problem:
    """A number cell as (value, written with %); a percentage is a fraction (0.642).

    Numbers that arrive as numbers (int, float, Decimal: JSON, Excel cells) do not depend
    on the locale; an Excel percent cell arrives as its fraction.
    """
    percent_form = False
    value: Decimal | None = None
    if isinstance(raw, bool):
        return Problem("type", message("data.not-of-type", value=shown(raw), type=_WANTED[kind]))
    if isinstance(raw, int) and -_WHOLE < raw < _WHOLE:  # the common case, within limits
        return Decimal(raw), False
    if isinstance(raw, int | Decimal):
        value = Decimal(raw)
    elif isinstance(raw, float):  # the shortest text that reads back as the same float
        value = Decimal(float.__repr__(raw))
    elif isinstance(raw, str):
        if len(raw) > 64:  # not worth remembering, and could be large
            return _number_text.__wrapped__(raw, kind, locale)
        return _number_text(raw, kind, locale)
    return _checked(raw, value, kind, locale, percent_form)


@lru_cache(maxsize=1 << 16)
def _number_text(raw: str, kind: str, locale: str) -> tuple[Decimal, bool] | Problem:
    """A number written as text; remembered, as a column repeats the same few texts."""
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
    return _checked(raw, value, kind, locale, percent_form)


def _checked(
    raw: Any, value: Decimal | None, kind: str, locale: str, percent_form: bool
) -> tuple[Decimal, bool] | Problem:
    if value is None or not value.is_finite():
        wanted = message("data.not-of-type", value=shown(raw), type=_WANTED[kind])
        return Problem("type", wanted, _FORMS[locale][0])
    problem = beyond_limits(value)
    if problem is not None:
        return Problem(
            "limit", message("data.beyond-limits", value=shown(raw), reason=problem), LIMIT_HINT
        )
    if kind == "int" and value != value.to_integral_value():
        return Problem("type", message("data.not-of-type", value=shown(raw), type=_WANTED[kind]))
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
        if not single:
            hint = message("data.vi-write-numbers")
        elif len(body.partition(".")[2]) == 3:  # 1.234: a thousand, in Vietnam
            hint = message(
                "data.vi-write-whole-or-decimal",
                whole=body.replace(".", ""),
                decimal=body.replace(".", ","),
            )
        else:
            hint = message("data.vi-write-as", number=body.replace(".", ","))
        return Problem("locale", message("data.point-under-vi", value=shown(raw)), hint)
    if "," in body:
        return Problem(
            "locale",
            message("data.comma-under-iso", value=shown(raw)),
            message("data.comma-hint", switch=_SWITCH),
        )
    return Problem(
        "type",
        message("data.not-of-type", value=shown(raw), type=_WANTED["number"]),
        message("data.write-numbers-without-separators"),
    )
