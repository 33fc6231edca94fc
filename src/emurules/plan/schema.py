"""What data must look like: the subject kinds, their fields and names, lowered once from the
checked model so that reading and validating data never needs the checker or the syntax.

Every part is a plain frozen value (no syntax node, no side table), so a `Schema` pickles
and deep-copies with the rules it belongs to. Messages that quote a field's constraint use
`FieldSchema.constraint_text`, printed once when the schema is lowered.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs

from emurules.i18n import Message
from emurules.names import Sort, describe_type
from emurules.plan.ir import VType
from emurules.values import EnumValue

Bound = tuple[Decimal, bool]  # (value, strict): strict excludes the value itself
Default = Decimal | str | bool | datetime.date | EnumValue

NUMBER = VType("number")
PERCENT_LOW: Bound = (Decimal(0), False)
PERCENT_HIGH: Bound = (Decimal(1), False)
PERCENT_TEXT = "0%..100%"


@attrs.frozen
class NameInfo:
    """A declared name of a subject kind: what sort of name it is and its type (None when
    the checker gave it none); `given` marks an award conferred elsewhere."""

    name: str
    sort: Sort
    type: VType | None
    given: bool = False
    label: str | None = None  # a field's or a relation's, as written


@attrs.frozen
class FieldSchema:
    """One input field: its type (a value's: never optional), whether it may be missing, its
    default (a ready value, or None for no default), its numeric bounds and how messages
    print its allowed range."""

    name: str
    type: VType
    optional: bool = False
    key: bool = False
    default: Default | None = None
    low: Bound | None = None
    high: Bound | None = None
    constraint_text: str = ""
    label: str | None = None  # as written; data may title the column with it


@attrs.frozen
class KindSchema:
    """A subject kind: its key field, its input fields (in declaration order) and every name
    declared for it (fields, criteria, lets, score, awards, rankings, relations, year); its
    label, the field that names a subject beside its key (`display`), and `titles`: each
    field label (NFC, trimmed) -> the field, for data that titles columns with labels."""

    name: str
    key: str
    fields: dict[str, FieldSchema]
    names: dict[str, NameInfo]
    label: str | None = None
    display: str | None = None
    titles: dict[str, str] = attrs.field(factory=dict)
    # `lineage for KIND { held R  past R }`: how a merged subject reads its predecessors'
    # history (data.lineage)
    lineage: tuple[str, str] | None = None

    def names_of(self, sort: Sort) -> list[str]:
        """The names of one sort (fields, awards...), for 'did you mean' suggestions."""
        return [name for name, info in self.names.items() if info.sort == sort]


@attrs.frozen
class Schema:
    """Every subject kind, every enum's values in declaration order (and their labels), and
    the ruleset's locale (the one data text is read with unless the caller names another)."""

    kinds: dict[str, KindSchema]
    enums: dict[str, tuple[str, ...]]
    locale: str
    # enum -> value -> its label as written (values without one are left out)
    enum_labels: dict[str, dict[str, str]] = attrs.field(factory=dict)

    def enum_value(self, enum: str, name: str) -> EnumValue:
        return EnumValue(enum, name, self.enums[enum].index(name))


def describe(vtype: VType) -> Message:
    """A type as messages name it ("a whole number", "a reference to unit")."""
    return describe_type(vtype.kind, vtype.name, vtype.optional)
