"""Expressions in plain words, for the published document (`emurules doc`)."""

from __future__ import annotations

from emurules.syntax import ast
from emurules.syntax.printer import expr as formula

_COMPARE = {"==": "is", "!=": "is not", ">=": "is at least", "<=": "is at most",
            ">": "is more than", "<": "is less than"}  # fmt: skip
_ORDERED_COMPARE = {">=": "or above", "<=": "or below"}


def words(node: ast.Expr) -> str:
    """A reading of an expression a policy writer would say aloud."""
    match node:
        case ast.Compare(op=op, left=left, right=right):
            if (
                op in _ORDERED_COMPARE
                and isinstance(right, ast.Name | ast.Path)
                and not (isinstance(left, ast.Call))
            ):
                # an enum value on the right reads best as "good or above"
                return f"{words(left)} is {words(right)} {_ORDERED_COMPARE[op]}"
            return f"{words(left)} {_COMPARE[op]} {words(right)}"
        case ast.Logic(op="implies", left=left, right=right):
            return f"if {words(left)}, then {words(right)}"
        case ast.Logic(op=op, left=left, right=right):
            return f"{words(left)} {op} {words(right)}"
        case ast.Not(operand=operand):
            return f"not ({words(operand)})"
        case ast.IsMissing(operand=operand, negated=negated):
            return f"{words(operand)} is {'given' if negated else 'missing'}"
        case ast.Member(operand=operand, target=ast.SetLit(items=items), negated=negated):
            listed = ", ".join(words(i) for i in items)
            return f"{words(operand)} is {'not ' if negated else ''}one of {listed}"
        case ast.Member(operand=operand, target=ast.RangeLit(low=low, high=high), negated=neg):
            return (
                f"{words(operand)} is {'not ' if neg else ''}between {words(low)} and {words(high)}"
            )
        case ast.Coalesce(value=value, fallback=fallback):
            return f"{words(value)} (or {words(fallback)} when missing)"
        case ast.Conditional(then=then, cond=cond, otherwise=otherwise):
            return f"{words(then)} if {words(cond)}, otherwise {words(otherwise)}"
        case ast.Call(func=func, args=args):
            return _call(func.text, [a.value for a in args]) or formula(node)
        case ast.Arith(op=op, left=left, right=right):
            symbol = {"*": "×", "/": "÷"}.get(op, op)
            return f"{_operand(left, op)} {symbol} {_operand(right, op)}"
        case _:
            return formula(node)


def _operand(node: ast.Expr, op: str) -> str:
    """An arithmetic operand, in parentheses when its words would run into the operator."""
    text = words(node)
    loose = ast.Conditional | ast.Logic | ast.Compare | ast.Coalesce
    weaker = isinstance(node, ast.Arith) and node.op in "+-" and op in "*/-"
    return f"({text})" if isinstance(node, loose) or weaker else text


def _call(name: str, args: list[ast.Expr]) -> str | None:
    first = words(args[0]) if args else ""
    rest = words(args[1]) if len(args) > 1 else ""
    match name, len(args):
        case "all", 2:
            return f"every one of {first}: {rest}"
        case "any", 2:
            return f"at least one of {first}: {rest}"
        case "none", 2:
            return f"none of {first}: {rest}"
        case "share", 2:
            return f"the share of {first} where {rest}"
        case "count", 1:
            return f"the number of {first}"
        case "count", 2:
            return f"the number of {first} where {rest}"
        case "sum", 2:
            return f"the total of {rest} over {first}"
        case "avg", 2:
            return f"the average of {rest} over {first}"
        case "streak", 1:
            return f"the consecutive years up to this one with {first}"
        case "streak", 2:
            return f"the consecutive years up to last year with {first}"
        case "held", 2:
            return (
                f"how many of the {words(args[1]).removeprefix('last ')} previous years had {first}"
            )
        case "past", 2:
            return f"{first} {rest} year(s) ago"
        case "floor", 1:
            return f"{first}, rounded down"
        case "ceil", 1:
            return f"{first}, rounded up"
        case _:
            return None
