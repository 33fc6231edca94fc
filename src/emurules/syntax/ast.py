"""The syntax tree of a criteria file: frozen attrs nodes, each with a span.

Spans are excluded from equality so that a file and its formatted form compare equal;
rewrite nodes with `attrs.evolve`. Parentheses leave no trace: the printer puts back the
ones precedence needs.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal, TypeAlias

import attrs

from emurules.source import Source, Span
from emurules.syntax.limits import fraction


def _span() -> Any:
    return attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class Ident:
    """A name as written, with where it was written."""

    text: str
    span: Span | None = _span()


# ---- expressions ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class IntLit:
    value: int
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class NumberLit:
    """A decimal literal such as `0.5`; kept exact."""

    value: Decimal
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class PercentLit:
    """`15%`: `value` is the number written (15); the fraction it means is `value / 100`."""

    value: Decimal
    span: Span | None = _span()

    @property
    def fraction(self) -> Decimal:
        return fraction(self.value)


@attrs.frozen(kw_only=True)
class TextLit:
    value: str
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class DateLit:
    value: datetime.date
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class BoolLit:
    value: bool
    span: Span | None = _span()


Literal_: TypeAlias = IntLit | NumberLit | PercentLit | TextLit | DateLit | BoolLit


@attrs.frozen(kw_only=True)
class Name:
    """A bare name: a field, criterion, let, award, relation, enum value, `score`, `year`."""

    name: str
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Path:
    """`base.attr`: a name reached through a reference, or a qualified enum value."""

    base: Expr
    attr: Ident
    span: Span | None = _span()


ArithOp = Literal["+", "-", "*", "/"]
CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]
LogicOp = Literal["and", "or", "implies"]


@attrs.frozen(kw_only=True)
class Arith:
    op: ArithOp
    left: Expr
    right: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Compare:
    op: CompareOp
    left: Expr
    right: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Logic:
    op: LogicOp
    left: Expr
    right: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Not:
    operand: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Neg:
    operand: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Coalesce:
    """`value ?? fallback`."""

    value: Expr
    fallback: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class SetLit:
    items: tuple[Expr, ...]
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class RangeLit:
    low: Expr
    high: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Member:
    """`operand [not] in {a, b}` or `operand [not] in low..high`."""

    operand: Expr
    target: SetLit | RangeLit
    negated: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class IsMissing:
    """`operand is missing` (or `is not missing` when negated)."""

    operand: Expr
    negated: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Conditional:
    """`then if cond else otherwise`: only the chosen branch is evaluated."""

    then: Expr
    cond: Expr
    otherwise: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Last:
    """`last N` inside `held(A, last N)`."""

    count: int
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Argument:
    """A call argument; `name` is set for `weighted(task: 0.3)`."""

    value: Expr
    name: Ident | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Call:
    func: Ident
    args: tuple[Argument, ...]
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class CaseArm:
    """`pattern: value`; the pattern is a value (case with a subject) or a condition."""

    pattern: Expr
    value: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Case:
    subject: Expr | None
    arms: tuple[CaseArm, ...]
    default: Expr | None = None
    span: Span | None = _span()


Expr: TypeAlias = (
    IntLit
    | NumberLit
    | PercentLit
    | TextLit
    | DateLit
    | BoolLit
    | Name
    | Path
    | Arith
    | Compare
    | Logic
    | Not
    | Neg
    | Coalesce
    | Member
    | IsMissing
    | Conditional
    | Call
    | Case
    | Last
    | SetLit
    | RangeLit
)

# ---- declarations -----------------------------------------------------------------------


# How data text writes numbers and dates (`locale "vi"` in the ruleset): "iso" is the
# decimal point and YYYY-MM-DD only; "vi" is the decimal comma and day-first dates.
LOCALES: tuple[str, ...] = ("iso", "vi")
DEFAULT_LOCALE = "iso"


@attrs.frozen(kw_only=True)
class Setting:
    """`version "..."`, `year N`, `round N` or `locale "vi"` in the ruleset header."""

    key: Literal["version", "year", "round", "locale"]
    value: str | int
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Ruleset:
    title: str
    settings: tuple[Setting, ...] = ()
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class EnumDecl:
    name: Ident
    values: tuple[Ident, ...]
    ordered: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Bound:
    """A field constraint `>= 0`."""

    op: Literal["<", "<=", ">", ">="]
    value: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class FieldRange:
    """A field constraint `in 0..100`."""

    low: Expr
    high: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class TypeRef:
    name: Ident
    optional: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Field:
    name: Ident
    type: TypeRef
    constraint: Bound | FieldRange | None = None
    key: bool = False
    default: Expr | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class SubjectDecl:
    name: Ident
    fields: tuple[Field, ...]
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class RelationDecl:
    """`relation members: collective -> individual by unit`."""

    name: Ident
    owner: Ident
    member: Ident
    via: Ident
    span: Span | None = _span()


CriterionKind = Literal["criterion", "bonus", "penalty"]


@attrs.frozen(kw_only=True)
class CriterionDecl:
    kind: CriterionKind
    name: Ident
    subject: Ident
    expr: Expr
    label: str | None = None
    where: Expr | None = None
    max: Expr | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class ScoreDecl:
    subject: Ident
    expr: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class LetDecl:
    name: Ident
    subject: Ident
    expr: Expr
    label: str | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Part:
    """One named alternative of `when id: any { ... }`."""

    id: Ident
    expr: Expr
    label: str | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class AnyOf:
    parts: tuple[Part, ...]
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Condition:
    """`when [id:] expr ["label"]`."""

    body: Expr | AnyOf
    id: Ident | None = None
    label: str | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class RankKey:
    expr: Expr
    descending: bool
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class AwardDecl:
    name: Ident
    subject: Ident
    label: str | None = None
    given: bool = False
    requires: tuple[Ident, ...] = ()
    conditions: tuple[Condition, ...] = ()
    rank_by: tuple[RankKey, ...] = ()
    quota: Expr | None = None
    within: Expr | None = None
    tie_include: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class RankingDecl:
    name: Ident
    subject: Ident
    keys: tuple[RankKey, ...]
    label: str | None = None
    within: Expr | None = None
    shared: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class CheckDecl:
    """`check "label" for KIND: expr`: must hold for every subject."""

    label: str
    subject: Ident
    expr: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class MonotoneField:
    name: Ident
    decreasing: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class MonotoneCheck:
    target: Ident
    subject: Ident
    fields: tuple[MonotoneField, ...]
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class OrderCheck:
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class RuleDecl:
    """`require "label" for KIND: expr`: a data rule on input records."""

    label: str
    subject: Ident
    expr: Expr
    span: Span | None = _span()


# ---- examples ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RecordField:
    name: Ident
    value: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Record:
    kind: Ident
    fields: tuple[RecordField, ...]
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class ExampleYear:
    year: int
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class SubjectKey:
    """A subject's key in an example; `quoted` keeps how it was written."""

    value: str
    quoted: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class HistoryEntry:
    """`P1 2024 fighter` (an award held) or `P1 2024 task excellent` (a past value)."""

    key: SubjectKey
    year: int
    name: Ident
    value: Expr | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class History:
    entries: tuple[HistoryEntry, ...]
    span: Span | None = _span()


