"""JSON and JSON Lines text -> records.

Python's json module accepts things JSON does not (`NaN`, `Infinity`), silently keeps the
last of two equal keys, and raises plain exceptions for huge integers and deep nesting;
here each of these is a named problem.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

import attrs

from emurules.data.common import MAX_DIGITS, Problems, Rows, nfc
from emurules.i18n import message


class _Object(dict[str, Any]):
    """A JSON object, remembering the keys it repeats."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__()
        self.repeated: list[str] = []
        for key, value in pairs:
            key = nfc(key)
            if key in self:
                self.repeated.append(key)
            self[key] = value


@attrs.frozen
class _Refused:
    """A number read as this marker, reported where it stands: its text, and whether it is
    too long (else it is not finite)."""

    text: str
    too_long: bool


def _int(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > MAX_DIGITS:
        return _Refused(text, too_long=True)
    return int(text)


def _float(text: str) -> Decimal | _Refused:
    """A JSON number with a fraction or exponent, exactly as written: read as a binary
    float, `0.123456789012345678` and `...677` would become one number."""
    if len(text) > MAX_DIGITS or not math.isfinite(float(text)):
        return _Refused(text, too_long=len(text) > MAX_DIGITS)
    return Decimal(text)


def _constant(text: str) -> _Refused:
    return _Refused(text, too_long=False)


def _short(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:12]}…{text[-6:]}"


def _parse(text: str, problems: Problems, row: int | None) -> tuple[bool, Any]:
    """(True, value) for valid JSON, else (False, None) with the problem added. In JSON
    Lines the row names the line; in a JSON file the message gives the line."""
    try:
        return True, json.loads(
            text,
            object_pairs_hook=_Object,
            parse_int=_int,
            parse_float=_float,
            parse_constant=_constant,
        )
    except json.JSONDecodeError as error:
        if row:
            said = message("data.json-invalid-at-column", reason=error.msg, column=error.colno)
        else:
            said = message(
                "data.json-invalid-at-line",
                reason=error.msg,
                line=error.lineno,
                column=error.colno,
            )
        problems.add("format", said, row=row)
    except RecursionError:
        problems.add("too_large", message("data.json-too-deep"), row=row)
    except ValueError as error:
        problems.add("format", message("data.json-invalid", reason=str(error)), row=row)
    return False, None


def read_json(text: str, problems: Problems) -> Rows:
    """The records of a JSON array of objects."""
    if not text.strip():
        return Rows([], header=False)
    valid, data = _parse(text, problems, None)
    if not valid:
        return Rows([], header=True)
    if not isinstance(data, list):
        raise problems.fatal("format", message("data.json-not-an-array"))
    return Rows(_records(enumerate(data, start=1), problems), header=True)


def read_jsonl(text: str, problems: Problems) -> Rows:
    """The records of JSON Lines: one object per line, blank lines skipped."""
    lines = [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if ln.strip()]
    items: list[tuple[int, Any]] = []
    for number, line in enumerate(lines, start=1):
        valid, item = _parse(line, problems, number)
        if valid:
            items.append((number, item))
    return Rows(_records(items, problems), header=bool(lines))


def _records(items: Any, problems: Problems) -> list[dict[str, Any]]:
    records = []
    for number, item in items:
        if not isinstance(item, dict):
            problems.add("format", message("data.json-record-not-an-object"), row=number)
            continue
        try:
            records.append(_clean(item, problems, number, None))
        except RecursionError:
            problems.add("too_large", message("data.record-too-deep"), row=number)
    return records


def _clean(value: Any, problems: Problems, row: int, field: str | None) -> Any:
    """The value with its text as NFC and plain dicts, its repeated keys reported."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_clean(item, problems, row, field) for item in value]
    if isinstance(value, _Refused):
        if value.too_long:
            digits = len(value.text.lstrip("-"))
            text = message("data.too-many-digits", digits=f"{digits:,}", most=f"{MAX_DIGITS:,}")
            problems.add("too_large", text, row=row, field=field)
        else:
            text = message("data.not-finite", value=_short(value.text))
            hint = message("data.write-the-number-or-null")
            problems.add("format", text, row=row, field=field, hint=hint)
        return None
    if isinstance(value, _Object):
        for key in dict.fromkeys(value.repeated):
            problems.add(
                "duplicate_column",
                message("data.json-key-repeated", key=key),
                row=row,
                field=field or key,
                hint=message("data.keep-one-of-them"),
            )
        return {key: _clean(item, problems, row, field or key) for key, item in value.items()}
    return value
