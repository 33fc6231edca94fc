"""Lark parse tree -> AST, part one: tokens, numbers and expressions.

`ExprBuilder` turns the grammar's expression rules (and the tokens every rule reads:
names, labels, numbers, dates) into AST nodes; `build.Builder` adds the declarations on
top of it. Mistakes the grammar lets through (an impossible date, a number no engine holds
exactly, `else` before the last arm) are collected as diagnostics, not raised, so that one
pass reports every one of them.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any, cast

import lark
from lark import Token

from emurules.i18n import Message, message
from emurules.limits import (
    LONGEST_TEXT,
    MAX_FRACTION_DIGITS,
    MAX_WHOLE_DIGITS,
    beyond_limits,
    fraction,
    short,
)
from emurules.source import Diagnostic, Source, Span
from emurules.syntax import ast

_ESCAPE = re.compile(r"\\(.)")


def unquote(token: str) -> str:
    r"""The text of a quoted label: `\"` and `\\` stand for `"` and `\`."""
    return _ESCAPE.sub(r"\1", token[1:-1])


class ExprBuilder(lark.visitors.Transformer_NonRecursive[Token, Any]):
    """Turns each expression rule into its AST node, children first, with a loop rather
    than recursion: a sum of 5,000 terms is a parse tree 5,000 levels deep."""

    def __init__(self, source: Source) -> None:
        super().__init__(visit_tokens=False)
        self.source = source
        self.diagnostics: list[Diagnostic] = []

    # ---- helpers ----------------------------------------------------------------------
    def _span(self, meta: Any) -> Span | None:
        if getattr(meta, "empty", True):
            return None
        return self.source.span(meta.start_pos, meta.end_pos)

    def _tspan(self, token: Token) -> Span:
        start = token.start_pos or 0
        return self.source.span(start, token.end_pos or start + len(token))

    def _ident(self, token: Token) -> ast.Ident:
        return ast.Ident(text=str(token), span=self._tspan(token))

    def _label(self, token: Token | None) -> str | None:
        return None if token is None else unquote(token)

    def _error(
        self, code: str, text: Message, span: Span | None, hint: Message | None = None
    ) -> None:
        self.diagnostics.append(Diagnostic(code=code, message=text, span=span, hint=hint))

    def _decimal(self, token: Token, percent: bool = False) -> Decimal:
        """A number written in the criteria; one beyond what engines hold exactly is an
        error here, before anything prints or converts it (0 stands in for it)."""
        text = str(token)[:-1] if percent else str(token)
        value = Decimal(text) if len(text) <= LONGEST_TEXT else Decimal(10) ** LONGEST_TEXT
        problem = beyond_limits(fraction(value) if percent else value)
        if problem is not None:
            self._error(
                "E0313",
                message("syntax.number-beyond-limits", number=short(str(token)), problem=problem),
                self._tspan(token),
                hint=message(
                    "syntax.number-limits-hint",
                    whole=MAX_WHOLE_DIGITS,
                    fraction=MAX_FRACTION_DIGITS,
                ),
            )
            return Decimal(0)
        return value

    def _whole(self, token: Token) -> int:
        return int(self._decimal(token))

    # ---- expressions ------------------------------------------------------------------
    @lark.v_args(meta=True)
    def value(self, meta: Any, children: list[Any]) -> ast.Expr:
        """A value written out in a declaration (a default, a bound, a record's field)."""
        if len(children) == 2:
            return ast.Neg(operand=children[1], span=self._span(meta))
        child = children[0]
        if isinstance(child, Token):
            return ast.Name(name=str(child), span=self._tspan(child))
        return cast(ast.Expr, child)

    @lark.v_args(meta=True)
    def literal(self, meta: Any, children: list[Token]) -> ast.Expr:
        token = children[0]
        span = self._tspan(token)
        text = str(token)
        match token.type:
            case "INT":
                return ast.IntLit(value=self._whole(token), span=span)
            case "DECIMAL":
                return ast.NumberLit(value=self._decimal(token), span=span)
            case "PERCENT":
                return ast.PercentLit(value=self._decimal(token, percent=True), span=span)
            case "STRING":
                return ast.TextLit(value=unquote(text), span=span)
            case "TRUE" | "FALSE":
                return ast.BoolLit(value=token.type == "TRUE", span=span)
            case "DATE":
                return ast.DateLit(value=self._day(token), span=span)
        raise AssertionError(f"unknown literal token {token.type}")

    def _day(self, token: Token) -> datetime.date:
        """The date a DATE token writes; an impossible one is reported (and read as 1-1-1)."""
        try:
            return datetime.date.fromisoformat(str(token))
        except ValueError:
            self._error(
                "E0104",
                message("syntax.impossible-date", date=str(token)),
                self._tspan(token),
                hint=message("syntax.impossible-date-hint"),
            )
            return datetime.date(1, 1, 1)

    @lark.v_args(meta=True)
    def name(self, meta: Any, children: list[Token]) -> ast.Name:
        return ast.Name(name=str(children[0]), span=self._span(meta))

    @lark.v_args(meta=True)
    def path(self, meta: Any, children: list[Any]) -> ast.Path:
        base, attr = children
        return ast.Path(base=base, attr=self._ident(attr), span=self._span(meta))

    @lark.v_args(meta=True)
    def call(self, meta: Any, children: list[Any]) -> ast.Call:
        func, *args = children
        return ast.Call(
            func=self._ident(func),
            args=tuple(a for a in args if a is not None),
            span=self._span(meta),
        )

    @lark.v_args(meta=True)
    def argument(self, meta: Any, children: list[Any]) -> ast.Argument:
        return ast.Argument(value=children[0], span=self._span(meta))

    @lark.v_args(meta=True)
    def named_argument(self, meta: Any, children: list[Any]) -> ast.Argument:
        name, value = children
        return ast.Argument(value=value, name=self._ident(name), span=self._span(meta))

    @lark.v_args(meta=True)
    def last_argument(self, meta: Any, children: list[Token]) -> ast.Argument:
        last = ast.Last(count=self._whole(children[1]), span=self._span(meta))
        return ast.Argument(value=last, span=self._span(meta))

    @lark.v_args(meta=True)
    def filtered_argument(self, meta: Any, children: list[Any]) -> ast.Argument:
        relation, cond = children
        filtered = ast.Filtered(relation=relation, cond=cond, span=self._span(meta))
        return ast.Argument(value=filtered, span=self._span(meta))

    @lark.v_args(meta=True)
    def binary(self, meta: Any, children: list[Any]) -> ast.Arith:
        left, op, right = children
        return ast.Arith(op=cast(Any, str(op)), left=left, right=right, span=self._span(meta))

    @lark.v_args(meta=True)
    def compare(self, meta: Any, children: list[Any]) -> ast.Compare:
        left, op, right = children
        return ast.Compare(op=cast(Any, str(op)), left=left, right=right, span=self._span(meta))

    def _logic(self, op: str, meta: Any, children: list[Any]) -> ast.Logic:
        left, right = children
        return ast.Logic(op=cast(Any, op), left=left, right=right, span=self._span(meta))

    @lark.v_args(meta=True)
    def and_expr(self, meta: Any, children: list[Any]) -> ast.Logic:
        return self._logic("and", meta, children)

    @lark.v_args(meta=True)
    def or_expr(self, meta: Any, children: list[Any]) -> ast.Logic:
        return self._logic("or", meta, children)

    @lark.v_args(meta=True)
    def implies(self, meta: Any, children: list[Any]) -> ast.Logic:
        return self._logic("implies", meta, children)

    @lark.v_args(meta=True)
    def conditional(self, meta: Any, children: list[Any]) -> ast.Conditional:
        then, cond, otherwise = children
        return ast.Conditional(then=then, cond=cond, otherwise=otherwise, span=self._span(meta))

    @lark.v_args(meta=True)
    def negation(self, meta: Any, children: list[Any]) -> ast.Not:
        return ast.Not(operand=children[0], span=self._span(meta))

    @lark.v_args(meta=True)
    def neg(self, meta: Any, children: list[Any]) -> ast.Neg:
        return ast.Neg(operand=children[1], span=self._span(meta))

    @lark.v_args(meta=True)
    def coalesce(self, meta: Any, children: list[Any]) -> ast.Coalesce:
        value, fallback = children
        return ast.Coalesce(value=value, fallback=fallback, span=self._span(meta))

    @lark.v_args(meta=True)
    def member(self, meta: Any, children: list[Any]) -> ast.Member:
        operand, target = children
        return ast.Member(operand=operand, target=target, span=self._span(meta))

    @lark.v_args(meta=True)
    def not_member(self, meta: Any, children: list[Any]) -> ast.Member:
        operand, target = children
        return ast.Member(operand=operand, target=target, negated=True, span=self._span(meta))

    @lark.v_args(meta=True)
    def missing(self, meta: Any, children: list[Any]) -> ast.IsMissing:
        return ast.IsMissing(operand=children[0], span=self._span(meta))

    @lark.v_args(meta=True)
    def present(self, meta: Any, children: list[Any]) -> ast.IsMissing:
        return ast.IsMissing(operand=children[0], negated=True, span=self._span(meta))

    @lark.v_args(meta=True)
    def set_literal(self, meta: Any, children: list[Any]) -> ast.SetLit:
        return ast.SetLit(items=tuple(c for c in children if c is not None), span=self._span(meta))

    @lark.v_args(meta=True)
    def range(self, meta: Any, children: list[Any]) -> ast.RangeLit:
        low, high = children
        return ast.RangeLit(low=low, high=high, span=self._span(meta))

    @lark.v_args(meta=True)
    def case_expr(self, meta: Any, children: list[Any]) -> ast.Case:
        subject, *arms = children
        regular: list[ast.CaseArm] = []
        default: ast.Expr | None = None
        for arm in (a for a in arms if a is not None):
            if isinstance(arm, ast.CaseArm):
                if default is not None:
                    self._error(
                        "E0106",
                        message("syntax.else-not-last"),
                        arm.span,
                        hint=message("syntax.else-not-last-hint"),
                    )
                regular.append(arm)
            else:
                else_value, else_span = arm
                if default is not None:
                    self._error("E0106", message("syntax.two-elses"), else_span)
                default = else_value
        return ast.Case(
            subject=subject, arms=tuple(regular), default=default, span=self._span(meta)
        )

    @lark.v_args(meta=True)
    def case_arm(self, meta: Any, children: list[Any]) -> ast.CaseArm | tuple[ast.Expr, Span]:
        pattern, value = children
        span = self._span(meta)
        if isinstance(pattern, Token):
            assert span is not None
            return (value, span)
        return ast.CaseArm(pattern=pattern, value=value, span=span)
