"""Every broken file in diagnostics/ renders exactly as its .expected file says (English)
and as its .vi.expected file says (Vietnamese).

Run `pytest tests/golden --update-golden` after an intended change of wording, then read
the diff of the .expected files before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from emurules.check.model import check_module
from emurules.diagnostics import render_all
from emurules.source import Source, normalise
from emurules.syntax.parse import parse_source

CASES = sorted((Path(__file__).parent / "diagnostics").glob("*.emu"))


def diagnose(path: Path, lang: str = "en") -> str:
    source = Source(path.name, normalise(path.read_text(encoding="utf-8")))
    module, diagnostics = parse_source(source)
    if module is not None:
        diagnostics = check_module(module)[1]
    return render_all(diagnostics, lang=lang) + "\n"


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden(path: Path, lang: str, update_golden: bool) -> None:
    rendered = diagnose(path, lang)
    expected_path = path.with_suffix(".expected" if lang == "en" else ".vi.expected")
    if update_golden:
        expected_path.write_text(rendered, encoding="utf-8")
    assert expected_path.exists(), f"no expected output; run with --update-golden: {path.name}"
    assert rendered == expected_path.read_text(encoding="utf-8")
    found = ("error[", "warning[") if lang == "en" else ("lỗi[", "cảnh báo[")
    assert any(word in rendered for word in found), "a golden case must find something"
