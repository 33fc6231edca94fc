"""Data files -> records: CSV, JSON, JSONL, and (with extras) XLSX and Parquet.

Every reader gives a list of dicts (one per data row, in file order, text as NFC) or
raises one DataError naming every problem of the file as `file:row N:column`; a file is
never read in a way its author did not mean. The accepted forms and limits are in
docs/data.md.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import attrs

from emurules.data.common import (
    FORMATS,
    MAX_DIGITS,
    MAX_FIELD_CHARS,
    MAX_FILE_BYTES,
    Problems,
    Rows,
    nfc,
    title,
)
from emurules.data.csvfile import DELIMITERS, read_csv
from emurules.data.inputs import HISTORY, Inputs, argument_path, find_inputs
from emurules.data.jsonfile import read_json, read_jsonl
from emurules.errors import UsageError

__all__ = [
    "DELIMITERS",
    "FORMATS",
    "MAX_DIGITS",
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "DataFile",
    "Inputs",
    "argument_path",
    "find_inputs",
    "read_file",
    "read_records",
]

_OTHER = {
    "xls": "open it in Excel and save it as Excel Workbook (.xlsx)",
    "xlsm": "save it as Excel Workbook (.xlsx)",
    "xlsb": "save it as Excel Workbook (.xlsx)",
    "ods": "save it as Excel Workbook (.xlsx) or CSV UTF-8",
    "tsv": "name a tab-separated file .csv (the delimiter is found from the header line)",
    "txt": "name a comma, semicolon or tab separated text file .csv",
}


@attrs.frozen
class DataFile:
    """The rows of a data file, how messages name it ("path", or "path[Sheet]" for a
    workbook), and the sheet read from a workbook."""

    records: list[dict[str, Any]]
    name: str
    sheet: str | None = None


def read_records(path: Path) -> list[dict[str, Any]]:
    """The rows of one data file; the format follows the file's extension."""
    return read_file(path).records


def read_file(path: Path, *, kind: str | None = None, delimiter: str | None = None) -> DataFile:
    """Read one data file; the format follows the file's extension.

    `kind` is the subject kind (or "history") the file is read for: it chooses the sheet of
    a workbook, and a history file may have a header and no rows. `delimiter` (`,` `;` or
    a tab) overrides the CSV delimiter found from the header line.
    """
    if delimiter is not None and delimiter not in DELIMITERS:
        raise UsageError(f"delimiter={delimiter!r}: the CSV delimiter is one of {DELIMITERS!r}")
    problems = Problems(nfc(str(path)))
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        what = f"'{path.suffix}' files" if suffix else "a file without an extension"
        raise problems.fatal(
            "format",
            f"cannot read {what}",
            hint=_OTHER.get(suffix, f"use one of: {', '.join('.' + f for f in FORMATS)}"),
        )
    sheet = None
    if suffix == "xlsx":
        from emurules.data.xlsxfile import read_xlsx, require_openpyxl

        require_openpyxl(problems)
        _check_file(path, problems)
        try:
            rows, sheet = read_xlsx(path, problems, kind)
        except OSError as error:
            raise problems.fatal("format", f"cannot read the file: {error.strerror}") from None
    elif suffix == "parquet":
        rows = _parquet(path, problems)
    else:
        text = _text(path, problems)
        if suffix == "csv":
            rows = read_csv(text, problems, delimiter)
        elif suffix == "json":
            rows = read_json(text, problems)
        else:
            rows = read_jsonl(text, problems)
    problems.check()
    _check_records(rows, kind, problems)
    return DataFile(rows.records, problems.file, sheet)


def _check_file(path: Path, problems: Problems) -> None:
    """Only a regular file of at most MAX_FILE_BYTES is opened: reading a FIFO or a
    device would wait for ever, or never end."""
    try:
        status = os.stat(path)
    except OSError as error:
        raise problems.fatal("format", f"cannot read the file: {error.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        what = (
            "a folder"
            if stat.S_ISDIR(status.st_mode)
            else "a pipe (FIFO)"
            if stat.S_ISFIFO(status.st_mode)
            else "a socket"
            if stat.S_ISSOCK(status.st_mode)
            else "a device"
        )
        raise problems.fatal(
            "not_a_file",
            f"not a regular file: it is {what}",
            hint="give a data file saved on disk",
        )
    if status.st_size > MAX_FILE_BYTES:
        raise problems.fatal(
            "too_large",
            f"the file has {status.st_size:,} bytes; at most {MAX_FILE_BYTES:,} bytes are read",
            hint="split the data into smaller files",
        )


def _text(path: Path, problems: Problems) -> str:
    _check_file(path, problems)
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise problems.fatal("format", f"cannot read the file: {error.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise problems.fatal(
            "too_large", f"the file has more than {MAX_FILE_BYTES:,} bytes, the most that is read"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise problems.fatal(
            "format",
            "the file is UTF-16 text, not UTF-8",
            hint="save it as UTF-8 (CSV UTF-8 in a spreadsheet program)",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise problems.fatal(
            "format",
            f"the file is not UTF-8 text (line {line}, byte {error.start})",
            hint="save it as UTF-8 (CSV UTF-8 in a spreadsheet program)",
        ) from None


def _check_records(rows: Rows, kind: str | None, problems: Problems) -> None:
    """An empty file is an error (an empty ranking is never produced quietly), except a
    history with a header and no rows: the first year of a movement."""
    if rows.records:
        return
    if kind != HISTORY:
        raise problems.fatal(
            "empty",
            "the file holds no records",
            hint="export the data again: a file that is empty or has only a header assesses nobody",
        )
    if not rows.header:
        raise problems.fatal(
            "empty",
            "the history file is empty, without even a header",
            hint="give the header line (key,year,award), or [] in JSON, for a year without history",
        )


def _parquet(path: Path, problems: Problems) -> Rows:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise problems.fatal(
            "format",
            "reading .parquet files needs the 'parquet' extra",
            hint="pip install 'emurules[parquet]'",
        ) from None
    _check_file(path, problems)
    try:
        table = parquet.read_table(path)
        names = [title(name) for name in table.column_names]
        rows = table.to_pylist()
    except Exception as error:  # pyarrow raises many kinds for a broken file
        raise problems.fatal("format", f"cannot read the Parquet file: {error}") from None
    if len(set(names)) < len(names):
        repeated = sorted({name for name in names if names.count(name) > 1})
        for name in repeated:
            problems.add("duplicate_column", f"the column '{name}' appears more than once")
        problems.check()
    records = [
        {title(key): nfc(value) if isinstance(value, str) else value for key, value in row.items()}
        for row in rows
    ]
    return Rows(records, header=True)
