"""Excel workbooks (.xlsx) -> records, from one sheet chosen by name, never by position.

openpyxl gives each cell's stored value. Two things it cannot tell apart are told apart
here by reading the sheet's XML once more: a formula whose value was never computed
(a file written by a script) from an empty cell, and merged cells from empty ones.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import attrs

from emurules.data.common import MAX_FILE_BYTES, Problems, Rows, blank, nfc, title
from emurules.data.csvfile import EXCEL_ERRORS
from emurules.errors import DataError
from emurules.i18n import Message, message

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@attrs.frozen
class _Raw:
    """What the sheet's XML says beyond the values: formulas without a stored value (as
    (row, column)) and merged ranges (min_col, min_row, max_col, max_row)."""

    formulas: frozenset[tuple[int, int]]
    merged: tuple[tuple[str, tuple[int, int, int, int]], ...]


def require_openpyxl(problems: Problems) -> None:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise problems.fatal(
            "format",
            message("data.needs-extra", format="xlsx", extra="xlsx"),
            hint=message("data.install-extra", extra="xlsx"),
        ) from None


def read_xlsx(path: Path, problems: Problems, kind: str | None) -> tuple[Rows, str | None]:
    """The records of the sheet for `kind`, and that sheet's name; `problems.file` gains
    the sheet's name once it is chosen."""
    import openpyxl

    with open(path, "rb") as file:
        head = file.read(8)
    if not head:
        return Rows([], header=False), None
    _check_container(path, head, problems)
    # openpyxl leaves its file open when it fails: give it one that is closed here.
    with warnings.catch_warnings(), open(path, "rb") as file:
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(file, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            text = message("data.cannot-open-workbook", reason=_reason(error))
            raise problems.fatal("format", text) from None
        try:
            sheet = _choose(book, kind, problems)
            name = title(sheet.title)
            problems.file = f"{problems.file}[{name}]"
            raw = _raw(book, sheet)
            return _rows(sheet, raw, problems), name
        except DataError:
            raise
        except Exception as error:
            text = message("data.cannot-read-workbook", reason=_reason(error))
            raise problems.fatal("format", text) from None
        finally:
            book.close()


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def _check_container(path: Path, head: bytes, problems: Problems) -> None:
    if head.startswith(_OLE):
        raise problems.fatal(
            "format",
            message("data.protected-or-xls"),
            hint=message("data.remove-the-password"),
        )
    if not head.startswith(b"PK"):
        hint: Message = message("data.save-from-excel")
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            hint = message("data.text-named-xlsx")
        raise problems.fatal("format", message("data.not-a-workbook"), hint=hint)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (  # NotImplementedError: a zip version or compression that is not read
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ):
        raise problems.fatal(
            "format",
            message("data.broken-zip"),
            hint=message("data.save-again"),
        ) from None
    if unpacked > MAX_FILE_BYTES:
        raise problems.fatal(
            "too_large",
            message("data.workbook-too-large", size=f"{unpacked:,}", most=f"{MAX_FILE_BYTES:,}"),
            hint=message("data.split-the-data"),
        )


def sheet_titles(path: Path) -> list[str]:
    """The titles of a workbook's visible sheets (NFC, trimmed); none when it cannot be
    opened (no openpyxl, not a workbook): reading it reports why."""
    try:
        import openpyxl

        with warnings.catch_warnings(), open(path, "rb") as file:
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(file, read_only=True)
            try:
                return [title(s.title) for s in book.worksheets if s.sheet_state == "visible"]
            finally:
                book.close()
    except Exception:  # a broken workbook is reported when it is read, with its reason
        return []


def _choose(book: Any, kind: str | None, problems: Problems) -> Any:
    """The sheet named after the kind, else the only visible sheet; a hidden sheet (last
    year's data kept out of sight) is never read."""
    visible = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
    if kind is not None:
        named = [s for s in visible if title(s.title).casefold() == nfc(kind).casefold()]
        if len(named) == 1:
            return named[0]
    if len(visible) == 1:
        return visible[0]
    if not visible:
        raise problems.fatal("sheet", message("data.no-visible-sheet"))
    names = tuple(f"'{title(s.title)}'" for s in visible)
    if kind is None:
        raise problems.fatal(
            "sheet",
            message("data.which-sheet", sheets=len(visible), names=names),
            hint=message("data.keep-one-sheet-visible"),
        )
    raise problems.fatal(
        "sheet",
        message("data.no-sheet-named", sheets=len(visible), names=names, kind=kind),
        hint=message("data.name-the-sheet", kind=kind),
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


_FORMULA_OR_MERGE = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]|mergeCell")


def _mentions(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether the sheet's XML may hold a formula or a merged range: most exported sheets
    hold neither, and then the second reading is skipped."""
    tail = b""
    with archive.open(part) as source:
        while chunk := source.read(1 << 20):
            if _FORMULA_OR_MERGE.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _raw(book: Any, sheet: Any) -> _Raw:
    """Formula cells without a stored value, and merged ranges, from the sheet's XML.

    A formula that Excel computed to empty text is stored as `t="str"` with an empty
    value; a formula a script wrote has no value at all (or an empty one without a type).
    """
    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    formulas: set[tuple[int, int]] = set()
    merged: list[tuple[str, tuple[int, int, int, int]]] = []
    row = column = 0
    parent = None
    # openpyxl keeps the open archive and the sheet's part name (read-only mode).
    part = sheet._worksheet_path
    if not _mentions(book._archive, part):
        return _Raw(frozenset(), ())
    with book._archive.open(part) as source:
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "sheetData":
                    parent = element
                elif tag == "row":
                    row = int(element.get("r") or row + 1)
                    column = 0
                continue
            if tag == "c":
                ref = element.get("r")
                row, column = coordinate_to_tuple(ref) if ref else (row, column + 1)
                children = {_local(child.tag): child for child in element}
                value = children.get("v")
                stored = value is not None and (bool(value.text) or element.get("t") == "str")
                if "f" in children and not stored:
                    formulas.add((row, column))
            elif tag == "row" and parent is not None:
                parent.clear()
            elif tag == "mergeCell":
                ref = element.get("ref") or ""
                bounds = range_boundaries(ref)
                if None not in bounds:
                    merged.append((ref, bounds))
    return _Raw(frozenset(formulas), tuple(merged))


def _rows(sheet: Any, raw: _Raw, problems: Problems) -> Rows:
    sheet.reset_dimensions()  # a wrong stored size would drop rows or columns silently
    header: list[str] | None = None
    header_at = 0
    numbers: dict[int, int] = {}
    records: list[dict[str, Any]] = []
    for index, cells in enumerate(sheet.iter_rows(), start=1):
        if all(
            blank(cell.value) and cell.data_type != "e" and (index, col) not in raw.formulas
            for col, cell in enumerate(cells, start=1)
        ):
            continue
        if header is None:
            header = _header(index, cells, raw, problems)
            header_at = index
            continue
        numbers[index] = len(numbers) + 1
        records.append(_record(index, numbers[index], cells, header, raw, problems))
    if header is None:
        return Rows([], header=False)
    for ref, (min_col, min_row, max_col, max_row) in raw.merged:
        if max_row < header_at or (min_col, min_row) == (max_col, max_row):
            continue
        first = header[min_col - 1] if min_col <= len(header) else ""
        problems.add(
            "merged_cells",
            message("data.merged-cells", cells=ref),
            row=numbers.get(min_row),
            field=first or None,
            hint=message("data.unmerge"),
        )
    return Rows(records, header=True)


def _letter(column: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return str(get_column_letter(column))


def _cell_problem(
    index: int,
    column: int,
    cell: Any,
    raw: _Raw,
    problems: Problems,
    row: int | None,
    field: str | None,
) -> bool:
    """Add the problem of a formula without a value or an Excel error; True if there is one."""
    if (index, column) in raw.formulas:
        problems.add(
            "formula",
            message("data.formula-without-value", cell=f"{_letter(column)}{index}"),
            row=row,
            field=field,
            hint=message("data.open-and-save-in-excel"),
        )
        return True
    value = cell.value
    if cell.data_type == "e" or (isinstance(value, str) and value.strip() in EXCEL_ERRORS):
        problems.add(
            "excel_error",
            message("data.excel-error-in", cell=f"{_letter(column)}{index}", error=f"{value}"),
            row=row,
            field=field,
            hint=message("data.correct-in-excel"),
        )
        return True
    return False


def _header(index: int, cells: Any, raw: _Raw, problems: Problems) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for column, cell in enumerate(cells, start=1):
        if _cell_problem(index, column, cell, raw, problems, None, None) or cell.value is None:
            names.append("")
            continue
        name = title(cell.value)
        names.append(name)
        if name and name in seen:
            problems.add(
                "duplicate_column",
                message(
                    "data.column-repeated-at",
                    name=name,
                    first=_letter(seen[name]),
                    second=_letter(column),
                ),
                field=name,
                hint=message("data.one-title-per-column"),
            )
        elif name:
            seen[name] = column
    return names


def _record(
    index: int, row: int, cells: Any, header: list[str], raw: _Raw, problems: Problems
) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(name for name in header if name)
    for column, cell in enumerate(cells, start=1):
        name = header[column - 1] if column <= len(header) else ""
        if _cell_problem(index, column, cell, raw, problems, row, name or None):
            continue
        value = cell.value
        if not name:
            if not blank(value):
                problems.add(
                    "format",
                    message("data.cell-without-title", cell=f"{_letter(column)}{index}"),
                    row=row,
                    hint=message("data.title-the-column-in-the-header-row"),
                )
            continue
        record[name] = nfc(value) if isinstance(value, str) else value
    return record
