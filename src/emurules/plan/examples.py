"""The criteria file's `example` blocks, lowered to plain values that can be run.

An example is data a caller could have passed to `Rules.evaluate` (records of each kind,
history rows, a year) and what its author expects of the result. Every part is a plain
frozen value, so examples pickle with the plan and never need the syntax tree to run.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

import attrs

from emurules.source import Span
from emurules.values import EnumValue

# A value as written in an example: numbers (percents as fractions), text, dates, true or
# false; enum values are EnumValue in expectations and their name in records and history.
Written = Decimal | bool | str | datetime.date | EnumValue
Mode = Literal["true", "false", "cut", "compare", "missing", "present"]
Op = Literal["==", "!=", "<", "<=", ">", ">="]


@attrs.frozen(kw_only=True)
class ExampleRecord:
    """One record of an example: its kind and its fields as written, in their order."""

    kind: str
    fields: tuple[tuple[str, Written], ...]
    span: Span | None = attrs.field(default=None, eq=False, repr=False)
    # Where each field's value is written, in the order of `fields`, for data messages.
    spans: tuple[Span | None, ...] = attrs.field(default=(), eq=False, repr=False)

    def field_span(self, name: str | None) -> Span | None:
        """Where the field is written, else where the record is."""
        for (field, _), span in zip(self.fields, self.spans, strict=False):
            if field == name and span is not None:
                return span
        return self.span


@attrs.frozen(kw_only=True)
class HistoryRow:
    """`P1 2024 fighter` (an award held: `value` is None), `P1 2024 task excellent`, or
    `X 2025 from A` (`predecessor`; `name` is "")."""

    key: str
    year: int
    name: str
    value: Written | None = None
    predecessor: str | None = None
    span: Span | None = attrs.field(default=None, eq=False, repr=False)

    def row(self) -> dict[str, Any]:
        """The row as `Rules.evaluate(history=...)` takes it."""
        if self.predecessor is not None:
            return {"key": self.key, "year": self.year, "predecessor": self.predecessor}
        if self.value is None:
            return {"key": self.key, "year": self.year, "award": self.name}
        return {"key": self.key, "year": self.year, "name": self.name, "value": self.value}


@attrs.frozen(kw_only=True)
class Expectation:
    """`expect KEY ...`: what the author expects of one name of one subject.

    `because` lists the condition ids a `not` expects to fail; `op` and `value` are a
    comparison's (`percent` when the value was written as a percentage); `text` is the
    expectation as written, for messages."""

    key: str
    kind: str
    mode: Mode
    name: str
    because: tuple[str, ...] = ()
    op: Op | None = None
    value: Written | None = None
    percent: bool = False
    text: str = attrs.field(default="", eq=False)
    span: Span | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class Example:
    """`example "label" { ... }`: records, an optional year and history, expectations."""

    label: str
    year: int | None
    records: tuple[ExampleRecord, ...]
    history: tuple[HistoryRow, ...] = ()
    expectations: tuple[Expectation, ...] = ()
    span: Span | None = attrs.field(default=None, eq=False, repr=False)

    def data(self) -> dict[str, list[dict[str, Any]]]:
        """The records by kind, as `Rules.evaluate` takes them."""
        found: dict[str, list[dict[str, Any]]] = {}
        for record in self.records:
            found.setdefault(record.kind, []).append(dict(record.fields))
        return found

    def history_rows(self) -> list[dict[str, Any]]:
        """The history rows, as `Rules.evaluate(history=...)` takes them."""
        return [entry.row() for entry in self.history]

    def records_of(self, kind: str) -> tuple[ExampleRecord, ...]:
        """The records of one kind, in order: data row n is the n-th of them."""
        return tuple(r for r in self.records if r.kind == kind)
