"""Excel workbooks: the right sheet, computed values only, no error cells, named failures."""

from __future__ import annotations

import datetime
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from emurules.data.csvfile import EXCEL_ERRORS
from emurules.data.readers import read_file
from tests.readers.helpers import HOSTILE, codes, refusal

openpyxl = pytest.importorskip("openpyxl")

ROWS: list[list[Any]] = [["id", "unit", "score"], ["P1", "U1", 1.5], ["P2", "U2", 2]]


def workbook(
    path: Path,
    sheets: dict[str, Sequence[Sequence[Any]]],
    hidden: Sequence[str] = (),
) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def patch(path: Path, part: str, old: bytes, new: bytes) -> None:
    """Replace bytes in one part of a workbook, as another program would have written it.
    openpyxl writes an empty element as `<v />`, or as `<v></v>` or `<dimension .../>`
    when lxml is installed: any of them."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    forms = [old, old.replace(b" />", b"/>"), re.sub(rb"<(\w+) />", rb"<\1></\1>", old)]
    old = next((form for form in forms if form in parts[part]), old)
    assert old in parts[part], parts[part]
    parts[part] = parts[part].replace(old, new)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


SHEET1 = "xl/worksheets/sheet1.xml"


def test_a_formula_without_a_computed_value_is_refused(tmp_path: Path) -> None:
    """openpyxl (and other scripts) store the formula only; the cell used to read empty."""
    path = workbook(tmp_path / "x.xlsx", {"individual": [*ROWS, ["P3", "U3", "=1+1"]]})
    error = refusal(path, kind="individual")
    assert codes(error) == [("D0114", f"{path}[individual]", 3, "score")]
    assert "cell C4 holds a formula without a computed value" in str(error)
    assert "open and save the file in Excel" in str(error)


def test_a_formula_in_a_row_of_formulas_only_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", {"individual": [*ROWS, ["=A2", "=B2", "=C2"]]})
    assert [c[0] for c in codes(refusal(path))] == ["D0114"] * 3


def test_a_computed_formula_is_read(tmp_path: Path) -> None:
    """As Excel saves them: the formula with its value, or with empty text (t="str")."""
    path = workbook(tmp_path / "x.xlsx", {"individual": [*ROWS, ["P3", "=B2", "=1+1"]]})
    patch(path, SHEET1, b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
    patch(path, SHEET1, b'<c r="B4"><f>B2</f><v />', b'<c r="B4" t="str"><f>B2</f><v></v>')
    assert read_file(path).records[2] == {"id": "P3", "unit": None, "score": 2}


@pytest.mark.parametrize(
    "value",
    sorted(EXCEL_ERRORS),
)
def test_excel_error_cells_are_refused(tmp_path: Path, value: str) -> None:
    assert len(EXCEL_ERRORS) == 10
    path = workbook(tmp_path / "x.xlsx", {"individual": [*ROWS, ["P3", value, 3]]})
    error = refusal(path)
    assert codes(error) == [("D0115", f"{path}[individual]", 3, "unit")]
    assert f"cell B4 holds the Excel error {value}" in str(error)


def test_a_hidden_first_sheet_is_not_read(tmp_path: Path) -> None:
    last_year = [["id", "unit", "score"], ["P9", "U9", 9]]
    path = workbook(tmp_path / "x.xlsx", {"2024": last_year, "Staff": ROWS}, hidden=["2024"])
    file = read_file(path, kind="individual")
    assert (file.sheet, file.name) == ("Staff", f"{path}[Staff]")
    assert [r["id"] for r in file.records] == ["P1", "P2"]


def test_the_sheet_named_after_the_kind(tmp_path: Path) -> None:
    """Compared after NFC and case-insensitively; other visible sheets are fine then."""
    other = [["id"], ["X"]]
    name = unicodedata.normalize("NFD", "Cá_Nhân")
    path = workbook(tmp_path / "x.xlsx", {"notes": other, name: ROWS, "collective": other})
    file = read_file(path, kind="cá_nhân")
    assert file.sheet == "Cá_Nhân"
    assert unicodedata.is_normalized("NFC", file.name)
    assert [r["id"] for r in file.records] == ["P1", "P2"]


def test_several_visible_sheets_and_none_named_is_refused(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "x.xlsx", {"old": ROWS, "A": ROWS, "B": ROWS}, hidden=["old", "individual"]
    )
    error = refusal(path, kind="individual")
    assert codes(error) == [("D0116", str(path), None, None)]
    assert "the workbook has 2 visible sheets ('A', 'B') and none is named 'individual'" in str(
        error
    )
    assert "which one to read is not clear" in str(refusal(path))


def test_a_workbook_with_no_visible_sheet_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", {"a": ROWS, "b": ROWS}, hidden=["a"])
    patch(
        path,
        "xl/workbook.xml",
        b'name="b" sheetId="2" state="visible"',
        b'name="b" sheetId="2" state="veryHidden"',
    )
    assert "the workbook has no visible sheet" in str(refusal(path))


def test_empty_sheets(tmp_path: Path) -> None:
    empty = workbook(tmp_path / "empty.xlsx", {"individual": []})
    error = refusal(empty, kind="individual")
    assert codes(error) == [("D0117", f"{empty}[individual]", None, None)]
    assert "the file holds no records" in str(error)
    assert "the history file is empty" in str(refusal(empty, kind="history"))
    header = workbook(tmp_path / "header.xlsx", {"history": [["key", "year", "award"]]})
    assert read_file(header, kind="history").records == []
    assert "holds no records" in str(refusal(header, kind="individual"))


def test_duplicate_columns_are_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", {"s": [["id", "task", "unit", " task"], ["P1", 1, 2, 3]]})
    error = refusal(path)
    assert codes(error) == [("D0113", f"{path}[s]", None, "task")]
    assert "the column 'task' appears more than once (columns B and D)" in str(error)


def test_control_characters_in_text_do_not_raise(tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", {"s": [["id", "name"], ["P1", "PLACEHOLDER"]]})
    patch(path, SHEET1, b"PLACEHOLDER", b"A_x0007_B\x1b[31m&#9;C")
    assert refusal(path).diagnostics[0].code == "D0111"  # raw ESC: not well-formed XML
    path = workbook(tmp_path / "y.xlsx", {"s": [["id", "name"], ["P1", "PLACEHOLDER"]]})
    patch(path, SHEET1, b"PLACEHOLDER", b"A_x0007_B&#9;C\xc2\x85")
    assert read_file(path).records == [{"id": "P1", "name": "A_x0007_B\tC\x85"}]


def test_dates_percents_and_booleans_pass_through(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "start", "online", "certified", "when"])
    sheet.append(["P1", datetime.datetime(2025, 12, 31), 0.642, True, datetime.date(2025, 1, 2)])
    sheet["C2"].number_format = "0.0%"
    book.save(tmp_path / "x.xlsx")
    record = read_file(tmp_path / "x.xlsx").records[0]
    assert record == {
        "id": "P1",
        "start": datetime.datetime(2025, 12, 31),
        "online": 0.642,
        "certified": True,
        "when": datetime.datetime(2025, 1, 2),
    }


def test_text_and_titles_are_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "đơn_vị")
    path = workbook(tmp_path / "x.xlsx", {"s": [["id", nfd], ["P1", f" {nfd} "]]})
    assert read_file(path).records == [{"id": "P1", "đơn_vị": " đơn_vị "}]


def test_merged_cells_are_refused(tmp_path: Path) -> None:
    """A merged block reads as its first cell and empty ones below it."""
    path = workbook(tmp_path / "x.xlsx", {"s": [*ROWS, ["P3", None, 3]]})
    book = openpyxl.load_workbook(path)
    book.active.merge_cells("B3:B4")
    book.active.merge_cells("E1:F1")
    book.save(path)
    error = refusal(path)
    assert codes(error) == [("D0120", f"{path}[s]", None, None), ("D0120", f"{path}[s]", 2, "unit")]
    assert "the cells B3:B4 are merged" in str(error)


def test_a_wrong_stored_size_drops_nothing(tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", {"s": ROWS})
    patch(path, SHEET1, b'<dimension ref="A1:C3" />', b'<dimension ref="A1:B2" />')
    assert read_file(path).records == [
        {"id": "P1", "unit": "U1", "score": 1.5},
        {"id": "P2", "unit": "U2", "score": 2},
    ]


def test_the_header_is_the_first_row_with_a_value(tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", {"s": [[], [None, None], *ROWS, [], ["P3", "U3", 3]]})
    assert [r["id"] for r in read_file(path).records] == ["P1", "P2", "P3"]


def test_a_value_outside_the_titled_columns_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", {"s": [["id", None, "unit"], ["P1", "x", "U1", "y"]]})
    error = refusal(path)
    assert [str(d.message) for d in error.diagnostics] == [
        "cell B2 has a value but its column has no title",
        "cell D2 has a value but its column has no title",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("csv_named.xlsx", "the file is not an Excel workbook (.xlsx)"),
        ("encrypted.xlsx", "the workbook is password-protected, or is an old .xls file"),
        ("broken_zip.xlsx", "the file is not a valid Excel workbook"),
    ],
)
def test_files_that_are_no_workbook(name: str, message: str) -> None:
    error = refusal(HOSTILE / name)
    assert codes(error) == [("D0111", str(HOSTILE / name), None, None)]
    assert message in str(error)


def test_a_zip_that_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "cannot open the workbook" in str(refusal(path))
