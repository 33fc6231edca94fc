"""The command line on real office habits: outputs that must not harm inputs, formats taken
from the file name, error lists an office can work through, exit codes."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from emurules import cli
from tests.cli.test_rank import CRITERIA, DATA, EXAMPLE, run


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


@pytest.mark.parametrize("victim", ["criteria", "individual.csv", "history.csv"])
def test_output_onto_an_input_is_refused(tmp_path: Path, data: Path, victim: str) -> None:
    criteria = tmp_path / "criteria.emu"
    shutil.copy(CRITERIA, criteria)
    target = criteria if victim == "criteria" else data / victim
    before = target.read_bytes()
    fmt = "md" if victim == "criteria" else "csv"
    result = run("rank", str(criteria), "--data", str(data), "-o", str(target), "--format", fmt)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "would overwrite the input" in result.stderr
    assert target.read_bytes() == before


def test_output_into_a_missing_folder_or_onto_a_folder(tmp_path: Path) -> None:
    missing = run("rank", CRITERIA, "--data", DATA, "-o", str(tmp_path / "no" / "r.json"))
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    folder = run("rank", CRITERIA, "--data", DATA, "-o", str(tmp_path), "--format", "json")
    assert folder.returncode == 2
    assert "this is a folder" in folder.stderr


def test_the_format_follows_the_extension(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "results.xlsx"
    result = run("rank", CRITERIA, "--data", DATA, "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    book = openpyxl.load_workbook(out)
    assert "Summary" in book.sheetnames
    as_json = run("rank", CRITERIA, "--data", DATA, "-o", str(tmp_path / "r.json"))
    assert as_json.returncode == 0
    assert (tmp_path / "r.json").read_text(encoding="utf-8").lstrip().startswith("{")


def test_a_format_that_contradicts_the_extension_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "results.xlsx"
    result = run("rank", CRITERIA, "--data", DATA, "--format", "csv", "-o", str(out))
    assert result.returncode == 2
    assert "--format csv does not fit" in result.stderr
    assert not out.exists()
    unknown = run("rank", CRITERIA, "--data", DATA, "-o", str(tmp_path / "results.pdf"))
    assert unknown.returncode == 2
    assert "cannot tell the format" in unknown.stderr


def _break_tasks(data: Path, count: int) -> None:
    path = data / "individual.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    for row in rows[1 : count + 1]:
        row[3] = "Good"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)


def test_many_data_errors_are_capped_and_counted(data: Path, tmp_path: Path) -> None:
    _break_tasks(data, 50)
    errors = tmp_path / "errors.csv"
    result = run("rank", CRITERIA, "--data", str(data), "--errors-out", str(errors))
    assert result.returncode == 1
    out = result.stdout
    assert out.count("error[D0102]") == 20
    assert "... and 30 more: 30 × enum on 'task'" in out
    assert "50 problems in the data; nothing was evaluated" in out
    raw = errors.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read Vietnamese text"
    table = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(table) == 50
    first = table[0]
    assert first["row"] == "1" and first["column"] == "task" and first["value"] == "Good"
    assert first["code"] == "D0102" and "not a value of rating" in first["problem"]
    assert "good" in first["hint"]
    everything = run("rank", CRITERIA, "--data", str(data), "--max-errors", "0")
    assert everything.stdout.count("error[D0102]") == 50


def test_errors_out_may_not_overwrite_an_input(data: Path) -> None:
    _break_tasks(data, 1)
    target = data / "collective.csv"
    before = target.read_bytes()
    result = run("rank", CRITERIA, "--data", str(data), "--errors-out", str(target))
    assert result.returncode == 2
    assert target.read_bytes() == before


def test_an_internal_error_exits_70_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli.rank, "evaluate", broken)
    assert cli.main(["rank", CRITERIA, "--data", DATA]) == 70
    err = capsys.readouterr().err
    assert "internal error (RuntimeError)" in err and "please report it" in err
    assert "Traceback" not in err
    assert cli.main(["--debug", "rank", CRITERIA, "--data", DATA]) == 70
    assert "Traceback" in capsys.readouterr().err
    assert cli.main(["rank", CRITERIA, "--data", DATA, "--debug"]) == 70
    assert "RuntimeError: boom" in capsys.readouterr().err


def test_explain_an_award_of_another_kind(data: Path) -> None:
    result = run("explain", CRITERIA, "--data", str(data), "DV01", "--award", "advanced_worker")
    assert result.returncode == 2
    assert "'advanced_worker' is an award of individual" in result.stderr


def test_a_ruleset_without_a_year_asks_for_year(tmp_path: Path, data: Path) -> None:
    criteria = tmp_path / "criteria.emu"
    text = (EXAMPLE / "criteria.emu").read_text(encoding="utf-8")
    criteria.write_text(text.replace("  year 2025\n", ""), encoding="utf-8")
    for extra in ([], ["--history", str(data / "history.csv")]):
        result = run("rank", str(criteria), "--data", str(data / "individual.csv"),
                     "--data", str(data / "collective.csv"), *extra)  # fmt: skip
        assert result.returncode == 2, result.stdout + result.stderr
        assert "pass --year" in result.stderr and "Traceback" not in result.stderr
    given = run("rank", str(criteria), "--data", str(data), "--year", "2025", "--format", "json")
    assert given.returncode == 0, given.stdout + given.stderr


def test_a_criteria_file_that_is_not_a_regular_file(tmp_path: Path) -> None:
    result = run("check", str(tmp_path))
    assert result.returncode == 2
    assert "not a regular file" in result.stderr


SLOW_WRITE = """
import sys, time
from emurules.cli import main, rank

