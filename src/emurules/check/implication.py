"""Whether the facts known in a scope imply a condition, read off the text only.

Deliberately syntactic (docs/language.md, "Guarantees of data rules"), so that a writer can
predict it: the same comparison, a part of an `and`, an `in` set from `==` or a smaller
set (and `==` from a set of one), an `or` from either side, `not A` from `A` known false.
Nothing about numbers, ranges or `!=`: `size > 10` does not give `size > 5`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from emurules.check.guards import Fact
from emurules.check.scope import Tables
from emurules.syntax import ast

_SYMMETRIC = frozenset({"==", "!="})


def conjuncts(cond: ast.Expr) -> Iterator[ast.Expr]:
    """The parts of the `and`s at the top of `cond`, left to right (a loop: a chain of
    2,000 `and`s is no deeper a problem here than anywhere else)."""
    stack = [cond]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Logic) and node.op == "and":
            stack.extend((node.right, node.left))
        else:
            yield node


class Implication:
    """Implication among conditions of one subject kind, where names are read."""

    def __init__(self, tables: Tables, kind: str) -> None:
        info = tables.subjects.get(kind)
        self._names = info.names if info is not None else {}
        self._enums = tables.enums
        self._values = tables.enum_values

    def holds(self, cond: ast.Expr, known: Iterable[Fact]) -> bool:
        """Whether each part of `cond`'s top `and`s is implied by one of the facts."""
        facts = list(known)
        return all(any(self._gives(f, part) for f in facts) for part in conjuncts(cond))

    def _gives(self, fact: Fact, atom: ast.Expr) -> bool:
        """Whether `fact` implies `atom` (an `or` of the atom: either side implied)."""
        stack = [atom]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Logic) and node.op == "or":
                stack.extend((node.left, node.right))
            elif self._one(fact, node):
                return True
        return False

    def _one(self, fact: Fact, atom: ast.Expr) -> bool:
        if not fact.truth:
            return isinstance(atom, ast.Not) and self._same(fact.expr, atom.operand)
        if self._same(fact.expr, atom):
            return True
        match fact.expr, atom:
            case (
                ast.Compare(op="==") as known,
                ast.Member(negated=False, target=ast.SetLit(items=items)) as member,
            ):
                value = self._compared(known, member.operand)
                return value is not None and any(self._same(value, i) for i in items)
            case (
                ast.Member(negated=False, target=ast.SetLit(items=(one,))) as known,
                ast.Compare(op="==") as compare,
            ):
                value = self._compared(compare, known.operand)
                return value is not None and self._same(value, one)
            case (
                ast.Member(negated=False, target=ast.SetLit(items=small)) as known,
                ast.Member(negated=False, target=ast.SetLit(items=large)) as member,
            ):
                return self._same(known.operand, member.operand) and all(
                    any(self._same(s, b) for b in large) for s in small
                )
            case _:
                return False

    def _compared(self, compare: ast.Compare, operand: ast.Expr) -> ast.Expr | None:
        """The other side of `compare` when one side is `operand`."""
        if self._same(compare.left, operand):
            return compare.right
        if self._same(compare.right, operand):
            return compare.left
        return None

    def _same(self, a: ast.Expr, b: ast.Expr) -> bool:
        """Equal as written, an enum value written bare or with its enum, and `==` or `!=`
        either way round."""
        if a == b:
            return True
        match a, b:
            case ast.Compare(op=op), ast.Compare(op=other) if op == other:
                straight = self._same(a.left, b.left) and self._same(a.right, b.right)
                return straight or (
                    op in _SYMMETRIC and self._same(a.left, b.right) and self._same(a.right, b.left)
                )
            case _:
                value = self._enum_value(a)
                return value is not None and value == self._enum_value(b)

    def _enum_value(self, node: ast.Expr) -> str | None:
        """The enum value `node` names (`province`, `tier.province`), or None."""
        match node:
            case ast.Name(name=name) if name not in self._names and name in self._values:
                return name
            case ast.Path(base=ast.Name(name=enum), attr=attr) if (
                enum in self._enums and enum not in self._names
            ):
                return attr.text
            case _:
                return None
