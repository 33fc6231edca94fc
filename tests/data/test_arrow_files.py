"""Large CSV and Parquet files read by pyarrow (data/arrowfiles.py): the same records, cell
for cell, as the usual readers give, and every file the usual reader refuses, trims, skips
or normalises left to it, so that every diagnostic stays as it is."""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from emurules.data import arrowfiles
from emurules.data.arrowfiles import ArrowRows, csv_rows
from emurules.data.common import Problems
from emurules.data.csvfile import read_csv
from emurules.data.frames import FrameRows
from emurules.data.readers import read_file
from emurules.errors import DataError

pa = pytest.importorskip("pyarrow")
parquet = pytest.importorskip("pyarrow.parquet")

HOSTILE = Path(__file__).parent / "hostile"
NFD = unicodedata.normalize("NFD", "Phòng Tư pháp")


def _usual(data: bytes, delimiter: str | None = None) -> list[dict[str, Any]] | None:
    """The usual reader's records, or None if it finds a problem."""
    problems = Problems("f.csv")
    try:
        records = read_csv(data.decode("utf-8-sig"), problems, delimiter)
        problems.check()
    except (DataError, UnicodeDecodeError):
        return None
    return records.records


def _read(path: Path, smallest: int, monkeypatch: pytest.MonkeyPatch) -> object:
    """What `read_file` gives, pyarrow taking files from `smallest` bytes: the records as a
    list, or the diagnostics of the DataError raised."""
    monkeypatch.setattr(arrowfiles, "ARROW_FROM_BYTES", smallest)
    try:
        return list(read_file(path, kind="person").records)
    except DataError as error:
        return error.diagnostics


