"""Expressions of the plan in plain words, for the published document (`emurules doc`).

A phrase is a message (`doc.po`, `docwords.po`; a call is phrased by its form in the
registry of built-in functions). Every name is read by its label (`Names`): a field, a
relation, an enum value, a criterion, an award; an identifier shows only where the criteria
give no label. What no phrase fits (a `case` written inline) stays a formula, printed when
the plan was lowered.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TypeAlias

import attrs

from emurules.builtins import BUILTINS, Form
from emurules.i18n import Message, message
from emurules.i18n.formatting import Shown
from emurules.plan import ir
from emurules.plan.labels import Labels
from emurules.plan.schema import Schema
from emurules.plan.steps import Award, Criterion, Let, Plan, Ranking
from emurules.values import EnumValue

Text: TypeAlias = Message | str

_CALLS = (
    ir.Function, ir.Aggregate, ir.Recipients, ir.Streak, ir.Held, ir.Past, ir.Weighted,
    ir.ApplicableMax, ir.Decided,
)  # fmt: skip
_NAMED = (ir.Read, ir.Relation, ir.Year, ir.Group, ir.GroupValue, ir.Path)


@attrs.frozen
class Names:
    """How the document names what the criteria declare: by its label where the criteria
    give one (the schema's for kinds, fields, relations and enum values; the plan's for
    criteria, awards, rankings and lets), else by its identifier."""

    schema: Schema | None = None
    # (kind, name) -> the step's label (None without one) and whether it is an award
    steps: Mapping[tuple[str, str], tuple[str | None, bool]] = attrs.field(factory=dict)

    @classmethod
    def of(cls, plan: Plan, schema: Schema | None = None) -> Names:
        steps: dict[tuple[str, str], tuple[str | None, bool]] = {}
        for step in plan.written:
            if isinstance(step, Criterion | Award | Ranking | Let):
                steps[step.kind, step.name] = (step.label, isinstance(step, Award))
        return cls(schema, steps)

    @property
    def _labels(self) -> Labels | None:
        return Labels(schema=self.schema) if self.schema is not None else None

    def kind(self, kind: str) -> str:
        labels = self._labels
        return (labels.kind(kind) if labels is not None else None) or kind

    def name(self, kind: str, name: str) -> Text:
        """A field, relation or computed value of a subject of `kind`."""
        if name == "score" and (kind, name) not in self.steps:
            return message("words.score")
        step = self.steps.get((kind, name))
        if step is not None:
            return step[0] or name
        labels = self._labels
        return (labels.name(kind, name) if labels is not None else None) or name

    def value(self, enum: str, value: str) -> str:
        labels = self._labels
        return (labels.value(enum, value) if labels is not None else None) or value

    def is_award(self, kind: str, name: str) -> bool:
        step = self.steps.get((kind, name))
        return step is not None and step[1]

    def field_type(self, kind: str, name: str) -> ir.VType | None:
        """The type of an input field (None when unknown): examples show enum labels."""
        info = self.schema.kinds.get(kind) if self.schema is not None else None
        found = info.fields.get(name) if info is not None else None
        return found.type if found is not None else None


PLAIN = Names()


def words(node: ir.Node, names: Names = PLAIN, kind: str = "") -> Text:
    """A reading of an expression, of a subject of `kind`, a policy writer would say aloud."""
    match node:
        case ir.Compare(op=">=" | "<=" as op, left=left, right=right) if _named(
            right
        ) and not isinstance(left, _CALLS):
            # an enum value on the right reads best as "good or above"
            value, bound = words(left, names, kind), words(right, names, kind)
            if op == ">=":
                return message("doc.or-above", value=value, bound=bound)
            return message("doc.or-below", value=value, bound=bound)
        case ir.Compare(op=op, left=left, right=right):
            return compare(op, words(left, names, kind), words(right, names, kind))
        case ir.Logic(op="implies", operands=(left, right)):
            return message(
                "doc.implies", condition=words(left, names, kind), then=words(right, names, kind)
            )
        case ir.Logic(op=op, operands=operands):
            found = _part(operands[0], names, kind)
            for operand in operands[1:]:
                if op == "and":
                    found = message("doc.and", left=found, right=_part(operand, names, kind))
                else:
                    found = message("doc.or", left=found, right=_part(operand, names, kind))
            return found
        case ir.Read(type=ir.VType(kind="bool")):
            return _flag(node, names, kind, negated=False)
        case ir.Not(operand=ir.Read(type=ir.VType(kind="bool")) as operand):
            return _flag(operand, names, kind, negated=True)
        case ir.Not(operand=operand):
            return message("doc.not", condition=_part(operand, names, kind))
        case ir.IsMissing(operand=operand, negated=True):
            return message("doc.is-given", value=words(operand, names, kind))
        case ir.IsMissing(operand=operand):
            return message("doc.is-missing", value=words(operand, names, kind))
        case ir.InSet(operand=operand, items=items, negated=negated):
            listed = tuple(words(i, names, kind) for i in items)
            value = words(operand, names, kind)
            if negated:
                return message("doc.not-one-of", value=value, items=listed)
            return message("doc.one-of", value=value, items=listed)
        case ir.InRange(operand=operand, low=low, high=high, negated=negated):
            found = words(operand, names, kind)
            lowest, highest = words(low, names, kind), words(high, names, kind)
            if negated:
                return message("doc.not-between", value=found, low=lowest, high=highest)
            return message("doc.between", value=found, low=lowest, high=highest)
        case ir.Coalesce(operands=operands):
            found = words(operands[-1], names, kind)
            for operand in reversed(operands[:-1]):
                found = message(
                    "doc.or-when-missing", value=words(operand, names, kind), fallback=found
                )
            return found
        case ir.Branches(text=""):
            found = words(node.default, names, kind)
            for condition, chosen in reversed(node.branches):
                found = message(
                    "doc.if-otherwise",
                    value=words(chosen, names, kind),
                    condition=words(condition, names, kind),
                    otherwise=found,
                )
            return found
        case ir.Sum(operands=operands):
            found = _operand(operands[0], "+", names, kind)
            for operand in operands[1:]:
                found = _arith("+", found, _operand(operand, "+", names, kind))
            return found
        case ir.Binary(op=op, left=left, right=right):
            return _arith(op, _operand(left, op, names, kind), _operand(right, op, names, kind))
        case ir.Filter(members=members, member=member, cond=cond):
            relation = words(members, names, kind)
            return message("doc.filtered", relation=relation, condition=_which(cond, names, member))
        case _ if isinstance(node, _CALLS):
            return _call(node, names, kind)
        case _:
            return _named_words(node, names, kind)


def _named_words(node: ir.Node, names: Names, kind: str) -> Text:
    """A name by its label, a constant in the reader's way of writing it."""
    match node:
        case ir.Read(name=name) | ir.Relation(name=name):
            return names.name(kind, name)
        case ir.GroupValue(name=name) if name:
            return names.name(kind, name)
        case ir.Path(base=base, kind=owner, name=name):
            return message("words.of", name=names.name(owner, name), owner=words(base, names, kind))
        case ir.Year():
            return message("words.year")
        case ir.Group() | ir.GroupValue():
            return message("words.group")
        case ir.Const(value=EnumValue(enum=enum, name=value)):
            return names.value(enum, value)
        case ir.Const(value=Decimal() as value, text=text) if "." in text and "%" not in text:
            return message("words.number", value=Shown(value))
        case ir.Neg(operand=operand):
            return message("words.negative", value=words(operand, names, kind))
        case _:
            return formula(node)


