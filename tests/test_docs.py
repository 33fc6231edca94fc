"""The documentation is tested: its fragments parse, its whole example checks, and every
diagnostic code the checker can give is documented."""

from __future__ import annotations

import re

import pytest

import emurules
from tests.helpers import ROOT

LANGUAGE = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```emu\n(.*?)```", LANGUAGE, flags=re.DOTALL)


def test_language_reference_has_fragments() -> None:
    assert len(BLOCKS) >= 10


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_every_fragment_parses(block: str) -> None:
    emurules.parse(block, "docs/language.md")


def test_the_whole_example_checks_clean() -> None:
    model = emurules.check(BLOCKS[0], "docs/language.md")
    assert model.warnings == ()


def test_every_diagnostic_code_is_documented() -> None:
    documented = set(
        re.findall(r"\| ([EWDVA]\d{4}) \|", (ROOT / "docs" / "diagnostics.md").read_text())
    )
    used = set()
    for path in (ROOT / "src").rglob("*.py"):
        used |= set(re.findall(r'"([EWDVA]\d{4})"', path.read_text(encoding="utf-8")))
    assert used <= documented, sorted(used - documented)
    assert documented <= used, sorted(documented - used)
