"""Source text, positions in it, and the diagnostics that point at them.

Every stage reports problems as `Diagnostic` values carrying a `Span`, so one renderer can
show any of them with the offending line and a caret.
"""

from __future__ import annotations

import bisect
import unicodedata
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import attrs

from emurules.i18n import DEFAULT, Message

if TYPE_CHECKING:
    from emurules.errors import DiagnosticDict

Severity = Literal["error", "warning"]


def normalise(text: str) -> str:
    """Drop a byte-order mark and use NFC, so Vietnamese typed on any keyboard matches."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return unicodedata.normalize("NFC", text)


@attrs.define(frozen=True, eq=False)
class Source:
    """A named text (a file or an inline string); positions are offsets into `text`."""

    name: str
    text: str

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(i + 1 for i, ch in enumerate(self.text) if ch == "\n")
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset; columns count code points."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def line(self, number: int) -> str:
        """The text of a 1-based line, without its newline."""
        starts = self._line_starts
        if not 1 <= number <= len(starts):
            return ""
        end = starts[number] - 1 if number < len(starts) else len(self.text)
        return self.text[starts[number - 1] : end].rstrip("\r")

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(
            source=self,
            start=start,
            end=end,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
        )


@attrs.frozen(kw_only=True)
class Span:
    """A half-open range of a source, with 1-based line and column of both ends."""

    source: Source
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    @property
    def text(self) -> str:
        return self.source.text[self.start : self.end]

    def __str__(self) -> str:
        return f"{self.source.name}:{self.line}:{self.column}"

    def cover(self, other: Span) -> Span:
        """The smallest span holding both."""
        return self.source.span(min(self.start, other.start), max(self.end, other.end))


@attrs.frozen(kw_only=True)
class Place:
    """A place in a data input: a file (or the subject kind for data given in Python), a
    1-based data row and a field."""

    file: str
    row: int | None = None
    field: str | None = None
    # The key of the subject the row holds, when known: said, not part of where.
    key: str | None = attrs.field(default=None, eq=False)
    # The field's column as the file titles it (a label), when not its name: said instead.
    column: str | None = attrs.field(default=None, eq=False)

    def __str__(self) -> str:
        text = self.file
        if self.row is not None:
            text += f":row {self.row}"
        if self.field is not None:
            text += f":{self.column or self.field}"
        return text


@attrs.frozen(kw_only=True)
class Diagnostic:
    """One problem found in an input: what, where, and what to do about it.

    Criteria problems carry a `span`; data problems carry a `place` and a `kind`
    (`type`, `enum`, `constraint`, `required`, `duplicate_key`, ...).
    """

    code: str
    message: Message
    span: Span | None = None
    severity: Severity = "error"
    notes: tuple[Message, ...] = ()
    hint: Message | None = None
    place: Place | None = None
    kind: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self, lang: str = DEFAULT) -> DiagnosticDict:
        """JSON-ready: code, severity, kind, message, hint, notes and place (file, line and
        column in criteria; file, row, field and the subject's key in data)."""
        from emurules.errors import diagnostic_dict

        return diagnostic_dict(self, lang)

    def sort_key(self) -> tuple[str, int, int, str]:
        if self.span is not None:
            return (self.span.source.name, self.span.start, self.span.end, self.code)
        if self.place is not None:
            return (self.place.file, self.place.row or 0, 0, self.place.field or "")
        return ("", 0, 0, self.code)
