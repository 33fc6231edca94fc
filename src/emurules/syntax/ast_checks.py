"""The nodes of checks and data rules: `check`, `check monotone`, `check ignores`,
`check equal_treatment`, `check local`, `check order_independent` and `require`.

Part of the syntax tree (`emurules.syntax.ast` re-exports every name); kept apart so that
each module stays small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from emurules.source import Span
from emurules.syntax.node import Node
from emurules.syntax.node import span_field as _span

if TYPE_CHECKING:
    from emurules.syntax.ast import Expr, Ident


@attrs.frozen(kw_only=True, eq=False, repr=False)
class CheckDecl(Node):
    """`check "label" for KIND: expr`: must hold for every subject."""

    label: str
    subject: Ident
    expr: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class MonotoneField(Node):
    """One move of `check monotone`: a field (`-f` lowers it), a field of a relation's
    members (`members.task`: `relation` is set), or `history` (`name` is None)."""

    name: Ident | None
    decreasing: bool = False
    relation: Ident | None = None
    history: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class MonotoneCheck(Node):
    target: Ident
    subject: Ident
    fields: tuple[MonotoneField, ...]
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class OrderCheck(Node):
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class IgnoresCheck(Node):
    """`check ignores f1, f2 for KIND`: these fields of one subject change no outcome."""

    fields: tuple[Ident, ...]
    subject: Ident
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class EqualTreatmentCheck(Node):
    """`check equal_treatment for KIND`: equal subjects of a group are treated alike."""

    subject: Ident
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class LocalCheck(Node):
    """`check local within G for KIND`: another group's subjects change nothing here."""

    within: Expr
    subject: Ident
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class RuleDecl(Node):
    """`require "label" for KIND: expr`: a data rule on input records."""

    label: str
    subject: Ident
    expr: Expr
    span: Span | None = _span()
