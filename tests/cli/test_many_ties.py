"""A population tied at the cut-off in many groups: the first groups are named, then one
line counts the rest, in either language (not thousands of warnings)."""

from __future__ import annotations

from pathlib import Path

from emurules.report.tables import TIES_LISTED
from tests.cli.test_cli import run
from tests.helpers import ROOT


def _tied(tmp_path: Path, units: int) -> None:
    lines = ["id,unit,task,initiatives,training"]
    lines += [f"P{u:03d}{i},U{u:03d},good,1,10" for u in range(units) for i in range(10)]
    (tmp_path / "person.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_ties_in_many_groups_are_counted_after_the_first(tmp_path: Path) -> None:
    _tied(tmp_path, TIES_LISTED + 5)
    criteria = str(ROOT / "benchmarks" / "peer.emu")
    done = run("rank", criteria, "--data", "person.csv", "--lang", "en", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    named = [line for line in done.stdout.splitlines() if "a tie at the cut-off in group" in line]
    assert len(named) == TIES_LISTED
    assert "a tie at the cut-off in 5 more groups" in done.stdout
    vi = run("rank", criteria, "--data", "person.csv", "--lang", "vi", cwd=tmp_path)
    assert "còn 5 nhóm khác có trường hợp bằng điểm" in vi.stdout


def test_a_few_ties_are_each_named(tmp_path: Path) -> None:
    _tied(tmp_path, 3)
    criteria = str(ROOT / "benchmarks" / "peer.emu")
    done = run("rank", criteria, "--data", "person.csv", "--lang", "en", cwd=tmp_path)
    assert done.stdout.count("a tie at the cut-off in group") == 3
    assert "more group" not in done.stdout
