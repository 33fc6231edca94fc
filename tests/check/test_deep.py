"""Deep criteria check, compile and format, or get E0108; never a RecursionError.

The files are written by the generators of tests/syntax/test_deep.py.
"""

from __future__ import annotations

import sys

import pytest

import emurules
from emurules import stack
from emurules.check.model import check_module
from emurules.syntax.parse import parse
from emurules.syntax.printer import format_module
from tests.syntax.test_deep import (
    DEEP_FILES,
    HEADER,
    _criterion,
    _subject,
    coalesce_chain,
    if_chain,
    logic_chain,
    nested_parentheses,
    sum_of,
)

FOOTER = "score for person = deep\n"


@pytest.mark.parametrize("name", list(DEEP_FILES))
def test_deep_files_check(name: str) -> None:
    limit = sys.getrecursionlimit()
    model, diagnostics = check_module(parse(DEEP_FILES[name](), "deep.emu"))
    assert model is not None, diagnostics
    assert [d for d in diagnostics if d.is_error] == []
    assert sys.getrecursionlimit() == limit


# What issue #10 names: each compiles, and formats back to the same tree.
COMPILED = {
    "sum of 1,000 terms": lambda: sum_of(1_000),
    "if-chain of 2,000 branches": lambda: if_chain(2_000),
    "?? chain of 5,000": lambda: coalesce_chain(5_000),
    "and chain of 2,000": lambda: logic_chain(2_000, "and"),
    "or chain of 2,000": lambda: logic_chain(2_000, "or"),
}


@pytest.mark.parametrize("name", list(COMPILED))
def test_deep_files_compile_and_format(name: str) -> None:
    text = COMPILED[name]()
    emurules.compile(text, "deep.emu")
    module = parse(text)
    assert parse(format_module(module)) == module


def test_nested_parentheses_compile_and_evaluate() -> None:
    rules = emurules.compile(nested_parentheses(500), "deep.emu")
    assert rules.plan.depth > 500


def test_guards_hold_along_a_long_and_chain() -> None:
    """`a is not missing and a != 0 and ... a != 1999`: every link reads `a` as present,
    because the first one proved it (each link asks for the proof of all to its left)."""
    links = " and ".join(f"a != {i}" for i in range(2_000))
    text = (
        HEADER
        + _subject("a: int?")
        + _criterion(f"1 if a is not missing and {links} else 0")
        + FOOTER
    )
    model, diagnostics = check_module(parse(text))
    assert model is not None, diagnostics


def test_an_unguarded_optional_deep_in_a_chain_is_still_reported() -> None:
    names = [f"x{i}" for i in range(1, 1_001)]
    fields = [f"{name}: int" for name in names[:-1]] + ["x1000: int?"]
    text = HEADER + _subject(*fields) + _criterion(" + ".join(names)) + FOOTER
    model, diagnostics = check_module(parse(text))
    assert model is None
    assert [d.code for d in diagnostics] == ["E0302"]
    assert "'x1000' may be missing" in str(diagnostics[0].message)


def test_running_out_of_stack_while_checking_is_e0108(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should a platform give the checker less room than planned, the answer is still a
    diagnostic, not a traceback."""
    monkeypatch.setattr(stack, "FRAMES_PER_LEVEL", 0)
    model, diagnostics = check_module(parse(sum_of(2_000), "deep.emu"))
    assert model is None
    assert [d.code for d in diagnostics] == ["E0108"]
    assert diagnostics[0].span is not None and diagnostics[0].span.source.name == "deep.emu"
