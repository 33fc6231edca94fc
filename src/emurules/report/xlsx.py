"""An XLSX workbook: a summary sheet and a sheet per award (needs the `xlsx` extra)."""

from __future__ import annotations

from pathlib import Path

from emurules.errors import EmurulesError
from emurules.report.tables import award_lines, summary
from emurules.result import Result


def write_xlsx(result: Result, path: Path) -> None:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        raise EmurulesError(
            "writing .xlsx reports needs the 'xlsx' extra: pip install 'emurules[xlsx]'"
        ) from None
    book = Workbook()
    sheet = book.active
    sheet.title = "Summary"
    sheet.append(["award", "label", "assessed", "qualified", "received"])
    for row in summary(result):
        sheet.append([row["award"], row["label"], row["assessed"], row["qualified"],
                      row["received"]])  # fmt: skip
    for award in result.awards:
        page = book.create_sheet(award.name[:31])
        page.append(["rank", "key", "score", "outcome", "group", "why"])
        for line in award_lines(result, award.name, everyone=True):
            score = float(line.score) if line.score else None
            page.append([int(line.rank) if line.rank else None, line.key, score, line.status,
                         line.group, line.detail])  # fmt: skip
    for page in book.worksheets:
        for cell in page[1]:
            cell.font = Font(bold=True)
    book.save(path)
