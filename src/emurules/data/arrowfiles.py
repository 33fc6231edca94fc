"""Large CSV and Parquet files -> the rows of an Arrow table, read by pyarrow.

The columnar engine takes an Arrow table's columns whole (`data/columns.py`), so a file read
into one is validated by its distinct cells, in seconds for a million rows, where the rows
as dicts take minutes and gigabytes. This path is only a faster way to the same records:
a CSV file is read here only when it is plainly well-formed, and every check below errs
towards giving up (None), after which the file is read the usual way (`data/csvfile.py`),
which reports every problem where it stands. So the records, and every diagnostic, never
depend on which way a file was read: `list(rows)` here equals the usual reader's records.

Each check is one pyarrow.compute call per column; Python looks only at the few distinct
cells a check cannot decide alone (a non-ASCII text, a cell holding `#`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from emurules.data.common import MAX_FIELD_CHARS, Problems, title
from emurules.data.csvfile import EXCEL_ERRORS, header_delimiter
from emurules.data.frames import FrameRows, arrow_list
from emurules.errors import DataError

ARROW_FROM_BYTES = 1 << 20
"""Smaller files are read the usual way: importing pyarrow costs more than it saves, and the
columnar engine is chosen only for tens of thousands of records."""

_BOM = b"\xef\xbb\xbf"
_HEADER_BYTES = 1 << 20  # the header line is looked for in the file's first MiB


def available() -> bool:
    """Whether pyarrow is installed (the `parquet` extra)."""
    try:
        import pyarrow.compute
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


class ArrowRows(FrameRows):
    """An Arrow table's rows (FrameRows over its columns), made batch by batch when they
    are iterated: a caller that makes a dict of every row (as `Rules.evaluate` does with
    rows it does not take as columns) does not also keep every column as Python values."""

    _BATCH = 1 << 16

    def __init__(self, names: list[str], columns: list[Any], height: int) -> None:
        super().__init__(names, columns, height, arrow_list, "arrow")

    def __iter__(self) -> Iterator[dict[Any, Any]]:
        native = self.native()
        if not self.names or native is None:
            return super().__iter__()
        return self._batches(native)

    def _batches(self, native: list[Any]) -> Iterator[dict[Any, Any]]:
        import pyarrow as pa

        names = self.names
        table = pa.table(native, names=names)
        for batch in table.to_batches(max_chunksize=self._BATCH):
            columns = [arrow_list(column) for column in batch.columns]
            for cells in zip(*columns, strict=True):
                yield dict(zip(names, cells, strict=True))


# --- CSV ---------------------------------------------------------------------------------


def csv_rows(data: bytes, delimiter: str | None = None) -> ArrowRows | None:
    """The records of a CSV file's bytes as an Arrow table's rows (every cell text, as
    written), or None when the file needs the usual reader: anything it would refuse,
    skip, trim or normalise is left to it."""
    body = _body(data)
    if body is None:
        return None
    start = _header_start(body)
    end = _header_end(body, start)
    if end is None:
        return None
    chosen = delimiter or _delimiter(body[:end])
    if chosen is None or not _quotes_plain(body, chosen):
        return None
    table = _parse(body, chosen, body.count(chosen.encode(), start, end) + 1)
    if table is None or not _fits(table):
        return None
    return _records(_without_blank_rows(table))


def _body(data: bytes) -> bytes | None:
    """The bytes as the usual reader sees its text: one byte-order mark dropped, lines
    ending in `\\n`. None for what it refuses or reads specially (NUL, UTF-16, a second
    mark, which it would keep in a cell)."""
    if b"\x00" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
        if data.startswith(_BOM):
            return None
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


def _delimiter(head: bytes) -> str | None:
    """The delimiter the usual reader finds, from the file up to the end of its header
    line (None: it would refuse the file)."""
    try:
        line = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        return header_delimiter(line, Problems(""))
    except DataError:  # two delimiters used equally often: the usual reader says so
        return None


def _header_start(body: bytes) -> int:
    """Where the first line not made of spaces and tabs begins (as the usual reader's
    delimiter search skips them)."""
    found = re.match(rb"(?:[ \t]*\n)*", body)
    return found.end() if found else 0


def _header_end(body: bytes, start: int) -> int | None:
    """Just after the first line end outside quotes from `start`, or None if there is none
    in the first MiB."""
    position = start
    while True:
        newline = body.find(b"\n", position, start + _HEADER_BYTES)
        if newline < 0:
            return len(body) if len(body) - start <= _HEADER_BYTES else None
        if body.count(b'"', start, newline) % 2 == 0:
            return newline + 1
        position = newline + 1


@functools.cache
def _quoted_file(delimiter: str) -> re.Pattern[bytes]:
    """Text in which every `"` belongs to a whole quoted cell: one that starts and ends a
    cell, with quotes inside it doubled. Possessive, so that it reads a file once."""
    d = re.escape(delimiter.encode())
    cell = rb'(?>"[^"]*+(?:""[^"]*+)*+")'
    return re.compile(rb'(?:[^"]++|(?<![^' + d + rb"\n])" + cell + rb"(?![^" + d + rb"\n]))*+")


def _quotes_plain(body: bytes, delimiter: str) -> bool:
    """Whether the file's quotes are read alike by Python's csv module (strict: text after a
    closing quote is an error) and by pyarrow (which would join it to the cell): only
    whole quoted cells are taken, a quote inside an unquoted cell is left to the usual
    reader."""
    return b'"' not in body or _quoted_file(delimiter).fullmatch(body) is not None


def _parse(body: bytes, delimiter: str, widest: int) -> Any:
    """Every line a row of text cells (the header too: it is read like any row), or None
    for what pyarrow refuses (a row of more or fewer cells, an unclosed quote, bytes that
    are not UTF-8). `widest`: at least the number of cells of the first line."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        return pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=True,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(widest)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError):
        return None


