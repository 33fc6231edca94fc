"""CSV files: one dialect, NFC text, every row as long as its header, named errors only."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest

from emurules.data import common
from emurules.data.readers import read_file
from tests.readers.helpers import HOSTILE, codes, refusal


def test_text_and_titles_are_nfc() -> None:
    """Decomposed (NFD) titles and cells match their composed (NFC) forms."""
    records = read_file(HOSTILE / "nfd_cells.csv").records
    assert records == [
        {"mã": "P1", "đơn_vị": "Phòng Tư pháp", "khối": "Nội chính"},
        {"mã": "P2", "đơn_vị": "Phòng Tư pháp", "khối": "Nội chính"},
    ]
    for record in records:
        for key, value in record.items():
            assert unicodedata.is_normalized("NFC", key)
            assert unicodedata.is_normalized("NFC", value)


def test_duplicate_columns_are_refused() -> None:
    """`task` and `task ` are one column after trimming: the last no longer wins."""
    error = refusal(HOSTILE / "duplicate_columns.csv")
    name = str(HOSTILE / "duplicate_columns.csv")
    assert codes(error) == [("D0113", name, None, "task")]
    assert "the column 'task' appears more than once (columns 2 and 4)" in str(error)


def test_short_rows_are_refused_blank_lines_skipped() -> None:
    error = refusal(HOSTILE / "short_row.csv")
    assert codes(error) == [("D0111", str(HOSTILE / "short_row.csv"), 2, None)]
    assert "this row has fewer cells than the header has columns (2 cells, 3 columns)" in str(error)


def test_apostrophes_are_not_quotes(tmp_path: Path) -> None:
    """The sniffer took `'` for the quote: names lost their apostrophes and a comma inside
    them did not split the row. Only `"` quotes; the row with the comma is too long."""
    error = refusal(HOSTILE / "apostrophe_quotes.csv")
    assert codes(error) == [("D0111", str(HOSTILE / "apostrophe_quotes.csv"), 2, None)]
    assert "more cells than the header" in str(error)
    lines = (HOSTILE / "apostrophe_quotes.csv").read_text("utf-8").splitlines()[:2]
    single = tmp_path / "single.csv"
    single.write_text("\n".join(lines) + "\n", "utf-8")
    assert read_file(single).records == [{"id": "P1", "name": "'Trần Văn Tí'", "unit": "U1"}]


def test_delimiter_from_the_header_line() -> None:
    """Semicolons in the header win over the decimal commas of the data."""
    records = read_file(HOSTILE / "semicolon_decimal_comma.csv").records
    assert records[0] == {"id": "P1", "name": "Nguyễn, Văn A", "online": "64,2%"}


def test_an_explicit_delimiter_overrides(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,name\tunit\nP1,A\tU1\n", "utf-8")
    assert read_file(path, delimiter="\t").records == [{"id,name": "P1,A", "unit": "U1"}]
    assert read_file(path, delimiter=",").records == [{"id": "P1", "name\tunit": "A\tU1"}]
    with pytest.raises(ValueError, match="delimiter"):
        read_file(path, delimiter="|")


def test_a_header_with_two_delimiters_equally_often_is_refused() -> None:
    error = refusal(HOSTILE / "ambiguous_delimiter.csv")
    assert "cannot tell the delimiter: the header line has 1 × ',' and 1 × ';'" in str(error)
    records = read_file(HOSTILE / "ambiguous_delimiter.csv", delimiter=";").records
    assert records == [{"id,name": "P1,A", "unit": "U1"}]


def test_delimiters_inside_quoted_titles_do_not_count(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('"Họ, tên, đệm";unit\nA;U1\n', "utf-8")
    assert read_file(path).records == [{"Họ, tên, đệm": "A", "unit": "U1"}]


def test_one_column_without_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id\nP1\nP2\n", "utf-8")
    assert read_file(path).records == [{"id": "P1"}, {"id": "P2"}]


def test_bare_cr_line_endings() -> None:
    assert read_file(HOSTILE / "bare_cr.csv").records == [
        {"id": "P1", "unit": "U1"},
        {"id": "P2", "unit": "U2"},
    ]


def test_quoted_newlines_survive_every_line_ending(tmp_path: Path) -> None:
    for newline in ("\n", "\r\n", "\r"):
        path = tmp_path / "x.csv"
        path.write_bytes(f'id,note{newline}P1,"a{newline}b"{newline}'.encode())
        assert read_file(path).records == [{"id": "P1", "note": "a\nb"}]


def test_a_long_field_is_read_up_to_the_limit_then_named(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,note\nP1," + "x" * 200_000 + "\n", "utf-8")
    assert len(read_file(path).records[0]["note"]) == 200_000
    path.write_text("id,note\nP1,a\nP2," + "x" * (common.MAX_FIELD_CHARS + 1) + "\n", "utf-8")
    error = refusal(path)
    assert codes(error) == [("D0118", str(path), 2, None)]
    assert "a cell longer than 1,000,000 characters (line 3)" in str(error)
    assert csv.field_size_limit() == 131_072, "the process-wide limit is restored"


def test_nul_bytes_are_named() -> None:
    error = refusal(HOSTILE / "nul.csv")
    assert "the file holds a NUL character (line 2), so it is not CSV text" in str(error)


def test_utf16_is_named() -> None:
    assert "the file is UTF-16 text" in str(refusal(HOSTILE / "utf16.csv"))
    assert "NUL character" in str(refusal(HOSTILE / "utf16_no_bom.csv"))


def test_an_unclosed_quote_is_named() -> None:
    error = refusal(HOSTILE / "unclosed_quote.csv")
    assert codes(error) == [("D0111", str(HOSTILE / "unclosed_quote.csv"), 1, None)]
    assert "is not closed by the end of the file" in str(error)


def test_text_after_a_closing_quote_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('id,name\nP1,"Lê" Thị\n', "utf-8")
    assert "a closing quote is followed by more text" in str(refusal(path))


def test_excel_error_text_is_refused() -> None:
    error = refusal(HOSTILE / "excel_error.csv")
    assert codes(error) == [("D0115", str(HOSTILE / "excel_error.csv"), 1, "unit")]
    assert "the cell holds the Excel error #N/A" in str(error)


def test_a_value_in_an_untitled_column_is_refused(tmp_path: Path) -> None:
    error = refusal(HOSTILE / "untitled_column.csv")
    assert "column 2 has a value but no title" in str(error)
    path = tmp_path / "x.csv"
    path.write_text("id,unit,\nP1,U1,\nP2,U2,\n", "utf-8")
    assert read_file(path).records == [{"id": "P1", "unit": "U1"}, {"id": "P2", "unit": "U2"}]


def test_rows_of_empty_cells_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("\n,,\nid,unit,task\nP1,U1,good\n,,\n , ,\nP2,U2,weak\n", "utf-8")
    records = read_file(path).records
    assert [r["id"] for r in records] == ["P1", "P2"]


def test_every_problem_of_a_file_at_once(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,unit\nP1\nP2,U2,x\nP3,#REF!\n", "utf-8")
    assert [(c, row) for c, _, row, _ in codes(refusal(path))] == [
        ("D0111", 1),
        ("D0111", 2),
        ("D0115", 3),
    ]
