"""Data readers: spreadsheets, missing extras, broken files."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from emurules.data.readers import read_records
from emurules.errors import DataError
from tests.cli.test_rank import CRITERIA, EXAMPLE, run


def test_xlsx_data(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("collective", "individual", "history"):
        rows = list(csv.reader((EXAMPLE / "data" / f"{name}.csv").read_text("utf-8").splitlines()))
        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(row)
        book.save(folder / f"{name}.xlsx")
    result = run("rank", CRITERIA, "--data", str(folder), "--format", "csv")
    assert result.returncode == 0, result.stdout
    assert "emulation_flag,collective,DV02,Đơn vị 2 (Khối Kinh tế),71.25,True,True,1,B,," in (
        result.stdout
    )
    book = openpyxl.load_workbook(folder / "individual.xlsx")
    book.active["D3"] = "Good"
    book.active.title = "Staff"
    book.save(folder / "individual.xlsx")
    broken = run("rank", CRITERIA, "--data", str(folder))
    assert broken.returncode == 1
    assert "individual.xlsx[Staff]:row 2:task: error[D0102] enum" in broken.stdout


def test_a_missing_extra_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "individual.xlsx"
    path.write_bytes(b"")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(DataError) as raised:
        read_records(path)
    assert "pip install 'emurules[xlsx]'" in str(raised.value)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(DataError) as raised:
        read_records(tmp_path / "individual.parquet")
    assert "pip install 'emurules[parquet]'" in str(raised.value)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("individual.json", '{"id": 1}', "a JSON data file holds an array of records"),
        ("individual.json", "[1, 2]", "row 1: error[D0111] format: each record must be an object"),
        ("individual.json", "[{", "not valid JSON"),
        ("individual.jsonl", '{"id": "a"}\n{oops}\n', "row 2: error[D0111] format: not valid JSON"),
        (
            "individual.csv",
            "id,unit\nP1,U1,extra\n",
            "row 1: error[D0111] format: this row has more",
        ),
        ("individual.txt", "x", "cannot read '.txt' files"),
    ],
)
def test_broken_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as raised:
        read_records(path)
    assert message in str(raised.value)


def test_non_utf8_csv(tmp_path: Path) -> None:
    path = tmp_path / "individual.csv"
    path.write_bytes("id\nĐ1\n".encode("cp1258"))
    with pytest.raises(DataError) as raised:
        read_records(path)
    assert "is not UTF-8" in str(raised.value)


def test_parquet_data(tmp_path: Path) -> None:
    """Runs where pyarrow is installed (`emurules[parquet]`); make test does not install it."""
    pyarrow = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("collective", "individual", "history"):
        rows = list(
            csv.DictReader((EXAMPLE / "data" / f"{name}.csv").read_text("utf-8").splitlines())
        )
        parquet.write_table(pyarrow.Table.from_pylist(rows), folder / f"{name}.parquet")
    result = run("rank", CRITERIA, "--data", str(folder), "--format", "csv")
    assert result.returncode == 0, result.stdout
    assert "emulation_flag,collective,DV02,Đơn vị 2 (Khối Kinh tế),71.25,True,True,1,B,," in (
        result.stdout
    )
