"""What a condition proves present: `x is not missing and ...` guards `x` after it."""

from __future__ import annotations

from emurules.syntax import ast

Guards = frozenset[ast.Expr]
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


def proven(cond: ast.Expr, truth: bool, memo: Proofs | None = None) -> Guards:
    """Expressions known to be present when `cond` evaluates to `truth`.

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
            memo[(node, want)] = (
                frozenset({node.operand})
                if isinstance(node, ast.IsMissing) and node.negated == want
                else frozenset()
            )
        elif ready:
            memo[(node, want)] = frozenset().union(*(memo[part] for part in parts))
        else:
            stack.append((node, want, True))
            stack.extend((part, part_truth, False) for part, part_truth in parts)
    return memo[(cond, truth)]
