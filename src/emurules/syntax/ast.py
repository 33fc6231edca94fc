"""The syntax tree of a criteria file: frozen attrs nodes, each with a span.

Spans are excluded from equality so that a file and its formatted form compare equal;
rewrite nodes with `attrs.evolve`. Every class derives from `Node`, whose equality, hash and
repr work at any depth (see node.py). Parentheses leave no trace: the printer puts back the
ones precedence needs.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from emurules.limits import fraction
from emurules.source import Source, Span
from emurules.syntax import ast_checks as _checks
from emurules.syntax import ast_examples as _examples
from emurules.syntax.node import Node
from emurules.syntax.node import span_field as _span


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Ident(Node):
    """A name as written, with where it was written."""

    text: str
    span: Span | None = _span()


# ---- expressions ------------------------------------------------------------------------


@attrs.frozen(kw_only=True, eq=False, repr=False)
class IntLit(Node):
    value: int
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class NumberLit(Node):
    """A decimal literal such as `0.5`; kept exact."""

    value: Decimal
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class PercentLit(Node):
    """`15%`: `value` is the number written (15); the fraction it means is `value / 100`."""

    value: Decimal
    span: Span | None = _span()

    @property
    def fraction(self) -> Decimal:
        return fraction(self.value)


@attrs.frozen(kw_only=True, eq=False, repr=False)
class TextLit(Node):
    value: str
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class DateLit(Node):
    value: datetime.date
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class BoolLit(Node):
    value: bool
    span: Span | None = _span()


Literal_: TypeAlias = IntLit | NumberLit | PercentLit | TextLit | DateLit | BoolLit


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Name(Node):
    """A bare name: a field, criterion, let, award, relation, enum value, `score`, `year`."""

    name: str
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Path(Node):
    """`base.attr`: a name reached through a reference, or a qualified enum value."""

    base: Expr
    attr: Ident
    span: Span | None = _span()


ArithOp = Literal["+", "-", "*", "/"]
CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]
LogicOp = Literal["and", "or", "implies"]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Arith(Node):
    op: ArithOp
    left: Expr
    right: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Compare(Node):
    op: CompareOp
    left: Expr
    right: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Logic(Node):
    op: LogicOp
    left: Expr
    right: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Not(Node):
    operand: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Neg(Node):
    operand: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Coalesce(Node):
    """`value ?? fallback`."""

    value: Expr
    fallback: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class SetLit(Node):
    items: tuple[Expr, ...]
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class RangeLit(Node):
    low: Expr
    high: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Member(Node):
    """`operand [not] in {a, b}` or `operand [not] in low..high`."""

    operand: Expr
    target: SetLit | RangeLit
    negated: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class IsMissing(Node):
    """`operand is missing` (or `is not missing` when negated)."""

    operand: Expr
    negated: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Conditional(Node):
    """`then if cond else otherwise`: only the chosen branch is evaluated."""

    then: Expr
    cond: Expr
    otherwise: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Last(Node):
    """`last N` inside `held(A, last N)`."""

    count: int
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Filtered(Node):
    """`relation where cond`, an aggregate's first argument: the members for which `cond`,
    read in each member's scope, holds."""

    relation: Expr
    cond: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Argument(Node):
    """A call argument; `name` is set for `weighted(task: 0.3)`."""

    value: Expr
    name: Ident | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Call(Node):
    func: Ident
    args: tuple[Argument, ...]
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class CaseArm(Node):
    """`pattern: value`; the pattern is a value (case with a subject) or a condition."""

    pattern: Expr
    value: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Case(Node):
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
    | Filtered
    | SetLit
    | RangeLit
)

# ---- declarations -----------------------------------------------------------------------

SettingKey = Literal[
    "version", "year", "round", "locale", "authority", "document", "number", "place", "date",
    "basis", "signer", "language", "base_salary", "reward_rounding", "emurules",
]  # fmt: skip
SettingValue: TypeAlias = str | int | datetime.date | tuple[str, str] | tuple[str, int]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Setting(Node):
    """`version "..."`, `year N`, `round N`, `locale "vi"` or a piece of the document's
    metadata (`authority`, `document`, `number`, `place`, `date`, `basis`, `signer`,
    `language`) in the ruleset header. `signer` holds (title, name); `reward_rounding`
    (`round rewards up to 10000`) holds (mode, step)."""

    key: SettingKey
    value: SettingValue
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Ruleset(Node):
    title: str
    settings: tuple[Setting, ...] = ()
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class EnumDecl(Node):
    """`labels` is empty when no value has a label, else one (or None) per value."""

    name: Ident
    values: tuple[Ident, ...]
    ordered: bool = False
    labels: tuple[str | None, ...] = ()
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Bound(Node):
    """A field constraint `>= 0`."""

    op: Literal["<", "<=", ">", ">="]
    value: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class FieldRange(Node):
    """A field constraint `in 0..100`."""

    low: Expr
    high: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class TypeRef(Node):
    name: Ident
    optional: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Field(Node):
    name: Ident
    type: TypeRef
    constraint: Bound | FieldRange | None = None
    key: bool = False
    default: Expr | None = None
    label: str | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class SubjectDecl(Node):
    """`subject individual "Cá nhân" display full_name { ... }`."""

    name: Ident
    fields: tuple[Field, ...]
    label: str | None = None
    display: Ident | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class RelationDecl(Node):
    """`relation members: collective -> individual by unit`."""

    name: Ident
    owner: Ident
    member: Ident
    via: Ident
    label: str | None = None
    span: Span | None = _span()


