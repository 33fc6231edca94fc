"""A ratio scaled to a hundred, compared with a percentage (W0104).

Reviewers found `100 * count(members, fighter) / count(members) >= 70%`: a percentage is
a fraction of 1 (70% is 0.7), so the ratio times 100 passes it almost always. Types do not
catch it (both sides are numbers); the literal 100 (or a division by 0.01) does.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from emurules.i18n import message
from emurules.syntax import ast
from emurules.syntax.printer import expr as show

if TYPE_CHECKING:
    from emurules.check.typecheck import Typer

_HUNDRED = Decimal(100)
_HUNDREDTH = Decimal("0.01")


def _literal(node: ast.Expr) -> Decimal | None:
    match node:
        case ast.IntLit(value=value):
            return Decimal(value)
        case ast.NumberLit(value=value):
            return value
        case _:
            return None


def hundredfold(node: ast.Expr) -> str | None:
    """`* 100` or `/ 0.01` when the product `node` scales by a hundred, else None.

    The factors of a product are walked with a loop: `a * 100 / b` is `(a * 100) / b`."""
    stack = [node] if isinstance(node, ast.Arith) and node.op in ("*", "/") else []
    while stack:
        current = stack.pop()
        assert isinstance(current, ast.Arith)
        factors = [current.left, current.right] if current.op == "*" else [current.left]
        if current.op == "/" and _literal(current.right) == _HUNDREDTH:
            return "/ " + show(current.right)
        for factor in factors:
            if current.op == "*" and _literal(factor) == _HUNDRED:
                return "* " + show(factor)
            if isinstance(factor, ast.Arith) and factor.op in ("*", "/"):
                stack.append(factor)
    return None


def compare(typer: Typer, node: ast.Compare) -> None:
    """Warn when one side of `node` scales by a hundred and the other is a percentage."""
    for scaled, percent in ((node.left, node.right), (node.right, node.left)):
        factor = hundredfold(scaled)
        if factor is None or not typer.percent_like(percent):
            continue
        if isinstance(percent, ast.PercentLit):
            fraction = format(percent.fraction.normalize(), "f")
            hint = message(
                "check.hundredfold-literal-hint",
                percent=show(percent),
                fraction=fraction,
                factor=factor,
            )
        else:
            hint = message("check.hundredfold-hint", factor=factor)
        typer.report(
            "W0104",
            message("check.hundredfold", scaled=show(scaled), percent=show(percent)),
            node.span,
            severity="warning",
            hint=hint,
        )
        return
