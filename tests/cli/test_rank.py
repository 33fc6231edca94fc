"""`emurules rank` and `emurules explain` through the console script."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.helpers import ROOT

EXAMPLE = ROOT / "examples" / "law-2022"
CRITERIA = str(EXAMPLE / "criteria.emu")
DATA = str(EXAMPLE / "data")


def test_rank_prints_a_table_per_award_and_a_summary() -> None:
    result = run("rank", CRITERIA, "--data", DATA, "--top", "3")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Cờ thi đua (emulation_flag)" in out
    assert "DV02" in out and "received" in out
    assert "Summary" in out and "... and" in out
    assert "a tie at the cut-off in group Đơn vị 8 (Khối Kinh tế) (DV08)" in out
    assert "warning: Chiến sĩ thi đua cơ sở (grassroots_fighter): a tie at the cut-off" in out
    assert "Bảng xếp hạng khối thi đua (block_table)" in out  # the league table too


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_rank_formats_to_a_file(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"result.{fmt}"
    result = run("rank", CRITERIA, "--data", DATA, "--format", fmt, "-o", str(out))
    assert result.returncode == 0 and result.stdout == ""
    text = out.read_text(encoding="utf-8-sig")
    if fmt == "csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # so that Excel reads UTF-8
    if fmt == "json":
        data = json.loads(text)
        flag = next(a for a in data["awards"] if a["name"] == "emulation_flag")
        assert flag["recipients"] == ["DV02"]
    elif fmt == "csv":
        rows = list(csv.DictReader(text.splitlines()))
        assert {r["award"] for r in rows} >= {"advanced_worker", "emulation_flag"}
        assert len(rows) == 3 * 305 + 3 * 12
    else:
        assert "## Cờ thi đua (emulation_flag)" in text
        assert "| 1 | DV02 | Đơn vị 2 (Khối Kinh tế) | 71.25 | received | B | 18,720,000 |" in text


def test_data_as_kind_equals_path_and_jsonl(tmp_path: Path) -> None:
    people = list(
        csv.DictReader((EXAMPLE / "data" / "individual.csv").read_text("utf-8").splitlines())
    )
    jsonl = tmp_path / "people.jsonl"
    jsonl.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in people), encoding="utf-8")
    units = tmp_path / "units.json"
    collectives = (EXAMPLE / "data" / "collective.csv").read_text("utf-8").splitlines()
    units.write_text(json.dumps(list(csv.DictReader(collectives))), encoding="utf-8")
    result = run(
        "rank",
        CRITERIA,
        "--data",
        f"individual={jsonl}",
        "--data",
        f"collective={units}",
        "--history",
        str(EXAMPLE / "data" / "history.csv"),
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["year"] == 2025


def test_semicolon_csv_with_bom(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(EXAMPLE / "data", folder)
    source = (folder / "collective.csv").read_text(encoding="utf-8")
    (folder / "collective.csv").write_text("\ufeff" + source.replace(",", ";"), encoding="utf-8")
    result = run("rank", CRITERIA, "--data", str(folder), "--format", "csv")
    assert result.returncode == 0, result.stdout


def broken_copy(tmp_path: Path, replace: tuple[str, str], name: str = "individual") -> Path:
    folder = tmp_path / "data"
    shutil.copytree(EXAMPLE / "data", folder)
    path = folder / f"{name}.csv"
    text = path.read_text(encoding="utf-8")
    assert replace[0] in text
    path.write_text(text.replace(replace[0], replace[1], 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "replace", "expected"),
    [
        (
            "individual",
            ("DV01-002,Trần Vy,DV01,good", "DV01-002,Trần Vy,DV01,Good"),
            "individual.csv:row 2:task: error[D0102] enum: 'Good' is not a value of rating",
        ),
        (
            "individual",
            ("DV01-002,Trần Vy,DV01", "DV01-002,Trần Vy,DV99"),
            "individual.csv:row 2:unit: error[D0106] dangling_reference",
        ),
        (
            "individual",
            ("DV01-002,Trần Vy", "DV01-001,Trần Vy"),
            "individual.csv:row 2:id: error[D0105] duplicate_key",
        ),
        (
            "individual",
            ("good,none,0,false,true,0,", "good,none,-1,false,true,0,"),
            "individual.csv:row 2:initiatives: error[D0103] constraint",
        ),
        (
            "individual",
            ("good,none,0,false,true,0,", "good,none,0,maybe,true,0,"),
            "individual.csv:row 2:provincial_initiative: error[D0101] type",
        ),
        (
            "individual",
            ("DV01-002,Trần Vy,DV01,good", "DV01-002,Trần Vy,,good"),
            "individual.csv:row 2:unit: error[D0104] required",
        ),
        (
            "history",
            ("DV01,2022,advanced_collective", "DV01,2022,advanced_worker"),
            "history.csv:row 1:award: error[D0107] unknown_award",
        ),
        (
            "history",
            ("DV01,2022,advanced_collective", "DV01,2025,advanced_collective"),
            "history.csv:row 1:year: error[D0108] history_year",
        ),
        (
            "collective",
            ("68%", "168%"),
            "collective.csv:row 1:online_services: error[D0103] constraint",
        ),
    ],
)
def test_every_kind_of_bad_data(
    tmp_path: Path, name: str, replace: tuple[str, str], expected: str
) -> None:
    folder = broken_copy(tmp_path, replace, name)
    out = tmp_path / "out.json"
    result = run("rank", CRITERIA, "--data", str(folder), "-o", str(out), "--format", "json")
    assert result.returncode == 1
    assert expected in result.stdout.replace(str(folder) + "/", "")
    assert "nothing was evaluated" in result.stdout
    assert not out.exists()


def test_skip_invalid_lists_what_it_set_aside(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path, ("DV01-002,Trần Vy,DV01,good", "DV01-002,Trần Vy,DV01,Good"))
    result = run("rank", CRITERIA, "--data", str(folder), "--skip-invalid", "--top", "1")
    assert result.returncode == 0
    # the record, and the history rows that name it, are set aside and listed
    assert "records set aside (--skip-invalid)" in result.stdout
    assert "row 2:task: enum: 'Good' is not a value of rating" in result.stdout


def test_usage_errors(tmp_path: Path) -> None:
    missing = run("rank", CRITERIA, "--data", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "no such data file" in missing.stderr
    bad_format = run("rank", CRITERIA, "--data", DATA, "--format", "pdf")
    assert bad_format.returncode == 2
    unknown = run("explain", CRITERIA, "--data", DATA, "DV01-0003")
    assert unknown.returncode == 2 and "did you mean 'DV01-003'?" in unknown.stderr


def test_broken_criteria_exit_one(tmp_path: Path) -> None:
    broken = tmp_path / "c.emu"
    broken.write_text(
        Path(CRITERIA).read_text(encoding="utf-8").replace("task >= good", "task >= god", 1),
        encoding="utf-8",
    )
    result = run("rank", str(broken), "--data", DATA)
    assert result.returncode == 1
    assert "did you mean 'good'?" in result.stdout


def test_explain_one_subject_and_one_award() -> None:
    result = run("explain", CRITERIA, "--data", DATA, "DV01-003")
    assert result.returncode == 0
    assert result.stdout.startswith("Cá nhân DV01-003 — Vũ Lan\n")
    assert (
        "✗ hoàn thành tốt nhiệm vụ trở lên: not met "
        "(Mức độ hoàn thành nhiệm vụ: Hoàn thành nhiệm vụ) [when1]"
    ) in result.stdout
    only = run("explain", CRITERIA, "--data", DATA, "DV01-003", "--award", "advanced_worker")
    assert "advanced_worker" in only.stdout and "grassroots_fighter" not in only.stdout
    assert "task_points" not in only.stdout


def test_explain_a_key_two_kinds_use_is_a_usage_error(tmp_path: Path) -> None:
    data = broken_copy(tmp_path, ("DV01-001,", "DV01,"))
    (data / "history.csv").unlink()  # its rows would need a kind column now
    result = run("explain", CRITERIA, "--data", str(data), "DV01")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "the key 'DV01' is used by collective, individual" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_data_kind_suggests_one(tmp_path: Path) -> None:
    path = tmp_path / "individuals.csv"
    shutil.copy(EXAMPLE / "data" / "individual.csv", path)
    result = run(
        "rank", CRITERIA, "--data", str(path), "--data", str(EXAMPLE / "data" / "collective.csv")
    )
    assert result.returncode == 1
    assert "did you mean 'individual'?" in result.stdout


def test_csv_to_stdout_starts_with_a_byte_order_mark() -> None:
    result = run("rank", CRITERIA, "--data", DATA, "--format", "csv", "--lang", "vi")
    assert result.returncode == 0
    assert result.stdout.startswith("\ufeffaward,kind,key,name,score,")
    # ids and a decimal point, whatever the language
    assert "DV01-003,Vũ Lan,15.00," in result.stdout


def test_top_lists_the_best_of_each_award_in_every_format_but_json(tmp_path: Path) -> None:
    top = run("rank", CRITERIA, "--data", DATA, "--format", "csv", "--top", "2")
    assert top.returncode == 0
    assert len(top.stdout.splitlines()) == 1 + 2 * 6
    md = run("rank", CRITERIA, "--data", DATA, "--format", "md", "--top", "1", "--lang", "vi")
    assert md.stdout.count("| được tặng |") == 6
    refused = run("rank", CRITERIA, "--data", DATA, "--format", "json", "--top", "1")
    assert refused.returncode == 2 and "--top does not apply to the json format" in refused.stderr
    help_text = run("rank", "--help").stdout
    assert "best first" in help_text