ExpectMode = Literal["true", "false", "cut", "compare", "missing", "present"]


@attrs.frozen(kw_only=True)
class Expect:
    key: SubjectKey
    mode: ExpectMode
    name: Ident
    because: tuple[Ident, ...] = ()
    op: CompareOp | None = None
    value: Expr | None = None
    span: Span | None = _span()


ExampleItem: TypeAlias = Record | ExampleYear | History | Expect


@attrs.frozen(kw_only=True)
class ExampleDecl:
    label: str
    items: tuple[ExampleItem, ...]
    span: Span | None = _span()


Decl: TypeAlias = (
    Ruleset
    | EnumDecl
    | SubjectDecl
    | RelationDecl
    | CriterionDecl
    | ScoreDecl
    | LetDecl
    | AwardDecl
    | RankingDecl
    | CheckDecl
    | MonotoneCheck
    | OrderCheck
    | RuleDecl
    | ExampleDecl
)


@attrs.frozen(kw_only=True)
class Comment:
    """A `#` comment; kept beside the tree so the formatter can put it back."""

    text: str
    span: Span


@attrs.frozen(kw_only=True)
class Module:
    """A parsed criteria file: its declarations in source order."""

    decls: tuple[Decl, ...]
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False, repr=False)
    source: Source | None = attrs.field(default=None, eq=False, repr=False)
