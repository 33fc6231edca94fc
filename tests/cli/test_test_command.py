"""`emurules test`: exit codes, the seed, the three report formats, --data, -o."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from emurules.cli import main

RULES = """\
ruleset "t" { year 2025 }
enum rating ordered { incomplete, complete, good, excellent }
subject person {
  id: text key
  task: rating
  initiatives: int in 0..5 = 0
}
award worker "Worker" for person { when task >= good }
award fighter "Fighter" for person {
  when task == excellent
  when initiatives >= 1
}
"""
FAIR = RULES + (
    'check "fighters are workers" for person: fighter implies worker\n'
    'example "an excellent person with an initiative" {\n'
    '  person { id: "P1", task: excellent, initiatives: 1 }\n'
    "  expect P1 fighter\n"
    "}\n"
)
# `fighter` no longer requires good work: a fighter need not be a worker.
UNFAIR = FAIR.replace("  when task == excellent\n", "")


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a run must not leave .hypothesis/ behind


def test_a_fair_file_passes(tmp_path: Path) -> None:
    fair = write(tmp_path, "fair.emu", FAIR)
    code, out = run("test", str(fair), "--max-examples", "20")
    assert code == 0, out
    assert "1 example, 1 check: all passed (seed 0)" in out
    assert not (tmp_path / ".hypothesis").exists()


def test_an_unfair_file_fails_with_a_counterexample(tmp_path: Path) -> None:
    unfair = write(tmp_path, "unfair.emu", UNFAIR)
    code, out = run("test", str(unfair), "--max-examples", "50")
    assert code == 1, out
    assert "fighters are workers" in out
    assert "1 failed" in out
    assert not (tmp_path / ".hypothesis").exists()


def test_the_same_seed_gives_the_same_report(tmp_path: Path) -> None:
    unfair = write(tmp_path, "unfair.emu", UNFAIR)
    first = run("test", str(unfair), "--seed", "7", "--max-examples", "30", "--format", "json")
    again = run("test", str(unfair), "--seed", "7", "--max-examples", "30", "--format", "json")

    def strip(text: str) -> object:
        found = json.loads(text)
        for file in found["files"]:
            for item in file["examples"] + file["checks"]:
                item.pop("seconds", None)
        return found

    assert first[0] == again[0] == 1
    assert strip(first[1]) == strip(again[1])
    assert json.loads(first[1])["files"][0]["seed"] == 7


def test_json_and_junit_reports(tmp_path: Path) -> None:
    fair = write(tmp_path, "fair.emu", FAIR)
    unfair = write(tmp_path, "unfair.emu", UNFAIR)
    code, out = run("test", str(fair), str(unfair), "--max-examples", "20", "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["passed"] is False
    assert [f["passed"] for f in report["files"]] == [True, False]
    check = report["files"][0]["checks"][0]
    assert check["passed"] is True and check["line"] == 13 and "seconds" in check
    target = tmp_path / "report.xml"
    code, out = run("test", str(fair), str(unfair), "--max-examples", "20", "-o", str(target))
    assert code == 1 and out == ""
    suites = ET.parse(target).getroot()
    assert [s.get("failures") for s in suites] == ["0", "1"]
    assert [s.get("tests") for s in suites] == ["2", "2"]
    failure = suites[1].find("testcase/failure")
    assert failure is not None and "fighters are workers" in (failure.text or "")


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fair = write(tmp_path, "fair.emu", FAIR)
    assert run("test", str(fair), "--seed", "-1")[0] == 2
    assert run("test", str(fair), "--max-examples", "0")[0] == 2
    assert run("test", str(fair), "-o", str(fair))[0] == 2  # never onto an input
    assert run("test", str(fair), "-o", str(tmp_path / "r.pdf"))[0] == 2
    assert "--seed takes 0 or more" in capsys.readouterr().err


def test_a_file_with_errors_is_a_finding(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.emu", FAIR.replace("task >= good", "task >= god"))
    code, out = run("test", str(broken))
    assert code == 1
    assert "broken.emu:8:" in out


def test_checks_on_real_data(tmp_path: Path) -> None:
    unfair = write(tmp_path, "unfair.emu", UNFAIR)
    data = tmp_path / "data"
    data.mkdir()
    (data / "person.csv").write_text(
        "id,task,initiatives\nP1,excellent,1\nP2,complete,2\nP3,good,0\n", encoding="utf-8"
    )
    code, out = run(
        "test", str(unfair), "--data", str(data), "--max-examples", "10", "--format", "json"
    )
    assert code == 1
    checks = json.loads(out)["files"][0]["checks"]
    on_data = [c for c in checks if c.get("on_data")]
    assert on_data and on_data[0]["passed"] is False
    assert "P2" in json.dumps(on_data[0])


def test_doc_says_which_checks_a_report_verified(tmp_path: Path) -> None:
    fair = write(tmp_path, "fair.emu", FAIR)
    unfair = write(tmp_path, "unfair.emu", UNFAIR)
    report = tmp_path / "report.json"
    run("test", str(fair), str(unfair), "--max-examples", "20", "-o", str(report))
    code, out = run("doc", str(fair))
    assert code == 0 and "then it holds the title Worker. (not verified)" in out
    code, out = run("doc", str(fair), "--verified", str(report))
    assert code == 0
    assert (
        "then it holds the title Worker. (verified: held on 20 generated populations, seed 0)"
        in out
    )
    code, out = run("doc", str(unfair), "--verified", str(report))
    assert (
        "then it holds the title Worker. (falsified: `emurules test` found a counterexample "
        "with seed 0)" in out
    )
    # a check verified before the file changed is not verified
    fair.write_text(FAIR.replace("initiatives >= 1", "initiatives >= 2"), encoding="utf-8")
    assert run("doc", str(fair), "--verified", str(report))[0] == 2
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert run("doc", str(fair), "--verified", str(tmp_path / "bad.json"))[0] == 2
    assert run("doc", str(fair), "--verified", str(tmp_path / "none.json"))[0] == 2


def test_data_needs_a_year_and_history_needs_data(tmp_path: Path) -> None:
    yearless = write(tmp_path, "yearless.emu", UNFAIR.replace('ruleset "t" { year 2025 }\n', ""))
    data = tmp_path / "data"
    data.mkdir()
    (data / "person.csv").write_text("id,task,initiatives\nP2,complete,2\n", encoding="utf-8")
    (tmp_path / "history.csv").write_text("key,year,award\n", encoding="utf-8")
    history = str(tmp_path / "history.csv")
    assert run("test", str(yearless), "--history", history)[0] == 2
    code, out = run("test", str(yearless), "--data", str(data), "--max-examples", "5")
    assert code == 2, out  # no year anywhere: the data cannot be assessed
    code, out = run(
        "test", str(yearless), "--data", str(data), "--year", "2025", "--max-examples", "5"
    )
    assert code == 1 and "P2" in out


def test_a_report_counts_what_was_tried_and_shows_what_a_check_read(tmp_path: Path) -> None:
    """A failure names the generated population that first broke the check, never one past
    --max-examples; shrinking is counted apart; the check's condition is shown with the
    values it read, on generated populations and on the data."""
    unfair = write(tmp_path, "unfair.emu", UNFAIR)
    data = tmp_path / "data"
    data.mkdir()
    (data / "person.csv").write_text("id,task,initiatives\nP2,complete,2\n", encoding="utf-8")
    code, out = run("test", str(unfair), "--max-examples", "10", "--data", str(data))
    lines = out.splitlines()
    assert code == 1
    assert re.search(r"failed: broken by the (\d|10)(st|nd|rd|th) generated population", lines[0])
    condition = (
        '    ✗ check "fighters are workers": fighter implies worker  '
        "(fighter = true, worker = false)"
    )
    assert lines.count(condition) == 2, out
    assert "  what the check read for person P2:" in lines
    code, out = run("test", str(unfair), "--max-examples", "10", "--format", "json")
    (check,) = json.loads(out)["files"][0]["checks"]
    assert 1 <= check["populations"] <= 10 and check["shrinking"] >= 0
    assert check["counterexample"]["reads"][0]["lines"][0] == condition.strip()
