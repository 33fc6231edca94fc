"""The exceptions emurules raises on purpose: one hierarchy under `EmurulesError`, each
error carrying its diagnostics, and each readable as data (`to_dict`) so that a service can
return it as JSON and a log can keep it, without parsing the text.

    EmurulesError
    ├── UsageError (ValueError)       a wrong argument; one diagnostic (A0101, D0139)
    │   └── UsageTypeError (TypeError) an argument of the wrong type
    ├── UnknownNameError (KeyError)   an unknown award, key or kind (A0102), did-you-mean
    └── DiagnosticError               an input with problems: every diagnostic found
        ├── CriteriaError             criteria that do not parse or check (E, W codes)
        ├── DataError                 data that does not fit the criteria (D codes)
        └── EvaluationError           a value that cannot be computed (V codes)

A usage error is a `ValueError`, as it always was, so that `except ValueError` keeps working;
one for an argument of the wrong type is also a `TypeError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal, TypedDict

from emurules.i18n import DEFAULT, Message, message, render
from emurules.source import Diagnostic, Place, Severity, Span

USAGE: Literal["A0101"] = "A0101"
"""The code of a wrong argument that no other code names."""

UNKNOWN_NAME: Literal["A0102"] = "A0102"


class SpanDict(TypedDict):
    """Where in a criteria text: 1-based lines and columns (columns count code points)."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int


class PlaceDict(TypedDict):
    """Where in the data: a file (or the subject kind, for data given in Python), a 1-based
    data row and a field, and the key of the subject the row holds, when known."""

    file: str
    row: int | None
    field: str | None
    key: str | None


class DiagnosticDict(TypedDict):
    code: str
    severity: Severity
    kind: str | None
    message: str
    hint: str | None
    notes: list[str]
    place: SpanDict | PlaceDict | None


class ErrorDict(TypedDict):
    error: str
    message: str
    diagnostics: list[DiagnosticDict]


def diagnostic_dict(diagnostic: Diagnostic, lang: str = DEFAULT) -> DiagnosticDict:
    """A diagnostic as JSON-ready data, its words in `lang`."""
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity,
        "kind": diagnostic.kind,
        "message": render(diagnostic.message, lang),
        "hint": None if diagnostic.hint is None else render(diagnostic.hint, lang),
        "notes": [render(note, lang) for note in diagnostic.notes],
        "place": _place(diagnostic.place, diagnostic.span),
    }


def _place(place: Place | None, span: Span | None) -> SpanDict | PlaceDict | None:
    if place is not None:
        return {"file": place.file, "row": place.row, "field": place.field, "key": place.key}
    if span is not None:
        return {
            "file": span.source.name,
            "line": span.line,
            "column": span.column,
            "end_line": span.end_line,
            "end_column": span.end_column,
        }
    return None