def _fits(table: Any) -> bool:
    """Every column is text (as asked: the header line was read right) and no cell is
    longer than the usual reader reads (its limit counts characters, a cell's bytes are
    at least as many)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for column in table.columns:
        if column.type != pa.string():
            return False
        longest = pc.max(pc.binary_length(column)).as_py()
        if longest is not None and longest >= MAX_FIELD_CHARS:
            return False
    return True


@functools.cache
def _only_spaces() -> str:
    """A regular expression (RE2) for text of nothing but the characters Python's `strip`
    removes: a blank cell, as the usual reader tells it."""
    spaces = "".join(f"\\x{{{code:x}}}" for code in range(0x110000) if chr(code).isspace())
    return f"^[{spaces}]*$"


def _blank(column: Any) -> Any:
    import pyarrow.compute as pc

    return pc.match_substring_regex(column, _only_spaces())


def _without_blank_rows(table: Any) -> Any:
    """The rows whose cells are not all blank: the usual reader skips the others, before
    the header and after it, and numbers only the rows it keeps."""
    import pyarrow.compute as pc

    if table.num_columns == 0 or table.num_rows == 0:
        return table
    blank = functools.reduce(pc.and_, (_blank(column) for column in table.columns))
    if not pc.any(blank).as_py():
        return table
    return table.filter(pc.invert(blank))


def _records(table: Any) -> ArrowRows | None:
    """The header row's titles over the other rows' columns, or None for a title the usual
    reader would refuse or a cell it would not take as it is."""
    if table.num_rows == 0:
        return None
    titles = [title(column[0].as_py()) for column in table.columns]
    named = [t for t in titles if t]
    if len(set(named)) < len(named):
        return None
    rows = table.slice(1)
    kept: list[Any] = []
    for name, column in zip(titles, rows.columns, strict=True):
        if not name:  # an untitled column is ignored when it is empty, else refused
            if rows.num_rows and not _all(_blank(column)):
                return None
            continue
        if not _plain_cells(column):
            return None
        kept.append(column)
    return ArrowRows(named, kept, rows.num_rows)


def _all(mask: Any) -> bool:
    import pyarrow.compute as pc

    return bool(pc.all(mask).as_py())


def _plain_cells(column: Any) -> bool:
    """Whether every cell is one the usual reader keeps as it is: no Excel error (`#N/A`)
    and already NFC."""
    import pyarrow.compute as pc

    if not _all(pc.invert(pc.match_substring(column, "#"))):
        hashed = pc.unique(column.filter(pc.match_substring(column, "#"))).to_pylist()
        if any(cell.strip() in EXCEL_ERRORS for cell in hashed):
            return False
    return nfc_text(column)


def nfc_text(column: Any) -> bool:
    """Whether every text in a column of text is NFC, as Python's `unicodedata` says (an
    ASCII text always is; the others are looked at once each)."""
    import pyarrow.compute as pc

    ascii_ = pc.fill_null(pc.string_is_ascii(column), True)
    if _all(ascii_):
        return True
    others = pc.unique(column.filter(pc.invert(ascii_)))
    for start in range(0, len(others), _NFC_BATCH):  # a column of names: a million texts
        texts = others.slice(start, _NFC_BATCH).to_pylist()
        if not all(unicodedata.is_normalized("NFC", text) for text in texts):
            return False
    return True


_NFC_BATCH = 1 << 16  # texts made Python strings at a time


# --- Parquet -----------------------------------------------------------------------------


def parquet_rows(table: Any, names: list[str]) -> ArrowRows | None:
    """A Parquet file's table as its rows under the titles `names` (distinct), or None when
    they would differ from the usual reader's dicts (`table.to_pylist()`, text as NFC): a
    text that is not NFC, a NaN (Arrow rows read it as missing), or a column type that
    is not plainly a scalar Python value."""
    try:
        for column in table.columns:
            if not _plain_parquet(column):
                return None
        return ArrowRows(names, list(table.columns), table.num_rows)
    finally:
        release()  # what reading and checking the file left


def release() -> None:
    """Give the memory Arrow's allocator keeps from arrays it freed back to the system.
    It keeps it for arrays made later, but a million rows read and checked leave
    hundreds of MiB that Polars, not Arrow, would use next: without this, a process
    holds both."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _plain_parquet(column: Any) -> bool:
    """Whether a column's cells read alike as Arrow rows and through `to_pylist`: types
    listed here only, so that a type either way reads differently stays the usual way."""
    import pyarrow.compute as pc
    import pyarrow.types as types

    kind = column.type
    if types.is_string(kind) or types.is_large_string(kind):
        return nfc_text(column)
    if types.is_float32(kind) or types.is_float64(kind):
        return _all(pc.fill_null(pc.invert(pc.is_nan(column)), True))
    if (types.is_timestamp(kind) and kind.unit != "ns") or types.is_date(kind):
        return _python_dates(column)  # a nanosecond is no Python datetime
    return bool(
        types.is_integer(kind)
        or types.is_boolean(kind)
        or types.is_decimal(kind)
        or types.is_null(kind)
    )


def _python_dates(column: Any) -> bool:
    """Whether the earliest and the latest are Python dates (or datetimes): a year beyond
    9999 makes `to_pylist` fail, which the usual reader reports as a broken file."""
    import pyarrow.compute as pc

    try:
        pc.min_max(column).as_py()
    except Exception:  # pyarrow raises several kinds for a value Python cannot hold
        return False
    return True


__all__ = [
    "ARROW_FROM_BYTES", "ArrowRows", "available", "csv_rows", "nfc_text", "parquet_rows", "release",
]  # fmt: skip