def _part(node: ir.Node, names: Names, kind: str) -> Text:
    """An operand of `and`, `or` or `not` in words: another chain in brackets, since words
    have no precedence ("A và (B hoặc C)" is not "(A và B) hoặc C")."""
    text = words(node, names, kind)
    return message("doc.bracketed", value=text) if isinstance(node, ir.Logic) else text


def formula(node: ir.Node) -> str:
    """How an expression was written."""
    match node:
        case ir.Read(name=name) | ir.Relation(name=name) | ir.GroupValue(name=name):
            return name
        case ir.Year():
            return "year"
        case ir.Group():
            return "group"
        case ir.Const(text=text) | ir.Neg(text=text) | ir.Branches(text=text):
            return text
        case ir.Match(text=text) | ir.Path(text=text) | ir.Binary(text=text):
            return text
        case (
            ir.Function(text=text)
            | ir.Aggregate(text=text)
            | ir.Recipients(text=text)
            | ir.Streak(text=text)
            | ir.Held(text=text)
            | ir.Past(text=text)
            | ir.Weighted(text=text)
            | ir.ApplicableMax(text=text)
            | ir.Filter(text=text)
            | ir.Decided(text=text)
        ):
            return text
        case _:
            raise AssertionError(f"{type(node).__name__} has no text of its own")


def _flag(node: ir.Read, names: Names, kind: str, *, negated: bool) -> Message:
    """A true/false name as a condition: "holds the title X", "has X"."""
    name = names.name(kind, node.name)
    if names.is_award(kind, node.name):
        if negated:
            return message("words.holds-not", award=name)
        return message("words.holds", award=name)
    return message("words.has-not", name=name) if negated else message("words.has", name=name)


