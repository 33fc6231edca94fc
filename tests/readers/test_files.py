"""Files before their format: only regular files are opened, sizes are capped, and a file
without records is an error (a history with a header only is a first year)."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from emurules.data import readers
from emurules.data.readers import read_file
from emurules.errors import DataError
from tests.readers.helpers import HOSTILE, codes, refusal


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "individual.csv"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def read() -> None:
        try:
            read_file(fifo)
        except BaseException as error:
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout=10)
    if thread.is_alive():  # release the reader before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a FIFO waits for a writer")
    (error,) = outcome
    assert isinstance(error, DataError)
    assert codes(error) == [("D0119", str(fifo), None, None)]
    assert "not a regular file: it is a pipe (FIFO)" in str(error)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/stdin", "/dev/null"])
def test_devices_are_refused(tmp_path: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    link = tmp_path / "individual.csv"
    link.symlink_to(device)
    error = refusal(link)
    assert codes(error)[0][0] == "D0119"


def test_sockets_and_folders_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a short socket path
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("s.json")
        assert "it is a socket" in str(refusal(Path("s.json")))
    (tmp_path / "d.xlsx").mkdir()
    assert "it is a folder" in str(refusal(tmp_path / "d.xlsx"))


def test_files_over_the_size_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 10)
    path = tmp_path / "x.csv"
    path.write_text("id\nP1\nP2\nP3\n", "utf-8")
    error = refusal(path)
    assert codes(error) == [("D0118", str(path), None, None)]
    assert "the file has 12 bytes; at most 10 bytes are read" in str(error)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    assert "cannot read the file: No such file or directory" in str(refusal(tmp_path / "x.csv"))


@pytest.mark.parametrize(
    "name", ["empty.csv", "whitespace.csv", "header_only.csv", "empty_array.json"]
)
def test_a_file_without_records_is_an_error(name: str) -> None:
    for kind in (None, "individual"):
        error = refusal(HOSTILE / name, **({"kind": kind} if kind else {}))
        assert codes(error) == [("D0117", str(HOSTILE / name), None, None)]
        assert "the file holds no records" in str(error)


def test_an_empty_jsonl_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("\n\n", "utf-8")
    assert "holds no records" in str(refusal(path))
    assert "the history file is empty" in str(refusal(path, kind="history"))


def test_a_history_with_a_header_and_no_rows_is_a_first_year() -> None:
    assert read_file(HOSTILE / "history_header_only.csv", kind="history").records == []
    assert read_file(HOSTILE / "empty_array.json", kind="history").records == []
    for name in ("empty.csv", "whitespace.csv"):
        error = refusal(HOSTILE / name, kind="history")
        assert "the history file is empty, without even a header" in str(error)


def test_unreadable_extensions_say_what_to_do(tmp_path: Path) -> None:
    assert "save it as Excel Workbook (.xlsx)" in str(refusal(tmp_path / "individual.xls"))
    assert "name a tab-separated file .csv" in str(refusal(tmp_path / "individual.tsv"))
    assert "a file without an extension" in str(refusal(tmp_path / "individual"))
