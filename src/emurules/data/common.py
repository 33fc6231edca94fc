"""What every data reader shares: the limits, the codes of reading problems, and a list
that collects every problem of one file so that they are reported at once."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import attrs

from emurules.errors import DataError
from emurules.i18n import Arg, Message, message
from emurules.source import Diagnostic, Place

FORMATS = ("csv", "json", "jsonl", "xlsx", "parquet")

MAX_FILE_BYTES = 1 << 30
"""Larger files are refused rather than read into memory (1 GiB; for a workbook, also the
total size of its unpacked parts)."""

MAX_FIELD_CHARS = 1_000_000
"""The longest CSV field read; Python's csv module stops at 131,072 by default."""

MAX_DIGITS = 4_300
"""The longest integer read from JSON (Python's own limit for turning text into an int)."""

CODES = {
    "format": "D0111",
    "inputs": "D0112",
    "duplicate_column": "D0113",
    "formula": "D0114",
    "excel_error": "D0115",
    "sheet": "D0116",
    "empty": "D0117",
    "too_large": "D0118",
    "not_a_file": "D0119",
    "merged_cells": "D0120",
}


def nfc(text: str) -> str:
    """Text as NFC, so that Vietnamese typed on any keyboard (or named on a Mac) matches."""
    return unicodedata.normalize("NFC", text)


def title(value: object) -> str:
    """A column title as compared with field names: NFC, no byte-order mark, trimmed."""
    text = nfc(str(value)).lstrip("\ufeff")
    return text.strip()


def all_of(items: Sequence[Arg]) -> Arg:
    """'a and b', or 'a and b and c': items joined as a sentence lists them, as a message
    (a language may join them with other words)."""
    joined = items[-1]
    for item in reversed(items[:-1]):
        joined = message("data.and", first=item, second=joined)
    return joined


def blank(value: object) -> bool:
    """An empty cell: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


@attrs.frozen
class Rows:
    """What a reader found: the records, and whether the file had a header (or, for JSON,
    any content), which tells "no rows yet" from an empty file."""

    records: list[dict[str, Any]]
    header: bool


@attrs.define
class Problems:
    """Every problem found in one file; `file` is how messages name it."""

    file: str
    found: list[Diagnostic] = attrs.field(factory=list)

    def add(
        self,
        kind: str,
        text: Message,
        *,
        row: int | None = None,
        field: str | None = None,
        hint: Message | None = None,
    ) -> None:
        place = Place(file=self.file, row=row, field=field)
        self.found.append(
            Diagnostic(code=CODES[kind], kind=kind, message=text, hint=hint, place=place)
        )

    def fatal(
        self,
        kind: str,
        text: Message,
        *,
        row: int | None = None,
        field: str | None = None,
        hint: Message | None = None,
    ) -> DataError:
        """A problem after which the file cannot be read further, with all found before."""
        self.add(kind, text, row=row, field=field, hint=hint)
        return DataError(self.found)

    def check(self) -> None:
        if self.found:
            raise DataError(self.found)
