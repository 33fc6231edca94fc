"""The one renderer of diagnostics: location, message, source line, caret, help.

Messages, places and notes can carry data text (a column title, a key, a file name) and the
source line is the user's file: each passes through `printable`, so an escape sequence in a
cell is shown as `\\x1b` and never reaches the terminal raw.
"""

from __future__ import annotations

from collections.abc import Iterable

from emurules.i18n import DEFAULT, message
from emurules.i18n import render as words
from emurules.report.safe import printable
from emurules.source import Diagnostic, Span

DEFAULT_LIMIT = 20

_COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "bold": "\x1b[1m", "reset": "\x1b[0m"}


# The words of the layout itself; English keeps the compilers' `error[E0201]`, `= note:`.
_SEVERITY = {"error": message("diag.error"), "warning": message("diag.warning")}
_NOTE, _HELP = message("diag.note"), message("diag.help")


_KINDS = {
    "type": message("diag.kind-type"),
    "enum": message("diag.kind-enum"),
    "constraint": message("diag.kind-constraint"),
    "required": message("diag.kind-required"),
    "duplicate_key": message("diag.kind-duplicate_key"),
    "dangling_reference": message("diag.kind-dangling_reference"),
    "unknown_award": message("diag.kind-unknown_award"),
    "history_year": message("diag.kind-history_year"),
    "unknown_field": message("diag.kind-unknown_field"),
    "unknown_kind": message("diag.kind-unknown_kind"),
    "format": message("diag.kind-format"),
    "inputs": message("diag.kind-inputs"),
    "duplicate_column": message("diag.kind-duplicate_column"),
    "formula": message("diag.kind-formula"),
    "excel_error": message("diag.kind-excel_error"),
    "sheet": message("diag.kind-sheet"),
    "empty": message("diag.kind-empty"),
    "too_large": message("diag.kind-too_large"),
    "not_a_file": message("diag.kind-not_a_file"),
    "merged_cells": message("diag.kind-merged_cells"),
    "limit": message("diag.kind-limit"),
    "locale": message("diag.kind-locale"),
    "duplicate_field": message("diag.kind-duplicate_field"),
    "nothing_assessed": message("diag.kind-nothing_assessed"),
    "usage": message("diag.kind-usage"),
    "division_by_zero": message("diag.kind-division_by_zero"),
    "check": message("diag.kind-check"),
    "example": message("diag.kind-example"),
    "unknown_name": message("diag.kind-unknown_name"),
    "bool": message("diag.kind-bool"),
    "unsupported": message("diag.kind-unsupported"),
}


def render(diagnostic: Diagnostic, *, color: bool = False, lang: str = DEFAULT) -> str:
    """Render one diagnostic in the familiar compiler layout.

    ``file:line:col: error[E0201]: message``, then the line with a caret under the span,
    then notes and a help line.
    """

    def paint(text: str, style: str) -> str:
        return f"{_COLORS[style]}{text}{_COLORS['reset']}" if color else text

    head = f"{words(_SEVERITY[diagnostic.severity], lang)}[{diagnostic.code}]"
    if diagnostic.kind is not None:  # the machine's tag, in the reader's words
        kind = _KINDS.get(diagnostic.kind)
        head += f" {words(kind, lang) if kind is not None else diagnostic.kind}"
    span = diagnostic.span
    where = f"{span}: " if span is not None else ""
    if diagnostic.place is not None:
        where = f"{diagnostic.place}: "
    message = printable(words(diagnostic.message, lang))
    lines = [f"{paint(printable(where), 'bold')}{paint(printable(head), diagnostic.severity)}: "
             f"{message}"]  # fmt: skip
    if span is not None:
        text, column, width = _excerpt(span)
        gutter = str(span.line)
        pad = " " * len(gutter)
        lines.append(f"{pad} |")
        lines.append(f"{gutter} | {text}")
        caret = " " * column + "^" * width
        lines.append(f"{pad} | {paint(caret, diagnostic.severity)}")
    note, help = words(_NOTE, lang), words(_HELP, lang)
    lines.extend(f"  = {note}: {printable(words(n, lang))}" for n in diagnostic.notes)
    if diagnostic.hint:
        lines.append(f"  = {help}: {printable(words(diagnostic.hint, lang))}")
    return "\n".join(lines)


def _excerpt(span: Span) -> tuple[str, int, int]:
    """The span's first line as shown, and where its caret starts and how wide it is, in
    shown characters (a hidden character before the span widens to its escape)."""
    raw = span.source.line(span.line).replace("\t", " ")
    start = span.column - 1
    end = span.end_column - 1 if span.end_line == span.line else len(raw)
    before = printable(raw[:start])
    inside = printable(raw[start:end])
    # a span may start or reach past the line's end (the end of the file, a line break)
    column = len(before) + max(0, start - len(raw))
    width = len(inside) + max(0, end - max(start, len(raw)))
    return before + inside + printable(raw[end:]), column, max(1, width)


def render_all(
    diagnostics: Iterable[Diagnostic],
    *,
    color: bool = False,
    limit: int | None = DEFAULT_LIMIT,
    lang: str = DEFAULT,
) -> str:
    """Render diagnostics in source order, at most `limit`, then '... and N more'."""
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    shown = ordered if limit is None else ordered[:limit]
    parts = [render(d, color=color, lang=lang) for d in shown]
    if len(ordered) > len(shown):
        parts.append(words(message("core.more", count=len(ordered) - len(shown)), lang))
    return "\n\n".join(parts)


def summary(diagnostics: Iterable[Diagnostic], lang: str = DEFAULT) -> str:
    """'2 errors, 1 warning' for the last line of a report."""
    items = list(diagnostics)
    errors = sum(d.is_error for d in items)
    counts = message(
        "core.errors-and-warnings",
        errors=message("core.errors", count=errors),
        warnings=message("core.warnings", count=len(items) - errors),
    )
    return words(counts, lang)
