"""The one renderer of diagnostics: location, message, source line, caret, help."""

from __future__ import annotations

from collections.abc import Iterable

from emurules.source import Diagnostic

DEFAULT_LIMIT = 20

_COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "bold": "\x1b[1m", "reset": "\x1b[0m"}


def render(diagnostic: Diagnostic, *, color: bool = False) -> str:
    """Render one diagnostic in the familiar compiler layout.

    ``file:line:col: error[E0201]: message``, then the line with a caret under the span,
    then notes and a help line.
    """

    def paint(text: str, style: str) -> str:
        return f"{_COLORS[style]}{text}{_COLORS['reset']}" if color else text

    head = f"{diagnostic.severity}[{diagnostic.code}]"
    if diagnostic.kind is not None:
        head += f" {diagnostic.kind}"
    span = diagnostic.span
    where = f"{span}: " if span is not None else ""
    if diagnostic.place is not None:
        where = f"{diagnostic.place}: "
    lines = [f"{paint(where, 'bold')}{paint(head, diagnostic.severity)}: {diagnostic.message}"]
    if span is not None:
        text = span.source.line(span.line).expandtabs(1)
        gutter = str(span.line)
        pad = " " * len(gutter)
        if span.end_line == span.line:
            width = max(1, span.end_column - span.column)
        else:
            width = max(1, len(text) - span.column + 1)
        lines.append(f"{pad} |")
        lines.append(f"{gutter} | {text}")
        caret = " " * (span.column - 1) + "^" * width
        lines.append(f"{pad} | {paint(caret, diagnostic.severity)}")
    lines.extend(f"  = note: {note}" for note in diagnostic.notes)
    if diagnostic.hint:
        lines.append(f"  = help: {diagnostic.hint}")
    return "\n".join(lines)


def render_all(
    diagnostics: Iterable[Diagnostic], *, color: bool = False, limit: int | None = DEFAULT_LIMIT
) -> str:
    """Render diagnostics in source order, at most `limit`, then '... and N more'."""
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    shown = ordered if limit is None else ordered[:limit]
    parts = [render(d, color=color) for d in shown]
    if len(ordered) > len(shown):
        parts.append(f"... and {len(ordered) - len(shown)} more")
    return "\n\n".join(parts)


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """'2 errors, 1 warning' for the last line of a report."""
    items = list(diagnostics)
    errors = sum(d.is_error for d in items)
    warnings = len(items) - errors

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
