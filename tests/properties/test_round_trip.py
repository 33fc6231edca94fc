"""The printer is the parser's inverse on trees; formatting is idempotent."""

from __future__ import annotations

from hypothesis import given, settings

from emurules.syntax import ast
from emurules.syntax.parse import parse
from emurules.syntax.printer import format_module
from tests.helpers import BRIEF
from tests.properties.ast_strategies import exprs, modules


@settings(max_examples=300)
@given(modules)
def test_parse_of_print_is_identity(module: ast.Module) -> None:
    text = format_module(module)
    assert parse(text) == module
    assert format_module(parse(text)) == text


@settings(max_examples=300)
@given(exprs)
def test_expressions_round_trip(expr: ast.Expr) -> None:
    module = ast.Module(
        decls=(ast.LetDecl(name=ast.Ident(text="x"), subject=ast.Ident(text="s"), expr=expr),)
    )
    assert parse(format_module(module)) == module


def test_formatting_keeps_every_comment() -> None:
    text = BRIEF.read_text(encoding="utf-8")
    original = parse(text)
    formatted = format_module(original)
    again = parse(formatted)
    assert again == original
    assert [c.text for c in again.comments] == [c.text for c in original.comments]
    assert format_module(again) == formatted


def test_comments_stay_with_what_they_describe() -> None:
    text = (
        "# header\n\n"
        "subject s {\n"
        "  # the key\n"
        "  id: text key  # trailing\n"
        "  # closing remark\n"
        "}\n"
        "let x for s =\n"
        "  # inside an expression\n"
        "  1 +\n"
        "  2\n"
        "# end of file\n"
    )
    formatted = format_module(parse(text))
    assert formatted == (
        "# header\n\n"
        "subject s {\n"
        "  # the key\n"
        "  id: text key  # trailing\n"
        "  # closing remark\n"
        "}\n"
        "# inside an expression\n"
        "let x for s = 1 + 2\n\n"
        "# end of file\n"
    )


def test_comments_inside_pools_lineages_and_award_clauses_stay_where_they_are() -> None:
    text = """\
award x "X" for s {
  when a > 1
  rank by a desc
  quota 2
  # ties in
  on tie include  # all of them
  # paid at 0.3
  reward 0.3  # Art. 54
}
pool typical "T" {
  # the four kinds
  awards a, b
  quota 3  # the city's budget
  # ties all in
  on tie include
  # nothing more
}
lineage for c {
  held any  # any predecessor
  # as the index did
  past mean
}
lineage for d { held all  past max }
"""
    assert format_module(parse(text)) == text
