"""Lark parse tree -> AST, part two: the module and its declarations.

With `build_expr.py` the only modules that know the grammar's rule names. Mistakes the
grammar lets through (two `quota` clauses, a setting given twice) are collected as
diagnostics, so one pass reports every one of them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import lark
from lark import Token, Tree

from emurules.i18n import Message, message
from emurules.source import Diagnostic, Source, Span
from emurules.syntax import ast
from emurules.syntax.build_expr import ExprBuilder, unquote


class Builder(ExprBuilder):
    """Turns each declaration rule into its AST node; expressions are `ExprBuilder`'s."""

    # ---- module and header ------------------------------------------------------------
    @lark.v_args(meta=True)
    def start(self, meta: Any, children: list[ast.Decl]) -> list[ast.Decl]:
        return children

    @lark.v_args(meta=True)
    def ruleset(self, meta: Any, children: list[Any]) -> ast.Ruleset:
        title, *settings = children
        seen: dict[str, ast.Setting] = {}
        for setting in settings:
            if setting.key in seen and setting.key != "basis":
                self._error(
                    "E0105",
                    message("syntax.setting-twice", key=setting.key),
                    setting.span,
                    hint=message("syntax.setting-twice-hint"),
                )
            seen[setting.key] = setting
        return ast.Ruleset(title=unquote(title), settings=tuple(settings), span=self._span(meta))

    def _setting(self, key: str, meta: Any, value: ast.SettingValue) -> ast.Setting:
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

    @lark.v_args(meta=True)
    def authority_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("authority", meta, unquote(children[0]))

    @lark.v_args(meta=True)
    def document_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("document", meta, unquote(children[0]))

    @lark.v_args(meta=True)
    def number_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("number", meta, unquote(children[0]))

    @lark.v_args(meta=True)
    def place_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("place", meta, unquote(children[0]))

    @lark.v_args(meta=True)
    def date_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("date", meta, self._day(children[0]))

    @lark.v_args(meta=True)
    def basis_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("basis", meta, unquote(children[0]))

    @lark.v_args(meta=True)
    def signer_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("signer", meta, (unquote(children[0]), unquote(children[1])))

    @lark.v_args(meta=True)
    def language_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("language", meta, str(children[0]))

    @lark.v_args(meta=True)
    def emurules_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("emurules", meta, self._whole(children[0]))

    @lark.v_args(meta=True)
    def base_salary_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        return self._setting("base_salary", meta, self._whole(children[0]))

    @lark.v_args(meta=True)
    def reward_rounding_setting(self, meta: Any, children: list[Token]) -> ast.Setting:
        mode, step = children
        return self._setting("reward_rounding", meta, (str(mode), self._whole(step)))

    # ---- schema -----------------------------------------------------------------------
    @lark.v_args(meta=True)
    def enum_decl(self, meta: Any, children: list[Any]) -> ast.EnumDecl:
        name, ordered, *values = children
        pairs = [v for v in values if v is not None]
        labels = tuple(label for _, label in pairs)
        return ast.EnumDecl(
            name=self._ident(name),
            ordered=ordered is not None,
            values=tuple(ident for ident, _ in pairs),
            labels=labels if any(label is not None for label in labels) else (),
            span=self._span(meta),
        )

    def enum_value(self, children: list[Token | None]) -> tuple[ast.Ident, str | None]:
        name, label = children
        assert name is not None
        return (self._ident(name), self._label(label))

    @lark.v_args(meta=True)
    def subject(self, meta: Any, children: list[Any]) -> ast.SubjectDecl:
        name, label, display, *fields = children
        return ast.SubjectDecl(
            name=self._ident(name),
            fields=tuple(fields),
            label=self._label(label),
            display=None if display is None else self._ident(display),
            span=self._span(meta),
        )

    @lark.v_args(meta=True)
    def field(self, meta: Any, children: list[Any]) -> ast.Field:
        name, type_name, optional, label, constraint, key, default = children
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
            label=self._label(label),
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
    def relation(self, meta: Any, children: list[Token | None]) -> ast.RelationDecl:
        name, label, owner, member, via = children
        assert name is not None and owner is not None and member is not None and via is not None
        return ast.RelationDecl(
            name=self._ident(name),
            owner=self._ident(owner),
            member=self._ident(member),
            via=self._ident(via),
            label=self._label(label),
            span=self._span(meta),
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
            if "reward" in fields:
                fields["reward"], fields["replaces"] = fields["reward"]
            spans = {kind: span for kind, _, span in body if kind in ("tie_include", "reward")}
            fields["tie_span"], fields["reward_span"] = (
                spans.get("tie_include"),
                spans.get("reward"),
            )
        return ast.AwardDecl(
            name=self._ident(name),
            label=self._label(label),
            subject=self._ident(subject),
            span=self._span(meta),
            **fields,
        )

    def _twice(self, clause: str, span: Span | None, text: Message | None = None) -> None:
        self._error(
            "E0105",
            text or message("syntax.clause-twice", clause=clause),
            span,
            hint=message("syntax.clause-twice-hint"),
        )

    def _once(
        self, clauses: list[tuple[str, Any, Span | None]], words: dict[str, str], block: str
    ) -> dict[str, tuple[Any, Span | None]]:
        """Each clause's value and span, a clause given twice in a `block` ("pool",
        "lineage") reported (the last kept); `words` says a clause as written where its
        name does not."""
        found: dict[str, tuple[Any, Span | None]] = {}
        for kind, value, span in clauses:
            if kind in found:
                clause = words.get(kind, kind)
                text = message("syntax.clause-twice-in", block=block, clause=clause)
                self._twice(clause, span, text)
            found[kind] = (value, span)
        return found

    def _award_clauses(self, clauses: list[tuple[str, Any, Span | None]]) -> dict[str, Any]:
        requires: list[ast.Ident] = []
        conditions: list[ast.Condition] = []
        single: dict[str, Any] = {}
        keywords = {
            "rank_by": "rank by",
            "quota": "quota",
            "within": "within",
            "tie_include": "on tie include",
            "reward": "reward",
        }
        for kind, value, span in clauses:
            if kind == "requires":
                requires.extend(value)
            elif kind == "when":
                conditions.append(value)
            elif kind in single:
                self._twice(keywords[kind], span)
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

    @lark.v_args(meta=True)
    def reward(self, meta: Any, children: list[Token | None]) -> tuple[str, Any, Span | None]:
        amount, *replaced = children
        names = tuple(self._ident(t) for t in replaced if t is not None)
        return ("reward", (Decimal(str(amount)), names), self._span(meta))

    def direction(self, children: list[Token]) -> bool:
        return str(children[0]) == "desc"

    @lark.v_args(meta=True)
    def rank_key(self, meta: Any, children: list[Any]) -> ast.RankKey:
        expr, descending = children
        return ast.RankKey(expr=expr, descending=descending, span=self._span(meta))

    @lark.v_args(meta=True)
    def pool(self, meta: Any, children: list[Any]) -> ast.PoolDecl:
        name, label, *clauses = children
        fields = self._once(clauses, {"tie_include": "on tie include"}, "pool")
        awards, quota, tie = (
            fields.get(k, (None, None)) for k in ("awards", "quota", "tie_include")
        )
        return ast.PoolDecl(
            name=self._ident(name),
            label=self._label(label),
            awards=awards[0] or (),
            quota=quota[0],
            tie_include=tie[0] is not None,
            span=self._span(meta),
            awards_span=awards[1],
            quota_span=quota[1],
            tie_span=tie[1],
        )

    @lark.v_args(meta=True)
    def pool_awards(self, meta: Any, children: list[Token]) -> tuple[str, Any, Span | None]:
        return ("awards", tuple(self._ident(t) for t in children), self._span(meta))

    @lark.v_args(meta=True)
    def pool_quota(self, meta: Any, children: list[Token]) -> tuple[str, Any, Span | None]:
        return ("quota", int(children[0]), self._span(meta))

    @lark.v_args(meta=True)
    def lineage(self, meta: Any, children: list[Any]) -> ast.LineageDecl:
        subject, *rules = children
        fields: dict[str, Any] = {}
        for kind, (value, span) in self._once(rules, {}, "lineage").items():
            fields[kind], fields[f"{kind}_span"] = value, span
        return ast.LineageDecl(subject=self._ident(subject), span=self._span(meta), **fields)

    @lark.v_args(meta=True)
    def lineage_held(self, meta: Any, children: list[Token]) -> tuple[str, Any, Span | None]:
        return ("held", str(children[0]), self._span(meta))

    @lark.v_args(meta=True)
    def lineage_past(self, meta: Any, children: list[Token]) -> tuple[str, Any, Span | None]:
        return ("past", str(children[0]), self._span(meta))

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
        minus, first, second = children
        relation, name = (None, first) if second is None else (first, second)
        return ast.MonotoneField(
            name=self._ident(name),
            decreasing=minus is not None,
            relation=None if relation is None else self._ident(relation),
            span=self._span(meta),
        )

    @lark.v_args(meta=True)
    def mono_history(self, meta: Any, children: list[Any]) -> ast.MonotoneField:
        return ast.MonotoneField(name=None, history=True, span=self._span(meta))

    @lark.v_args(meta=True)
    def order_check(self, meta: Any, children: list[Any]) -> ast.OrderCheck:
        return ast.OrderCheck(span=self._span(meta))

    @lark.v_args(meta=True)
    def ignores_check(self, meta: Any, children: list[Token]) -> ast.IgnoresCheck:
        *fields, subject = children
        return ast.IgnoresCheck(
            fields=tuple(self._ident(f) for f in fields),
            subject=self._ident(subject),
            span=self._span(meta),
        )

    @lark.v_args(meta=True)
    def equal_check(self, meta: Any, children: list[Token]) -> ast.EqualTreatmentCheck:
        return ast.EqualTreatmentCheck(subject=self._ident(children[0]), span=self._span(meta))

    @lark.v_args(meta=True)
    def local_check(self, meta: Any, children: list[Any]) -> ast.LocalCheck:
        within, subject = children
        return ast.LocalCheck(within=within, subject=self._ident(subject), span=self._span(meta))

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
    def formed_entry(self, meta: Any, children: list[Any]) -> ast.HistoryEntry:
        key, year, predecessor = children
        return ast.HistoryEntry(
            key=key,
            year=self._whole(year),
            name=None,
            predecessor=predecessor,
            span=self._span(meta),
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


def build(tree: Tree[Token], source: Source) -> tuple[list[ast.Decl], list[Diagnostic]]:
    """The declarations of a parse tree and the mistakes found on the way."""
    builder = Builder(source)
    decls = builder.transform(tree)
    return decls, builder.diagnostics
