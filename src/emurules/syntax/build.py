"""Lark parse tree -> AST.

The only module that knows the grammar's rule names. Mistakes the grammar lets through
(two `quota` clauses, `else` before the last arm, an impossible date) are collected as
diagnostics, so one pass reports every one of them.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any, cast

import lark
from lark import Token, Tree

from emurules.limits import LONGEST_TEXT, beyond_limits, fraction, short
from emurules.source import Diagnostic, Source, Span
from emurules.syntax import ast

_ESCAPE = re.compile(r"\\(.)")


def unquote(token: str) -> str:
    r"""The text of a quoted label: `\"` and `\\` stand for `"` and `\`."""
    return _ESCAPE.sub(r"\1", token[1:-1])


class Builder(lark.visitors.Transformer_NonRecursive[Token, Any]):
    """Turns each rule of the grammar into its AST node, children first, with a loop rather
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

    def _error(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code=code, message=message, span=span, hint=hint))

    def _decimal(self, token: Token, percent: bool = False) -> Decimal:
        """A number written in the criteria; one beyond what engines hold exactly is an
        error here, before anything prints or converts it (0 stands in for it)."""
        text = str(token)[:-1] if percent else str(token)
        value = Decimal(text) if len(text) <= LONGEST_TEXT else Decimal(10) ** LONGEST_TEXT
        problem = beyond_limits(fraction(value) if percent else value)
        if problem is not None:
            self._error(
                "E0313",
                f"the number {short(str(token))} is {problem}",
                self._tspan(token),
                hint="numbers in criteria and data have at most 18 digits before the "
                "decimal point and 18 after",
            )
            return Decimal(0)
        return value

    def _whole(self, token: Token) -> int:
        return int(self._decimal(token))

    # ---- module and header ------------------------------------------------------------
    @lark.v_args(meta=True)
    def start(self, meta: Any, children: list[ast.Decl]) -> list[ast.Decl]:
        return children

    @lark.v_args(meta=True)
    def ruleset(self, meta: Any, children: list[Any]) -> ast.Ruleset:
        title, *settings = children
        seen: dict[str, ast.Setting] = {}
        for setting in settings:
            if setting.key in seen:
                self._error(
                    "E0105",
                    f"the ruleset sets '{setting.key}' twice",
                    setting.span,
                    hint="keep one of them",
                )
            seen[setting.key] = setting
        return ast.Ruleset(title=unquote(title), settings=tuple(settings), span=self._span(meta))

    def _setting(self, key: str, meta: Any, value: str | int) -> ast.Setting:
        return ast.Setting(key=cast(Any, key), value=value, span=self._span(meta))

    @lark.v_args(meta=True)
    def version_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("version", meta, unquote(children[0]))

    @lark.v_args(meta=True)
    def year_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("year", meta, self._whole(children[0]))

    @lark.v_args(meta=True)
    def round_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("round", meta, self._whole(children[0]))

    @lark.v_args(meta=True)
    def locale_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("locale", meta, unquote(children[0]))

    # ---- schema -----------------------------------------------------------------------
    @lark.v_args(meta=True)
    def enum_decl(self, meta: Any, children: list[Any]) -> ast.EnumDecl:
        name, ordered, *values = children
        return ast.EnumDecl(
            name=self._ident(name),
            ordered=ordered is not None,
            values=tuple(self._ident(v) for v in values if v is not None),
            span=self._span(meta),
        )

    @lark.v_args(meta=True)
    def subject(self, meta: Any, children: list[Any]) -> ast.SubjectDecl:
        name, *fields = children
        return ast.SubjectDecl(name=self._ident(name), fields=tuple(fields), span=self._span(meta))

    @lark.v_args(meta=True)
    def field(self, meta: Any, children: list[Any]) -> ast.Field:
        name, type_name, optional, constraint, key, default = children
        type_span = self._tspan(type_name)
        if optional is not None:
            type_span = type_span.cover(self._tspan(optional))
        return ast.Field(
            name=self._ident(name),
            type=ast.TypeRef(
                name=self._ident(type_name), optional=optional is not None, span=type_span
            ),
            constraint=constraint,
            key=key is not None,
            default=default,
            span=self._span(meta),
        )

    @lark.v_args(meta=True)
    def bound(self, meta: Any, children: list[Any]) -> ast.Bound:
        op, value = children
        return ast.Bound(op=cast(Any, str(op)), value=value, span=self._span(meta))

    @lark.v_args(meta=True)
    def range_constraint(self, meta: Any, children: list[Any]) -> ast.FieldRange:
        low, high = children
        return ast.FieldRange(low=low, high=high, span=self._span(meta))

    @lark.v_args(meta=True)
    def relation(self, meta: Any, children: list[Token]) -> ast.RelationDecl:
        name, owner, member, via = (self._ident(t) for t in children)
        return ast.RelationDecl(
            name=name, owner=owner, member=member, via=via, span=self._span(meta)
        )

    # ---- scoring ----------------------------------------------------------------------
    def criterion_kind(self, children: list[Token]) -> str:
        return str(children[0])

    @lark.v_args(meta=True)
    def criterion(self, meta: Any, children: list[Any]) -> ast.CriterionDecl:
        kind, name, label, subject, where, maximum, expr = children
        return ast.CriterionDecl(
            kind=kind,
            name=self._ident(name),
            label=self._label(label),
            subject=self._ident(subject),
            where=where,
            max=maximum,
            expr=expr,
            span=self._span(meta),
        )

    @lark.v_args(meta=True)
    def score_decl(self, meta: Any, children: list[Any]) -> ast.ScoreDecl:
        subject, expr = children
        return ast.ScoreDecl(subject=self._ident(subject), expr=expr, span=self._span(meta))

    @lark.v_args(meta=True)
    def let_decl(self, meta: Any, children: list[Any]) -> ast.LetDecl:
        name, label, subject, expr = children
        return ast.LetDecl(
            name=self._ident(name),
            label=self._label(label),
            subject=self._ident(subject),
            expr=expr,
            span=self._span(meta),
        )

    # ---- awards and rankings ----------------------------------------------------------
    @lark.v_args(meta=True)
    def award(self, meta: Any, children: list[Any]) -> ast.AwardDecl:
        name, label, subject, body = children
        fields: dict[str, Any] = {}
        if isinstance(body, Token):
            fields["given"] = True
        else:
            fields = self._award_clauses(body)
        return ast.AwardDecl(
            name=self._ident(name),
            label=self._label(label),
            subject=self._ident(subject),
            span=self._span(meta),
            **fields,
        )

    def _award_clauses(self, clauses: list[tuple[str, Any, Span | None]]) -> dict[str, Any]:
        requires: list[ast.Ident] = []
        conditions: list[ast.Condition] = []
        single: dict[str, Any] = {}
        words = {
            "rank_by": "rank by",
            "quota": "quota",
            "within": "within",
            "tie_include": "on tie include",
        }
        for kind, value, span in clauses:
            if kind == "requires":
                requires.extend(value)
            elif kind == "when":
                conditions.append(value)
            elif kind in single:
                self._error(
                    "E0105",
                    f"an award has at most one '{words[kind]}' clause",
                    span,
                    hint="merge the two clauses into one",
                )
            else:
                single[kind] = value
        return {"requires": tuple(requires), "conditions": tuple(conditions), **single}

    def award_body(self, children: list[Any]) -> list[Any]:
        return children

    @lark.v_args(meta=True)
    def requires(self, meta: Any, children: list[Token]) -> tuple[str, Any, Span | None]:
        return ("requires", [self._ident(t) for t in children], self._span(meta))

    @lark.v_args(meta=True)
    def when(self, meta: Any, children: list[Any]) -> tuple[str, Any, Span | None]:
        ident, body, label = children
        condition = ast.Condition(
            id=None if ident is None else self._ident(ident),
            body=body,
            label=self._label(label),
            span=self._span(meta),
        )
        return ("when", condition, condition.span)

    @lark.v_args(meta=True)
    def any_block(self, meta: Any, children: list[Any]) -> ast.AnyOf:
        return ast.AnyOf(
            parts=tuple(c for c in children[1:] if c is not None), span=self._span(meta)
        )

    @lark.v_args(meta=True)
    def part(self, meta: Any, children: list[Any]) -> ast.Part:
        ident, expr, label = children
        return ast.Part(
            id=self._ident(ident), expr=expr, label=self._label(label), span=self._span(meta)
        )

    @lark.v_args(meta=True)
    def rank_by(self, meta: Any, children: list[ast.RankKey]) -> tuple[str, Any, Span | None]:
        return ("rank_by", tuple(children), self._span(meta))

    @lark.v_args(meta=True)
    def quota(self, meta: Any, children: list[Any]) -> tuple[str, Any, Span | None]:
        return ("quota", children[0], self._span(meta))

    @lark.v_args(meta=True)
    def within(self, meta: Any, children: list[Any]) -> tuple[str, Any, Span | None]:
        return ("within", children[0], self._span(meta))

    @lark.v_args(meta=True)
    def tie_include(self, meta: Any, children: list[Any]) -> tuple[str, Any, Span | None]:
        return ("tie_include", True, self._span(meta))

    def direction(self, children: list[Token]) -> bool:
        return str(children[0]) == "desc"

    @lark.v_args(meta=True)
    def rank_key(self, meta: Any, children: list[Any]) -> ast.RankKey:
        expr, descending = children
        return ast.RankKey(expr=expr, descending=descending, span=self._span(meta))

    @lark.v_args(meta=True)
    def ranking(self, meta: Any, children: list[Any]) -> ast.RankingDecl:
        name, label, subject, *keys, within, shared = children
        return ast.RankingDecl(
            name=self._ident(name),
            label=self._label(label),
            subject=self._ident(subject),
            keys=tuple(keys),
            within=within,
            shared=shared is not None,
            span=self._span(meta),
        )

    # ---- checks, rules, examples ------------------------------------------------------
    @lark.v_args(meta=True)
    def check(self, meta: Any, children: list[Any]) -> ast.CheckDecl:
        label, subject, expr = children
        return ast.CheckDecl(
            label=unquote(label), subject=self._ident(subject), expr=expr, span=self._span(meta)
        )

    @lark.v_args(meta=True)
    def monotone(self, meta: Any, children: list[Any]) -> ast.MonotoneCheck:
        target, subject, *fields = children
        return ast.MonotoneCheck(
            target=self._ident(target),
            subject=self._ident(subject),
            fields=tuple(f for f in fields if f is not None),
            span=self._span(meta),
        )

    @lark.v_args(meta=True)
    def mono_field(self, meta: Any, children: list[Any]) -> ast.MonotoneField:
        minus, name = children
        return ast.MonotoneField(
            name=self._ident(name), decreasing=minus is not None, span=self._span(meta)
        )

    @lark.v_args(meta=True)
    def order_check(self, meta: Any, children: list[Any]) -> ast.OrderCheck:
        return ast.OrderCheck(span=self._span(meta))

    @lark.v_args(meta=True)
    def require(self, meta: Any, children: list[Any]) -> ast.RuleDecl:
        label, subject, expr = children
        return ast.RuleDecl(
            label=unquote(label), subject=self._ident(subject), expr=expr, span=self._span(meta)
        )

    @lark.v_args(meta=True)
    def example(self, meta: Any, children: list[Any]) -> ast.ExampleDecl:
        label, *items = children
        return ast.ExampleDecl(label=unquote(label), items=tuple(items), span=self._span(meta))

    @lark.v_args(meta=True)
    def record(self, meta: Any, children: list[Any]) -> ast.Record:
        kind, *fields = children
        return ast.Record(
            kind=self._ident(kind),
            fields=tuple(f for f in fields if f is not None),
            span=self._span(meta),
        )

    @lark.v_args(meta=True)
    def record_field(self, meta: Any, children: list[Any]) -> ast.RecordField:
        name, value = children
        return ast.RecordField(name=self._ident(name), value=value, span=self._span(meta))

    @lark.v_args(meta=True)
    def example_year(self, meta: Any, children: list[Token]) -> ast.ExampleYear:
        return ast.ExampleYear(year=self._whole(children[0]), span=self._span(meta))

    @lark.v_args(meta=True)
    def history(self, meta: Any, children: list[Any]) -> ast.History:
        return ast.History(
            entries=tuple(c for c in children if c is not None), span=self._span(meta)
        )

    @lark.v_args(meta=True)
    def history_entry(self, meta: Any, children: list[Any]) -> ast.HistoryEntry:
        key, year, name, value = children
        return ast.HistoryEntry(
            key=key,
            year=self._whole(year),
            name=self._ident(name),
            value=value,
            span=self._span(meta),
        )

    @lark.v_args(meta=True)
    def subject_key(self, meta: Any, children: list[Token]) -> ast.SubjectKey:
        token = children[0]
        quoted = token.type == "STRING"
        return ast.SubjectKey(
            value=unquote(token) if quoted else str(token), quoted=quoted, span=self._span(meta)
        )

    @lark.v_args(meta=True)
    def expect(self, meta: Any, children: list[Any]) -> ast.Expect:
        key, fields = children
        return ast.Expect(key=key, span=self._span(meta), **fields)

    def expect_true(self, children: list[Token]) -> dict[str, Any]:
        return {"mode": "true", "name": self._ident(children[0])}

    def expect_false(self, children: list[Token | None]) -> dict[str, Any]:
        name, *because = children
        assert name is not None
        return {
            "mode": "false",
            "name": self._ident(name),
            "because": tuple(self._ident(t) for t in because if t is not None),
        }

    def expect_cut(self, children: list[Token]) -> dict[str, Any]:
        return {"mode": "cut", "name": self._ident(children[0])}

    def expect_compare(self, children: list[Any]) -> dict[str, Any]:
        name, op, value = children
        return {"mode": "compare", "name": self._ident(name), "op": str(op), "value": value}

    def expect_missing(self, children: list[Token]) -> dict[str, Any]:
        return {"mode": "missing", "name": self._ident(children[0])}

    def expect_present(self, children: list[Token]) -> dict[str, Any]:
        return {"mode": "present", "name": self._ident(children[0])}

    @lark.v_args(meta=True)
    def value(self, meta: Any, children: list[Any]) -> ast.Expr:
        if len(children) == 2:
            return ast.Neg(operand=children[1], span=self._span(meta))
        child = children[0]
        if isinstance(child, Token):
            return ast.Name(name=str(child), span=self._tspan(child))
        return cast(ast.Expr, child)

    # ---- expressions ------------------------------------------------------------------
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
                try:
                    day = datetime.date.fromisoformat(text)
                except ValueError:
                    self._error(
                        "E0104",
                        f"'{text}' is not a date of the calendar",
                        span,
                        hint="a date is written YYYY-MM-DD, e.g. 2025-09-30",
                    )
                    day = datetime.date(1, 1, 1)
                return ast.DateLit(value=day, span=span)
        raise AssertionError(f"unknown literal token {token.type}")

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
                        "'else' must be the last arm of a case",
                        arm.span,
                        hint="move the 'else' arm to the end",
                    )
                regular.append(arm)
            else:
                else_value, else_span = arm
                if default is not None:
                    self._error("E0106", "a case has only one 'else' arm", else_span)
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


def build(tree: Tree[Token], source: Source) -> tuple[list[ast.Decl], list[Diagnostic]]:
    """The declarations of a parse tree and the mistakes found on the way."""
    builder = Builder(source)
    decls = builder.transform(tree)
    return decls, builder.diagnostics
