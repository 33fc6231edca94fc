"""Data files -> records: CSV, JSON, JSONL, and (with extras) XLSX and Parquet.

Every reader gives a list of dicts (one per data row, in file order, text as NFC) or
raises one DataError naming every problem of the file as `file:row N:column`; a file is
never read in a way its author did not mean. The accepted forms and limits are in
docs/data.md. A large CSV or Parquet file, read by pyarrow when it is installed, gives the
same records as the rows of an Arrow table (data/arrowfiles.py).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, cast

import attrs

from emurules.data import arrowfiles
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
from emurules.data.frames import FrameRows
from emurules.data.inputs import HISTORY, Inputs, argument_path, find_inputs
from emurules.data.jsonfile import read_json, read_jsonl
from emurules.errors import UsageError
from emurules.i18n import Message, message

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

# What to do with a file of a format that is not read, by its extension.
_OTHER = {
    "xls": message("data.open-and-save-as-xlsx"),
    "xlsm": message("data.save-as-xlsx"),
    "xlsb": message("data.save-as-xlsx"),
    "ods": message("data.save-as-xlsx-or-csv"),
    "tsv": message("data.name-tsv-csv"),
    "txt": message("data.name-txt-csv"),
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
        raise UsageError(
            message(
                "data.unknown-delimiter", delimiter=repr(delimiter), delimiters=repr(DELIMITERS)
            )
        )
    problems = Problems(nfc(str(path)))
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        what = (
            message("data.cannot-read-files", suffix=path.suffix)
            if suffix
            else message("data.cannot-read-without-extension")
        )
        hint = _OTHER.get(suffix) or message("data.use-one-of", formats=_extensions())
        raise problems.fatal("format", what, hint=hint)
    sheet = None
    if suffix == "xlsx":
        from emurules.data.xlsxfile import read_xlsx, require_openpyxl

        require_openpyxl(problems)
        _check_file(path, problems)
        try:
            rows, sheet = read_xlsx(path, problems, kind)
        except OSError as error:
            raise problems.fatal("format", _cannot_read(error)) from None
    elif suffix == "parquet":
        rows = _parquet(path, problems)
    elif suffix == "csv":
        rows = _csv(path, problems, delimiter)
    else:
        text = _decoded(_bytes(path, problems), problems)
        rows = read_json(text, problems) if suffix == "json" else read_jsonl(text, problems)
    problems.check()
    _check_records(rows, kind, problems)
    return DataFile(rows.records, problems.file, sheet)


def _extensions() -> tuple[str, ...]:
    return tuple("." + f for f in FORMATS)


def _cannot_read(error: OSError) -> Message:
    return message("data.cannot-read-file", reason=str(error.strerror))


def _check_file(path: Path, problems: Problems) -> None:
    """Only a regular file of at most MAX_FILE_BYTES is opened: reading a FIFO or a
    device would wait for ever, or never end."""
    try:
        status = os.stat(path)
    except OSError as error:
        raise problems.fatal("format", _cannot_read(error)) from None
    if not stat.S_ISREG(status.st_mode):
        if stat.S_ISDIR(status.st_mode):
            what = message("data.a-folder")
        elif stat.S_ISFIFO(status.st_mode):
            what = message("data.a-pipe")
        elif stat.S_ISSOCK(status.st_mode):
            what = message("data.a-socket")
        else:
            what = message("data.a-device")
        raise problems.fatal(
            "not_a_file",
            message("data.not-a-regular-file", what=what),
            hint=message("data.give-a-file-on-disk"),
        )
    if status.st_size > MAX_FILE_BYTES:
        raise problems.fatal(
            "too_large",
            message("data.file-too-large", size=f"{status.st_size:,}", most=f"{MAX_FILE_BYTES:,}"),
            hint=message("data.split-the-data"),
        )


def _bytes(path: Path, problems: Problems) -> bytes:
    _check_file(path, problems)
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise problems.fatal("format", _cannot_read(error)) from None
    if len(data) > MAX_FILE_BYTES:
        raise problems.fatal(
            "too_large", message("data.file-grew-too-large", most=f"{MAX_FILE_BYTES:,}")
        )
    return data


def _decoded(data: bytes, problems: Problems) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise problems.fatal("format", message("data.utf-16"), hint=message("data.save-as-utf-8"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise problems.fatal(
            "format",
            message("data.not-utf-8", line=line, byte=error.start),
            hint=message("data.save-as-utf-8"),
        ) from None


def _csv(path: Path, problems: Problems, delimiter: str | None) -> Rows:
    """A large file by pyarrow if it can, else the usual way; the bytes are let go before
    the usual reader makes its records, so that a file is never held three times."""
    data = _bytes(path, problems)
    found = _arrow_csv(data, delimiter)
    if found is not None:
        return found
    text = _decoded(data, problems)
    del data
    return read_csv(text, problems, delimiter)


def _arrow_csv(data: bytes, delimiter: str | None) -> Rows | None:
    """A large CSV file's records as an Arrow table's rows, which the columnar engine takes
    whole, when pyarrow is installed and the file is plainly well-formed; else None (the
    usual reader then reads it, and reports every problem). See data/arrowfiles.py."""
    if len(data) < arrowfiles.ARROW_FROM_BYTES or not arrowfiles.available():
        return None
    found = arrowfiles.csv_rows(data, delimiter)
    return None if found is None else _rows(found)


def _rows(found: FrameRows) -> Rows:
    """Rows holding an Arrow table's rows. A FrameRows reads as the list of dicts the usual
    readers give (length, index, iteration: what DataFile's users do with its records),
    and keeps the table's columns for a reader that takes them whole."""
    return Rows(cast("list[dict[str, Any]]", found), header=True)


def _arrow_parquet(path: Path, table: Any, names: list[str]) -> FrameRows | None:
    """A large Parquet file's table as its rows, when they equal the dicts made below;
    else None."""
    if path.stat().st_size < arrowfiles.ARROW_FROM_BYTES:
        return None
    return arrowfiles.parquet_rows(table, names)


def _check_records(rows: Rows, kind: str | None, problems: Problems) -> None:
    """An empty file is an error (an empty ranking is never produced quietly), except a
    history with a header and no rows: the first year of a movement."""
    if rows.records:
        return
    if kind != HISTORY:
        raise problems.fatal("empty", message("data.no-records"), hint=message("data.export-again"))
    if not rows.header:
        raise problems.fatal(
            "empty", message("data.history-empty"), hint=message("data.give-a-history-header")
        )


def _parquet(path: Path, problems: Problems) -> Rows:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise problems.fatal(
            "format",
            message("data.needs-extra", format="parquet", extra="parquet"),
            hint=message("data.install-extra", extra="parquet"),
        ) from None
    _check_file(path, problems)
    try:
        table = parquet.read_table(path)
        names = [title(name) for name in table.column_names]
    except Exception as error:  # pyarrow raises many kinds for a broken file
        raise problems.fatal("format", message("data.broken-parquet", reason=str(error))) from None
    found = _arrow_parquet(path, table, names)
    try:
        rows = table.to_pylist() if found is None else []
    except Exception as error:  # pyarrow raises many kinds for a broken file
        raise problems.fatal("format", message("data.broken-parquet", reason=str(error))) from None
    if len(set(names)) < len(names):
        repeated = sorted({name for name in names if names.count(name) > 1})
        for name in repeated:
            problems.add("duplicate_column", message("data.column-repeated", name=name))
        problems.check()
    if found is not None:
        return _rows(found)
    records = [
        {title(key): nfc(value) if isinstance(value, str) else value for key, value in row.items()}
        for row in rows
    ]
    return Rows(records, header=True)
