"""The public surface is deliberate: `__all__` lists it, and it works as documented."""

from __future__ import annotations

from pathlib import Path

import pytest

import emurules
from tests.helpers import BRIEF


def test_all_names_exist_and_nothing_else_is_public() -> None:
    for name in emurules.__all__:
        assert hasattr(emurules, name), name
    public = {
        n
        for n in vars(emurules)
        if not n.startswith("_")
        and n not in {"annotations", "Path"}
        and not isinstance(getattr(emurules, n), type(emurules))
    }
    assert public <= set(emurules.__all__), public - set(emurules.__all__)


def test_check_file_and_errors(tmp_path: Path) -> None:
    model = emurules.check_file(BRIEF)
    assert model.warnings == ()
    bad = tmp_path / "bad.emu"
    bad.write_text("let x for s = 1\nlet y for s = nope\n", encoding="utf-8")
    with pytest.raises(emurules.CriteriaError) as raised:
        emurules.check_file(bad)
    diagnostics = raised.value.diagnostics
    assert [d.code for d in diagnostics] == ["E0203", "E0203"]
    assert all(d.span is not None and d.span.source.name == str(bad) for d in diagnostics)
    assert "bad.emu:1:11: error[E0203]" in str(raised.value)


def test_parse_and_format() -> None:
    module = emurules.parse("let x for s = 1+2")
    assert emurules.format_module(module) == "let x for s = 1 + 2\n"


def test_the_errors_are_public_and_one_hierarchy() -> None:
    errors = {
        "EmurulesError": Exception,
        "DiagnosticError": emurules.EmurulesError,
        "CriteriaError": emurules.DiagnosticError,
        "DataError": emurules.DiagnosticError,
        "EvaluationError": emurules.DiagnosticError,
        "UsageError": ValueError,
        "UsageTypeError": TypeError,
        "UnknownNameError": KeyError,
    }
    for name, base in errors.items():
        assert name in emurules.__all__, name
        error = getattr(emurules, name)
        assert issubclass(error, base) and issubclass(error, Exception), name
        assert hasattr(error, "to_dict") and hasattr(error, "diagnostics"), name
