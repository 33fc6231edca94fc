"""Expressions of the plan in plain words, for the published document (`emurules doc`).

A phrase is a message (`doc.po`; a call is phrased by its form in the registry of built-in
functions); what is read as written (a name, a number, a `case`, a call no phrase fits)
stays a formula, printed when the plan was lowered.
"""

from __future__ import annotations

from typing import TypeAlias

from emurules.builtins import BUILTINS, Form
from emurules.i18n import Message, message
from emurules.plan import ir

Text: TypeAlias = Message | str

_CALLS = (
    ir.Function, ir.Aggregate, ir.Recipients, ir.Streak, ir.Held, ir.Past, ir.Weighted,
    ir.ApplicableMax, ir.Decided,
)  # fmt: skip
_NAMED = (ir.Read, ir.Relation, ir.Year, ir.Group, ir.GroupValue, ir.Path)


def words(node: ir.Node) -> Text:
    """A reading of an expression a policy writer would say aloud."""
    match node:
        case ir.Compare(op=">=" | "<=" as op, left=left, right=right) if _named(
            right
        ) and not isinstance(left, _CALLS):
            # an enum value on the right reads best as "good or above"
            if op == ">=":
                return message("doc.or-above", value=words(left), bound=words(right))
            return message("doc.or-below", value=words(left), bound=words(right))
        case ir.Compare(op=op, left=left, right=right):
            return _compare(op, words(left), words(right))
        case ir.Logic(op="implies", operands=(left, right)):
            return message("doc.implies", condition=words(left), then=words(right))
        case ir.Logic(op=op, operands=operands):
            found = words(operands[0])
            for operand in operands[1:]:
                if op == "and":
                    found = message("doc.and", left=found, right=words(operand))
                else:
                    found = message("doc.or", left=found, right=words(operand))
            return found
        case ir.Not(operand=operand):
            return message("doc.not", condition=words(operand))
        case ir.IsMissing(operand=operand, negated=True):
            return message("doc.is-given", value=words(operand))
        case ir.IsMissing(operand=operand):
            return message("doc.is-missing", value=words(operand))
        case ir.InSet(operand=operand, items=items, negated=negated):
            listed = tuple(words(i) for i in items)
            if negated:
                return message("doc.not-one-of", value=words(operand), items=listed)
            return message("doc.one-of", value=words(operand), items=listed)
        case ir.InRange(operand=operand, low=low, high=high, negated=negated):
            found, lowest, highest = words(operand), words(low), words(high)
            if negated:
                return message("doc.not-between", value=found, low=lowest, high=highest)
            return message("doc.between", value=found, low=lowest, high=highest)
        case ir.Coalesce(operands=operands):
            found = words(operands[-1])
            for operand in reversed(operands[:-1]):
                found = message("doc.or-when-missing", value=words(operand), fallback=found)
            return found
        case ir.Branches(text=""):
            found = words(node.default)
            for condition, value in reversed(node.branches):
                found = message(
                    "doc.if-otherwise",
                    value=words(value),
                    condition=words(condition),
                    otherwise=found,
                )
            return found
        case ir.Sum(operands=operands):
            found = _operand(operands[0], "+")
            for operand in operands[1:]:
                found = _arith("+", found, _operand(operand, "+"))
            return found
        case ir.Binary(op=op, left=left, right=right):
            return _arith(op, _operand(left, op), _operand(right, op))
        case ir.Filter(members=members, cond=cond):
            return _filtered(words(members), cond)
        case _ if isinstance(node, _CALLS):
            return _call(node)
        case _:
            return formula(node)


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


def _filtered(relation: Text, cond: ir.Node) -> Message:
    """`rel where cond`; a true/false name (a title, a field) reads "members with it"."""
    match cond:
        case ir.Read(name=name, type=ir.VType(kind="bool")):
            return message("doc.filtered-with", relation=relation, name=name)
        case ir.Not(operand=ir.Read(name=name, type=ir.VType(kind="bool"))):
            return message("doc.filtered-without", relation=relation, name=name)
        case _:
            return message("doc.filtered", relation=relation, condition=words(cond))


def _named(node: ir.Node) -> bool:
    """Was it written as a name or a path (an enum value included)?"""
    return isinstance(node, _NAMED) or (isinstance(node, ir.Const) and node.type.kind == "enum")


def _compare(op: str, left: Text, right: Text) -> Message:
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


def _operand(node: ir.Node, op: str) -> Text:
    """An arithmetic operand, in brackets when its words would run into the operator."""
    text = words(node)
    loose = isinstance(node, ir.Logic | ir.Compare | ir.Coalesce) or (
        isinstance(node, ir.Branches) and not node.text
    )
    weaker = (isinstance(node, ir.Sum) or (isinstance(node, ir.Binary) and node.op == "-")) and (
        op in "*/-"
    )
    return message("doc.bracketed", value=text) if loose or weaker else text


def _call(node: ir.Node) -> Text:
    """A call in its form's words, or as written when its form has none."""
    form: Form | None = None
    args: tuple[Text, ...] = ()
    match node:
        case ir.Function(name=name, args=values):
            form = BUILTINS[name].form("values", len(values))
            args = tuple(words(v) for v in values)
        case ir.Aggregate(name=name, members=members, body=body):
            form = BUILTINS[name].form("over", 1 if body is None else 2)
            args = (words(members),) if body is None else (words(members), words(body))
        case ir.Recipients(award=award):
            form, args = BUILTINS["count"].form("recipients", 1), (award,)
        case ir.Streak(award=award, current=True):
            form, args = BUILTINS["streak"].form("streak", 1), (award,)
        case ir.Streak(award=award):
            form, args = BUILTINS["streak"].form("streak", 2), (award, "before")
        case ir.Held(award=award, years=years):
            form, args = BUILTINS["held"].form("held", 2), (award, str(years))
        case ir.Past(name=name, back=back):
            form, args = BUILTINS["past"].form("past", 2), (name, str(back))
        case ir.Decided(name=name, award=award):
            form, args = BUILTINS[name].form("decision", 1), (award,)
    if form is None or form.words is None:
        return formula(node)
    return form.words(*args)
