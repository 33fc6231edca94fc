"""Small passes over the IR, each a function Plan -> Plan that any engine benefits from.

`fold` computes what the literals alone decide (with the engines' exact arithmetic, so a
folded value is the value an engine would have computed) and `share_paths` computes a
reference path read by several steps once per subject. A pass never changes what an
evaluation reports: its values, its diagnostics and the values each explanation shows.
Passes rewrite what the engines run (`Plan.steps`, `declared`, `rules`), never what the
published document phrases (`Plan.written`, the criteria as written).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import localcontext
from typing import Any

import attrs

from emurules.arithmetic import EXACT, divide
from emurules.plan import ir, steps
from emurules.plan.steps import Award, Let, Plan, Step

Rewrite = Callable[[ir.Node], ir.Node]

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def optimise(plan: Plan) -> Plan:
    """Every pass, in order: what `plan.lower.plan` hands to the engines."""
    return share_paths(fold(plan))


# ---- walking -------------------------------------------------------------------------------
def is_node(value: object) -> bool:
    """An IR expression node (not a type, not a step)."""
    cls = type(value)
    return cls.__module__ == ir.__name__ and cls is not ir.VType and attrs.has(cls)


def children(node: ir.Node) -> list[ir.Node]:
    """A node's sub-expressions in the order of its fields, found from them, so a node
    kind added later is walked without a change here."""
    found: list[ir.Node] = []
    pending: list[object] = [getattr(node, f.name) for f in reversed(attrs.fields(type(node)))]
    while pending:
        value = pending.pop()
        if is_node(value):
            found.append(value)  # type: ignore[arg-type]
        elif isinstance(value, tuple):
            pending.extend(reversed(value))
    return found


def _map(value: Any, rewrite: Rewrite) -> Any:
    """`value` with every node in it rewritten (through tuples and the plan's steps); the
    same object when nothing changed, so untouched parts stay shared."""
    if is_node(value):
        return rewrite(value)
    if isinstance(value, tuple):
        mapped = tuple(_map(v, rewrite) for v in value)
        return value if all(a is b for a, b in zip(mapped, value, strict=True)) else mapped
    if type(value).__module__ == steps.__name__ and attrs.has(type(value)):
        changes = {}
        for field in attrs.fields(type(value)):
            old = getattr(value, field.name)
            new = _map(old, rewrite)
            if new is not old:
                changes[field.name] = new
        return attrs.evolve(value, **changes) if changes else value
    return value


def map_children(node: ir.Node, rewrite: Rewrite) -> ir.Node:
    """`node` with each sub-expression rewritten."""
    changes = {}
    for field in attrs.fields(type(node)):
        old = getattr(node, field.name)
        new = _map(old, rewrite)
        if new is not old:
            changes[field.name] = new
    return attrs.evolve(node, **changes) if changes else node


def map_plan(plan: Plan, rewrite: Rewrite) -> Plan:
    """Every expression of the plan rewritten; a step listed in both `steps` and `declared`
    stays one object."""
    done: dict[int, Step] = {}

    def step(found: Step) -> Step:
        if id(found) not in done:
            done[id(found)] = _map(found, rewrite)
        return done[id(found)]

    return attrs.evolve(
        plan,
        steps=tuple(step(s) for s in plan.steps),
        declared=tuple(step(s) for s in plan.declared),
        rules=_map(plan.rules, rewrite),
    )


# ---- constant folding ----------------------------------------------------------------------
def fold(plan: Plan) -> Plan:
    """Fold constants everywhere in the plan (see `fold_node`)."""
    with localcontext(EXACT):
        return map_plan(plan, fold_node)


def fold_node(node: ir.Node) -> ir.Node:
    """`node` with what its literals decide computed: arithmetic, comparisons, logic and
    choices on literals become literals (`ir.Const`), nested sums and and/or chains are
    flattened, and operands that can never be evaluated are dropped.

    Only what an engine computes the same way for every subject is folded, with the same
    operations: a division by zero stays (it is reported for every subject), and an
    operand that an engine evaluates before a literal decides is kept (it may fail).
    Calls stay as written (their explanations show their values). Run it under the exact
    context (`fold` does)."""
    node = map_children(node, fold_node)
    match node:
        case ir.Sum():
            return _sum(node)
        case ir.Binary(op=op, left=ir.Const() as left, right=ir.Const() as right):
            a, b = _value(left), _value(right)
            if op == "-":
                return _const(node, a - b)
            if op == "*":
                return _const(node, a * b)
            return node if b == 0 else _const(node, divide(a, b))
        case ir.Neg(operand=ir.Const() as operand):
            return _const(node, -_value(operand))
        case ir.Compare(op=op, left=ir.Const() as left, right=ir.Const() as right):
            a, b = _value(left), _value(right)
            if left.type.kind == "enum" and right.type.kind == "enum":
                a, b = a.index, b.index
            return _const(node, bool(_COMPARE[op](a, b)))
        case ir.Logic(op="implies", operands=(ir.Const() as left, right)):
            if left.value is not True:
                return _const(node, True)
            return _logic(attrs.evolve(node, op="and", operands=(right,)))
        case ir.Logic(op="and" | "or"):
            return _logic(node)
        case ir.Not(operand=ir.Const() as operand):
            return _const(node, operand.value is not True)
        case ir.IsMissing(operand=ir.Const(), negated=negated):
            return _const(node, negated)
        case ir.Coalesce(operands=operands):
            for position, part in enumerate(operands):
                if isinstance(part, ir.Const):
                    if position == 0:
                        return _const(node, part.value)
                    return attrs.evolve(node, operands=operands[: position + 1])
            return node
        case ir.InSet(operand=ir.Const() as operand, items=items, negated=negated) if all(
            isinstance(i, ir.Const) for i in items
        ):
            found = any(_value(operand) == _value(i) for i in items)
            return _const(node, found != negated)
        case ir.InRange(
            operand=ir.Const() as operand, low=ir.Const() as low, high=ir.Const() as high
        ):
            value = _value(operand)
            inside = bool(value >= _value(low) and value <= _value(high))
            return _const(node, inside != node.negated)
        case ir.Branches():
            return _branches(node)
        case ir.Match():
            return _match(node)
        case _:
            return node


def _value(node: ir.Node) -> Any:
    """A literal's value (the caller knows it is a literal)."""
    assert isinstance(node, ir.Const)
    return node.value


def _const(node: ir.Node, value: Any) -> ir.Const:
    """The literal a folded node stands for, with the node's type and place."""
    return ir.Const(value=value, type=node.type, span=node.span)


def _total(literals: list[ir.Const]) -> Any:
    """Literals added up left to right, as an engine adds a sum's operands."""
    total: Any = literals[0].value
    for literal in literals[1:]:
        total = total + literal.value
    return total


def _sum(node: ir.Sum) -> ir.Node:
    """Exact addition is associative, so nested sums flatten and their literals add up
    into one, where the first one stood."""
    flat: list[ir.Node] = []
    for operand in node.operands:
        flat.extend(operand.operands if isinstance(operand, ir.Sum) else (operand,))
    literals = [o for o in flat if isinstance(o, ir.Const)]
    if len(literals) == len(flat):
        return _const(node, _total(literals))
    if len(literals) > 1:
        first = next(i for i, o in enumerate(flat) if o is literals[0])
        flat = [o for o in flat if not isinstance(o, ir.Const)]
        flat.insert(first, _const(literals[0], _total(literals)))
    if len(flat) == len(node.operands) and all(
        a is b for a, b in zip(flat, node.operands, strict=True)
    ):
        return node
    return attrs.evolve(node, operands=tuple(flat))


def _logic(node: ir.Logic) -> ir.Node:
    """`and`/`or` stop at the first operand that decides: a literal that decides ends the
    chain (what follows is never evaluated), one that does not is skipped."""
    deciding = node.op == "or"  # the value that decides the chain
    kept: list[ir.Node] = []
    for operand in node.operands:
        if isinstance(operand, ir.Logic) and operand.op == node.op:
            parts: tuple[ir.Node, ...] = operand.operands
        else:
            parts = (operand,)
        for part in parts:
            if not isinstance(part, ir.Const):
                kept.append(part)
            elif (part.value is True) == deciding:
                if not kept:
                    return _const(node, deciding)
                kept.append(part)
                return attrs.evolve(node, operands=tuple(kept))
    if not kept:
        return _const(node, not deciding)
    if len(kept) == len(node.operands) and all(
        a is b for a, b in zip(kept, node.operands, strict=True)
    ):
        return node
    return attrs.evolve(node, operands=tuple(kept))


def _branches(node: ir.Branches) -> ir.Node:
    """Branches whose condition is a literal: false ones are dropped, a true one ends the
    chain as its default."""
    kept: list[tuple[ir.Node, ir.Node]] = []
    default = node.default
    for test, value in node.branches:
        if not isinstance(test, ir.Const):
            kept.append((test, value))
        elif test.value is True:
            default = value
            break
    if not kept:
        return _const(node, default.value) if isinstance(default, ir.Const) else default
    if len(kept) == len(node.branches) and default is node.default:
        return node
    return attrs.evolve(node, branches=tuple(kept), default=default)


def _match(node: ir.Match) -> ir.Node:
    """A case on a literal, whose patterns up to the one that matches are literals, is the
    value of that arm (when it is a literal too)."""
    if not isinstance(node.subject, ir.Const):
        return node
    chosen: ir.Node | None = node.default
    for pattern, value in node.arms:
        if not isinstance(pattern, ir.Const):
            return node
        if node.subject.value == pattern.value:
            chosen = value
            break
    return _const(node, chosen.value) if isinstance(chosen, ir.Const) else node


# ---- sharing reference paths ---------------------------------------------------------------
def shared_name(path: ir.Path) -> str:
    """The name a shared path's value is kept under: its text, which no declared name can
    be (it holds a dot), so explanations that name it read the same."""
    return path.text


def share_paths(plan: Plan) -> Plan:
    """A path `ref.name` that the steps of a kind read more than once is computed once per
    subject, by a `Let` step (named after the path's text) placed just before the first
    step that reads it; every reading becomes a `Read` of it. The new steps are in
    `plan.steps` only: `plan.declared`, what the criteria file declares, is unchanged.

    Only a path whose base is a name of the subject is shared (it cannot fail, and its
    value is ready whenever a step that reads it runs), never one that gives a relation.
    Conditions keep their paths: their explanations show the reference read on the way.
    A quota's paths are evaluated for a group and data rules before any step, so neither
    is touched."""
    counts: dict[tuple[str, ir.Path], int] = {}
    first: dict[tuple[str, ir.Path], int] = {}
    for position, step in enumerate(plan.steps):
        for kind, expr in _shareable(step):
            for found in _paths(expr, kind):
                counts[found] = counts.get(found, 0) + 1
                first.setdefault(found, position)
    chosen = {found for found, count in counts.items() if count > 1}
    names: dict[tuple[str, str], ir.Path] = {}
    for kind, path in chosen:
        names.setdefault((kind, shared_name(path)), path)
    chosen = {(kind, path) for (kind, _), path in names.items()}
    if not chosen:
        return plan
    added: dict[int, list[Step]] = {}
    for kind, path in sorted(chosen, key=lambda found: (first[found], found[1].text)):
        let = Let(kind=kind, name=shared_name(path), label=None, expr=path)
        added.setdefault(first[(kind, path)], []).append(let)
    new_steps: list[Step] = []
    done: dict[int, Step] = {}
    for position, step in enumerate(plan.steps):
        new_steps.extend(added.get(position, ()))
        done[id(step)] = _share(step, chosen)
        new_steps.append(done[id(step)])
    return attrs.evolve(
        plan, steps=tuple(new_steps), declared=tuple(done.get(id(s), s) for s in plan.declared)
    )


def _shareable(step: Step) -> list[tuple[str, ir.Node]]:
    """The expressions of a step whose paths may be shared, with the kind they read."""
    if isinstance(step, Award):
        found = [k.expr for k in step.rank_by]
        if step.within is not None:
            found.append(step.within)
        return [(step.kind, e) for e in found]
    exprs = [getattr(step, name, None) for name in ("expr", "where", "within")]
    exprs += [k.expr for k in getattr(step, "keys", ())]
    return [(step.kind, e) for e in exprs if e is not None]


def _is_shareable(node: ir.Path) -> bool:
    return isinstance(node.base, ir.Read) and node.what != "relation"


def _paths(node: ir.Node, kind: str) -> list[tuple[str, ir.Path]]:
    """The shareable paths in an expression evaluated for subjects of `kind`; the body of
    an aggregate is evaluated for the members. A node kind not known here is not entered:
    it may evaluate its parts for other subjects."""
    found: list[tuple[str, ir.Path]] = []
    pending = [(node, kind)]
    while pending:
        current, of = pending.pop()
        if isinstance(current, ir.Path) and _is_shareable(current):
            found.append((of, current))
        elif isinstance(current, ir.Aggregate):
            pending.append((current.members, of))
            if current.body is not None:
                pending.append((current.body, current.member))
        elif isinstance(current, _ENTERED):
            pending.extend((child, of) for child in children(current))
    return found


_ENTERED = (
    ir.Path, ir.Sum, ir.Binary, ir.Neg, ir.Compare, ir.Logic, ir.Not, ir.Coalesce, ir.InSet,
    ir.InRange, ir.IsMissing, ir.Branches, ir.Match, ir.Function,
)  # fmt: skip


def _share(step: Step, chosen: set[tuple[str, ir.Path]]) -> Step:
    """A step with each chosen path it reads replaced by a `Read` of the shared value."""
    if isinstance(step, Award):
        return attrs.evolve(
            step,
            rank_by=tuple(
                attrs.evolve(k, expr=_replace(k.expr, step.kind, chosen)) for k in step.rank_by
            ),
            within=None if step.within is None else _replace(step.within, step.kind, chosen),
        )
    changes: dict[str, Any] = {}
    for name in ("expr", "where", "within"):
        value = getattr(step, name, None)
        if value is not None:
            changes[name] = _replace(value, step.kind, chosen)
    if hasattr(step, "keys"):
        changes["keys"] = tuple(
            attrs.evolve(k, expr=_replace(k.expr, step.kind, chosen)) for k in step.keys
        )
    return attrs.evolve(step, **changes)


def _replace(node: ir.Node, kind: str, chosen: set[tuple[str, ir.Path]]) -> ir.Node:
    if isinstance(node, ir.Path) and (kind, node) in chosen:
        return ir.Read(name=shared_name(node), computed=True, type=node.type, span=node.span)
    if isinstance(node, ir.Aggregate):
        members = _replace(node.members, kind, chosen)
        body = None if node.body is None else _replace(node.body, node.member, chosen)
        if members is node.members and body is node.body:
            return node
        return attrs.evolve(node, members=members, body=body)
    if isinstance(node, _ENTERED):
        return map_children(node, lambda child: _replace(child, kind, chosen))
    return node