def _which(cond: ir.Node, names: Names, member: str) -> Message:
    """A condition on each member, after the members' name: "holding the title X",
    "for which ..." ("đạt danh hiệu X", "có ...")."""
    match cond:
        case ir.Read(name=name, type=ir.VType(kind="bool")):
            label = names.name(member, name)
            if names.is_award(member, name):
                return message("words.holding", award=label)
            return message("words.with", name=label)
        case ir.Not(operand=ir.Read(name=name, type=ir.VType(kind="bool"))):
            label = names.name(member, name)
            if names.is_award(member, name):
                return message("words.not-holding", award=label)
            return message("words.without", name=label)
        case _:
            return message("words.for-which", condition=words(cond, names, member))


def _each(cond: ir.Node, names: Names, member: str) -> Text:
    """A condition each member is said to meet ("every one of the members ...")."""
    match cond:
        case (
            ir.Read(type=ir.VType(kind="bool"))
            | ir.Not(operand=ir.Read(type=ir.VType(kind="bool")))
        ):
            return words(cond, names, member)
        case _:
            return message("words.member-has", condition=words(cond, names, member))


def _named(node: ir.Node) -> bool:
    """Was it written as a name or a path (an enum value included)?"""
    return isinstance(node, _NAMED) or (isinstance(node, ir.Const) and node.type.kind == "enum")


def compare(op: str, left: Text, right: Text) -> Message:
    """`left op right` in words (an example's expectation reads like a condition)."""
    match op:
        case "==":
            return message("doc.is", value=left, other=right)
        case "!=":
            return message("doc.is-not", value=left, other=right)
        case ">=":
            return message("doc.at-least", value=left, other=right)
        case "<=":
            return message("doc.at-most", value=left, other=right)
        case ">":
            return message("doc.more-than", value=left, other=right)
        case _:
            return message("doc.less-than", value=left, other=right)


def _arith(op: str, left: Text, right: Text) -> Message:
    match op:
        case "+":
            return message("doc.plus", left=left, right=right)
        case "-":
            return message("doc.minus", left=left, right=right)
        case "*":
            return message("doc.times", left=left, right=right)
        case _:
            return message("doc.divided-by", left=left, right=right)


def _operand(node: ir.Node, op: str, names: Names, kind: str) -> Text:
    """An arithmetic operand, in brackets when its words would run into the operator."""
    text = words(node, names, kind)
    loose = isinstance(node, ir.Logic | ir.Compare | ir.Coalesce) or (
        isinstance(node, ir.Branches) and not node.text
    )
    weaker = (isinstance(node, ir.Sum) or (isinstance(node, ir.Binary) and node.op == "-")) and (
        op in "*/-"
    )
    phrased = isinstance(node, _CALLS) and not isinstance(text, str) and op in "*/-"
    return message("doc.bracketed", value=text) if loose or weaker or phrased else text


def _call(node: ir.Node, names: Names, kind: str) -> Text:
    """A call in its form's words, or as written when its form has none."""
    form: Form | None = None
    args: tuple[Text, ...] = ()
    match node:
        case ir.Function(name=name, args=values):
            form = BUILTINS[name].form("values", len(values))
            args = tuple(words(v, names, kind) for v in values)
        case ir.Aggregate(name=name, members=members, member=member, body=body):
            form = BUILTINS[name].form("over", 1 if body is None else 2)
            relation = words(members, names, kind)
            if body is None:
                args = (relation,)
            elif name in ("count", "share"):
                args = (relation, _which(body, names, member))
            elif name in ("all", "any", "none"):
                args = (relation, _each(body, names, member))
            else:
                args = (relation, words(body, names, member))
        case ir.Recipients(award=award):
            recipients = message("words.recipients", award=names.name(kind, award))
            form, args = BUILTINS["count"].form("recipients", 1), (recipients,)
        case ir.Streak(award=award, current=True):
            form, args = BUILTINS["streak"].form("streak", 1), (names.name(kind, award),)
        case ir.Streak(award=award):
            form, args = BUILTINS["streak"].form("streak", 2), (names.name(kind, award), "")
        case ir.Held(award=award, years=years):
            form, args = BUILTINS["held"].form("held", 2), (names.name(kind, award), str(years))
        case ir.Past(name=name, back=back):
            form, args = BUILTINS["past"].form("past", 2), (names.name(kind, name), str(back))
        case ir.Decided(name=name, award=award):
            form, args = BUILTINS[name].form("decision", 1), (names.name(kind, award),)
        case ir.Weighted(items=items):
            weighted = tuple(
                message("words.weighted-item", criterion=names.name(kind, c), weight=Shown(w))
                for c, w, _ in items
            )
            return message("words.weighted", items=weighted)
        case ir.ApplicableMax(items=items):
            criteria = tuple(names.name(kind, c) for c, _ in items)
            return message("words.applicable-max", criteria=criteria)
    if form is None or form.words is None:
        return formula(node)
    return form.words(*args)
