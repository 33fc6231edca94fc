"""The types of the language and the rules that combine them."""

from __future__ import annotations

from typing import Literal

import attrs

from emurules.i18n import Message
from emurules.names import describe_type

Kind = Literal[
    "bool", "int", "number", "percent", "text", "date", "enum", "ref", "relation", "unknown"
]
BUILTIN: tuple[Kind, ...] = ("bool", "int", "number", "percent", "text", "date")
NUMERIC = frozenset({"int", "number", "percent"})
GROUPABLE = frozenset({"bool", "int", "text", "enum", "ref", "date"})


@attrs.frozen
class Type:
    """A value's type; `name` is the enum or the subject kind, `optional` means maybe missing.

    `unknown` stands for an expression that already has an error: it combines with
    everything, so one mistake is reported once.
    """

    kind: Kind
    name: str | None = None
    optional: bool = False
    ordered: bool = False

    @property
    def describe(self) -> Message:
        """How messages name the type ("a whole number", "rating (maybe missing)")."""
        return describe_type(self.kind, self.name, self.optional)

    def __str__(self) -> str:
        return str(self.describe)

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def known(self) -> bool:
        return self.kind != "unknown"

    def required(self) -> Type:
        return attrs.evolve(self, optional=False)

    def maybe(self, optional: bool = True) -> Type:
        return attrs.evolve(self, optional=self.optional or optional)


BOOL = Type("bool")
INT = Type("int")
NUMBER = Type("number")
PERCENT = Type("percent")
TEXT = Type("text")
DATE = Type("date")
UNKNOWN = Type("unknown")


def arithmetic(op: str, left: Type, right: Type) -> Type:
    """The type of `left op right` for numeric operands."""
    if not (left.known and right.known):
        return UNKNOWN
    if op == "/":
        return NUMBER
    if left.kind == right.kind == "int":
        return INT
    if op in "+-" and left.kind == right.kind == "percent":
        return PERCENT
    return NUMBER


def join(types: list[Type]) -> Type:
    """The common type of several numbers (min, max, cap)."""
    known = [t for t in types if t.known]
    if not known:
        return UNKNOWN
    optional = any(t.optional for t in known)
    if all(t.kind == "int" for t in known):
        return INT.maybe(optional)
    if all(t.kind == "percent" for t in known):
        return PERCENT.maybe(optional)
    if all(t.numeric for t in known):
        return NUMBER.maybe(optional)
    first = known[0]
    return first if all(comparable(first, t) for t in known) else UNKNOWN


def comparable(left: Type, right: Type) -> bool:
    """May `left == right` be asked? Numbers mix; enums only with the same enum."""
    if not (left.known and right.known):
        return True
    if left.numeric and right.numeric:
        return True
    return left.kind == right.kind and left.name == right.name


def orderable(t: Type) -> bool:
    """May `<` be asked, or may the type be a ranking key?"""
    return not t.known or t.numeric or t.kind == "date" or (t.kind == "enum" and t.ordered)


def same(left: Type, right: Type) -> bool:
    """Would a value of `right` do where `left` is expected (defaults, branches)?"""
    if not (left.known and right.known):
        return True
    if left.numeric and right.numeric:
        return left.kind != "int" or right.kind == "int"
    return left.kind == right.kind and left.name == right.name
