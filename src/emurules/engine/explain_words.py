"""How an explanation names what it shows: subject kinds, subjects, fields, criteria and
enum values by the labels the criteria give them (the identifier only where there is no
label), and values formatted for the reader's language when the message is read."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from emurules.i18n import Arg, Message, message
from emurules.i18n.formatting import Shown
from emurules.plan import ir
from emurules.plan.labels import Labels
from emurules.plan.passes import children
from emurules.plan.schema import Schema
from emurules.plan.steps import Award, Plan, Score
from emurules.values import EnumValue

Text = Message | str

MAX_NAMED = 5
"""How many members or peers a line names before "and N more"."""

_HUNDRED = Decimal(100)
_OPERATORS = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def joined(parts: Sequence[Arg]) -> Arg:
    """Parts one after the other, separated by semicolons: labels and Vietnamese
    numbers hold commas, so a comma cannot separate them."""
    found = parts[-1]
    for part in reversed(parts[:-1]):
        found = message("explain.list", first=part, rest=found)
    return found


def tagged(line: Message, id: str) -> Message:
    """A line that names something by its label, with its identifier in brackets at the
    end, as examples (`because when1`) and reviewers refer to it."""
    return message("explain.tagged", line=line, id=id)


class Words:
    """The names of one evaluation's things as an explanation shows them."""

    def __init__(self, plan: Plan, rows: dict[str, dict[str, dict[str, Any]]]) -> None:
        schema = plan.schema if plan.schema is not None else Schema({}, {}, "iso")
        self.schema = schema
        self.labels = Labels(schema=schema)
        self.rows = rows
        self.steps: dict[tuple[str, str], Any] = {(s.kind, s.name): s for s in plan.declared}

    def kind(self, kind: str) -> str:
        return self.labels.kind(kind) or kind

    def display(self, kind: str, key: str) -> str | None:
        """The subject's name (its kind's display field), when it has one."""
        field = self.labels.display(kind)
        row = self.rows.get(kind, {}).get(key)
        value = row.get(field) if row is not None and field is not None else None
        return value if isinstance(value, str) and value.strip() else None

    def subject(self, kind: str, key: str) -> Message:
        """The first line: the kind, the key and the subject's name."""
        name = self.display(kind, key)
        named = key if name is None else message("explain.key-named", key=key, name=name)
        return message("explain.subject", kind=self.kind(kind), key=named)

    def member(self, kind: str, key: str) -> Text:
        """Another subject, named in a line: its name and key, or its key."""
        name = self.display(kind, key)
        return key if name is None else message("explain.member", name=name, key=key)

    def members(self, kind: str, keys: Sequence[str]) -> Arg:
        """Up to MAX_NAMED subjects by name, then how many more."""
        named = tuple(self.member(kind, k) for k in keys[:MAX_NAMED])
        if len(keys) > MAX_NAMED:
            return message("explain.members-more", members=named, count=len(keys) - MAX_NAMED)
        return named

    def step(self, kind: str, name: str) -> Text:
        """A criterion, award or value by its label in quotes, else its identifier."""
        label = getattr(self.steps.get((kind, name)), "label", None)
        return message("explain.quoted", label=label) if label else name

    def name(self, kind: str, name: str) -> Text:
        """A name a formula reads: a field's or relation's label, a computed value's."""
        label = self.labels.name(kind, name)
        if label:
            return label
        step = self.steps.get((kind, name))
        if isinstance(step, Score):
            return message("explain.score-name")
        if name == "year" and step is None:
            return message("explain.year-name")
        found = getattr(step, "label", None)
        return found if isinstance(found, str) and found else name

    def group(self, kind: str, within: ir.Node | None, value: Any) -> Arg:
        """An award's or ranking's group: the subject a reference names by its name, else
        the value after the label of the field grouped by."""
        if within is not None and within.type.kind == "ref" and isinstance(value, str):
            return self.member(within.type.name or "", value)
        shown = self.value(value, within.type if within is not None else None)
        if isinstance(within, ir.Read):
            label = self.labels.name(kind, within.name)
            if label:
                return message("explain.named-value", name=label, value=shown)
        return shown

    def value(self, value: Any, vtype: ir.VType | None = None) -> Arg:
        """A value as the reader reads it: an enum value's label, a percentage, a number
        or a truth value in the reader's language."""
        if isinstance(value, EnumValue):
            return self.schema.enum_labels.get(value.enum, {}).get(value.name, value.name)
        if isinstance(value, Decimal) and vtype is not None and vtype.kind == "percent":
            return message("explain.percent", value=Shown(value * _HUNDRED))
        if vtype is not None and vtype.kind == "ref" and isinstance(value, str):
            return self.member(vtype.name or "", value)
        return Shown(value)

    def reads(
        self, kind: str, expr: ir.Node | None, values: Sequence[tuple[str, Any]]
    ) -> Arg | None:
        """The values a condition read, each named by its label, one after the other."""
        nodes = _named_nodes(expr)
        shown: list[Arg] = []
        for name, value in values:
            node = nodes.get(name)
            if node is expr and isinstance(node, ir.Aggregate) and isinstance(value, bool):
                continue  # the condition is the aggregate: its members are named beneath
            vtype = node.type if node is not None else self._type(kind, name)
            # a year is written as a year (2027), never as a number with separators
            year = (
                name == "year"
                and isinstance(value, int | Decimal)
                and (node is None or isinstance(node, ir.Year))
            )
            shown.append(
                message(
                    "explain.value",
                    name=self._read(kind, name, node),
                    value=str(int(value)) if year else self.value(value, vtype),
                )
            )
        return joined(shown) if shown else None

    def _read(self, kind: str, name: str, node: Any) -> Text:
        if isinstance(node, ir.Path) and isinstance(node.base, ir.Read):
            return message(
                "explain.path",
                name=self.name(node.kind, node.name),
                base=self.name(kind, node.base.name),
            )
        if node is None or isinstance(node, ir.Read):
            return self.name(kind, name)
        return self.call(kind, node) or name  # else as written

    def call(self, kind: str, node: Any) -> Message | None:
        """A call a condition read, in words: a share or count of members, a streak or a
        count of past titles, a past value; None for any other (it reads as written)."""
        match node:
            case ir.Aggregate(name="share" | "count" as name, members=members, body=body):
                relation, condition = members, body
                if body is None and isinstance(members, ir.Filter):
                    relation, condition = members.members, members.cond
                what = None if condition is None else self.condition(node.member, condition)
                if not isinstance(relation, ir.Relation) or what is None:
                    return None
                named = self.name(kind, relation.name)
                if name == "share":
                    return message("explain.share-of", relation=named, what=what)
                return message("explain.number-of", relation=named, what=what)
            case ir.Streak(award=award, current=True):
                return message("explain.streak", award=self.step(kind, award))
            case ir.Streak(award=award):
                return message("explain.streak-before", award=self.step(kind, award))
            case ir.Held(award=award, years=years):
                return message("explain.held", award=self.step(kind, award), years=years)
            case ir.Past(name=name, back=1):
                return message("explain.past-last-year", name=self.name(kind, name))
            case ir.Past(name=name, back=back):
                return message("explain.past", name=self.name(kind, name), count=back)
        return None

    def condition(self, kind: str, body: ir.Node) -> Text | None:
        """A condition on each member of an aggregate, by its labels where it is one name
        or one comparison of a name with a value; None for any other."""
        match body:
            case ir.Read(name=name) if (kind, name) in self.steps:
                return self.step(kind, name)
            case ir.Read(name=name):
                return self.name(kind, name)
            case ir.Compare(op=op, left=ir.Read(name=name), right=ir.Const() as right):
                return message(
                    "explain.compare",
                    left=self.name(kind, name),
                    op=_OPERATORS[op],
                    right=self.value(right.value, right.type),
                )
        return None

    def named_value(self, kind: str, name: str, value: Any) -> Arg:
        """A value of a subject's name (a field, an award) as the reader reads it."""
        return self.value(value, self._type(kind, name))

    def _type(self, kind: str, name: str) -> ir.VType | None:
        info = self.schema.kinds.get(kind)
        field = info.names.get(name) if info is not None else None
        if field is not None:
            return field.type
        step = self.steps.get((kind, name))
        return ir.VType("bool") if isinstance(step, Award) else None


def _named_nodes(expr: ir.Node | None) -> dict[str, Any]:
    """Each name or text a trace records for `expr`, with its node (for its type)."""
    found: dict[str, Any] = {}
    pending = [expr] if expr is not None else []
    while pending:
        node = pending.pop()
        if isinstance(node, ir.Read):
            found.setdefault(node.name, node)
        else:
            text = getattr(node, "text", None)
            if isinstance(text, str) and text:
                found.setdefault(text, node)
        if not isinstance(node, ir.Aggregate | ir.Filter):  # their bodies read the members
            pending.extend(children(node))
    return found
