"""CSV text -> records, in one dialect only: `,` `;` or tab between cells, `"` around them.

The delimiter is never guessed from the data: it is the one the header line uses most (or
the one given), and a row with more or fewer cells than the header is refused, so a cell
can never move into its neighbour's column.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from emurules.data.common import MAX_FIELD_CHARS, Problems, Rows, all_of, blank, nfc, title
from emurules.i18n import Arg, message

DELIMITERS = (",", ";", "\t")

EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"}
    | {"#GETTING_DATA", "#SPILL!", "#CALC!"}
)

_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")


def describe(delimiter: str) -> Arg:
    return message("data.tab") if delimiter == "\t" else f"'{delimiter}'"


def read_csv(text: str, problems: Problems, delimiter: str | None = None) -> Rows:
    """The records of a CSV text; every problem is added to `problems`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise problems.fatal(
            "format",
            message("data.nul-character", line=line),
            hint=message("data.save-as-csv-utf8"),
        )
    if not text.strip():
        return Rows([], header=False)
    chosen = delimiter or header_delimiter(text, problems)
    header: list[str] | None = None
    records: list[dict[str, Any]] = []
    number = 0
    with _field_limit():
        reader = csv.reader(
            io.StringIO(text), delimiter=chosen, quotechar='"', doublequote=True, strict=True
        )
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                _malformed(str(error), reader.line_num, number + 1, problems)
                break
            if all(blank(cell) for cell in cells):
                continue
            if header is None:
                header = _header(cells, problems)
                continue
            number += 1
            record = _record(cells, header, number, problems)
            if record is not None:
                records.append(record)
    return Rows(records, header=header is not None)


@contextlib.contextmanager
def _field_limit() -> Iterator[None]:
    old = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def header_delimiter(text: str, problems: Problems) -> str:
    """The delimiter the header line uses most, counting outside quotes (shared with the
    Arrow reader, `data/arrowfiles.py`, which must find the same one)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    start = _BLANK_LINES.match(text)
    for char in text[start.end() if start else 0 :]:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "\n":
            break
        elif char in counts:
            counts[char] += 1
    most = max(counts.values())
    if most == 0:
        return ","
    winners = [d for d, n in counts.items() if n == most]
    if len(winners) > 1:
        found = all_of([message("data.times", times=most, delimiter=describe(d)) for d in winners])
        raise problems.fatal(
            "format",
            message("data.which-delimiter", found=found),
            hint=message("data.give-the-delimiter"),
        )
    return winners[0]


def _malformed(reason: str, line: int, row: int, problems: Problems) -> None:
    """A row the csv module cannot read; the file is read no further."""
    if reason.startswith("field larger than field limit"):
        text = message("data.cell-too-long", most=f"{MAX_FIELD_CHARS:,}", line=line)
        problems.add("too_large", text, row=row)
        return
    if "unexpected end of data" in reason:
        text = message("data.quote-not-closed", line=line)
    else:
        text = message("data.text-after-quote", line=line)
    problems.add("format", text, row=row, hint=message("data.quotes-in-a-cell"))


def _header(cells: list[str], problems: Problems) -> list[str]:
    names = [title(cell) for cell in cells]
    seen: dict[str, int] = {}
    for column, name in enumerate(names, start=1):
        if not name:
            continue
        if name in seen:
            problems.add(
                "duplicate_column",
                message("data.column-repeated-at", name=name, first=seen[name], second=column),
                field=name,
                hint=message("data.one-title-per-column"),
            )
        else:
            seen[name] = column
    return names


def _record(
    cells: list[str], header: list[str], number: int, problems: Problems
) -> dict[str, Any] | None:
    if len(cells) != len(header):
        if len(cells) > len(header):
            text = message("data.more-cells", cells=len(cells), columns=len(header))
        else:
            text = message("data.fewer-cells", cells=len(cells), columns=len(header))
        problems.add("format", text, row=number, hint=message("data.delimiter-moves-cells"))
        return None
    record: dict[str, Any] = {}
    for column, (name, cell) in enumerate(zip(header, cells, strict=True), start=1):
        if not name:
            if not blank(cell):
                problems.add(
                    "format",
                    message("data.value-without-title", column=column),
                    row=number,
                    hint=message("data.title-the-column"),
                )
            continue
        if cell.strip() in EXCEL_ERRORS:
            problems.add(
                "excel_error",
                message("data.excel-error", error=cell.strip()),
                row=number,
                field=name,
                hint=message("data.correct-and-export-again"),
            )
            continue
        record[name] = nfc(cell)
    return record
