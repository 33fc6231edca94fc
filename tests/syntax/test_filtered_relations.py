"""Filtered relations (`members where cond`), `qualified(A)` / `cut(A)` and relations by a
shared value: how they parse, print back and leave `where` and `by` free as names."""

from __future__ import annotations

import pytest

from emurules.errors import CriteriaError
from emurules.syntax import ast
from emurules.syntax.grammar import build_parser
from emurules.syntax.parse import parse
from emurules.syntax.printer import format_module


def _let(text: str) -> ast.Expr:
    decl = parse(f'let v "V" for team = {text}\n').decls[0]
    assert isinstance(decl, ast.LetDecl)
    return decl.expr


def _first_argument(text: str) -> ast.Expr:
    call = _let(text)
    assert isinstance(call, ast.Call)
    return call.args[0].value


def test_the_grammar_stays_lalr_without_collisions() -> None:
    build_parser(strict=True)


@pytest.mark.parametrize(
    "call",
    [
        "count(members where fighter)",
        "min(members where fighter, score)",
        "sum(members where task >= good, initiatives)",
        "all(members where x, cond)",
        "share(unit.members where a and not b, c)",
        "count(group where qualified(award))",
    ],
)
def test_a_filtered_relation_is_an_aggregates_first_argument(call: str) -> None:
    first = _first_argument(call)
    assert isinstance(first, ast.Filtered)
    assert isinstance(first.relation, ast.Name | ast.Path)


def test_the_filter_reads_a_whole_expression_up_to_the_comma() -> None:
    call = _let("min(members where a implies b if c else d, score)")
    assert isinstance(call, ast.Call) and len(call.args) == 2
    first = call.args[0].value
    assert isinstance(first, ast.Filtered)
    assert isinstance(first.cond, ast.Logic) and first.cond.op == "implies"
    assert call.args[1].value == ast.Name(name="score")


def test_the_filter_and_the_relation_have_spans() -> None:
    text = "count(members where fighter)"
    first = _first_argument(text)
    assert isinstance(first, ast.Filtered)
    assert first.span is not None and first.cond.span is not None
    assert first.span.text == "members where fighter"
    assert first.cond.span.text == "fighter"


@pytest.mark.parametrize(
    "text",
    [
        "members where fighter",  # a filter stands only in a call's arguments
        "count(members where a where b)",
        "count((members where a))",
        "count(members where)",
        "count(-members where a)",
    ],
)
def test_a_filter_elsewhere_is_a_syntax_error(text: str) -> None:
    with pytest.raises(CriteriaError) as raised:
        parse(f'let v "V" for team = {text}\n')
    assert [d.code for d in raised.value.diagnostics] == ["E0101"]


@pytest.mark.parametrize(
    "text",
    [
        'let v "V" for team = count(members where fighter) + min(members where a, b) ?? 0\n',
        'let v "V" for team = all(members where (a if b else c), d)\n',
        'let v "V" for team = count(unit.members where a implies b)\n',
        'let v "V" for team = sum((members) where a > 1 and (b or c), x)\n',
        'check "one flag per block" for team: count(peers where emulation_flag) <= 1\n',
        'let v "V" for person = qualified(fighter) and not cut(fighter)\n',
        "relation peers: team -> team by block\n",
    ],
)
def test_formatting_round_trips(text: str) -> None:
    module = parse(text)
    printed = format_module(module)
    assert parse(printed) == module
    assert format_module(parse(printed)) == printed


def test_formatting_writes_the_filter_as_written() -> None:
    text = 'let v "V" for team = count(members where task >= good and not fighter)\n'
    assert format_module(parse(text)) == text


def test_where_and_by_may_still_be_names() -> None:
    module = parse(
        "subject team { id: text key  where: bool  by: text  block: text }\n"
        "relation by: team -> team by by\n"
        'criterion c "C" for team where where max 3 = count(by where where)\n'
        'let v "V" for team = by == "x" and where\n'
    )
    relation = module.decls[1]
    assert isinstance(relation, ast.RelationDecl)
    assert (relation.name.text, relation.via.text) == ("by", "by")
    criterion = module.decls[2]
    assert isinstance(criterion, ast.CriterionDecl)
    assert criterion.where == ast.Name(name="where")
    call = criterion.expr
    assert isinstance(call, ast.Call)
    assert call.args[0].value == ast.Filtered(
        relation=ast.Name(name="by"), cond=ast.Name(name="where")
    )
    assert parse(format_module(module)) == module


def test_qualified_and_cut_are_calls_and_cut_stays_a_name() -> None:
    assert _let("qualified(fighter)") == ast.Call(
        func=ast.Ident(text="qualified"), args=(ast.Argument(value=ast.Name(name="fighter")),)
    )
    module = parse(
        "subject team { id: text key  cut: bool  qualified: bool }\n"
        'let v "V" for team = cut and qualified or cut(a)\n'
        'example "e" { team { id: "T", cut: true, qualified: false }\n expect T cut a }\n'
    )
    assert parse(format_module(module)) == module
