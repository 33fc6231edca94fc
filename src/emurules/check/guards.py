"""What a condition proves: `x is not missing and ...` guards `x` after it, and the parts of
the condition known true or false there (`Fact`s), which data rules' guarantees need."""

from __future__ import annotations

import attrs

from emurules.syntax import ast


@attrs.frozen
class Fact:
    """A condition known to have evaluated to `truth` where a guard holds: a leaf of the
    condition (no `and`, `or` or `not` at its top). Never equal to an expression, so a set
    of guards holds both without confusion."""

    expr: ast.Expr
    truth: bool


Guards = frozenset[ast.Expr | Fact]
Proofs = dict[tuple[ast.Expr, bool], Guards]


def _proof_parts(cond: ast.Expr, truth: bool) -> list[tuple[ast.Expr, bool]] | None:
    """What `cond` being `truth` proves, as the parts it combines (None: `cond` is a leaf)."""
    match cond:
        case ast.Logic(op="and", left=left, right=right) if truth:
            return [(left, True), (right, True)]
        case ast.Logic(op="or", left=left, right=right) if not truth:
            return [(left, False), (right, False)]
        case ast.Not(operand=operand):
            return [(operand, not truth)]
        case _:
            return None


def _leaf(node: ast.Expr, truth: bool, known: bool) -> Guards:
    present: set[ast.Expr | Fact] = {Fact(node, truth)} if known else set()
    if isinstance(node, ast.IsMissing) and node.negated == truth:
        present.add(node.operand)
    return frozenset(present)


def proven(
    cond: ast.Expr, truth: bool, memo: Proofs | None = None, *, known: bool = True
) -> Guards:
    """Expressions known to be present, and facts known (unless `known` is false, when no
    one reads them), when `cond` evaluates to `truth`.

    A loop rather than recursion, so that a chain of 2,000 `and`s is proved; `memo` keeps
    the proofs of sub-conditions, so that typing every link of such a chain, which asks
    for the proof of everything to its left, stays linear.
    """
    memo = {} if memo is None else memo
    stack: list[tuple[ast.Expr, bool, bool]] = [(cond, truth, False)]
    while stack:
        node, want, ready = stack.pop()
        if (node, want) in memo:
            continue
        parts = _proof_parts(node, want)
        if parts is None:
            memo[(node, want)] = _leaf(node, want, known)
        elif ready:
            memo[(node, want)] = frozenset().union(*(memo[part] for part in parts))
        else:
            stack.append((node, want, True))
            stack.extend((part, part_truth, False) for part, part_truth in parts)
    return memo[(cond, truth)]


def facts(guards: Guards) -> list[Fact]:
    """The facts among a scope's guards."""
    return [g for g in guards if isinstance(g, Fact)]
