"""`emurules diff OLD NEW --data DIR`: the command as a council's secretary runs it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.helpers import ROOT

LAW = ROOT / "examples" / "law-2022"
GOLDEN = Path(__file__).parent / "golden" / "diff"


def proposal(tmp_path: Path) -> Path:
    """law-2022 with initiatives worth 10 points, not 15, and a fighter who has an
    initiative *or* a digital skills certificate."""
    text = (LAW / "criteria.emu").read_text(encoding="utf-8")
    changes = [
        ('version "2025.1"', 'version "2025.2"'),
        ("max 30 = 15 * initiatives", "max 30 = 10 * initiatives"),
        (
            'when initiative: initiatives >= 1 "có ít nhất một sáng kiến được công nhận"',
            'when initiative: initiatives >= 1 or digital_cert "có sáng kiến hoặc chứng chỉ số"',
        ),
    ]
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "proposal.emu"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_report_is_golden(tmp_path: Path, lang: str, update_golden: bool) -> None:
    new = proposal(tmp_path)
    done = run("diff", str(LAW / "criteria.emu"), str(new), "--data", str(LAW / "data"),
               "--format", "md", "--top", "5", lang=lang)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    # law-2022's hash changes with every edit of the example: the golden file keeps its place
    text = re.sub(r"SHA-256 [0-9a-f]{12}…", "SHA-256 …", done.stdout)
    expected = GOLDEN / f"{lang}.md"
    if update_golden:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")


def test_exit_code_only_when_asked(tmp_path: Path) -> None:
    old, new, data = str(LAW / "criteria.emu"), str(proposal(tmp_path)), str(LAW / "data")
    assert run("diff", old, new, "--data", data).returncode == 0
    assert run("diff", old, new, "--data", data, "--exit-code").returncode == 1
    same = run("diff", old, old, "--data", data, "--exit-code")
    assert same.returncode == 0 and "Nothing changes" in same.stdout


def test_json_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "diff.json"
    done = run("diff", str(LAW / "criteria.emu"), str(proposal(tmp_path)),
               "--data", str(LAW / "data"), "-o", str(out))  # fmt: skip
    assert done.returncode == 0 and done.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "emurules.diff/1"
    fighter = next(a for a in data["awards"] if a["award"] == "grassroots_fighter")
    assert fighter["gained"] and fighter["lost"]
    assert all(len(s) == 6 for s in data["scores"])


def test_mistakes(tmp_path: Path) -> None:
    old, data = str(LAW / "criteria.emu"), str(LAW / "data")
    onto_old = run("diff", old, str(proposal(tmp_path)), "--data", data, "-o", old)
    assert onto_old.returncode == 2 and "Traceback" not in onto_old.stderr
    broken = tmp_path / "broken.emu"
    broken.write_text('ruleset "x" { year 2025 }\nsubject s { id: text key }\naward a for s {\n')
    bad = run("diff", old, str(broken), "--data", data)
    assert bad.returncode == 1 and "broken.emu:" in bad.stdout
    assert run("diff", old, old, "--data", data, "--top", "-1").returncode == 2


def test_history_rows_one_version_leaves_keep_their_numbers_and_the_file(tmp_path: Path) -> None:
    """The old version knows no merged units: it leaves the predecessor rows; an error in a
    later row is still reported at that row of history.csv."""
    old = tmp_path / "old.emu"
    old.write_text(
        'ruleset "c" { year 2025 }\nsubject commune { id: text key  n: number }\n'
        'award good "G" for commune { when streak(good, before) >= 1 or n > 5 }\n',
        encoding="utf-8",
    )
    new = tmp_path / "new.emu"
    new.write_text(old.read_text() + "lineage for commune { held any  past mean }\n")
    data = tmp_path / "data"
    data.mkdir()
    (data / "commune.csv").write_text("id,n\nX,1\nY,1\n", encoding="utf-8")
    history = "key,year,award,name,value,predecessor\nX,2025,,,,A\nA,2024,good,,,\n"
    (data / "history.csv").write_text(history, encoding="utf-8")
    shown = run("diff", str(old), str(new), "--data", str(data), "--format", "json")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    found = json.loads(shown.stdout)
    assert found["old"]["ignored"]["history"] == ["predecessor"]
    assert [g["key"] for a in found["awards"] for g in a["gained"]] == ["X"]
    (data / "history.csv").write_text(history + "Y,soon,good,,,\n", encoding="utf-8")
    bad = run("diff", str(old), str(new), "--data", str(data))
    assert bad.returncode == 1
    assert "history.csv:row 3:year" in bad.stdout, bad.stdout
