"""Whatever the bytes, a reader gives records or a DataError: never another exception."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emurules.data.readers import DataFile, read_file
from emurules.errors import DataError
from tests.helpers import ROOT

SEEDS = sorted((ROOT / "examples" / "law-2022" / "data").glob("*.csv"))
KINDS = st.sampled_from([None, "individual", "history"])

# (operation, where as a fraction of the length, byte): replace, insert or delete
EDITS = st.lists(
    st.tuples(st.sampled_from("rid"), st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8
)


def mutate(data: bytes, edits: list[tuple[str, float, int]]) -> bytes:
    buffer = bytearray(data)
    for operation, where, byte in edits:
        at = min(int(where * len(buffer)), max(len(buffer) - 1, 0))
        if operation == "i" or not buffer:
            buffer.insert(at, byte)
        elif operation == "r":
            buffer[at] = byte
        else:
            del buffer[at]
    return bytes(buffer)


def read(folder: Path, name: str, data: bytes, kind: str | None) -> None:
    path = folder / name
    path.write_bytes(data)
    try:
        result = read_file(path, kind=kind)
    except DataError as error:
        assert error.diagnostics
        assert all(d.code.startswith("D01") and d.place is not None for d in error.diagnostics)
    else:
        assert isinstance(result, DataFile)
        assert all(isinstance(record, dict) for record in result.records)


def seeds_as_json() -> list[bytes]:
    rows = [list(csv.DictReader(p.read_text("utf-8").splitlines())) for p in SEEDS]
    return [json.dumps(r, ensure_ascii=False).encode() for r in rows]


def seeds_as_jsonl() -> list[bytes]:
    rows = [list(csv.DictReader(p.read_text("utf-8").splitlines())) for p in SEEDS]
    return [
        "\n".join(json.dumps(record, ensure_ascii=False) for record in r).encode() for r in rows
    ]


def seed_workbook() -> dict[str, bytes]:
    """The parts of a workbook holding the first seed, written by openpyxl."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in csv.reader(SEEDS[0].read_text("utf-8").splitlines()):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=150)
@given(st.binary(max_size=300), st.sampled_from(["csv", "json", "jsonl", "xlsx"]), KINDS)
def test_random_bytes(folder: Path, data: bytes, extension: str, kind: str | None) -> None:
    read(folder, f"random.{extension}", data, kind)


@settings(max_examples=150)
@given(
    st.lists(st.sampled_from([*",;\t\"'\r\n \x00x1éệ\u0301\u2028=#", "#N/A"]), max_size=80).map(
        "".join
    ),
    st.sampled_from([None, ",", ";", "\t"]),
    KINDS,
)
def test_csv_like_text(folder: Path, text: str, delimiter: str | None, kind: str | None) -> None:
    path = folder / "text.csv"
    path.write_text(text, "utf-8")
    try:
        read_file(path, kind=kind, delimiter=delimiter)
    except DataError as error:
        assert error.diagnostics


@settings(max_examples=150)
@given(st.sampled_from(range(len(SEEDS))), EDITS, KINDS)
def test_mutated_csv(
    folder: Path, seed: int, edits: list[tuple[str, float, int]], kind: str | None
) -> None:
    read(folder, "mutated.csv", mutate(SEEDS[seed].read_bytes(), edits), kind)


@settings(max_examples=150)
@given(st.sampled_from(range(len(SEEDS))), EDITS, st.sampled_from(["json", "jsonl"]), KINDS)
def test_mutated_json(
    folder: Path, seed: int, edits: list[tuple[str, float, int]], extension: str, kind: str | None
) -> None:
    seeds = seeds_as_json() if extension == "json" else seeds_as_jsonl()
    read(folder, f"mutated.{extension}", mutate(seeds[seed], edits), kind)


@settings(max_examples=100)
@given(EDITS, KINDS)
def test_mutated_xlsx_container(
    folder: Path, edits: list[tuple[str, float, int]], kind: str | None
) -> None:
    read(folder, "mutated.xlsx", mutate(zipped(seed_workbook()), edits), kind)


@settings(max_examples=150)
@given(
    st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"]),
    EDITS,
    KINDS,
)
def test_mutated_xlsx_parts(
    folder: Path, part: str, edits: list[tuple[str, float, int]], kind: str | None
) -> None:
    """The zip is sound and one XML part is mutated: openpyxl's own errors are named."""
    parts = seed_workbook()
    parts[part] = mutate(parts[part], edits)
    read(folder, "parts.xlsx", zipped(parts), kind)
