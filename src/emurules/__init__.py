"""emurules: emulation-movement criteria as code.

The public surface is what `__all__` lists; everything else is private and may change.
"""

from __future__ import annotations

from pathlib import Path

from emurules.check.model import Model
from emurules.check.model import check as _check
from emurules.diagnostics import render, render_all
from emurules.errors import (
    CriteriaError,
    DataError,
    DiagnosticError,
    EmurulesError,
    EvaluationError,
    UsageError,
)
from emurules.result import Check, Explanation, Outcome, QuotaInfo, Result, SubjectResult
from emurules.rules import Rules, compile, load
from emurules.source import Diagnostic, Place, Source, Span
from emurules.syntax.ast import Module
from emurules.syntax.parse import parse
from emurules.syntax.printer import format_module

__version__ = "0.1.0"

__all__ = [
    "Check",
    "CriteriaError",
    "DataError",
    "Diagnostic",
    "DiagnosticError",
    "EmurulesError",
    "EvaluationError",
    "Explanation",
    "Model",
    "Module",
    "Outcome",
    "Place",
    "QuotaInfo",
    "Result",
    "Rules",
    "Source",
    "Span",
    "SubjectResult",
    "UsageError",
    "__version__",
    "check",
    "check_file",
    "compile",
    "format_module",
    "load",
    "parse",
    "render",
    "render_all",
]


def check(text: str, name: str = "<criteria>") -> Model:
    """Parse and check criteria text; raise CriteriaError listing every problem.

    Warnings do not raise; they are on `Model.warnings`.
    """
    return _check(parse(text, name))


def check_file(path: str | Path) -> Model:
    """Read a criteria file (UTF-8) and check it; diagnostics name the file."""
    path = Path(path)
    return check(path.read_text(encoding="utf-8"), str(path))
