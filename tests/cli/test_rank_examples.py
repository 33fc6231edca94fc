"""`emurules rank` runs the criteria file's examples first and stops when one fails."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import run

CRITERIA = """\
ruleset "t" { year 2025 }
enum rating ordered { incomplete, complete, good, excellent }
subject person { id: text key  task: rating  hours: int >= 0 = 0 }
award worker "Worker" for person { when good: task >= good "good" }

example "good work is rewarded" {
  person { id: "P1", task: good }
  expect P1 worker
}
example "complete work is not" {
  person { id: "P1", task: complete }
  expect P1 worker
}
"""


def _files(tmp_path: Path, text: str) -> tuple[str, str]:
    criteria = tmp_path / "criteria.emu"
    criteria.write_text(text, encoding="utf-8")
    data = tmp_path / "person.csv"
    data.write_text("id,task\nA,good\nB,complete\n", encoding="utf-8")
    return str(criteria), str(data)


def test_rank_stops_naming_the_failing_example(tmp_path: Path) -> None:
    criteria, data = _files(tmp_path, CRITERIA)
    out = tmp_path / "out.json"
    result = run("rank", criteria, "--data", data, "-o", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f'{criteria}:10:1: example "complete work is not" failed',
        f"  {criteria}:12:3: expect P1 worker: expected received, found not qualified "
        "(failed: good)",
        f"1 example of {criteria} failed: nothing was ranked (--no-examples ranks anyway)",
    ]
    assert "good work is rewarded" not in result.stdout  # examples that pass print nothing
    assert not out.exists()


def test_no_examples_ranks_anyway(tmp_path: Path) -> None:
    criteria, data = _files(tmp_path, CRITERIA)
    result = run("rank", criteria, "--data", data, "--format", "json", "--no-examples")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["awards"][0]["recipients"] == ["A"]


def test_passing_examples_let_rank_run_and_print_nothing(tmp_path: Path) -> None:
    text = CRITERIA.replace("expect P1 worker\n}\n", "expect P1 not worker\n}\n", 2)
    text = text.replace("expect P1 not worker", "expect P1 worker", 1)
    criteria, data = _files(tmp_path, text)
    result = run("rank", criteria, "--data", data, "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["awards"][0]["recipients"] == ["A"]


def test_an_example_whose_records_break_validation_stops_rank(tmp_path: Path) -> None:
    text = CRITERIA.replace('{ id: "P1", task: complete }', '{ id: "P1", task: good, hours: -1 }')
    criteria, data = _files(tmp_path, text)
    result = run("rank", criteria, "--data", data)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f'{criteria}:10:1: example "complete work is not" failed'
    assert lines[1] == (
        f"  {criteria}:11:41: error[D0103] constraint: "
        "-1 is outside the range of hours (at least 0)"
    )
    assert lines[3] == '  11 |   person { id: "P1", task: good, hours: -1 }'
    assert lines[-1].startswith("1 example of")
