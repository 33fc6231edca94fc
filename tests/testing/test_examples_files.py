"""Every example written in the criteria files shipped under examples/ passes."""

from __future__ import annotations

import pytest

import emurules
from emurules.testing import run_examples
from tests.helpers import ROOT

FILES = sorted((ROOT / "examples").glob("**/*.emu"))


def test_the_shipped_files_have_examples() -> None:
    assert FILES
    assert sum(len(emurules.load(path).plan.examples) for path in FILES) >= 1


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_every_example_of_the_file_passes(path: object) -> None:
    rules = emurules.load(str(path))
    runs = run_examples(rules)
    assert len(runs) == len(rules.plan.examples)
    failed = [line for run in runs if not run.passed for line in run.lines()]
    assert not failed, "\n".join(failed)
