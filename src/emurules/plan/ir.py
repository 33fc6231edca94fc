"""The evaluation IR: a lowered, typed tree that every engine evaluates.

Nodes are frozen attrs values that carry their type and source span and nothing of the
syntax tree: names are resolved to what they read (an input field, a computed value, a
referenced subject's value, an enum value), associative chains are flattened, history
look-ups and aggregates are nodes of their own, and every text an explanation prints is
stored once. A `Plan` pickles and deep-copies like any value, so it can be cached by a
service or sent to a worker process.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs

from emurules.source import Span
from emurules.values import EnumValue

TypeKind = Literal[
    "bool", "int", "number", "percent", "text", "date", "enum", "ref", "relation", "unknown"
]


@attrs.frozen
class VType:
    """The type of a value: `name` is the enum or the subject kind; `optional` may be missing."""

    kind: TypeKind
    name: str | None = None
    optional: bool = False


Storage = Literal["number", "bool", "text", "enum", "date"]


def storage(vtype: VType) -> Storage | None:
    """How an engine holds a value of this type in a column (None: not as one value,
    such as a relation's members): the one mapping every columnar and SQL engine uses."""
    match vtype.kind:
        case "int" | "number" | "percent":
            return "number"
        case "bool" | "text" | "enum" | "date":
            return vtype.kind
        case "ref":
            return "text"
        case _:
            return None


def _span() -> Span | None:
    """A source span, left out of equality: equal trees from two files are equal."""
    found: Span | None = attrs.field(default=None, eq=False, repr=False)
    return found


def _written() -> str:
    """How the node was written (a formula, for the published document), left out of
    equality like the span: `0.5` and `0.50` are the same constant."""
    found: str = attrs.field(default="", eq=False, repr=False)
    return found


Constant = Decimal | bool | str | EnumValue | object


@attrs.frozen(kw_only=True)
class Const:
    """A literal, or an enum value named in the criteria; `text` is how it was written."""

    value: Constant
    type: VType
    text: str = _written()
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Read:
    """A name of the current subject: an input field (`computed` False) or a value computed
    by an earlier step (criterion, let, score, award, ranking)."""

    name: str
    computed: bool
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Relation:
    """The keys of the members of the current subject through a relation, in key order."""

    name: str
    member: str
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Year:
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Path:
    """`base.name`: a value of the subject (of kind `kind`) that `base` refers to; `text` is
    how explanations name it."""

    base: Node
    kind: str
    name: str
    what: Literal["field", "computed", "relation", "year"]
    text: str
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Sum:
    """`a + b + c`, flattened, so a long sum is one node."""

    operands: tuple[Node, ...]
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Binary:
    op: Literal["-", "*", "/"]
    left: Node
    right: Node
    text: str
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Neg:
    operand: Node
    type: VType
    text: str = _written()
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Compare:
    op: Literal["==", "!=", "<", "<=", ">", ">="]
    left: Node
    right: Node
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Logic:
    """`and` / `or` chains, flattened; `implies` has two operands."""

    op: Literal["and", "or", "implies"]
    operands: tuple[Node, ...]
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Not:
    operand: Node
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Coalesce:
    """`a ?? b ?? c`, flattened: the first operand that is not missing."""

    operands: tuple[Node, ...]
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class InSet:
    operand: Node
    items: tuple[Node, ...]
    negated: bool
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class InRange:
    operand: Node
    low: Node
    high: Node
    negated: bool
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class IsMissing:
    operand: Node
    negated: bool
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Branches:
    """`a if c else b if d else e` and `case { c: a, ... }`, flattened: the value of the
    first branch whose condition is true, else the default. `text` is the `case` as written
    (empty for an if-chain, which the published document phrases branch by branch)."""

    branches: tuple[tuple[Node, Node], ...]
    default: Node
    type: VType
    text: str = _written()
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Match:
    """`case subject { pattern: value, ... else: default }`; `text` as written."""

    subject: Node
    arms: tuple[tuple[Node, Node], ...]
    default: Node | None
    type: VType
    text: str = _written()
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Function:
    """A built-in function of its arguments' values (missing in, missing out): a form of
    the shape `values` in the registry (`emurules.builtins`)."""

    name: str
    args: tuple[Node, ...]
    text: str
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Aggregate:
    """An aggregate over the members of a relation (or of a quota's group): `body` is
    evaluated for each member (of kind `member`): a form of the shape `over` in the
    registry (`emurules.builtins`)."""

    name: str
    members: Node
    member: str
    body: Node | None
    text: str
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Filter:
    """`rel where cond`: the keys of the members (of kind `member`) of a relation (or of a
    quota's group) for which `cond`, evaluated for each member, is true, in their order.
    An aggregate's `members`."""

    members: Node
    member: str
    cond: Node
    text: str
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Decided:
    """`qualified(A)` or `cut(A)` (`name`): what this year's decision of award `A` says of
    the subject, a form of the shape `decision` in the registry (`emurules.builtins`)."""

    name: str
    award: str
    text: str
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Group:
    """Inside a quota: the subjects of the group (`group`)."""

    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class GroupValue:
    """Inside a quota: the value the group shares (the `within` field, named `name`)."""

    type: VType
    name: str = ""
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Recipients:
    """Inside a quota: how many of the group received `award` (`count(award)`)."""

    award: str
    text: str
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Streak:
    """Consecutive years up to this one (`current`) or up to last year the subject held
    `award`."""

    award: str
    current: bool
    text: str
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Held:
    """In how many of the last `years` years the subject held `award`."""

    award: str
    years: int
    text: str
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Past:
    """A value of the subject `back` years ago, from the history."""

    name: str
    back: int
    text: str
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class Weighted:
    """`weighted(c1: w1, ...)`: criteria that apply, each as a share of its maximum, scaled
    to the declared weights."""

    items: tuple[tuple[str, Decimal, Decimal], ...]  # criterion, weight, its max
    text: str
    type: VType
    span: Span | None = _span()


@attrs.frozen(kw_only=True)
class ApplicableMax:
    """The sum of the maxima of the named criteria that apply to the subject."""

    items: tuple[tuple[str, Decimal], ...]
    text: str
    type: VType
    span: Span | None = _span()


Node = (
    Const | Read | Relation | Year | Path | Sum | Binary | Neg | Compare | Logic | Not
    | Coalesce | InSet | InRange | IsMissing | Branches | Match | Function | Aggregate
    | Filter | Decided | Group | GroupValue | Recipients | Streak | Held | Past | Weighted
    | ApplicableMax
)  # fmt: skip
