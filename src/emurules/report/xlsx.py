"""An XLSX workbook for people: a summary sheet, a sheet per award, the provenance (needs
the `xlsx` extra).

Each award's sheet lists everyone assessed, recipients first, then those cut by the quota,
then those who did not qualify: one sheet holds the whole decision for that title, and its
autofilter on the outcome column shows the recipients alone in one click (a separate "all"
sheet would only repeat the same rows). Headers are in the reader's language, the header
row is frozen, columns are as wide as their content (up to `WIDEST`), numbers are numbers
with formats: scores to the ruleset's places, shares as percents, money as `#,##0`.

Every text cell is written with the string type (and, when it starts like a formula, the
"quote prefix" style Excel gives to text typed after `'`), so a key such as `=HYPERLINK(...)`
is shown as typed and never evaluated, even after the cell is edited. Numbers stay numbers.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from emurules.errors import EmurulesError
from emurules.i18n import DEFAULT, Message, message, render
from emurules.report.files import write_bytes
from emurules.report.safe import FORMULA_START, xlsx_text
from emurules.report.tables import (
    ALWAYS,
    LABEL_COLUMN,
    SUMMARY,
    SUMMARY_COLUMNS,
    Line,
    award_columns,
    award_lines,
    league_columns,
    league_lines,
    provenance_fields,
    summary,
)
from emurules.result import AwardInfo, RankingInfo, Result

WIDEST = 50  # characters: a longer cell wraps rather than widens its column
MONEY = "#,##0"
PERCENT = "0.0%"
# What a sheet's name may not hold (Excel refuses it), nor start or end with.
_NOT_IN_NAME = frozenset("[]:*?/\\")


def write_xlsx(result: Result, path: Path, lang: str = DEFAULT, *, top: int = 0) -> None:
    """Write the workbook to `path`, atomically (the old file stays whole if this fails)."""
    write_bytes(path, to_xlsx(result, lang, top=top))


def to_xlsx(result: Result, lang: str = DEFAULT, *, top: int = 0) -> bytes:
    """The workbook as the bytes of an .xlsx file; with `top` > 0, each award's sheet
    lists only its `top` best."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise EmurulesError(
            "writing .xlsx reports needs the 'xlsx' extra: pip install 'emurules[xlsx]'"
        ) from None
    book = Workbook()
    names: set[str] = set()
    sheet = book.active
    sheet.title = _sheet_name(render(SUMMARY, lang), "summary", names)
    _summary(result, sheet, lang)
    for award in result.awards:
        page = book.create_sheet(_sheet_name(award.label or "", award.name, names))
        _award(result, award, page, lang, top)
    for ranking in result.rankings:
        page = book.create_sheet(_sheet_name(ranking.label or "", ranking.name, names))
        _league(result, ranking, page, lang, top)
    made = book.create_sheet(
        _sheet_name(render(message("result.provenance-sheet"), lang), "provenance", names)
    )
    for label, value in provenance_fields(result):
        _append(made, [render(label, lang), value])
    for page in book.worksheets:
        _style(page, page[1] if page is not made else page["A"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _summary(result: Result, sheet: Any, lang: str) -> None:
    """Per award: its name and label, the counts, its quota, the share of those who
    qualified who received it, and the reward total when there are rewards."""
    rows = summary(result, lang)
    first, *counts = SUMMARY_COLUMNS
    headings: list[Message] = [first, LABEL_COLUMN, *counts]
    headings += [message("report.column-quota"), message("report.column-share")]
    money = any(row["total"] is not None for row in rows)
    if money:
        headings.append(message("report.column-total"))
    _append(sheet, [render(h, lang) for h in headings])
    for row in rows:
        share = row["received"] / row["qualified"] if row["qualified"] else None
        values = [row["award"], row["label"], row["assessed"], row["qualified"],
                  row["received"], row["quota"], share]  # fmt: skip
        if money:
            values.append(_number(row["total"]))
        _append(sheet, values)
        cells = sheet[sheet.max_row]
        cells[6].number_format = PERCENT
        if money:
            cells[7].number_format = MONEY
    _table(sheet)


def _award(result: Result, award: AwardInfo, page: Any, lang: str, top: int) -> None:
    lines = award_lines(result, award.name, everyone=True, lang=lang, top=top)
    # the same columns on every sheet, so that a reader finds them where they were
    columns = award_columns(result, award, lines, lang, ALWAYS | {"rank", "why"})
    _append(page, [c.heading for c in columns])
    digits = result._layout.digits.get(award.kind)
    score = "0" if digits == 0 else "General" if digits is None else "0." + "0" * digits
    formats = {"score": score, "amount": MONEY, "rank": "0"}
    for line in lines:
        _append(page, [_value(line, c.id, lang) for c in columns])
        for column, cell in zip(columns, page[page.max_row], strict=True):
            if column.id in formats:
                cell.number_format = formats[column.id]
    _table(page)


def _league(result: Result, ranking: RankingInfo, page: Any, lang: str, top: int) -> None:
    lines = league_lines(result, ranking, lang, top)
    columns = league_columns(result, ranking, lines, lang)
    _append(page, [c.heading for c in columns])
    digits = result._layout.digits.get(ranking.kind)
    score = "0" if digits == 0 else "General" if digits is None else "0." + "0" * digits
    for line in lines:
        _append(page, [_value(line, c.id, lang) for c in columns])
        for column, cell in zip(columns, page[page.max_row], strict=True):
            if column.id in ("score", "rank"):
                cell.number_format = score if column.id == "score" else "0"
    _table(page)


def _value(line: Line, column: str, lang: str) -> Any:
    """A cell as a spreadsheet holds it: numbers as numbers, the rest as text."""
    if column == "rank":
        return int(line.rank) if line.rank else None
    if column == "score":
        return _number(line.value)
    if column == "amount":
        return _number(line.amount)
    return line.text(column, lang)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _table(sheet: Any) -> None:
    """The header row frozen and an autofilter over the table; printed on A4 across,
    as wide as the page, the header row on every page."""
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _style(sheet: Any, headings: Any) -> None:
    """Headings bold on grey (over numbers, right-aligned); each column as wide as its
    longest cell, at most `WIDEST`, a longer text wrapped."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    grey = PatternFill("solid", fgColor="E7E6E6")
    widths: dict[int, int] = {}
    numbers: set[int] = set()
    for row in sheet.iter_rows():
        lines = 1
        for cell in row:
            if cell.value is None:
                continue
            if isinstance(cell.value, int | float):
                numbers.add(cell.column)
                size = len(f"{cell.value:,}") + 5  # room for the places a format adds
            else:
                size = max(len(part) for part in str(cell.value).split("\n"))
            widths[cell.column] = max(widths.get(cell.column, 0), size)
            if size > WIDEST and isinstance(cell.value, str):
                cell.alignment = Alignment(wrap_text=True)
                lines = max(lines, -(-size // WIDEST))
        if lines > 1:  # no reader grows a row for wrapped text by itself
            sheet.row_dimensions[row[0].row].height = 15 * lines
    for cell in headings:
        cell.font, cell.fill = Font(bold=True), grey
        right = cell.column in numbers and cell.row == 1
        cell.alignment = Alignment(horizontal="right" if right else None)
    for column, size in widths.items():
        # room for the autofilter's button beside a heading
        sheet.column_dimensions[get_column_letter(column)].width = min(size + 3, WIDEST)


def _sheet_name(wanted: str, fallback: str, taken: set[str]) -> str:
    """`wanted` if Excel takes it as a sheet's name (at most 31 characters, none it
    refuses), else `fallback`; made unique (case aside, as Excel compares them)."""
    name = wanted.strip()
    if not _valid(name):
        name = "".join("_" if c in _NOT_IN_NAME else c for c in xlsx_text(fallback)).strip("'")
    name = name[:31] or "_"
    found, number = name, 1
    while found.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        found = name[: 31 - len(suffix)] + suffix
    taken.add(found.casefold())
    return found


def _valid(name: str) -> bool:
    return (
        0 < len(name) <= 31
        and not _NOT_IN_NAME & set(name)
        and not name.startswith("'")
        and not name.endswith("'")
        and xlsx_text(name) == name
        and name.isprintable()
    )


def _append(sheet: Any, values: list[Any]) -> None:
    """Append a row, its text as string cells: openpyxl would make `=...` a formula."""
    sheet.append([xlsx_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_START):
                cell.quotePrefix = True
