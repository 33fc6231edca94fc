"""The fairness checks' declarations: what `check monotone`, `ignores` and `local` name
must exist and be something the test runner can move.

Apart from decls.py, which checks the declarations that compute: a check computes
nothing, it names fields, relations and values that `emurules test` changes and watches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emurules.check import types as t
from emurules.check.scope import SubjectInfo, Symbol
from emurules.check.typecheck import Ctx
from emurules.i18n import Message, message
from emurules.suggest import suggest
from emurules.syntax import ast

if TYPE_CHECKING:
    from emurules.check.decls import DeclChecker

# What `check monotone X` may watch: a value or a title of the kind.
_TARGETS = ("score", "criterion", "bonus", "penalty", "let", "award")


def movable(found: t.Type) -> bool:
    """May `check monotone` raise a field of this type: a number, an ordered enum (to a
    later value) or true/false (from false to true)?"""
    return (
        not found.known
        or found.numeric
        or found.kind == "bool"
        or (found.kind == "enum" and found.ordered)
    )


def monotone(checker: DeclChecker, decl: ast.MonotoneCheck) -> None:
    info = checker.tables.subjects.get(decl.subject.text)
    if info is None:
        return
    target = info.names.get(decl.target.text)
    if target is None or target.kind not in _TARGETS:
        checker.report(
            "E0201",
            message("check.monotone-target", subject=decl.subject.text, name=decl.target.text),
            decl.target.span,
            hint=suggest(decl.target.text, info.names),
        )
    else:
        checker.typer.read(target.subject, target.name)
    for move in decl.fields:
        if move.history or move.name is None:
            _history(checker, decl, info, move)
        elif move.relation is not None:
            _member_field(checker, decl, info, move.relation, move.name)
        else:
            _field(checker, info, move.name, decl.subject.text, monotone=True)


def _history(
    checker: DeclChecker, decl: ast.MonotoneCheck, info: SubjectInfo, move: ast.MonotoneField
) -> None:
    """Titles of earlier years can only be held when the kind has an award."""
    if not info.names_of("award"):
        checker.report(
            "E0311",
            message("check.monotone-history", subject=decl.subject.text),
            move.span,
            hint=message("check.monotone-history-hint"),
        )


def _member_field(
    checker: DeclChecker,
    decl: ast.MonotoneCheck,
    info: SubjectInfo,
    relation: ast.Ident,
    name: ast.Ident,
) -> None:
    """`members.task`: a relation of the kind, and a field its members can raise."""
    kind = decl.subject.text
    symbol = info.names.get(relation.text)
    relations = info.names_of("relation")
    if symbol is None:
        checker.report(
            "E0201",
            message("check.no-relation", subject=kind, name=relation.text),
            relation.span,
            hint=suggest(relation.text, relations),
        )
        return
    if symbol.kind != "relation" or symbol.type is None or symbol.type.name is None:
        checker.report(
            "E0219",
            message(
                "check.monotone-not-relation",
                name=relation.text,
                what=symbol.describe,
                subject=kind,
            ),
            relation.span,
            hint=_not_relation_hint(symbol, kind, relations),
        )
        return
    member = checker.tables.subjects.get(symbol.type.name)
    if member is not None:
        _field(checker, member, name, symbol.type.name, monotone=True, code="E0210")


def _not_relation_hint(symbol: Symbol, kind: str, relations: list[str]) -> Message:
    """A reference (`unit.task`) points the other way from a relation: say how to turn it
    round; anything else gets the kind's relations, or how to declare one."""
    found = symbol.type
    if found is not None and found.kind == "ref" and found.name is not None:
        return message(
            "check.monotone-reference-hint", name=symbol.name, owner=found.name, subject=kind
        )
    close = suggest(symbol.name, relations)
    if close is not None:
        return close
    if relations:
        return message("check.monotone-relations", subject=kind, names=tuple(relations))
    return message("check.monotone-no-relations", subject=kind)


def _field(
    checker: DeclChecker,
    info: SubjectInfo,
    name: ast.Ident,
    kind: str,
    *,
    monotone: bool,
    code: str = "E0201",
) -> None:
    """`name` must be an input field of `kind`; one `check monotone` raises must be
    movable."""
    symbol = info.names.get(name.text)
    if symbol is not None and symbol.kind != "field":
        checker.report(
            code,
            message("check.check-not-field", what=symbol.describe, subject=kind),
            name.span,
        )
    elif symbol is None:
        checker.report(
            code,
            message("check.no-field", subject=kind, name=name.text),
            name.span,
            hint=suggest(name.text, info.names_of("field")),
        )
    elif monotone and symbol.type is not None and not movable(symbol.type):
        checker.report(
            "E0311",
            message("check.monotone-field", name=name.text, found=symbol.type.describe),
            name.span,
            hint=message("check.monotone-enum-hint", enum=f"{symbol.type.name}")
            if symbol.type.kind == "enum"
            else None,
        )


def ignores(checker: DeclChecker, decl: ast.IgnoresCheck) -> None:
    info = checker.tables.subjects.get(decl.subject.text)
    if info is None:
        return
    for name in decl.fields:
        _field(checker, info, name, decl.subject.text, monotone=False)


def local(checker: DeclChecker, decl: ast.LocalCheck) -> None:
    """`within G` names a group as an award's `within` does."""
    if decl.subject.text in checker.tables.subjects:
        checker.within(decl.within, Ctx(decl.subject.text))
