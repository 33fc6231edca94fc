"""What the columnar engine evaluates: every step and node of a plan it cannot is refused
by name and place before anything runs, never skipped or handed over silently."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from emurules.plan import ir
from emurules.plan.passes import children
from emurules.plan.steps import Award, Criterion, Let, Plan, Ranking, Score
from emurules.source import Span

FUNCTIONS = frozenset({"abs", "floor", "ceil", "round", "min", "max", "cap", "days"})
GROUP_AGGREGATES = frozenset({"count", "sum", "min", "max", "all", "any", "none", "avg", "share"})
VALUES = frozenset({"int", "number", "percent", "bool", "text", "ref", "enum", "date"})


@attrs.frozen
class Refusal:
    """Something of the rules this engine cannot evaluate: `what` as written (or the
    construct's name), and where."""

    what: str
    span: Span | None


def refusals(plan: Plan) -> list[Refusal]:
    """Everything of `plan` the columnar engine cannot evaluate, in the order of the file."""
    found: list[Refusal] = []
    for relation in plan.relations:
        if relation.by is not None and plan.schema is not None:
            by = plan.schema.kinds[relation.owner].fields.get(relation.by)
            if by is not None and by.type.kind in ("int", "number", "percent"):
                found.append(Refusal(f"relation {relation.name} by {relation.by}", None))
    for step in plan.steps:
        match step:
            case Ranking():
                for key in step.keys:
                    found.extend(_nodes(key.expr, quota=False))
                if step.within is not None and not (
                    isinstance(step.within, ir.Read) and not step.within.computed
                ):
                    found.append(Refusal(f"within {step.within_text}", _span(step.within)))
            case Criterion():
                found.extend(_nodes(step.expr, quota=False))
                if step.where is not None:
                    found.extend(_nodes(step.where, quota=False))
            case Score() | Let():
                if step.expr.type.kind not in VALUES:
                    found.append(Refusal(f"{step.name} ({step.expr.type.kind})", _span(step.expr)))
                else:
                    found.extend(_nodes(step.expr, quota=False))
            case Award():
                found.extend(_award(step))
    return found


def _award(step: Award) -> Iterator[Refusal]:
    for condition in step.conditions:
        for part in (condition, *condition.parts):
            if part.expr is not None:
                yield from _nodes(part.expr, quota=False)
    for key in step.rank_by:
        yield from _nodes(key.expr, quota=False)
    if step.within is not None and not (
        isinstance(step.within, ir.Read) and not step.within.computed
    ):
        yield Refusal(f"within {step.within_text}", _span(step.within))
    if step.quota is not None:
        yield from _nodes(step.quota, quota=True)


def _nodes(root: ir.Node, *, quota: bool) -> Iterator[Refusal]:
    pending: list[ir.Node] = [root]
    while pending:
        node = pending.pop()
        refused = _refused(node, quota)
        if refused is not None:
            yield Refusal(refused, node.span)
            continue
        if isinstance(node, ir.Aggregate):
            members = node.members
            if isinstance(members, ir.Filter):
                pending.append(members.cond)
            if node.body is not None:
                pending.append(node.body)
            continue
        pending.extend(children(node))


def _members(node: ir.Node, quota: bool) -> bool:
    """What an aggregate may go over here: a relation of the subject (kept by a filter, or
    not), or in a quota the group."""
    if isinstance(node, ir.Filter):
        node = node.members
    return isinstance(node, ir.Relation) or (quota and isinstance(node, ir.Group))


def _refused(node: ir.Node, quota: bool) -> str | None:
    """Why this node cannot be evaluated here (what to name), or None."""
    match node:
        case ir.Relation() | ir.Filter():
            return _written(node, "relation")
        case ir.Path(what="relation"):
            return node.text
        case ir.Group():
            return "group"
        case ir.GroupValue() | ir.Recipients() if not quota:
            return "group"
        case ir.Aggregate():
            if not _members(node.members, quota) or node.name not in GROUP_AGGREGATES:
                return node.text
        case ir.Function(name=name, args=args):
            if name not in FUNCTIONS:
                return node.text
            if name == "round" and len(args) == 2 and not isinstance(args[1], ir.Const):
                return node.text
        case ir.Read(type=vtype) if vtype.kind not in VALUES:
            return _written(node, vtype.kind)
    return None


def _written(node: ir.Node, fallback: str) -> str:
    text = getattr(node, "text", "") or getattr(node, "name", "")
    return str(text) or fallback


def _span(node: ir.Node) -> Span | None:
    return node.span