def _same_either_way(path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """What `read_file` gives with and without pyarrow, compared by repr: cell for cell
    and type for type (1 is not 1.0 nor True there), and a NaN equal to a NaN."""
    usual = _read(path, 1 << 62, monkeypatch)
    assert repr(_read(path, 0, monkeypatch)) == repr(usual)
    return usual


CORPUS: dict[str, bytes] = {
    "plain": b"id,unit,task\nP1,U1,good\nP2,U1,excellent\n",
    "no final newline": b"id,unit\nP1,U1",
    "bom and crlf": b"\xef\xbb\xbfid;unit\r\nP1;U1\r\n",
    "two boms": b"\xef\xbb\xbf\xef\xbb\xbfid,unit\nP1,U1\n",
    "old mac": b"id,unit\rP1,U1\rP2,U2\r",
    "tab": b"id\tunit\nP1\tU 1\n",
    "quoted delimiter": b'id;name\nP1;"Nguy\xe1\xbb\x85n; V\xc4\x83n"\n',
    "quoted newline crlf": b'id,note\r\nP1,"a\r\nb"\r\n',
    "doubled quotes": b'id,name\nP1,"say ""hi"""\n',
    "empty quoted": b'id,name\nP1,""\n',
    "text after quote": b'id,name\nP1,"a"b\n',
    "quote inside cell": b'id,name\nP1,a"b\n',
    "space before quote": b'id,name\nP1, "a"\n',
    "unclosed quote": b'id,name\nP1,"a\n',
    "quoted header": b'"id","unit"\n"P1","U1"\n',
    "header spans lines": b'"i\nd",unit\nP1,U1\n',
    "blank lines": b"\n\nid,unit\n\nP1,U1\n\n,\n , \t\nP2,U2\n\n",
    "space lines before header": b"  \n\t\nid,unit\nP1,U1\n",
    "blank row of delimiters": b"id,unit\n,\nP1,U1\n , \n",
    "untitled empty column": b"id,,unit\nP1,,U1\nP2, ,U2\n",
    "untitled column with a value": b"id,,unit\nP1,x,U1\n",
    "trailing delimiter": b"id,unit,\nP1,U1,\n",
    "duplicate titles": b"id,task,task \nP1,a,b\n",
    "titles trimmed": b" id ,\xef\xbb\xbfunit\nP1,U1\n",
    "nfd title": f"id,{NFD}\nP1,x\n".encode(),
    "nfd cell": f"id,unit\nP1,{NFD}\n".encode(),
    "nfc cell": "id,unit\nP1,Phòng Tư pháp\n".encode(),
    "excel error": b"id,score\nP1, #N/A \n",
    "hash cell": b"id,score\nP1,#1\n",
    "spaces kept": b"id,score\nP1,  64,2  \n",
    "unicode spaces": "id,unit\nP1,\u00a0\u3000\n\u2003,\u0085\n".encode(),
    "ragged short": b"id,unit\nP1\n",
    "ragged long": b"id,unit\nP1,U1,x\n",
    "one column": b"id\nP1\nP2\n",
    "header only": b"id,unit\n",
    "ambiguous delimiter": b"id,unit;task\nP1,U1;x\n",
    "nul": b"id,unit\nP1,U\x001\n",
    "utf-16": "id,unit\nP1,U1\n".encode("utf-16"),
    "latin-1": b"id,unit\nP1,Ph\xf2ng\n",
    "surrogate": b"id,unit\nP1,\xed\xa0\x80\n",
    "empty": b"",
    "only blank": b"\n \n,\n",
    "null words": b"id,unit\nNA,null\nNaN,\n",
    "numbers as text": b"id,n\nP1,007\nP2,1e3\nP3,0.10\n",
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_tricky_files_give_the_usual_records(name: str) -> None:
    data = CORPUS[name]
    found = csv_rows(data)
    if found is not None:
        assert repr(list(found)) == repr(_usual(data))


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_tricky_files_read_alike_or_refused_alike(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "person.csv"
    path.write_bytes(CORPUS[name])
    _same_either_way(path, monkeypatch)


@pytest.mark.parametrize("path", sorted(HOSTILE.glob("*.csv")), ids=lambda p: p.name)
def test_hostile_files_read_alike_or_refused_alike(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _same_either_way(path, monkeypatch)


@pytest.mark.parametrize(
    "name",
    [
        "text after quote",
        "quote inside cell",
        "untitled column with a value",
        "duplicate titles",
        "nfd cell",
        "excel error",
        "ragged short",
        "two boms",
        "nul",
        "latin-1",
    ],
)
def test_what_the_usual_reader_refuses_or_changes_is_left_to_it(name: str) -> None:
    assert csv_rows(CORPUS[name]) is None


@pytest.mark.parametrize(
    "name",
    ["plain", "bom and crlf", "quoted newline crlf", "blank lines", "untitled empty column"],
)
def test_plain_files_are_read_by_pyarrow(name: str) -> None:
    found = csv_rows(CORPUS[name])
    assert isinstance(found, FrameRows)
    assert found.library == "arrow"
    assert found.native() is not None
    assert all(column.type == pa.string() for column in found.native() or [])


def test_the_given_delimiter_overrides() -> None:
    data = b"id;unit,x\nP1;U1,x\n"
    found = csv_rows(data, ";")
    assert found is not None
    assert list(found) == _usual(data, ";") == [{"id": "P1", "unit,x": "U1,x"}]


def test_without_pyarrow_the_usual_reader_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    path = tmp_path / "person.csv"
    path.write_bytes(CORPUS["plain"])
    monkeypatch.setitem(sys.modules, "pyarrow.csv", None)
    monkeypatch.setattr(arrowfiles, "ARROW_FROM_BYTES", 0)
    records = read_file(path).records
    assert type(records) is list
    assert records == _usual(CORPUS["plain"])


def test_small_files_stay_lists(tmp_path: Path) -> None:
    path = tmp_path / "person.csv"
    path.write_bytes(CORPUS["plain"])
    assert type(read_file(path).records) is list


# -- generated CSV text ------------------------------------------------------------------

_PIECES = ("a", "Z", "0", "1", ",", ";", "\t", '"', "\n", "\r", " ", "#", "N/A", "#N/A")
_ODD = ("é", "e\u0301", "\u00a0", "\ufeff", "Đ", "\u3000", "\x1f", "x")  # NFD, spaces, BOM
_CELL_CHARS = st.sampled_from((*_PIECES, *_ODD))
_CELLS = st.lists(_CELL_CHARS, max_size=6).map("".join)


@st.composite
def _csv_texts(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """A CSV text as offices and scripts write them, well-formed or not."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    width = draw(st.integers(1, 4))
    rows = draw(
        st.lists(st.lists(_CELLS, min_size=width - 1, max_size=width + 1), min_size=1, max_size=6)
    )
    quote = draw(st.sampled_from(["none", "needed", "all"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = [delimiter.join(_quoted(cell, delimiter, quote) for cell in row) for row in rows]
    text = ending.join(lines) + draw(st.sampled_from(["", ending, ending * 2]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    given_delimiter = draw(st.sampled_from([None, None, delimiter]))
    return (bom + text).encode(), given_delimiter


def _quoted(cell: str, delimiter: str, quote: str) -> str:
    special = any(c in cell for c in (delimiter, '"', "\n", "\r"))
    if quote == "all" or (quote == "needed" and special):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@given(_csv_texts())
@example((b"id,unit\n\xc2\xa0,\n", None))
@example((b"\xef\xbb\xbfa\r\n\r\n\xef\xbb\xbf\r\n", None))
@example((b'"a"\n" "\n', None))
def test_generated_csv_reads_as_the_usual_reader_reads(case: tuple[bytes, str | None]) -> None:
    data, delimiter = case
    found = csv_rows(data, delimiter)
    if found is not None:
        assert repr(list(found)) == repr(_usual(data, delimiter))


def test_generated_csv_is_often_read_by_pyarrow() -> None:
    """The property above says something: plain generated files do take this path."""
    data = "\n".join(",".join(f"c{r}{c}" for c in range(3)) for r in range(5)).encode()
    assert csv_rows(data) is not None


# -- Parquet -----------------------------------------------------------------------------


def _parquet_file(tmp_path: Path, table: Any) -> Path:
    path = tmp_path / "person.parquet"
    parquet.write_table(table, path)
    return path


def test_parquet_as_arrow_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime
    from decimal import Decimal

    table = pa.table(
        {
            " id ": ["P1", "P2", None],
            "n": pa.array([1, None, 3], pa.int64()),
            "x": pa.array([0.1, None, 2.5], pa.float64()),
            "ok": [True, False, None],
            "d": [datetime.date(2025, 1, 2), None, datetime.date(2025, 12, 31)],
            "m": pa.array([Decimal("1.10"), None, Decimal("2")], pa.decimal128(5, 2)),
            "unit": ["Phòng Tư pháp", "U2", ""],
        }
    )
    path = _parquet_file(tmp_path, table)
    usual = _same_either_way(path, monkeypatch)
    assert isinstance(usual, list)
    assert usual[0]["id"] == "P1"
    monkeypatch.setattr(arrowfiles, "ARROW_FROM_BYTES", 0)
    assert isinstance(read_file(path).records, ArrowRows)


@pytest.mark.parametrize(
    "column",
    [
        pa.array([NFD, "x"]),
        pa.array([math.nan, 1.0]),
        pa.array([["a"], []]),
        pa.array([NFD, "x"]).dictionary_encode(),
        pa.array([1, 2], pa.timestamp("ns")),
    ],
    ids=["nfd", "nan", "list", "dictionary", "nanoseconds"],
)
def test_parquet_the_usual_way_when_rows_would_differ(
    column: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _parquet_file(tmp_path, pa.table({"id": ["P1", "P2"], "v": column}))
    usual = _same_either_way(path, monkeypatch)
    monkeypatch.setattr(arrowfiles, "ARROW_FROM_BYTES", 0)
    records = read_file(path).records
    assert type(records) is list
    assert repr(records) == repr(usual)  # NaN is not equal to itself


def test_parquet_dates_python_cannot_hold_refused_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    days = pa.array([0, 4_000_000], pa.int32()).cast(pa.date32())  # the year 12921
    usual = _same_either_way(
        _parquet_file(tmp_path, pa.table({"id": ["a", "b"], "d": days})), monkeypatch
    )
    assert not isinstance(usual, list)


def test_parquet_duplicate_titles_refused_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = pa.Table.from_arrays([pa.array(["P1"]), pa.array(["a"])], names=["id", " id"])
    usual = _same_either_way(_parquet_file(tmp_path, table), monkeypatch)
    assert not isinstance(usual, list)


# -- evaluated ----------------------------------------------------------------------------


def test_the_columnar_engine_gives_the_same_result(tmp_path: Path) -> None:
    """A file read by pyarrow and evaluated from its table, and read the usual way."""
    import emurules

    rules = emurules.load(Path(__file__).parents[2] / "benchmarks" / "peer.emu")
    lines = ["id,unit,task,initiatives,training"]
    tasks = ("excellent", "good", "complete", "incomplete")
    lines += [f"P{i:05d},U{i // 40},{tasks[i % 4]},{i % 5},{i % 7 * 4}" for i in range(400)]
    data = ("\n".join(lines) + "\n").encode()
    found = csv_rows(data)
    assert found is not None
    table = pa.table(found.native() or [], names=found.names)
    usual = _usual(data)
    assert usual is not None
    fast = rules.evaluate({"person": table}, year=2025, engine="columnar")
    slow = rules.evaluate({"person": usual}, year=2025, engine="row")
    assert fast.recipients("peer") == slow.recipients("peer")


@pytest.mark.parametrize("bad", [False, True], ids=["plain", "with errors"])
def test_rank_prints_the_same_either_way(
    bad: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`emurules rank` on a file pyarrow reads, and on the same file read the usual way."""
    from emurules.cli import main

    pytest.importorskip("polars", reason="the columnar engine needs the polars extra")
    criteria = Path(__file__).parents[2] / "benchmarks" / "peer.emu"
    tasks = ("excellent", "good", "complete", "incomplete")
    lines = ["id,unit,task,initiatives,training"]
    lines += [f"P{i:04d},U{i // 30},{tasks[i % 4]},{i % 5},{i % 7 * 4}" for i in range(300)]
    if bad:
        lines[5] = "P0004,U0,#N/A,1,2"
    (tmp_path / "person.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    taken: list[bool] = []
    read = arrowfiles.csv_rows

    def spied(data: bytes, delimiter: str | None = None) -> ArrowRows | None:
        found = read(data, delimiter)
        taken.append(found is not None)
        return found

    monkeypatch.setattr(arrowfiles, "csv_rows", spied)
    printed = []
    for smallest in (1 << 62, 0):
        monkeypatch.setattr(arrowfiles, "ARROW_FROM_BYTES", smallest)
        argv = ["rank", str(criteria), "--data", str(tmp_path / "person.csv")]
        code = main([*argv, "--engine", "columnar", "--format", "json", "--color", "never"])
        printed.append((code, capsys.readouterr()))
    assert printed[0] == printed[1]
    assert printed[0][0] == (1 if bad else 0)
    assert taken == [not bad]
