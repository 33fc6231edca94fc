"""Data files -> records: CSV, JSON, JSONL, and (with extras) XLSX and Parquet.

Every reader gives a list of dicts (one per data row, in file order) and reports problems
with the file's name, so that messages name `file:row N:field`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from emurules.errors import DataError
from emurules.source import Diagnostic, Place

FORMATS = ("csv", "json", "jsonl", "xlsx", "parquet")


def _problem(
    path: Path, message: str, row: int | None = None, hint: str | None = None
) -> DataError:
    return DataError(
        [
            Diagnostic(
                code="D0111",
                kind="format",
                message=message,
                hint=hint,
                place=Place(file=str(path), row=row),
            )
        ]
    )


@attrs.frozen
class DataFile:
    """The rows of a data file, and how messages name it (a workbook adds its sheet)."""

    records: list[dict[str, Any]]
    name: str


def read_file(path: Path) -> DataFile:
    """Read one data file; the format follows the file's extension."""
    if path.suffix.lower() == ".xlsx":
        records, sheet = _xlsx(path)
        return DataFile(records, f"{path}[{sheet}]")
    return DataFile(read_records(path), str(path))


def read_records(path: Path) -> list[dict[str, Any]]:
    """The rows of one data file; the format follows the file's extension."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise _problem(
            path,
            f"cannot read '.{suffix}' files",
            hint=f"use one of: {', '.join('.' + f for f in FORMATS)}",
        )
    try:
        if suffix == "xlsx":
            return _xlsx(path)[0]
        if suffix == "parquet":
            return _parquet(path)
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise _problem(path, f"cannot read the file: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise _problem(
            path,
            f"the file is not UTF-8 text (byte {error.start})",
            hint="save it as UTF-8 (CSV UTF-8 in a spreadsheet program)",
        ) from None
    if suffix == "csv":
        return _csv(path, text)
    if suffix == "json":
        return _json(path, text)
    return _jsonl(path, text)


def _csv(path: Path, text: str) -> list[dict[str, Any]]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    rows = []
    for number, row in enumerate(reader, start=1):
        if None in row:
            raise _problem(path, "this row has more cells than the header has columns", number)
        rows.append({k.strip(): v for k, v in row.items() if k is not None})
    if reader.fieldnames is None:
        return []
    return rows


def _objects(path: Path, items: Iterable[Any]) -> list[dict[str, Any]]:
    rows = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise _problem(path, "each record must be an object of field names and values", number)
        rows.append(item)
    return rows


def _json(path: Path, text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _problem(
            path, f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    if not isinstance(data, list):
        raise _problem(path, "a JSON data file holds an array of records")
    return _objects(path, data)


def _jsonl(path: Path, text: str) -> list[dict[str, Any]]:
    items = []
    for number, line in enumerate((ln for ln in text.splitlines() if ln.strip()), start=1):
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise _problem(path, f"not valid JSON: {error.msg}", number) from None
    return _objects(path, items)


def _xlsx(path: Path) -> tuple[list[dict[str, Any]], str]:
    try:
        import openpyxl
    except ImportError:
        raise _problem(
            path, "reading .xlsx files needs the 'xlsx' extra", hint="pip install 'emurules[xlsx]'"
        ) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise _problem(path, f"cannot open the workbook: {error}") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return [], sheet.title
    names = [str(h).strip() if h is not None else "" for h in header]
    records = []
    for row in rows:
        if all(cell is None for cell in row):
            continue
        records.append({n: v for n, v in zip(names, row, strict=False) if n})
    book.close()
    return records, sheet.title


def _parquet(path: Path) -> list[dict[str, Any]]:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise _problem(
            path,
            "reading .parquet files needs the 'parquet' extra",
            hint="pip install 'emurules[parquet]'",
        ) from None
    table = parquet.read_table(path)
    records: list[dict[str, Any]] = table.to_pylist()
    return records


def find_inputs(paths: Iterable[str], kinds: Iterable[str]) -> tuple[dict[str, Path], Path | None]:
    """Data files by subject kind, and a history file, from `--data` arguments.

    An argument is `KIND=PATH`, a file named `<kind>.<format>`, or a directory holding such
    files (and `history.<format>`).
    """
    known = set(kinds)
    found: dict[str, Path] = {}
    history: Path | None = None
    for argument in paths:
        kind, _, rest = argument.partition("=")
        if rest and kind.isidentifier():
            found[kind] = Path(rest)
            continue
        path = Path(argument)
        if path.is_dir():
            for child in sorted(path.iterdir()):
                stem = child.stem
                if child.suffix.lower().lstrip(".") not in FORMATS:
                    continue
                if stem == "history":
                    history = child
                elif stem in known:
                    found[stem] = child
            continue
        if path.stem == "history":
            history = path
        else:
            found[path.stem] = path
    return found, history
