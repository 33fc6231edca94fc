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

from emurules.data.common import MAX_FIELD_CHARS, Problems, Rows, blank, nfc, title

DELIMITERS = (",", ";", "\t")

EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"}
    | {"#GETTING_DATA", "#SPILL!", "#CALC!"}
)

_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")


def describe(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else f"'{delimiter}'"


def read_csv(text: str, problems: Problems, delimiter: str | None = None) -> Rows:
    """The records of a CSV text; every problem is added to `problems`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise problems.fatal(
            "format",
            f"the file holds a NUL character (line {line}), so it is not CSV text",
            hint="save it from the spreadsheet program as CSV UTF-8",
        )
    if not text.strip():
        return Rows([], header=False)
    chosen = delimiter or _delimiter(text, problems)
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


def _delimiter(text: str, problems: Problems) -> str:
    """The delimiter the header line uses most, counting outside quotes."""
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
        found = " and ".join(f"{most} × {describe(d)}" for d in winners)
        raise problems.fatal(
            "format",
            f"cannot tell the delimiter: the header line has {found}",
            hint="give it with --delimiter (',', ';' or tab)",
        )
    return winners[0]


def _malformed(reason: str, line: int, row: int, problems: Problems) -> None:
    """A row the csv module cannot read; the file is read no further."""
    if reason.startswith("field larger than field limit"):
        message = f"a cell longer than {MAX_FIELD_CHARS:,} characters (line {line})"
        problems.add("too_large", message, row=row)
        return
    if "unexpected end of data" in reason:
        message = (
            f'a quoted cell (starting with ") is not closed by the end of the file (line {line})'
        )
    else:
        message = f"a closing quote is followed by more text in the same cell (line {line})"
    hint = 'a cell that holds quotes is written "like ""this"""'
    problems.add("format", message, row=row, hint=hint)


def _header(cells: list[str], problems: Problems) -> list[str]:
    names = [title(cell) for cell in cells]
    seen: dict[str, int] = {}
    for column, name in enumerate(names, start=1):
        if not name:
            continue
        if name in seen:
            problems.add(
                "duplicate_column",
                f"the column '{name}' appears more than once (columns {seen[name]} and {column})",
                field=name,
                hint="give every column its own title, or delete the extra column",
            )
        else:
            seen[name] = column
    return names


def _record(
    cells: list[str], header: list[str], number: int, problems: Problems
) -> dict[str, Any] | None:
    if len(cells) != len(header):
        more = "more" if len(cells) > len(header) else "fewer"
        problems.add(
            "format",
            f"this row has {more} cells than the header has columns "
            f"({len(cells)} cells, {len(header)} columns)",
            row=number,
            hint="a missing or extra delimiter moves the cells after it into other columns",
        )
        return None
    record: dict[str, Any] = {}
    for column, (name, cell) in enumerate(zip(header, cells, strict=True), start=1):
        if not name:
            if not blank(cell):
                problems.add(
                    "format",
                    f"column {column} has a value but no title",
                    row=number,
                    hint="give the column a title in the header line, or delete the value",
                )
            continue
        if cell.strip() in EXCEL_ERRORS:
            problems.add(
                "excel_error",
                f"the cell holds the Excel error {cell.strip()}",
                row=number,
                field=name,
                hint="correct the formula in Excel, then export the file again",
            )
            continue
        record[name] = nfc(cell)
    return record
