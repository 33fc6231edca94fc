"""The exceptions a user's mistake can raise; each carries every diagnostic found."""

from __future__ import annotations

from collections.abc import Iterable

from emurules.i18n import DEFAULT, Message, render
from emurules.source import Diagnostic


class EmurulesError(Exception):
    """Base of every error emurules raises on purpose."""


class UsageError(EmurulesError, ValueError):
    """A wrong argument of the Python API (or the command line): the message names the
    argument and what it accepts; `diagnostics` carries it as a diagnostic, when there is
    one to show beside the others."""

    def __init__(self, message: Message, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self.message = message
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__(render(message))

    def text(self, lang: str = DEFAULT) -> str:
        """The message in `lang`."""
        return render(self.message, lang)


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


class CriteriaError(DiagnosticError):
    """A criteria file that does not parse or does not check."""


class DataError(DiagnosticError):
    """Input data that does not fit the criteria; nothing was evaluated."""


class EvaluationError(DiagnosticError):
    """A value that cannot be computed for some subject (an unguarded division by zero)."""
