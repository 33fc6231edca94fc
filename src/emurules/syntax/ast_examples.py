"""The nodes of `example` blocks: records, a year, history entries and expectations.

Part of the syntax tree (`emurules.syntax.ast` re-exports every name); kept apart so that
each module stays small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from emurules.source import Span
from emurules.syntax.node import Node

if TYPE_CHECKING:
    from emurules.syntax.ast import CompareOp, Expr, Ident


def _span() -> Any:
    return attrs.field(default=None, eq=False, repr=False)


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
    """`P1 2024 fighter` (an award held) or `P1 2024 task excellent` (a past value)."""

    key: SubjectKey
    year: int
    name: Ident
    value: Expr | None = None
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
