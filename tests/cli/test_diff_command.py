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