CriterionKind = Literal["criterion", "bonus", "penalty"]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class CriterionDecl(Node):
    kind: CriterionKind
    name: Ident
    subject: Ident
    expr: Expr
    label: str | None = None
    where: Expr | None = None
    max: Expr | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScoreDecl(Node):
    subject: Ident
    expr: Expr
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class LetDecl(Node):
    name: Ident
    subject: Ident
    expr: Expr
    label: str | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Part(Node):
    """One named alternative of `when id: any { ... }`."""

    id: Ident
    expr: Expr
    label: str | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class AnyOf(Node):
    parts: tuple[Part, ...]
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Condition(Node):
    """`when [id:] expr ["label"]`."""

    body: Expr | AnyOf
    id: Ident | None = None
    label: str | None = None
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class RankKey(Node):
    expr: Expr
    descending: bool
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class AwardDecl(Node):
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
    reward: Decimal | None = None  # `reward 0.3`: a multiple of the base salary
    replaces: tuple[Ident, ...] = ()  # `reward 1.0 replaces a, b`: their rewards are not paid
    span: Span | None = _span()
    # where the clauses without a node of their own were written (comments keep to them)
    tie_span: Span | None = _span()
    reward_span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class RankingDecl(Node):
    name: Ident
    subject: Ident
    keys: tuple[RankKey, ...]
    label: str | None = None
    within: Expr | None = None
    shared: bool = False
    span: Span | None = _span()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class PoolDecl(Node):
    """`pool NAME "label" { awards a, b  quota N  on tie include }`: one quota shared by
    awards of several kinds, whose qualified subjects are ranked together."""

    name: Ident
    label: str | None = None
    awards: tuple[Ident, ...] = ()
    quota: int | None = None
    tie_include: bool = False
    span: Span | None = _span()
    # where the clauses were written (comments keep to them)
    awards_span: Span | None = _span()
    quota_span: Span | None = _span()
    tie_span: Span | None = _span()


LineageRule: TypeAlias = Literal["any", "all", "mean", "min", "max", "sum"]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class LineageDecl(Node):
    """`lineage for KIND { held any|all  past mean|min|max|sum }`: how a merged or renamed
    subject's history before it was formed is read from its predecessors'."""

    subject: Ident
    held: LineageRule | None = None
    past: LineageRule | None = None
    span: Span | None = _span()
    held_span: Span | None = _span()
    past_span: Span | None = _span()


# The nodes of checks and data rules live in ast_checks.py; these names are theirs.
CheckDecl = _checks.CheckDecl
MonotoneField = _checks.MonotoneField
MonotoneCheck = _checks.MonotoneCheck
OrderCheck = _checks.OrderCheck
IgnoresCheck = _checks.IgnoresCheck
EqualTreatmentCheck = _checks.EqualTreatmentCheck
LocalCheck = _checks.LocalCheck
RuleDecl = _checks.RuleDecl

# The nodes of `example` blocks live in ast_examples.py; these names are theirs.
RecordField = _examples.RecordField
Record = _examples.Record
ExampleYear = _examples.ExampleYear
SubjectKey = _examples.SubjectKey
HistoryEntry = _examples.HistoryEntry
History = _examples.History
Expect = _examples.Expect
ExampleDecl = _examples.ExampleDecl
ExpectMode: TypeAlias = _examples.ExpectMode
ExampleItem: TypeAlias = _examples.ExampleItem

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
    | PoolDecl
    | LineageDecl
    | CheckDecl
    | MonotoneCheck
    | OrderCheck
    | IgnoresCheck
    | EqualTreatmentCheck
    | LocalCheck
    | RuleDecl
    | ExampleDecl
)


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Comment(Node):
    """A `#` comment; kept beside the tree so the formatter can put it back."""

    text: str
    span: Span


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Module(Node):
    """A parsed criteria file: its declarations in source order."""

    decls: tuple[Decl, ...]
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False, repr=False)
    source: Source | None = attrs.field(default=None, eq=False, repr=False)