def slow(result, out):
    out.write("{ half a report")
    out.flush()
    print("half written", flush=True)
    time.sleep(60)

rank.STREAMED["json"] = slow
sys.exit(main(sys.argv[1:]))
"""


def test_sigterm_during_a_write_keeps_the_previous_report(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    out = tmp_path / "results.json"
    out.write_text("yesterday's report\n", encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITE, "rank", CRITERIA, "--data", DATA, "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "half written\n"
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == 128 + signal.SIGTERM
    assert out.read_text(encoding="utf-8") == "yesterday's report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]
    child.stdout.close()
    assert child.stderr is not None
    child.stderr.close()


def test_the_sheet_read_is_named(tmp_path: Path, data: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    old = book.active
    old.title = "2024"
    old.append(["id", "task"])
    old.append(["X", "good"])
    old.sheet_state = "hidden"
    staff = book.create_sheet("Staff")
    for row in csv.reader((data / "individual.csv").read_text(encoding="utf-8").splitlines()):
        staff.append(row)
    (data / "individual.csv").unlink()
    book.save(data / "individual.xlsx")
    result = run("rank", CRITERIA, "--data", str(data), "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "individual.xlsx: read the sheet 'Staff'" in result.stderr
    assert result.stdout.lstrip().startswith("{")


def test_a_misspelt_data_file_is_refused(data: Path) -> None:
    (data / "individual.csv").rename(data / "individuals.csv")
    result = run("rank", CRITERIA, "--data", str(data))
    assert result.returncode == 1
    assert "individuals.csv" in result.stdout and "'individual'" in result.stdout


def test_an_empty_data_file_is_an_error(data: Path) -> None:
    (data / "collective.csv").write_text("id,name,block,task\n", encoding="utf-8")
    result = run("rank", CRITERIA, "--data", str(data))
    assert result.returncode == 1
    assert "D0117" in result.stdout


def test_skip_invalid_that_leaves_a_kind_empty_is_an_error(data: Path) -> None:
    _break_tasks(data, 1000)
    result = run("rank", CRITERIA, "--data", str(data), "--skip-invalid")
    assert result.returncode == 1
    assert "D0133" in result.stdout and "so no individual would be assessed" in result.stdout
    assert "nothing was evaluated" in result.stdout


def test_delimiter_and_locale(data: Path) -> None:
    for name in ("individual", "collective", "history"):
        path = data / f"{name}.csv"
        rows = [
            [re.sub(r"^(-?\d+)\.(\d+%?)$", r"\1,\2", cell) for cell in row]
            for row in csv.reader(path.read_text(encoding="utf-8").splitlines())
        ]
        if name == "individual":
            hours = rows[0].index("training_hours")
            rows[1][hours] = "12,5"
        with path.open("w", encoding="utf-8", newline="") as file:
            csv.writer(file, delimiter=";").writerows(rows)
    iso = run("rank", CRITERIA, "--data", str(data), "--format", "json")
    assert iso.returncode == 1
    assert "D0131" in iso.stdout and "--locale vi" in iso.stdout
    for delimiter in ([], ["--delimiter", ";"]):
        vi = run("rank", CRITERIA, "--data", str(data), "--format", "json", "--locale", "vi",
                 *delimiter)  # fmt: skip
        assert vi.returncode == 0, vi.stdout + vi.stderr
    comma = run("rank", CRITERIA, "--data", str(data), "--locale", "vi", "--delimiter", ",")
    assert comma.returncode == 1


def test_a_criteria_fifo_does_not_hang(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "criteria.emu"
    os.mkfifo(fifo)
    result = run("check", str(fifo))
    assert result.returncode == 2
    assert "not a regular file" in result.stderr


def test_outputs_are_checked_before_the_data_is_read(data: Path) -> None:
    (data / "notes.xls").write_text("x", encoding="utf-8")  # a folder error (D0112)
    target = data / "individual.csv"
    before = target.read_bytes()
    result = run("rank", CRITERIA, "--data", str(data), "--errors-out", str(target))
    assert result.returncode == 2
    assert target.read_bytes() == before
    inside = run("rank", CRITERIA, "--data", str(data), "--errors-out", str(data / "e.csv"))
    assert inside.returncode == 2 and "this is a data folder" in inside.stderr
    assert not (data / "e.csv").exists()
    xlsx = run("rank", CRITERIA, "--data", DATA, "--errors-out", str(data.parent / "e.xlsx"))
    assert xlsx.returncode == 2 and "is a .csv file" in xlsx.stderr


def test_an_output_that_is_a_pipe_or_a_device_is_refused(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    result = run("rank", CRITERIA, "--data", DATA, "-o", str(fifo))
    assert result.returncode == 2 and "not a regular file" in result.stderr
    assert not fifo.is_file()


def test_records_set_aside_are_named_whatever_the_format(data: Path, tmp_path: Path) -> None:
    _break_tasks(data, 2)
    result = run("rank", CRITERIA, "--data", str(data), "--skip-invalid", "-o",
                 str(tmp_path / "r.csv"))  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "records set aside (--skip-invalid)" in result.stderr
    assert "individual.csv:row 1:task: enum" in result.stderr


def test_a_relation_whose_members_are_missing_is_refused(data: Path) -> None:
    result = run("rank", CRITERIA, "--data", str(data / "collective.csv"))
    assert result.returncode == 2
    assert "no individual data: the criteria read the individual records" in result.stderr


def test_two_history_files_are_refused(data: Path) -> None:
    result = run("rank", CRITERIA, "--data", str(data), "--history", str(data / "history.csv"))
    assert result.returncode == 2 and "two history files" in result.stderr


def test_a_closed_pipe_and_a_too_long_name(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = Path(sys.executable).parent / "emurules"
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL)  # fmt: skip
    command = [str(script), "rank", CRITERIA, "--data", DATA, "--format", "json"]
    writer = subprocess.run(command, stdout=reader.stdin, stderr=subprocess.PIPE, text=True,
                            check=False)  # fmt: skip
    assert reader.stdin is not None
    reader.stdin.close()
    reader.wait()
    assert writer.returncode == 0, writer.stderr
    assert "internal error" not in writer.stderr
    long = run("rank", CRITERIA, "--data", DATA, "-o", str(tmp_path / ("x" * 300 + ".json")))
    assert long.returncode == 2 and "internal error" not in long.stderr


def test_explain_reads_keys_typed_in_any_normal_form(tmp_path: Path) -> None:
    import unicodedata

    criteria = tmp_path / "vn.emu"
    criteria.write_text(
        'ruleset "r" { year 2025 }\nsubject s { id: text key }\n'
        'award cờ "Cờ" for s { when id != "" }\n',
        encoding="utf-8",
    )
    (tmp_path / "s.csv").write_text("id\nMã1\n", encoding="utf-8")
    decomposed = unicodedata.normalize("NFD", "Mã1")
    result = run("explain", str(criteria), "--data", str(tmp_path / "s.csv"), decomposed,
                 "--award", unicodedata.normalize("NFD", "cờ"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Received “Cờ” [cờ]" in result.stdout
