"""An XLSX workbook: a summary sheet and a sheet per award (needs the `xlsx` extra).

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
from emurules.i18n import DEFAULT, message, render
from emurules.report.files import write_bytes
from emurules.report.safe import FORMULA_START, xlsx_text
from emurules.report.tables import (
    AWARD_COLUMNS,
    LABEL_COLUMN,
    STATUS,
    SUMMARY,
    SUMMARY_COLUMNS,
    award_lines,
    provenance_fields,
    summary,
    words,
)
from emurules.result import Result


def write_xlsx(result: Result, path: Path, lang: str = DEFAULT) -> None:
    """Write the workbook to `path`, atomically (the old file stays whole if this fails)."""
    write_bytes(path, to_xlsx(result, lang))


def to_xlsx(result: Result, lang: str = DEFAULT) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        raise EmurulesError(
            "writing .xlsx reports needs the 'xlsx' extra: pip install 'emurules[xlsx]'"
        ) from None
    book = Workbook()
    sheet = book.active
    sheet.title = render(SUMMARY, lang)
    first, *counts = (render(c, lang) for c in SUMMARY_COLUMNS)
    _append(sheet, [first, render(LABEL_COLUMN, lang), *counts])
    for row in summary(result, lang):
        _append(sheet, [row["award"], row["label"], row["assessed"], row["qualified"],
                        row["received"]])  # fmt: skip
    for award in result.awards:
        page = book.create_sheet(award.name[:31])
        _append(page, [render(c, lang) for c in AWARD_COLUMNS])
        for line in award_lines(result, award.name, everyone=True, lang=lang):
            score = result.subjects[(award.kind, line.key)].score
            _append(page, [int(line.rank) if line.rank else None, line.key,
                           float(score) if isinstance(score, Decimal) else None,
                           render(STATUS[line.status], lang), line.group,
                           words(line.detail, lang)])  # fmt: skip
    made = book.create_sheet(render(message("result.provenance-sheet"), lang)[:31])
    for label, value in provenance_fields(result):
        _append(made, [render(label, lang), value])
    for page in book.worksheets:
        for cell in page[1] if page is not made else page["A"]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append(sheet: Any, values: list[Any]) -> None:
    """Append a row, its text as string cells: openpyxl would make `=...` a formula."""
    sheet.append([xlsx_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_START):
                cell.quotePrefix = True