class EmurulesError(Exception):
    """Base of every error emurules raises on purpose. `diagnostics` says what went wrong,
    `to_dict()` says it as data."""

    diagnostics: tuple[Diagnostic, ...] = ()

    def text(self, lang: str = DEFAULT) -> str:
        """What went wrong, in `lang`, in one message."""
        return str(self)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as its arguments and attributes, not by calling `__init__` again with
        its text (a process pool sends errors back pickled)."""
        return (_remade, (type(self), self.args, self.__dict__))

    def to_dict(self, lang: str = DEFAULT) -> ErrorDict:
        """JSON-ready: the error's class, its message and every diagnostic (code, message,
        severity, kind, hint, notes, place), the words in `lang`."""
        return {
            "error": type(self).__name__,
            "message": self.text(lang),
            "diagnostics": [diagnostic_dict(d, lang) for d in self.diagnostics],
        }


def _remade(cls: type[EmurulesError], args: tuple[object, ...], state: dict[str, object]) -> object:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class UsageError(EmurulesError, ValueError):
    """A wrong argument of the Python API (or the command line): the message names the
    argument and what it accepts. `diagnostics` holds it as one diagnostic (kind "usage";
    code A0101 unless a more precise one is given, such as D0139 for the arguments of
    `Rules.evaluate`), so that it can be shown beside others."""

    def __init__(
        self,
        message: Message,
        diagnostics: Iterable[Diagnostic] = (),
        *,
        hint: Message | None = None,
        code: str = USAGE,
    ) -> None:
        self.message = message
        self.hint = hint
        found = tuple(diagnostics)
        self.diagnostics = found or (
            Diagnostic(code=code, kind="usage", message=message, hint=hint),
        )
        super().__init__(render(message))

    def text(self, lang: str = DEFAULT) -> str:
        return render(self.message, lang)


class UsageTypeError(UsageError, TypeError):
    """An argument of the wrong type (`compile(None)`, `year="2025"`): a `TypeError`, and a
    `UsageError` like every wrong argument."""


def given(value: object) -> str:
    """An argument as a usage error shows it: its value when short, else its type."""
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:40] + "…")
    cls = type(value)
    return cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"


def wrong_type(argument: str, value: object, accepts: Message, code: str = USAGE) -> UsageTypeError:
    """`argument=value: what it accepts`, as the error to raise."""
    text = message("api.wrong-type", argument=argument, given=given(value), accepts=accepts)
    return UsageTypeError(text, code=code)


def money(argument: str, value: object) -> Decimal:
    """An amount of dong a caller gives (a base salary): an int or a finite Decimal above
    zero. A float is refused: 0.1 of a float is not 0.1, and money must be exact."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise wrong_type(argument, value, message("api.accepts-money"))
    amount = Decimal(value)
    if not amount.is_finite() or amount <= 0:
        raise UsageError(message("api.money-positive", argument=argument, value=str(value)))
    return amount


class UnknownNameError(EmurulesError, KeyError):
    """An award, a subject's key or a subject kind that the result does not have. A
    `KeyError`, as a mapping's lookup would raise, but `str()` is the message itself, not
    its repr. `what` is "award", "key" or "kind", `name` the name asked for, `suggestion`
    the closest known name, if any is close (also in the hint)."""

    def __init__(
        self,
        message: Message,
        *,
        what: Literal["award", "key", "kind", "ranking"],
        name: str,
        suggestion: str | None = None,
        hint: Message | None = None,
    ) -> None:
        self.message = message
        self.what = what
        self.name = name
        self.suggestion = suggestion
        self.hint = hint
        self.diagnostics = (
            Diagnostic(code=UNKNOWN_NAME, kind="unknown_name", message=message, hint=hint),
        )
        super().__init__(self.text())

    def text(self, lang: str = DEFAULT) -> str:
        if self.hint is None:
            return render(self.message, lang)
        return render(message("api.problem-and-hint", problem=self.message, hint=self.hint), lang)

    def __str__(self) -> str:
        return self.text()


class DiagnosticError(EmurulesError):
    """An input with problems; `diagnostics` lists all of them, errors and warnings."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(
            sorted(diagnostics, key=Diagnostic.sort_key)
        )
        super().__init__(self._summary())

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    def _summary(self) -> str:
        from emurules.diagnostics import render_all

        return render_all(self.diagnostics, color=False)

    def text(self, lang: str = DEFAULT) -> str:
        """How many problems, in one line (`str()` lists every problem)."""
        from emurules.diagnostics import summary

        return summary(self.diagnostics, lang)


class CriteriaError(DiagnosticError):
    """A criteria file that does not parse or does not check."""

    def text(self, lang: str = DEFAULT) -> str:
        return render(message("api.criteria-rejected", count=len(self.errors)), lang)


class DataError(DiagnosticError):
    """Input data that does not fit the criteria; nothing was evaluated."""

    def text(self, lang: str = DEFAULT) -> str:
        return render(message("api.data-rejected", count=len(self.errors)), lang)


class EvaluationError(DiagnosticError):
    """A value that cannot be computed for some subject (an unguarded division by zero)."""

    def text(self, lang: str = DEFAULT) -> str:
        return render(message("api.evaluation-failed", count=len(self.errors)), lang)
