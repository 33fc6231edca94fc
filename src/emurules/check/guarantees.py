"""What data rules guarantee present: `require ... for K: C implies x is not missing`.

Data rules are checked on every record before anything is computed, and a record that
breaks one is refused (D0103), so where `C` is known to hold in a scope of kind `K`, `x` is
never missing and needs no `?? 0` (docs/language.md, "Guarantees of data rules").
"""

from __future__ import annotations

import attrs

from emurules.check.guards import Guards, facts, proven
from emurules.check.implication import Implication, conjuncts
from emurules.check.scope import Tables
from emurules.i18n import Message, message
from emurules.syntax import ast
from emurules.syntax.printer import expr as show


@attrs.frozen
class Guarantee:
    """`present` is never missing where `condition` holds (None: everywhere)."""

    rule: ast.RuleDecl
    present: ast.Expr
    condition: ast.Expr | None


def rule_guarantees(rule: ast.RuleDecl) -> list[Guarantee]:
    """What one rule guarantees: each part of the `and`s at its top that is `x is not
    missing` (everywhere) or `C implies ...` (what its right side proves, where `C`)."""
    found: list[Guarantee] = []
    for part in conjuncts(rule.expr):
        if isinstance(part, ast.Logic) and part.op == "implies":
            condition: ast.Expr | None = part.left
            proof = proven(part.right, True)
        else:
            condition, proof = None, proven(part, True)
        found.extend(Guarantee(rule, e, condition) for e in proof if isinstance(e, ast.Expr))
    return found


class Guarantees:
    """The guarantees of a module's data rules, by subject kind."""

    def __init__(self, tables: Tables) -> None:
        self._tables = tables
        self._of: dict[str, dict[ast.Expr, list[Guarantee]]] = {}
        self._implications: dict[str, Implication] = {}
        for rule in tables.rules:
            by_value = self._of.setdefault(rule.subject.text, {})
            for guarantee in rule_guarantees(rule):
                by_value.setdefault(guarantee.present, []).append(guarantee)
        self.conditional = any(
            g.condition is not None
            for by_value in self._of.values()
            for found in by_value.values()
            for g in found
        )

    def _implication(self, kind: str) -> Implication:
        found = self._implications.get(kind)
        if found is None:
            found = self._implications[kind] = Implication(self._tables, kind)
        return found

    def covers(self, node: ast.Expr, kind: str, guards: Guards) -> bool:
        """Whether a rule guarantees `node` in a scope of `kind` that knows `guards`."""
        candidates = self._of.get(kind, {}).get(node, ())
        if not candidates:
            return False
        if any(g.condition is None for g in candidates):
            return True
        known = facts(guards)
        implication = self._implication(kind)
        return any(
            g.condition is not None and implication.holds(g.condition, known) for g in candidates
        )

    def unguarded_hint(self, node: ast.Expr, kind: str | None, fallback: str) -> Message:
        """The hint of E0302 on `node` in a scope of `kind` (None: no rule reaches it, as
        in a quota): the rule that guarantees `node` under a condition the scope did not
        imply, with that condition, else the usual fallback or guard."""
        text = show(node)
        candidates = self._of.get(kind, {}).get(node, ()) if kind is not None else ()
        near = next((g for g in candidates if g.condition is not None), None)
        if near is None or near.condition is None:
            return message("check.unguarded-hint", formula=text, fallback=fallback)
        return message(
            "check.near-guarantee-hint",
            rule=near.rule.label,
            formula=text,
            condition=show(near.condition),
            fallback=fallback,
        )
