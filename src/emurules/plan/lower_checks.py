"""The fairness checks as the plan carries them, for `emurules test` and the document.

A check computes nothing: it names what the test runner changes (fields, members' fields,
history, groups) and what it watches. Only `check local`'s group is an expression, lowered
as an award's `within` is.
"""

from __future__ import annotations

from collections.abc import Callable

from emurules.check.model import Model
from emurules.plan import ir
from emurules.plan.steps import (
    EqualTreatmentCheck,
    IgnoresCheck,
    LocalCheck,
    MonotoneCheck,
    MonotoneField,
    OrderCheck,
    Written,
)
from emurules.syntax import ast
from emurules.syntax.printer import expr as show

CheckDecl = (
    ast.MonotoneCheck | ast.OrderCheck | ast.IgnoresCheck | ast.EqualTreatmentCheck | ast.LocalCheck
)
Lower = Callable[[ast.Expr, str], ir.Node]


def lower_check(model: Model, decl: CheckDecl, lower: Lower) -> Written:
    """One check declaration of a checked model as its plan step; `lower` lowers an
    expression read on a subject of a kind (`Lowering.expr`)."""
    match decl:
        case ast.MonotoneCheck():
            return monotone(model, decl)
        case ast.OrderCheck():
            return OrderCheck(span=decl.span)
        case ast.IgnoresCheck(fields=fields, subject=subject):
            return IgnoresCheck(
                kind=subject.text, fields=tuple(f.text for f in fields), span=decl.span
            )
        case ast.EqualTreatmentCheck(subject=subject):
            return EqualTreatmentCheck(kind=subject.text, span=decl.span)
        case ast.LocalCheck(within=within, subject=subject):
            return LocalCheck(
                kind=subject.text,
                within=lower(within, subject.text),
                within_text=show(within),
                span=decl.span,
            )


def monotone(model: Model, decl: ast.MonotoneCheck) -> MonotoneCheck:
    kind = decl.subject.text
    names = model.tables.subjects[kind].names
    moves: list[MonotoneField] = []
    for move in decl.fields:
        if move.history or move.name is None:
            moves.append(MonotoneField(name=None, history=True))
        elif move.relation is not None:
            relation = names[move.relation.text].type
            member = relation.name if relation is not None else None
            moves.append(
                MonotoneField(
                    name=move.name.text,
                    decreasing=move.decreasing,
                    relation=move.relation.text,
                    member=member,
                )
            )
        else:
            moves.append(MonotoneField(name=move.name.text, decreasing=move.decreasing))
    own = tuple(
        (m.name, m.decreasing)
        for m in moves
        if m.name is not None and m.relation is None and not m.history
    )
    return MonotoneCheck(
        kind=kind, target=decl.target.text, fields=own, moves=tuple(moves), span=decl.span
    )
