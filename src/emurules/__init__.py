"""emurules: emulation-movement criteria as code.

The public surface is what `__all__` lists; everything else is private and may change.
"""

from __future__ import annotations

from pathlib import Path

from emurules.check.model import Model
from emurules.check.model import check as _check
from emurules.compare.diff import Diff, diff
from emurules.data.arguments import criteria_path as _criteria_path
from emurules.data.arguments import criteria_text as _criteria_text
from emurules.diagnostics import render, render_all
from emurules.engine.whatif import OutcomeChange, WhatIf
from emurules.errors import (
    CriteriaError,
    DataError,
    DiagnosticError,
    EmurulesError,
    EvaluationError,
    UnknownNameError,
    UsageError,
    UsageTypeError,
)
from emurules.plan.labels import Labels
from emurules.plan.metadata import Metadata, Signer
from emurules.provenance import Provenance
from emurules.result import (
    AwardCounts,
    AwardInfo,
    Check,
    Explanation,
    Outcome,
    QuotaInfo,
    Result,
    RowDict,
    SubjectResult,
)
from emurules.result_json import (
    AwardDict,
    CheckDict,
    ExplanationDict,
    OutcomeDict,
    ProvenanceDict,
    QuotaDict,
    ResultDict,
    SkippedDict,
    SubjectDict,
)
from emurules.rules import Rules, compile, load
from emurules.source import Diagnostic, Place, Source, Span
from emurules.syntax.ast import Module
from emurules.syntax.parse import parse
from emurules.syntax.printer import format_module
from emurules.values import MISSING, EnumValue, JSONValue, Missing, Value

__version__ = "0.1.0"

__all__ = [
    "MISSING",
    "AwardCounts",
    "AwardDict",
    "AwardInfo",
    "Check",
    "CheckDict",
    "CriteriaError",
    "DataError",
    "Diagnostic",
    "DiagnosticError",
    "Diff",
    "EmurulesError",
    "EnumValue",
    "EvaluationError",
    "Explanation",
    "ExplanationDict",
    "JSONValue",
    "Labels",
    "Metadata",
    "Missing",
    "Model",
    "Module",
    "Outcome",
    "OutcomeChange",
    "OutcomeDict",
    "Place",
    "Provenance",
    "ProvenanceDict",
    "QuotaDict",
    "QuotaInfo",
    "Result",
    "ResultDict",
    "RowDict",
    "Rules",
    "Signer",
    "SkippedDict",
    "Source",
    "Span",
    "SubjectDict",
    "SubjectResult",
    "UnknownNameError",
    "UsageError",
    "UsageTypeError",
    "Value",
    "WhatIf",
    "__version__",
    "check",
    "check_file",
    "compile",
    "diff",
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
    return _check(parse(*_criteria_text(text, name)))


def check_file(path: str | Path) -> Model:
    """Read a criteria file (UTF-8) and check it; diagnostics name the file."""
    path = _criteria_path(path)
    return check(path.read_text(encoding="utf-8"), str(path))
