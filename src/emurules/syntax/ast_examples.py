"""The nodes of `example` blocks: records, a year, history entries and expectations.

Part of the syntax tree (`emurules.syntax.ast` re-exports every name); kept apart so that
each module stays small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeAlias

import attrs

from emurules.source import Span
from emurules.syntax.node import Node
from emurules.syntax.node import span_field as _span

if TYPE_CHECKING:
    from emurules.syntax.ast import CompareOp, Expr, Ident


@attrs.frozen(kw_only=True, eq=False, repr=False)
class RecordField(Node):
    name: Ident
    value: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Record(Node):
    kind: Ident
    fields: tuple[RecordField, ...]
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ExampleYear(Node):
    year: int
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class SubjectKey(Node):
    """A subject's key in an example; `quoted` keeps how it was written."""

    value: str
    quoted: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class HistoryEntry(Node):
    """`P1 2024 fighter` (an award held), `P1 2024 task excellent` (a past value) or
    `X 2025 from A` (X was formed in 2025 from A: `name` is None, `predecessor` is A)."""

    key: SubjectKey
    year: int
    name: Ident | None
    value: Expr | None = None
    predecessor: SubjectKey | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class History(Node):
    entries: tuple[HistoryEntry, ...]
    span: Span | None = _span()


ExpectMode = Literal["true", "false", "cut", "compare", "missing", "present"]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Expect(Node):
    key: SubjectKey
    mode: ExpectMode
    name: Ident
    because: tuple[Ident, ...] = ()
    op: CompareOp | None = None
    value: Expr | None = None
    span: Span | None = _span()


ExampleItem: TypeAlias = Record | ExampleYear | History | Expect


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ExampleDecl(Node):
    label: str
    items: tuple[ExampleItem, ...]
    span: Span | None = _span()


def with_predecessors(decl: ExampleDecl, kinds: dict[str, str]) -> dict[str, str]:
    """`kinds` (a key's kind, by the example's records) with each predecessor the example
    names (`X 2025 from A`) of its successor's kind, through chains of merges."""
    formed = [
        (e.key.value, e.predecessor.value)
        for item in decl.items
        if isinstance(item, History)
        for e in item.entries
        if e.predecessor is not None
    ]
    found = dict(kinds)
    for _ in formed:  # a chain of n merges needs n passes at most
        for successor, predecessor in formed:
            if successor in found:
                found.setdefault(predecessor, found[successor])
    return found
