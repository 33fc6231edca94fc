"""Which steps the SQL engine leaves to the columnar stage that decides awards: a step
whose value the SQL cannot compute (an aggregate over a relation, a path, the history),
and every step that reads one, is computed over the columns the database answered, by
the columnar engine's own code. Nothing is skipped: `Prepared` lists each such step and
why, and a step neither can evaluate is refused as before."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import cast

import attrs

from emurules.plan import ir, steps
from emurules.plan.passes import children, is_node
from emurules.plan.steps import Plan

Step = tuple[str, str]  # (kind, name)


def over_columns(plan: Plan, refused: Collection[Step]) -> frozenset[Step]:
    """The steps `refused` by the SQL and, in the plan's order, every step of the same
    kind that reads one of them (its value, or an award's qualification or cut)."""
    found = set(refused)
    for step in plan.steps:
        if (step.kind, step.name) in found:
            continue
        if any((step.kind, name) in found for name in reads(step)):
            found.add((step.kind, step.name))
    return frozenset(found)


def reads(step: object) -> set[str]:
    """The names of its own kind a step reads: fields, values, awards."""
    found: set[str] = set()
    pending = list(nodes(step))
    while pending:
        node = pending.pop()
        match node:
            case ir.Read(name=name):
                found.add(name)
            case ir.Decided(award=award):
                found.add(award)
        pending.extend(children(node))
    return found


def reads_history(plan: Plan) -> bool:
    """Whether any step reads the history (`streak`, `held`, `past`)."""
    pending = [node for step in plan.steps for node in nodes(step)]
    while pending:
        node = pending.pop()
        if isinstance(node, ir.Streak | ir.Held | ir.Past):
            return True
        pending.extend(children(node))
    return False


def nodes(value: object) -> Iterator[ir.Node]:
    """The expressions of a step, through its conditions, parts and keys."""
    if is_node(value):
        yield cast(ir.Node, value)
    elif isinstance(value, tuple):
        for item in value:
            yield from nodes(item)
    elif type(value).__module__ == steps.__name__ and attrs.has(type(value)):
        for field in attrs.fields(cast(type[attrs.AttrsInstance], type(value))):
            yield from nodes(getattr(value, field.name))


__all__ = ["nodes", "over_columns", "reads", "reads_history"]
