"""The parser: every construct of the language, and text-level details (BOM, NFC, spaces)."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal

import pytest

from emurules.errors import CriteriaError
from emurules.syntax import ast
from emurules.syntax.grammar import build_parser
from emurules.syntax.parse import parse
from tests.helpers import BRIEF

KEYWORDS = [
    "ruleset", "version", "year", "round", "enum", "ordered", "subject", "key", "relation",
    "by", "criterion", "bonus", "penalty", "for", "where", "max", "score", "let", "award",
    "given", "requires", "when", "rank", "asc", "desc", "quota", "within", "on", "tie",
    "include", "ranking", "shared", "check", "monotone", "order_independent", "require",
    "example", "history", "expect", "not", "cut", "because", "is", "missing", "in", "and",
    "or", "implies", "if", "else", "case", "true", "false", "last", "any", "group",
    "ignores", "equal_treatment", "local",
]  # fmt: skip


def test_grammar_builds_in_strict_mode() -> None:
    """A new lexer collision or LALR conflict fails here."""
    build_parser(strict=True)


def test_the_language_brief_parses() -> None:
    module = parse(BRIEF.read_text(encoding="utf-8"), "brief.emu")
    kinds = [type(d).__name__ for d in module.decls]
    assert kinds.count("AwardDecl") == 5
    assert kinds.count("SubjectDecl") == 2
    assert len(module.comments) == 10


def first(text: str) -> ast.Decl:
    return parse(text).decls[0]


@pytest.mark.parametrize("word", KEYWORDS)
def test_fields_may_be_named_after_keywords(word: str) -> None:
    module = parse(
        f"subject s {{ id: text key {word}: int = 1 }}\n"
        f'example "e" {{ s {{ id: "A", {word}: 2 }} }}\n'
    )
    subject = module.decls[0]
    assert isinstance(subject, ast.SubjectDecl)
    assert subject.fields[1].name.text == word


def test_field_with_every_part() -> None:
    subject = first("subject s { id: text key  share: percent? in 0%..200% = 50% }")
    assert isinstance(subject, ast.SubjectDecl)
    field = subject.fields[1]
    assert field.type.optional
    assert field.constraint == ast.FieldRange(
        low=ast.PercentLit(value=Decimal(0)), high=ast.PercentLit(value=Decimal(200))
    )
    assert field.default == ast.PercentLit(value=Decimal(50))


def test_expression_precedence() -> None:
    decl = first("let x for s = a ?? 0 + 5 * -b > 3 and not c or d implies e")
    assert isinstance(decl, ast.LetDecl)
    n = ast.Name
    expected = ast.Logic(
        op="implies",
        left=ast.Logic(
            op="or",
            left=ast.Logic(
                op="and",
                left=ast.Compare(
                    op=">",
                    left=ast.Arith(
                        op="+",
                        left=ast.Coalesce(value=n(name="a"), fallback=ast.IntLit(value=0)),
                        right=ast.Arith(
                            op="*", left=ast.IntLit(value=5), right=ast.Neg(operand=n(name="b"))
                        ),
                    ),
                    right=ast.IntLit(value=3),
                ),
                right=ast.Not(operand=n(name="c")),
            ),
            right=n(name="d"),
        ),
        right=n(name="e"),
    )
    assert decl.expr == expected


def test_conditional_membership_and_missing() -> None:
    decl = first("let x for s = 1 if t in {good, excellent} and m is not missing else 2")
    assert isinstance(decl, ast.LetDecl)
    assert isinstance(decl.expr, ast.Conditional)
    cond = decl.expr.cond
    assert isinstance(cond, ast.Logic)
    assert isinstance(cond.left, ast.Member) and isinstance(cond.left.target, ast.SetLit)
    assert cond.right == ast.IsMissing(operand=ast.Name(name="m"), negated=True)


def test_literals() -> None:
    decl = first('let x for s = case { a: 1.50, b: 15%, c: "t\\"q", d: 2025-09-30, else: true }')
    assert isinstance(decl, ast.LetDecl) and isinstance(decl.expr, ast.Case)
    values = [arm.value for arm in decl.expr.arms]
    assert values == [
        ast.NumberLit(value=Decimal("1.5")),
        ast.PercentLit(value=Decimal(15)),
        ast.TextLit(value='t"q'),
        ast.DateLit(value=datetime.date(2025, 9, 30)),
    ]
    assert decl.expr.default == ast.BoolLit(value=True)


def test_award_with_every_clause() -> None:
    decl = first(
        'award a "A" for s {\n'
        "  requires b, c\n"
        '  when ok: x > 1 "label"\n'
        '  when merit: any { one: y, two: z "two", } "merit"\n'
        "  rank by score desc, id asc\n"
        "  quota max(1, floor(15% * count(b))) within unit\n"
        "  on tie include\n"
        "}"
    )
    assert isinstance(decl, ast.AwardDecl)
    assert [r.text for r in decl.requires] == ["b", "c"]
    assert decl.conditions[0].id == ast.Ident(text="ok")
    assert decl.conditions[0].label == "label"
    body = decl.conditions[1].body
    assert isinstance(body, ast.AnyOf) and [p.id.text for p in body.parts] == ["one", "two"]
    assert [k.descending for k in decl.rank_by] == [True, False]
    assert decl.tie_include and decl.within == ast.Name(name="unit")


def test_given_award_ranking_checks_rules() -> None:
    module = parse(
        'award national "N" for s given\n'
        'ranking r "R" for s by score desc within block shared\n'
        'check "c" for s: a implies b\n'
        "check monotone score for s in x, -y,\n"
        "check order_independent\n"
        'require "r" for s: a <= b\n'
    )
    award, ranking, check, monotone, order, rule = module.decls
    assert isinstance(award, ast.AwardDecl) and award.given
    assert isinstance(ranking, ast.RankingDecl) and ranking.shared
    assert isinstance(check, ast.CheckDecl)
    assert isinstance(monotone, ast.MonotoneCheck)
    assert [f.decreasing for f in monotone.fields] == [False, True]
    assert isinstance(order, ast.OrderCheck)
    assert isinstance(rule, ast.RuleDecl)


def test_history_functions() -> None:
    decl = first("let x for s = held(a, last 2) + streak(a, before) + (past(t, 1) ?? 0)")
    assert isinstance(decl, ast.LetDecl)
    assert "Last(count=2)" in repr(decl.expr)


def test_example_block() -> None:
    decl = first(
        'example "e" {\n'
        "  year 2024\n"
        '  s { id: "Đơn vị 1", n: -2, p: 90% }\n'
        "  history { P1 2024 fighter, P1 2023 task excellent, }\n"
        "  expect P1 advanced\n"
        "  expect P1 not fighter because initiative, when2\n"
        "  expect P1 cut fighter\n"
        "  expect P1 score == 86.67\n"
        '  expect "Đơn vị 1" online is missing\n'
        "  expect P1 online is not missing\n"
        "}"
    )
    assert isinstance(decl, ast.ExampleDecl)
    modes = [i.mode for i in decl.items if isinstance(i, ast.Expect)]
    assert modes == ["true", "false", "cut", "compare", "missing", "present"]


def test_bom_nfc_and_unicode_spaces() -> None:
    name = "điểm_số"
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name
    text = f'\ufefflet {decomposed}\u00a0"Điểm"\u2003for s = 1\nlet y for s = {name}'
    module = parse(text)
    first_let, second_let = module.decls
    assert isinstance(first_let, ast.LetDecl) and isinstance(second_let, ast.LetDecl)
    assert first_let.name.text == name
    assert second_let.expr == ast.Name(name=name)


def test_spans_point_at_the_source() -> None:
    module = parse("let x for s =\n  aa + bbb", "f.emu")
    decl = module.decls[0]
    assert isinstance(decl, ast.LetDecl) and isinstance(decl.expr, ast.Arith)
    span = decl.expr.right.span
    assert span is not None
    assert (span.line, span.column, span.end_column, span.text) == (2, 8, 11, "bbb")
    assert str(span) == "f.emu:2:8"


def test_syntax_errors_are_collected_per_declaration() -> None:
    with pytest.raises(CriteriaError) as raised:
        parse("let a for s = 1 +\nlet b for s = )\nlet c for s = 2 2\n", "f.emu")
    lines = [d.span.line for d in raised.value.diagnostics if d.span is not None]
    assert lines == [2, 2, 3]
